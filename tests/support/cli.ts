/**
 * Test helpers that drive the real CLI entry point as a subprocess, the way a
 * user runs it.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository under test. */
export const PROJECT_ROOT: string = fileURLToPath(
  new URL("../../", import.meta.url),
);

/** Absolute path of `main.ts`. */
export const MAIN_TS: string = join(PROJECT_ROOT, "main.ts");

/**
 * The waypoint executable under test: `WAYPOINT_BIN` (e.g. a binary from
 * `deno task compile`, as CI runs it), or `undefined` to run `main.ts`
 * with `deno run`.
 */
export const WAYPOINT_BIN: string | undefined = Deno.env.get("WAYPOINT_BIN")
  ? resolve(Deno.env.get("WAYPOINT_BIN")!)
  : undefined;

/**
 * Why a test that needs `deno run` itself (Deno permission flags, another
 * script, running "from source") cannot run now, or `undefined` when it
 * can: use as its `ignore` condition.
 */
export const NEEDS_DENO_RUN: string | undefined = WAYPOINT_BIN
  ? `needs \`deno run main.ts\`, but WAYPOINT_BIN=${WAYPOINT_BIN} is under test`
  : undefined;
if (NEEDS_DENO_RUN && !("WAYPOINT_BIN_NOTED" in globalThis)) {
  Object.assign(globalThis, { WAYPOINT_BIN_NOTED: true });
  console.error(
    `tests: running ${WAYPOINT_BIN}; tests that need deno run are skipped`,
  );
}

/** What a CLI run produced. */
export type CliResult = Finished;

/** Options for {@link runCli}. */
export interface RunCliOptions {
  /** Working directory (default: the project root). */
  cwd?: string;
  /** Extra environment variables; `undefined` values are removed. */
  env?: Record<string, string | undefined>;
  /** Deno flags placed before the script, e.g. `--deny-write=/x`. */
  denoFlags?: string[];
  /** Script to run instead of `main.ts` (e.g. a copy elsewhere). */
  script?: string;
  /** Standard input text. */
  stdin?: string;
  /** Kill the process (SIGKILL) after this many milliseconds; the result then has code 137. */
  timeoutMs?: number;
}

/**
 * Runs `deno run -A main.ts ...args`, or the executable in `WAYPOINT_BIN`
 * when that is set, and returns exit code and output. The update check
 * before `init` is disabled unless the caller's `env` sets
 * `WAYPOINT_NO_UPDATE_CHECK` itself.
 */
export async function runCli(
  args: string[],
  options: RunCliOptions = {},
): Promise<CliResult> {
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    NO_COLOR: "1",
    WAYPOINT_NO_UPDATE_CHECK: "1",
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  if (WAYPOINT_BIN) {
    // A compiled binary would take these as its own arguments, or (without
    // WAYPOINT_SELF_PATH) upgrade itself: such tests must be skipped.
    const sourceOnly = options.denoFlags?.length || options.script ||
      ("WAYPOINT_SELF_PATH" in (options.env ?? {}) &&
        options.env?.WAYPOINT_SELF_PATH === undefined);
    if (sourceOnly) {
      throw new Error(
        `this test ${NEEDS_DENO_RUN}; skip it with NEEDS_DENO_RUN`,
      );
    }
    return await runCommand(WAYPOINT_BIN, args, {
      cwd: options.cwd ?? PROJECT_ROOT,
      env,
      clearEnv: true,
      stdin: options.stdin,
      timeoutMs: options.timeoutMs,
    });
  }
  return await runCommand(
    Deno.execPath(),
    [
      "run",
      "-A",
      "--quiet",
      ...(options.denoFlags ?? []),
      options.script ?? MAIN_TS,
      ...args,
    ],
    {
      cwd: options.cwd ?? PROJECT_ROOT,
      env,
      clearEnv: true,
      stdin: options.stdin,
      timeoutMs: options.timeoutMs,
    },
  );
}

/** Creates an empty temporary directory for one test; remove it with {@link removeTempDir}. */
export async function makeTempDir(prefix = "waypoint-test-"): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** Removes a directory made by {@link makeTempDir}, ignoring errors. */
export async function removeTempDir(path: string): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch(() => {});
}

/** Reads a text file below `root` by its `/`-separated relative path. */
export async function readRepoFile(
  root: string,
  relative: string,
): Promise<string> {
  return await Deno.readTextFile(join(root, ...relative.split("/")));
}

/** Writes a text file below `root`, creating parent directories. */
export async function writeRepoFile(
  root: string,
  relative: string,
  content: string,
): Promise<void> {
  const path = join(root, ...relative.split("/"));
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, content);
}

/** Whether a path exists (without following a final symlink). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` with a fresh temporary repository (scaffolded with `waypoint init`
 * when `init` is set) and removes it afterwards, even if `fn` made it read-only.
 */
export async function withTempRepo(
  fn: (dir: string) => Promise<void>,
  options: { init?: boolean } = {},
): Promise<void> {
  const dir = await makeTempDir();
  try {
    if (options.init) {
      const result = await runCli(["init", dir]);
      if (result.code !== 0) {
        throw new Error(`waypoint init failed: ${result.stderr}`);
      }
    }
    await fn(dir);
  } finally {
    await Deno.chmod(dir, 0o755).catch(() => {});
    await removeTempDir(dir);
  }
}

/** Output of a finished subprocess. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Start from an empty environment plus `env`. */
  clearEnv?: boolean;
  /** Text fed to standard input (default: none). */
  stdin?: string;
  /** Kill the process (SIGKILL) after this many milliseconds. */
  timeoutMs?: number;
}

/** Runs a command to completion with piped output. */
export async function runCommand(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<Finished> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.clearEnv,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  }, options.timeoutMs);
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const output = await child.output().finally(() => clearTimeout(timer));
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Runs `binary --version` and returns what it printed, trimmed. */
export async function versionOf(binary: string): Promise<string> {
  const output = await new Deno.Command(binary, { args: ["--version"] })
    .output();
  return new TextDecoder().decode(output.stdout).trim();
}

/** The non-empty lines of a log file a stand-in binary appends to (none if it is missing). */
export async function readLog(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter(Boolean);
}
