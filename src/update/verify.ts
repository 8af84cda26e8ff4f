/**
 * Runs a freshly downloaded binary with `--version` before it may replace
 * the old one.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/** How long a new binary may take to print its version. */
const VERSION_TIMEOUT_MS = 30_000;

/** Throws unless `path --version` exits 0 and prints exactly `expected`. */
export async function checkReportedVersion(
  path: string,
  expected: string,
): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(path, {
      args: ["--version"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { WAYPOINT_NO_UPDATE_CHECK: "1" },
      signal: AbortSignal.timeout(VERSION_TIMEOUT_MS),
    }).output();
  } catch (error) {
    const reason = error instanceof Error
      ? error.message.split("\n")[0]
      : String(error);
    throw new WaypointError(
      `the downloaded waypoint ${expected} does not run on this machine (${reason})`,
      { cause: error },
    );
  }
  const printed = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) {
    throw new WaypointError(
      `the downloaded waypoint ${expected} failed to run: '--version' exited with ${
        output.signal ?? output.code
      }`,
    );
  }
  if (printed !== expected) {
    throw new WaypointError(
      `the downloaded waypoint reports version "${
        printed.split("\n")[0].slice(0, 80)
      }" instead of ${expected}`,
    );
  }
}
