/**
 * The command table: names, summaries, options, operands and help text. The
 * option parser, `--help` and the shell completions are all built from this
 * table, so they cannot drift apart. It imports no command module (their
 * loaders are in `loaders.ts`), so the modules can read it without a cycle.
 * What an entry is made of, and how its help is rendered, is in
 * `command_spec.ts`.
 *
 * @module
 */
import {
  type Command,
  defineCommand,
  DIR_OPERAND,
  JSON_OPTION,
  jsonHeading,
} from "./command_spec.ts";

const ROOT_RULE =
  `Without dir, waypoint works on the nearest folder at or above the current one
that holds .waypoint/config.toml.`;

/** The shells `waypoint completions` writes a script for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

/** Every command waypoint understands, in help order. */
export const COMMANDS: readonly Command[] = [
  defineCommand({
    name: "init",
    summary: "Scaffold or refresh waypoint in a repository",
    operand: DIR_OPERAND,
    options: [
      {
        name: "dry-run",
        description: "Show what would change and write nothing",
      },
      {
        name: "force",
        description:
          "Overwrite edited managed files after saving a backup beside each",
      },
      {
        name: "app-friendly",
        description:
          "Use the app-friendly profile (saved in .waypoint/config.toml)",
      },
      { name: "universal", description: "Use the universal profile (default)" },
      {
        name: "skip-cli-update",
        description: "Do not check the registry for a newer waypoint first",
      },
      { name: "verbose", short: "v", description: "List every file" },
      {
        name: "quiet",
        short: "q",
        description: "Print only what needs you (conflicts, removals, notes)",
      },
      {
        name: "json",
        description: `Print the plan (--dry-run) or what was done as one JSON
document (shape below); skips the update check`,
      },
    ],
    description:
      `Scaffold waypoint into dir, or refresh an existing scaffold. Files you
edited are never overwritten: the new version is written beside them as
<file>.waypoint-new and reported.

Without dir, init works on the nearest folder at or above the current one that
holds .waypoint/config.toml; failing that, inside a git work tree, on the top of
the work tree (and says so first); otherwise on the current folder. A dir you
give always wins.

init prints a summary with counts, one line for each thing that needs you (a
conflict, an edited file with a new version beside it, a removal, a note), and
the next step; a run that changes nothing prints one line.`,
    sections: `${jsonHeading("init")}
  {"schema": 1, "command": "init", "root": string, "rootSource": "argument"|"waypoint"|"git"|"cwd",
   "dryRun": boolean, "changed": boolean, "version": string, "profile": string,
   "counts": {"create": n, "update": n, "keep": n, "conflict": n, "remove": n, ...},
   "actions": [{"kind": string, "path": string, "detail": string,
                "edited": boolean, "offer": string|null, "backup": string|null,
                "merge": "clean"|"conflict"|null}],
   "notes": [{"path": string, "message": string}],
   "attention": [{"kind": string, "path": string, "message": string}],
   "indexes": {"written": [string], "unchanged": [string]} | null,
   "warnings": [{"path": string, "message": string}]}

Examples:
  waypoint init
  waypoint init ../my-repo --dry-run
  waypoint init --json | jq '.attention[].message'`,
  }),
  defineCommand({
    name: "doctor",
    summary: "Check a repository for waypoint drift and problems",
    operand: DIR_OPERAND,
    options: [
      JSON_OPTION("the findings"),
      {
        name: "fix",
        description:
          `Apply every safe remedy (rebuild indexes, restore missing files,
repair the AGENTS.md block), then check again`,
      },
    ],
    description:
      `Check the scaffold, docs, trackers, workspace and skills. Exit code 2 when any
error is found, 1 when any warning is found, 0 otherwise.

${ROOT_RULE}`,
    sections: `${jsonHeading("doctor")}
  {"schema": 1, "command": "doctor", "root": string,
   "findings": [{"severity": "error"|"warn"|"info", "category": string,
                 "message": string, "remediation": string, "paths": [string]}],
   "summary": {"errors": n, "warnings": n, "info": n, "exitCode": n,
               "skills": {"count": n, "listed": n, "characters": n, "trimAt": n} | null,
               "codex": {"trusted": boolean, "config": string, "line"?: n, "text"?: string} | null},
   "fixed": [string] | null}
  (fixed: what --fix did, null without --fix; its lines also go to stderr)

Examples:
  waypoint doctor
  waypoint doctor --json | jq '.findings[] | .message'`,
  }),
  defineCommand({
    name: "trust",
    summary: "Let Codex load this project's .codex/ and run waypoint's hook",
    operand: DIR_OPERAND,
    options: [
      {
        name: "dry-run",
        description: "Print the lines it would add; change nothing",
      },
      JSON_OPTION("what was (or would be) set"),
    ],
    description:
      `Add to your Codex config ($CODEX_HOME/config.toml, default ~/.codex/config.toml)
the entries Codex needs before it loads the project's .codex/ folder and runs
waypoint's SessionStart hook:
  [projects."<repo>"] trust_level = "trusted"
  [hooks.state."<repo>/.codex/hooks.json:session_start:<group>:<handler>"]
  trusted_hash = "sha256:..."
Nothing else in the file changes: the keys are added or set in place, the
result is parsed to prove it, and the file is replaced atomically (a config
that is a symbolic link is written through). A config that does not parse is
refused, and so is a project you marked untrusted. 'waypoint init' never does
this by itself; 'waypoint doctor' says when it is needed. Run it again after
changing .codex/hooks.json.

${ROOT_RULE}`,
    sections: `${jsonHeading("trust")}
  {"schema": 1, "command": "trust", "root": string, "project": string,
   "config": string, "target": string, "dryRun": boolean, "changed": boolean,
   "hook": boolean, "edits": [{"table": [string], "key": string, "value": string}],
   "notes": [string]}
  (target: the file written, the config or where its link points; changed:
   whether it was written)

Environment:
  CODEX_HOME  Where Codex keeps its config (default: ~/.codex)

Examples:
  waypoint trust --dry-run
  waypoint trust
  waypoint trust --dry-run --json | jq '.edits'`,
  }),
  defineCommand({
    name: "sync",
    summary: "Rebuild the docs and tracks indexes",
    operand: DIR_OPERAND,
    options: [JSON_OPTION("what was rebuilt and what was left out")],
    description:
      `Rebuild .waypoint/DOCS_INDEX.md and .waypoint/TRACKS_INDEX.md from the docs
and trackers. Only files whose content changed are written. Each doc left out
or read leniently is a warning; exit 1 only when an index could not be written.

${ROOT_RULE}`,
    sections: `${jsonHeading("sync")}
  {"schema": 1, "command": "sync", "root": string, "written": [string], "unchanged": [string],
   "activeTrackers": [string], "problems": [{"path": string, "message": string}],
   "skipped": [{"path": string, "reason": string}],
   "lenient": [{"path": string, "message": string}],
   "refused": [{"path": string, "message": string}]}

Example:
  waypoint sync`,
  }),
  defineCommand({
    name: "context",
    summary: "Build the session-start context bundle",
    operand: DIR_OPERAND,
    options: [
      {
        name: "thread-id",
        value: "ID",
        description: `The current Codex thread (default: $CODEX_THREAD_ID,
else the newest thread started in this repository).
Restores its turns before its latest compaction, or,
when it has none, how the previous thread in this
repository ended`,
      },
      JSON_OPTION("the files written"),
      {
        name: "hook",
        description: `Run as a Codex SessionStart hook: read the hook's JSON
on stdin (session_id, transcript_path, cwd, source),
write the bundle, and print only the JSON whose
additionalContext is the condensed context (at most
[context] hook_budget characters). Exits 0 whatever
goes wrong once the options parse. Not with --json`,
      },
    ],
    description:
      `Write .waypoint/context/ (date and time, uncommitted changes, recent commits,
nested repositories, pull requests, the recent Codex thread, active trackers and
a manifest) and rebuild both indexes.

With --hook (the command .codex/hooks.json runs), the same bundle is written and
stdout carries {"hookSpecificOutput": {"hookEventName": "SessionStart",
"additionalContext": "# Waypoint session context …"}}: the context itself,
condensed, within [context] hook_budget characters of .waypoint/config.toml
(default 6000, from 1000 to 16000). At startup and after /clear it restores how
the previous thread ended; after a compaction, the turns the compaction dropped.
Problems (bad input, no git, an unreadable config, sections not ready within
10 s) become a note inside the text and one line on stderr; nothing ever fails
the session. Without dir, --hook looks for the repository from the payload's cwd;
outside a waypoint repository it prints nothing.

${ROOT_RULE}`,
    sections: `${jsonHeading("context")}
  {"schema": 1, "command": "context", "root": string, "manifest": string, "files": [string],
   "indexes": {"written": [string], "unchanged": [string]},
   "warnings": [{"path": string, "message": string}]}

Environment:
  CODEX_HOME       Where Codex keeps its transcripts (default: ~/.codex)
  CODEX_THREAD_ID  The current thread when --thread-id is not given (not set
                   for hooks: --hook takes session_id from stdin)

Examples:
  waypoint context
  echo '{"source": "startup"}' | waypoint context --hook`,
  }),
  defineCommand({
    name: "remove",
    summary: "Take waypoint out of a repository (edited files are kept)",
    operand: DIR_OPERAND,
    options: [
      {
        name: "dry-run",
        description: "Show what would be removed, kept or cut; change nothing",
      },
      {
        name: "json",
        description:
          "Print what was (or would be) done as one JSON document (schema/v1/remove.json)",
      },
    ],
    description:
      `Deletes the files waypoint can prove it wrote unchanged (their hash is the
one .waypoint/manifest.json records, or a template text some waypoint version
shipped), checked again at the moment of deleting. Files you edited are kept
and listed. The waypoint block is cut out of AGENTS.md (your text around it is
kept; an edited block is saved beside it first), waypoint's SessionStart hook
out of .codex/hooks.json, and the lines between '# waypoint:start' and
'# waypoint:end' out of .gitignore. Folders left empty go, and the manifest
goes last. The waypoint binary itself stays: the README says how to remove it
for each way of installing.

${ROOT_RULE}`,
    sections: `JSON output (--json), schema/v1/remove.json:
  {"schema": 1, "command": "remove", "root": string, "dryRun": boolean,
   "actions": [{"kind": string, "path": string, "detail": string, "edited": boolean}],
   "notes": [{"path": string, "message": string}],
   "removed": [string], "kept": [string]}

Exit status:
  0  done (or, with --dry-run, planned)
  1  a file was left alone because its waypoint markers are broken, or no manifest

Examples:
  waypoint remove --dry-run
  waypoint remove ../my-repo`,
  }),
  defineCommand({
    name: "upgrade",
    summary: "Update the waypoint binary, then refresh the repository",
    operand: DIR_OPERAND,
    options: [
      {
        name: "check",
        description: "Only report whether a newer version exists",
      },
      {
        name: "version",
        value: "X",
        description:
          "Install exactly version X (may be a prerelease, never older)",
      },
      { name: "skip-repo-refresh", description: "Update the binary only" },
      {
        name: "json",
        description: `Print what was found (--check) or done as one JSON
document (shape below); progress goes to stderr`,
      },
    ],
    description:
      `Download the newest waypoint for this platform from the npm registry (package
waypoint-codex-<os>-<arch>), verify its sha512 integrity, check that it runs and
reports the expected version, then atomically replace this binary. Until that
final rename the old binary is left untouched. Then, when dir (default: the
nearest folder at or above the current one holding .waypoint/config.toml) has a
waypoint config, run 'init' with the saved profile and 'doctor' using the new
binary. A waypoint installed with npm is updated with npm instead
(npm install -g waypoint-codex@latest).`,
    sections: `${jsonHeading("upgrade")}
  {"schema": 1, "command": "upgrade", "check": boolean, "current": string,
   "registry": string, "status": "up-to-date"|"available"|"upgraded",
   "version": string, "note": string|null, "next": string|null,
   "binary": string|null,
   "refresh": {"root": string, "configured": boolean, "profile": string|null,
               "init": {...}|null, "doctor": {...}|null, "exitCode": n} | null}
  (version: the one installed afterwards, or with --check the one available;
   refresh.init and refresh.doctor: the new binary's own --json documents;
   refresh is null with --check and --skip-repo-refresh)

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
  waypoint upgrade --check --json | jq -r '.status'
  waypoint upgrade --version 1.3.0-beta.1 --skip-repo-refresh`,
  }),
  defineCommand({
    name: "completions",
    summary: "Print a shell completion script",
    operand: {
      name: "shell",
      kind: "choice",
      choices: SHELLS,
      optional: false,
    },
    options: [],
    description:
      `Print a completion script for bash, zsh, fish or PowerShell on stdout. It
completes commands, their options and directories. There is no --json: the
script is the output, not a report about one.`,
    sections: `Install:
  bash        waypoint completions bash > ~/.local/share/bash-completion/completions/waypoint
  zsh         waypoint completions zsh > "\${fpath[1]}/_waypoint"   (then restart zsh)
  fish        waypoint completions fish > ~/.config/fish/completions/waypoint.fish
  powershell  waypoint completions powershell | Out-String | Invoke-Expression
              (add that line to $PROFILE to keep it)`,
  }),
];

/** Finds a command by exact name. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name);
}
