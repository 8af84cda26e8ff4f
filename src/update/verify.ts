/**
 * Runs a freshly downloaded binary with `--version` before it may replace
 * the old one.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/** How long a new binary may take to print its version. */
export const VERSION_TIMEOUT_MS = 30_000;

/** After the binary exits, how long a child it forked may hold its output. */
const OUTPUT_GRACE_MS = 1_000;

/** What the probe saw. */
interface ProbeResult {
  status: Deno.CommandStatus | "timeout";
  stdout: string;
}

/**
 * Throws unless `path --version` exits 0 and prints exactly `expected`.
 * The binary runs in its own process group, which is killed when the probe
 * ends, so neither it nor anything it forked can outlive the limit.
 */
export async function checkReportedVersion(
  path: string,
  expected: string,
  timeoutMs: number = VERSION_TIMEOUT_MS,
): Promise<void> {
  let result: ProbeResult;
  try {
    result = await probe(path, timeoutMs);
  } catch (error) {
    const reason = error instanceof Error
      ? error.message.split("\n")[0]
      : String(error);
    throw new WaypointError(
      `the downloaded waypoint ${expected} does not run on this machine (${reason})`,
      { cause: error },
    );
  }
  if (result.status === "timeout") {
    throw new WaypointError(
      `the downloaded waypoint ${expected} did not print its version within ${
        timeoutMs / 1000
      } s; it was stopped`,
    );
  }
  if (!result.status.success) {
    throw new WaypointError(
      `the downloaded waypoint ${expected} failed to run: '--version' exited with ${
        result.status.signal ?? result.status.code
      }`,
    );
  }
  const printed = result.stdout.trim();
  if (printed !== expected) {
    throw new WaypointError(
      `the downloaded waypoint reports version "${
        printed.split("\n")[0].slice(0, 80)
      }" instead of ${expected}`,
    );
  }
}

async function probe(path: string, timeoutMs: number): Promise<ProbeResult> {
  const unix = Deno.build.os !== "windows";
  const child = new Deno.Command(path, {
    args: ["--version"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    env: { WAYPOINT_NO_UPDATE_CHECK: "1" },
    // Its own process group (Unix), so the whole group can be killed.
    detached: unix,
  }).spawn();
  const killGroup = () => {
    try {
      if (unix) Deno.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const output = readCapped(child.stdout, 64 * 1024);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = (ms: number) =>
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    });
  try {
    const status = await Promise.race([child.status, expired(timeoutMs)]);
    clearTimeout(timer);
    if (status === "timeout") {
      killGroup();
      return { status, stdout: "" };
    }
    // A child it forked may keep stdout open: wait briefly, then stop it.
    const stdout = await Promise.race([output, expired(OUTPUT_GRACE_MS)]);
    clearTimeout(timer);
    killGroup();
    return {
      status,
      stdout: stdout === "timeout" ? output.partial() : stdout,
    };
  } finally {
    clearTimeout(timer);
    killGroup();
    output.cancel();
  }
}

/**
 * Reads up to `maxBytes` of a stream; `partial()` gives what came so far,
 * `cancel()` stops reading.
 */
function readCapped(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<string> & { partial(): string; cancel(): void } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const text = () => new TextDecoder().decode(concat(chunks));
  const reader = stream.getReader();
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || value === undefined) break;
        if (size < maxBytes) chunks.push(value);
        size += value.byteLength;
      }
    } catch {
      // Cancelled: keep what arrived.
    }
    return text();
  })();
  return Object.assign(done, {
    partial: text,
    cancel: () => void reader.cancel().catch(() => {}),
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
