/**
 * The one door through which waypoint runs git: every run is preceded by a
 * read of the configuration git will see, and carries overrides (through
 * `GIT_CONFIG_COUNT`, which needs no quoting) that leave no key naming a
 * program in force, plus a fixed environment. A repository's own config,
 * its includes, `.gitattributes` drivers and `.git/hooks` then cannot make
 * git start anything. System and global config are the user's own and kept
 * (they hold the identity "your commits" needs); the fixed overrides apply
 * to them too, but a filter or diff driver they define (git-lfs's, say)
 * stays in force: it is a program the user installed, whatever file names it.
 * `gh` gets the same environment, so its own git calls are guarded alike.
 *
 * The commands waypoint runs, and what could start a program in each:
 * - `rev-parse --show-toplevel`, `branch --show-current`, `config <key>`,
 *   `config --list`: nothing reads the index or objects' content.
 * - `status --short --branch`: `core.fsmonitor`, clean filters on stat-dirty
 *   files, a child `git status` in each submodule (`--ignore-submodules=dirty`
 *   stops it), lazy fetch of missing objects in a partial clone.
 * - `diff --stat [--cached]`: the same, plus `diff.external`, textconv and
 *   diff drivers, and the index refresh that runs `post-index-change`.
 * - `log`: signature verification (`log.showSignature`, `gpg.*.program`).
 *
 * @module
 */
import { dirname } from "../path.ts";
import { type ExecOutcome, firstErrorLine, runProgram } from "./exec.ts";

/** Subcommands this module runs; any other is refused, so a new one gets reviewed here. */
const SUBCOMMANDS = new Set([
  "status",
  "diff",
  "log",
  "branch",
  "config",
  "rev-parse",
]);

/** Flags added after each subcommand, whatever the caller asked. */
const SUBCOMMAND_FLAGS: Record<string, string[]> = {
  status: ["--ignore-submodules=dirty"],
  diff: ["--no-ext-diff", "--no-textconv", "--ignore-submodules=dirty"],
  log: ["--no-show-signature"],
};

/** Proves git honoured the overrides: older gits ignore `GIT_CONFIG_COUNT` silently. */
const CANARY_KEY = "waypoint.guarded";

/**
 * Overrides applied to every run. Values are the ones git documents as "off";
 * an empty program string is never started (git checks `*cmd`).
 */
export const FIXED_OVERRIDES: readonly (readonly [string, string])[] = [
  [CANARY_KEY, "true"],
  ["core.fsmonitor", "false"],
  ["core.hooksPath", "/dev/null"],
  ["core.pager", "cat"],
  ["core.editor", ":"],
  ["sequence.editor", ":"],
  ["core.askPass", ""],
  // Run through the shell, where `false` is a builtin: no program is looked up.
  ["core.sshCommand", "false"],
  ["credential.helper", ""],
  ["diff.external", ""],
  // The index refresh after `diff` writes .git/index even with optional locks off.
  ["diff.autoRefreshIndex", "false"],
  ["log.showSignature", "false"],
  ["gpg.program", ""],
  ["gpg.openpgp.program", ""],
  ["gpg.x509.program", ""],
  ["gpg.ssh.program", ""],
  ["gpg.ssh.defaultKeyCommand", ""],
  ["status.submoduleSummary", "false"],
  ["submodule.recurse", "false"],
  // No transport at all: a partial clone's lazy fetch (ext::, ssh, a proxy,
  // an upload-pack command) fails before anything is started.
  ["protocol.allow", "never"],
  ...["file", "git", "ssh", "http", "https", "ext", "fd"].map((
    name,
  ) => [`protocol.${name}.allow`, "never"] as const),
];

/**
 * Environment git gets on top of the user's (minus every other `GIT_*`
 * variable and the pager, editor and askpass ones).
 */
export const FIXED_ENV: Readonly<Record<string, string>> = {
  // A background status or diff never takes the user's index.lock.
  GIT_OPTIONAL_LOCKS: "0",
  GIT_TERMINAL_PROMPT: "0",
  // Empty beats core.askPass and SSH_ASKPASS: nothing is asked.
  GIT_ASKPASS: "",
  GIT_EDITOR: ":",
  GIT_PAGER: "cat",
  // Honoured from git 2.44 (and the 2.39.4+ security releases): no lazy
  // fetch of missing objects at all, whatever the remote is.
  GIT_NO_LAZY_FETCH: "1",
  GIT_PROTOCOL_FROM_USER: "0",
};

/** `GIT_*` variables kept from the user: they only choose trusted config files or limit discovery. */
const KEPT_GIT_VARS = new Set([
  "GIT_CONFIG_GLOBAL",
  "GIT_CONFIG_SYSTEM",
  "GIT_CONFIG_NOSYSTEM",
  "GIT_CEILING_DIRECTORIES",
]);

/** Non-`GIT_` variables that name a program git (or ssh, or less) could start. */
const DROPPED_VARS = new Set([
  "PAGER",
  "EDITOR",
  "VISUAL",
  "SSH_ASKPASS",
  "SSH_ASKPASS_REQUIRE",
  "LESSOPEN",
  "LESSCLOSE",
  "GH_PAGER",
  "GH_EDITOR",
  "GH_BROWSER",
  "BROWSER",
  "GH_FORCE_TTY",
]);

/** Scopes whose config the user wrote; every other scope came with the repository. */
const TRUSTED_SCOPES = new Set(["system", "global", "command"]);

/** The user's environment without variables that steer git to other repositories or programs. */
export function cleanEnv(
  source: Record<string, string> = readEnv(),
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    const upper = name.toUpperCase();
    if (upper.startsWith("GIT_") && !KEPT_GIT_VARS.has(upper)) continue;
    if (DROPPED_VARS.has(upper)) continue;
    env[name] = value;
  }
  return env;
}

function readEnv(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    // Without env permission the child gets only what waypoint sets.
    return {};
  }
}

/**
 * Overrides for keys the repository's own config (its `.git/config`, its
 * worktree config and any file those include) sets that name a program or
 * allow one: each driver such a key touches is switched off whole.
 * `keys` are `[scope, name]` pairs as `git config --list --show-scope` gives.
 */
export function repositoryOverrides(
  keys: readonly (readonly [string, string])[],
): [string, string][] {
  const overrides = new Map<string, string>();
  for (const [scope, name] of keys) {
    if (TRUSTED_SCOPES.has(scope)) continue;
    let match: RegExpMatchArray | null;
    if ((match = name.match(/^filter\.(.+)\.[^.]+$/))) {
      for (const key of ["clean", "smudge", "process"]) {
        overrides.set(`filter.${match[1]}.${key}`, "");
      }
      overrides.set(`filter.${match[1]}.required`, "false");
    } else if ((match = name.match(/^diff\.(.+)\.[^.]+$/))) {
      overrides.set(`diff.${match[1]}.textconv`, "");
      overrides.set(`diff.${match[1]}.command`, "");
    } else if ((match = name.match(/^merge\.(.+)\.driver$/))) {
      overrides.set(name, "");
    } else if (/^pager\.[^.]+$/.test(name)) {
      overrides.set(name, "false");
    } else if (/^protocol\..+\.allow$/.test(name)) {
      overrides.set(name, "never");
    } else if (/^credential\..+\.helper$/.test(name)) {
      overrides.set(name, "");
    } else if (/^gpg\..+\.program$/.test(name)) {
      overrides.set(name, "");
    } else if (/^remote\..+\.promisor$/.test(name)) {
      overrides.set(name, "false");
    }
  }
  return [...overrides];
}

/** The environment carrying `overrides` as `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`. */
export function overrideEnv(
  overrides: readonly (readonly [string, string])[],
): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(overrides.length),
  };
  overrides.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** Parses `git config --list --show-scope --name-only -z` output. */
export function parseScopedNames(stdout: string): [string, string][] {
  const fields = stdout.split("\0");
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    pairs.push([fields[i], fields[i + 1]]);
  }
  return pairs;
}

/** Options for {@link runGit}. */
export interface GitRunOptions {
  /** Kill git after this many milliseconds. */
  timeoutMs: number;
  /**
   * Find the repository at `cwd` itself, never in a folder above it: a
   * broken nested `.git` must not make git report on the root. (Discovery,
   * unlike `--git-dir`, keeps git's check of who owns the repository.)
   */
  ownRepoOnly?: boolean;
}

/** A guarded environment for git (or a program that runs git), or why there is none. */
export type GuardedEnv =
  | { kind: "ok"; env: Record<string, string> }
  | { kind: "problem"; outcome: ExecOutcome };

/**
 * The environment that runs git in `cwd` with nothing in force that could
 * start a program: the user's environment cleaned, the fixed settings, and
 * overrides for every driver the repository's config names. A config git
 * cannot read, or a git that ignores the overrides, is a problem instead.
 */
export function guardedGitEnv(
  cwd: string,
  options: GitRunOptions,
): Promise<GuardedEnv> {
  const key = `${cwd}\0${options.ownRepoOnly ?? false}`;
  const now = Date.now();
  const cached = recentGuards.get(key);
  if (cached && now - cached.at < GUARD_REUSE_MS) return cached.guard;
  const guard = readGuard(cwd, options);
  if (recentGuards.size > 256) recentGuards.clear();
  recentGuards.set(key, { at: now, guard });
  return guard;
}

/**
 * A bundle starts its git commands in one repository within milliseconds of
 * each other: one config read serves them all, halving the spawns. The memo
 * is short so a long-lived caller (a test, a later command) sees edits.
 */
const GUARD_REUSE_MS = 2_000;
const recentGuards = new Map<
  string,
  { at: number; guard: Promise<GuardedEnv> }
>();

async function readGuard(
  cwd: string,
  options: GitRunOptions,
): Promise<GuardedEnv> {
  const base = { ...cleanEnv(), ...FIXED_ENV, ...ceilingEnv(cwd, options) };
  const listing = await runProgram(
    "git",
    [
      "--no-pager",
      "config",
      "--list",
      "--show-scope",
      "--name-only",
      "-z",
    ],
    {
      cwd,
      timeoutMs: options.timeoutMs,
      env: { ...base, ...overrideEnv(FIXED_OVERRIDES) },
      clearEnv: true,
    },
  );
  if (listing.kind !== "ok") return { kind: "problem", outcome: listing };
  const keys = parseScopedNames(listing.stdout);
  if (
    !keys.some(([scope, name]) => scope === "command" && name === CANARY_KEY)
  ) {
    return {
      kind: "problem",
      outcome: {
        kind: "error",
        message:
          "this git ignores GIT_CONFIG_COUNT (it is older than 2.31), so waypoint cannot run it safely in a repository",
      },
    };
  }
  const overrides = [...FIXED_OVERRIDES, ...repositoryOverrides(keys)];
  return { kind: "ok", env: { ...base, ...overrideEnv(overrides) } };
}

function ceilingEnv(
  cwd: string,
  options: GitRunOptions,
): Record<string, string> {
  // git resolves symlinks in a ceiling entry itself.
  return options.ownRepoOnly ? { GIT_CEILING_DIRECTORIES: dirname(cwd) } : {};
}

/**
 * Runs `git args…` in `cwd` under {@link guardedGitEnv}. `args[0]` must be
 * one of the subcommands this module vets; its safety flags are added after
 * it. Never throws.
 */
export async function runGit(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions,
): Promise<ExecOutcome> {
  const refused = refusal(args);
  if (refused) return refused;
  const guarded = await guardedGitEnv(cwd, options);
  if (guarded.kind === "problem") return guarded.outcome;
  return runGuarded(guarded.env, cwd, args, options);
}

/** The outcome for a subcommand this module does not vet; undefined when `args[0]` is vetted. */
export function refusal(args: readonly string[]): ExecOutcome | undefined {
  if (SUBCOMMANDS.has(args[0])) return undefined;
  return {
    kind: "error",
    message: `waypoint does not run 'git ${args[0]}' (not a vetted command)`,
  };
}

/**
 * Like {@link runGit}, with an environment {@link guardedGitEnv} gave for the
 * same `cwd` and options, so several commands share one config read.
 */
export function runGuarded(
  env: Record<string, string>,
  cwd: string,
  args: readonly string[],
  options: GitRunOptions,
): Promise<ExecOutcome> {
  const refused = refusal(args);
  if (refused) return Promise.resolve(refused);
  return runProgram("git", gitArgv(args), {
    cwd,
    timeoutMs: options.timeoutMs,
    env,
    clearEnv: true,
  });
}

/** git's arguments for a vetted `args`: no pager, and the subcommand's safety flags after it. */
export function gitArgv(args: readonly string[]): string[] {
  const [subcommand, ...rest] = args;
  return [
    "--no-pager",
    subcommand,
    ...(SUBCOMMAND_FLAGS[subcommand] ?? []),
    ...rest,
  ];
}

/** One line saying why git's config for a repository cannot be used, for notes. */
export function guardProblem(outcome: ExecOutcome): string {
  switch (outcome.kind) {
    case "ok":
      return "no problem";
    case "missing":
      return "git is not installed";
    case "timeout":
      return "git did not answer in time";
    case "error":
      return outcome.message;
    case "failed":
      return firstErrorLine(outcome);
  }
}
