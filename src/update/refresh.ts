/**
 * After an upgrade, refresh the repository with the binary now on disk (the
 * new one): `init` with the saved profile, then `doctor`.
 *
 * @module
 */
import { CONFIG_PATH, parseConfig, readConfigText } from "../config.ts";
import { WaypointError } from "../errors.ts";
import { Repo } from "../fs/mod.ts";

/**
 * Runs `<binary> init <dir> --skip-cli-update [--app-friendly]` and then
 * `<binary> doctor <dir>` when `dir` has a waypoint config. Returns the exit
 * code of the first that fails, else doctor's; 0 without a config.
 */
export async function refreshRepo(
  binary: string,
  dir: string,
  log: (line: string) => void,
): Promise<number> {
  const text = readConfigText(Repo.open(dir));
  if (text === undefined) {
    log(`No ${CONFIG_PATH} in ${dir}: updated the binary only`);
    return 0;
  }
  const { profile } = parseConfig(text);
  log(`Refreshing ${dir} (profile ${profile}) with ${binary}`);
  const initCode = await runInherited(binary, initArgs(dir, profile));
  if (initCode !== 0) return initCode;
  return await runInherited(binary, ["doctor", dir]);
}

function initArgs(dir: string, profile: string): string[] {
  const args = ["init", dir, "--skip-cli-update"];
  if (profile === "app-friendly") args.push("--app-friendly");
  return args;
}

/** What {@link refreshRepoJson} did, as `upgrade --json` reports it. */
export interface RefreshReport {
  root: string;
  /** Whether `root` has a waypoint config (without one, nothing is run). */
  configured: boolean;
  /** The saved profile the refresh used; `null` without a config. */
  profile: string | null;
  /** The new binary's `init --json` document; `null` when it printed none. */
  init: Record<string, unknown> | null;
  /** Its `doctor --json` document; `null` when doctor did not run or printed none. */
  doctor: Record<string, unknown> | null;
  /** init's exit code when it failed, else doctor's; 0 without a config. */
  exitCode: number;
}

/**
 * {@link refreshRepo} for `upgrade --json`: the same runs with `--json`,
 * their documents collected instead of shown (their stderr still passes
 * through), so upgrade prints one document holding both.
 */
export async function refreshRepoJson(
  binary: string,
  dir: string,
  log: (line: string) => void,
): Promise<RefreshReport> {
  const text = readConfigText(Repo.open(dir));
  if (text === undefined) {
    log(`No ${CONFIG_PATH} in ${dir}: updated the binary only`);
    return {
      root: dir,
      configured: false,
      profile: null,
      init: null,
      doctor: null,
      exitCode: 0,
    };
  }
  const { profile } = parseConfig(text);
  log(`Refreshing ${dir} (profile ${profile}) with ${binary}`);
  const init = await runForJson(binary, [...initArgs(dir, profile), "--json"]);
  const report: RefreshReport = {
    root: dir,
    configured: true,
    profile,
    init: init.document,
    doctor: null,
    exitCode: init.code,
  };
  if (init.code !== 0) return report;
  const doctor = await runForJson(binary, ["doctor", dir, "--json"]);
  report.doctor = doctor.document;
  report.exitCode = doctor.code;
  return report;
}

/**
 * Runs `binary` with stdout captured and returns its exit code and the JSON
 * object it printed (`null` for anything else: a failed run prints nothing).
 */
async function runForJson(
  binary: string,
  args: string[],
): Promise<{ code: number; document: Record<string, unknown> | null }> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(binary, {
      args,
      stdin: "inherit",
      stdout: "piped",
      stderr: "inherit",
    }).output();
  } catch (error) {
    throw cannotRun(binary, error);
  }
  let document: unknown = null;
  try {
    document = JSON.parse(new TextDecoder().decode(output.stdout));
  } catch {
    document = null;
  }
  const isObject = typeof document === "object" && document !== null &&
    !Array.isArray(document);
  return {
    code: output.code,
    document: isObject ? document as Record<string, unknown> : null,
  };
}

function cannotRun(binary: string, error: unknown): WaypointError {
  const reason = error instanceof Error
    ? error.message.split("\n")[0]
    : String(error);
  return new WaypointError(`could not run ${binary}: ${reason}`, {
    cause: error,
  });
}

/** Runs `binary` with the terminal attached and returns its exit code. */
export async function runInherited(
  binary: string,
  args: string[],
): Promise<number> {
  try {
    const status = await new Deno.Command(binary, {
      args,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    return status.code;
  } catch (error) {
    throw cannotRun(binary, error);
  }
}
