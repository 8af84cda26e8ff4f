/**
 * The command table: names, one-line summaries, help text, and a lazy loader
 * for each command module so that a run only loads the code it needs.
 *
 * @module
 */

/** The signature every command module exports as `run`. */
export type CommandRun = (args: string[]) => Promise<number>;

/** One entry of the command table. */
export interface Command {
  /** The command word, e.g. `init`. */
  name: string;
  /** One line for the global help. */
  summary: string;
  /** Full help printed by `waypoint <name> --help`. */
  help: string;
  /** Loads the module and returns its `run` function. */
  load: () => Promise<CommandRun>;
}

/** Every command waypoint understands, in help order. */
export const COMMANDS: readonly Command[] = [
  {
    name: "init",
    summary: "Scaffold or refresh waypoint in a repository",
    help: `Usage: waypoint init [dir] [options]

Scaffold waypoint into dir (default: the current directory), or refresh an
existing scaffold. Files you edited are never overwritten: the new version is
written beside them as <file>.waypoint-new and reported.

Options:
  --dry-run            Print the plan (create/update/keep/conflict/remove) and write nothing
  --force              Overwrite edited managed files after saving a backup beside each
  --app-friendly       Use the app-friendly profile (saved in .waypoint/config.toml)
  --universal          Use the universal profile (the default)
  --skip-cli-update    Do not check the registry for a newer waypoint first
  -h, --help           Show this help

Examples:
  waypoint init
  waypoint init ../my-repo --dry-run`,
    load: async () => (await import("./init.ts")).run,
  },
  {
    name: "doctor",
    summary: "Check a repository for waypoint drift and problems",
    help: `Usage: waypoint doctor [dir] [options]

Check the scaffold, docs, trackers, workspace and skills. Exit code 2 when any
error is found, 1 when any warning is found, 0 otherwise.

Options:
  --json       Print {"findings": [...]} instead of text
  --fix        Apply every safe remedy (rebuild indexes, restore missing files,
               repair the AGENTS.md block), then check again
  -h, --help   Show this help

Examples:
  waypoint doctor
  waypoint doctor --json | jq '.findings[] | .message'`,
    load: async () => (await import("./doctor.ts")).run,
  },
  {
    name: "sync",
    summary: "Rebuild the docs and tracks indexes",
    help: `Usage: waypoint sync [dir]

Rebuild .waypoint/DOCS_INDEX.md and .waypoint/TRACKS_INDEX.md from the docs
and trackers. Only files whose content changed are written.

Options:
  -h, --help   Show this help

Example:
  waypoint sync`,
    load: async () => (await import("./sync.ts")).run,
  },
  {
    name: "context",
    summary: "Build the session-start context bundle",
    help: `Usage: waypoint context [dir] [--thread-id ID]

Write .waypoint/context/ (date and time, uncommitted changes, recent commits,
nested repositories, pull requests, the recent Codex thread, active trackers and
a manifest) and rebuild both indexes.

Options:
  --thread-id ID   The current Codex thread (default: $CODEX_THREAD_ID, else
                   the newest thread started in this repository). Restores its
                   turns before its latest compaction, or, when it has none,
                   how the previous thread in this repository ended
  -h, --help       Show this help

Environment:
  CODEX_HOME       Where Codex keeps its transcripts (default: ~/.codex)
  CODEX_THREAD_ID  The current thread when --thread-id is not given

Example:
  waypoint context`,
    load: async () => (await import("./context.ts")).run,
  },
  {
    name: "upgrade",
    summary: "Update the waypoint binary, then refresh the repository",
    help: `Usage: waypoint upgrade [dir] [options]

Download the newest waypoint for this platform from the npm registry (package
waypoint-codex-<os>-<arch>), verify its sha512 integrity, check that it runs and
reports the expected version, then atomically replace this binary. Until that
final rename the old binary is left untouched. Then, when dir has
.waypoint/config.toml, run 'init' with the saved profile and 'doctor' using the
new binary. A waypoint installed with npm is updated with npm instead
(npm install -g waypoint-codex@latest).

Options:
  --check               Only report whether a newer version exists
  --version X           Install exactly version X (may be a prerelease, never older)
  --skip-repo-refresh   Update the binary only
  -h, --help            Show this help

Environment:
  WAYPOINT_REGISTRY         Registry to use (else NPM_CONFIG_REGISTRY, then
                            registry= in ~/.npmrc, then registry.npmjs.org); a
                            matching //host/:_authToken= line in ~/.npmrc (or
                            $npm_config_userconfig) is sent as a bearer token
  WAYPOINT_SELF_PATH        Replace this file instead of the running executable
                            (for packagers and tests)
  WAYPOINT_HTTP_TIMEOUT_MS  Give up on a silent request after this many ms
                            (default 30000)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY
                            Honoured for every request
  WAYPOINT_NO_UPDATE_CHECK  Set to 1 to skip the check 'init' runs first (it is
                            also skipped when CI is set)

Examples:
  waypoint upgrade
  waypoint upgrade --check
  waypoint upgrade --version 1.3.0-beta.1 --skip-repo-refresh`,
    load: async () => (await import("./upgrade.ts")).run,
  },
];

/** Finds a command by exact name. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
