/**
 * After an upgrade, refresh the repository with the binary now on disk (the
 * new one): `init` with the saved profile, then `doctor`.
 *
 * @module
 */
import { CONFIG_PATH, parseConfig, readConfigText } from "../config.ts";
import { WaypointError } from "../errors.ts";

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
  const text = readConfigText(dir);
  if (text === undefined) {
    log(`No ${CONFIG_PATH} in ${dir}: updated the binary only`);
    return 0;
  }
  const { profile } = parseConfig(text);
  log(`Refreshing ${dir} (profile ${profile}) with ${binary}`);
  const initArgs = ["init", dir, "--skip-cli-update"];
  if (profile === "app-friendly") initArgs.push("--app-friendly");
  const initCode = await runInherited(binary, initArgs);
  if (initCode !== 0) return initCode;
  return await runInherited(binary, ["doctor", dir]);
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
    const reason = error instanceof Error
      ? error.message.split("\n")[0]
      : String(error);
    throw new WaypointError(`could not run ${binary}: ${reason}`, {
      cause: error,
    });
  }
}
