/**
 * Runs an external program (git, gh) as a subprocess with a time limit and
 * reports a missing binary or a timeout as data instead of throwing, so a
 * context section can always say something plain.
 *
 * @module
 */

import { timeout } from "../timeout.ts";

/** How a subprocess run ended. */
export type ExecOutcome =
  | { kind: "ok"; stdout: string; stderr: string }
  | { kind: "failed"; code: number; stdout: string; stderr: string }
  | { kind: "missing" }
  | { kind: "timeout" }
  | { kind: "error"; message: string };

/** Options for {@link runProgram}. */
export interface ExecOptions {
  /** Working directory of the child. */
  cwd: string;
  /** Kill the child after this many milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Give the child only `env`, none of waypoint's own environment. */
  clearEnv?: boolean;
}

/**
 * Runs `program args…`, capturing output. Never throws: a binary that is not
 * on PATH is `missing`, a child killed at the deadline is `timeout`.
 */
export async function runProgram(
  program: string,
  args: string[],
  options: ExecOptions,
): Promise<ExecOutcome> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      cwd: options.cwd,
      env: options.env,
      clearEnv: options.clearEnv ?? false,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "error", message: message.split("\n")[0] };
  }
  // Waiting for output after a kill could hang on pipes a grandchild keeps
  // open, so the deadline resolves on its own.
  const timer = timeout(options.timeoutMs ?? 10_000, "timeout" as const);
  const deadline = timer.promise;
  try {
    const output = await Promise.race([child.output(), deadline]);
    if (output === "timeout") {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      return { kind: "timeout" };
    }
    const decoder = new TextDecoder();
    const stdout = decoder.decode(output.stdout);
    const stderr = decoder.decode(output.stderr);
    return output.success
      ? { kind: "ok", stdout, stderr }
      : { kind: "failed", code: output.code, stdout, stderr };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "error", message: message.split("\n")[0] };
  } finally {
    timer.cancel();
  }
}

/** The first non-empty line of a failed run's stderr (or stdout), for messages. */
export function firstErrorLine(
  outcome: { stdout: string; stderr: string },
): string {
  const text = `${outcome.stderr}\n${outcome.stdout}`;
  return text.split("\n").map((line) => line.trim()).find((line) =>
    line !== ""
  ) ?? "no output";
}
