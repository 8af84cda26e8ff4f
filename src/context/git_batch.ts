/**
 * Several git commands in one child: {@link runGitBatch} reads git's config
 * once for all of them and runs them side by side under one `/bin/sh`.
 * Their output goes to files in a private (mode 0700) temporary folder,
 * outside any repository, which is removed before the batch returns.
 *
 * @module
 */
import { type ExecOutcome, runProgram } from "./exec.ts";
import {
  gitArgv,
  type GitRunOptions,
  guardedGitEnv,
  refusal,
  runGuarded,
} from "./git_exec.ts";

/** Variables that would make a POSIX shell run or print something of its own. */
const SHELL_STARTUP_VARS = new Set([
  "ENV",
  "BASH_ENV",
  "SHELLOPTS",
  "BASHOPTS",
  "CDPATH",
  "IFS",
  "PS4",
]);

/** Quotes `arg` for a POSIX shell: single quotes, each `'` as `'\''`. */
function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Like {@link runGit} for several commands in `cwd` at once, with one guard
 * read for all. Where a POSIX shell is at `/bin/sh`, the commands run one
 * after another in that one child: each start of a child blocks waypoint's
 * only thread until it has exec'd (a few milliseconds on a busy machine),
 * and a shell forks git off that thread. The shell gets the same guarded
 * environment without the variables a shell itself reads at start; each
 * command writes its output into files of its own in a private folder, and
 * the shell prints the exit codes. On
 * Windows, or without `/bin/sh`, each command is its own child. A timeout
 * applies to the whole batch. Never throws.
 */
export async function runGitBatch(
  cwd: string,
  commands: readonly (readonly string[])[],
  options: GitRunOptions,
): Promise<ExecOutcome[]> {
  const refusals = commands.map(refusal);
  const vetted = commands.filter((_, index) => !refusals[index]);
  const guarded = await guardedGitEnv(cwd, options);
  let outcomes: ExecOutcome[];
  if (guarded.kind === "problem") {
    outcomes = vetted.map(() => guarded.outcome);
  } else if (Deno.build.os === "windows" || vetted.length < 2) {
    outcomes = await Promise.all(
      vetted.map((args) => runGuarded(guarded.env, cwd, args, options)),
    );
  } else {
    outcomes = await runInShell(guarded.env, cwd, vetted, options) ??
      await Promise.all(
        vetted.map((args) => runGuarded(guarded.env, cwd, args, options)),
      );
  }
  let next = 0;
  return refusals.map((refused) => refused ?? outcomes[next++]);
}

/** The batch in one `/bin/sh`; undefined when there is no shell to run it. */
async function runInShell(
  env: Record<string, string>,
  cwd: string,
  commands: readonly (readonly string[])[],
  options: GitRunOptions,
): Promise<ExecOutcome[] | undefined> {
  let dir: string;
  try {
    // Synchronous, so the shell starts in the same turn as the guard's answer.
    dir = Deno.makeTempDirSync({ prefix: "waypoint-git-" });
  } catch {
    return undefined;
  }
  try {
    // The commands run side by side, each into its own files in a private
    // folder ("$1", mode 0700); the shell then prints each exit code.
    const script = [
      ...commands.map((args, index) => {
        const words = ["git", ...gitArgv(args)].map(shellQuote).join(" ");
        return `${words} >"$1/${index}.out" 2>"$1/${index}.err" & p${index}=$!`;
      }),
      ...commands.map((_, index) => `wait "$p${index}"; printf '%s\\n' "$?"`),
    ].join("\n");
    const shellEnv = Object.fromEntries(
      Object.entries(env).filter(([name]) => !SHELL_STARTUP_VARS.has(name)),
    );
    const outcome = await runProgram("/bin/sh", ["-c", script, "sh", dir], {
      cwd,
      timeoutMs: options.timeoutMs,
      env: shellEnv,
      clearEnv: true,
    });
    if (outcome.kind === "missing") return undefined;
    if (outcome.kind !== "ok") return commands.map(() => outcome);
    const codes = outcome.stdout.split("\n").map(Number);
    return await Promise.all(commands.map(async (_, index) => {
      const code = codes[index];
      const [stdout, stderr] = await Promise.all(
        ["out", "err"].map((kind) =>
          Deno.readTextFile(`${dir}/${index}.${kind}`).catch(() => "")
        ),
      );
      if (!Number.isInteger(code)) {
        return { kind: "error", message: "the shell gave no exit code" };
      }
      // 127: the shell found no git on PATH (it vanished since the guard ran).
      if (code === 127 && /not found/i.test(stderr)) return { kind: "missing" };
      return code === 0
        ? { kind: "ok", stdout, stderr }
        : { kind: "failed", code, stdout, stderr };
    }));
  } finally {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // A temp folder left behind holds nothing but this run's git output.
    }
  }
}
