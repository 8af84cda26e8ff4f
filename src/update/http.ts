/**
 * HTTP for the updater: every request has a timeout, failures become one
 * readable line. Proxies need nothing here: Deno's `fetch` honours
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (and their lowercase forms).
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/** Looks up an environment variable; injectable so tests need no real env. */
export type EnvLookup = (name: string) => string | undefined;

/** Default for `WAYPOINT_HTTP_TIMEOUT_MS`. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The request timeout in milliseconds: `WAYPOINT_HTTP_TIMEOUT_MS` when it is
 * a positive integer, else 30 s. It bounds the wait for each chunk; a whole
 * request may take {@link TOTAL_TIMEOUT_FACTOR} times as long.
 */
export function httpTimeoutMs(env: EnvLookup): number {
  const raw = env("WAYPOINT_HTTP_TIMEOUT_MS");
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/** How much longer than the idle timeout a whole transfer may take. */
export const TOTAL_TIMEOUT_FACTOR = 10;

/**
 * An abort signal with two clocks: it fires after `idleMs` without a call to
 * `touch` (a stalled peer), and after `totalMs` whatever happens (a peer
 * that drips one byte at a time).
 */
export interface IdleTimer {
  signal: AbortSignal;
  /** Restarts the idle countdown (call it whenever data arrives). */
  touch(): void;
  /** Stops both countdowns for good. */
  clear(): void;
  /** Which countdown aborted the signal, if any. */
  fired(): "idle" | "total" | false;
  /** The limit that fired, in ms (for messages). */
  limitMs(): number;
}

/**
 * Starts an {@link IdleTimer}. `totalMs` defaults to
 * {@link TOTAL_TIMEOUT_FACTOR} times `idleMs`.
 */
export function startIdleTimer(
  idleMs: number,
  totalMs: number = idleMs * TOTAL_TIMEOUT_FACTOR,
): IdleTimer {
  const controller = new AbortController();
  let fired: "idle" | "total" | false = false;
  const fire = (which: "idle" | "total") => {
    if (fired) return;
    fired = which;
    clearTimeout(idle);
    clearTimeout(total);
    controller.abort(new DOMException("timed out", "TimeoutError"));
  };
  let idle = setTimeout(() => fire("idle"), idleMs);
  const total = setTimeout(() => fire("total"), totalMs);
  return {
    signal: controller.signal,
    touch() {
      if (fired) return;
      clearTimeout(idle);
      idle = setTimeout(() => fire("idle"), idleMs);
    },
    clear() {
      clearTimeout(idle);
      clearTimeout(total);
    },
    fired: () => fired,
    limitMs: () => fired === "total" ? totalMs : idleMs,
  };
}

/**
 * Replaces the credentials of every URL in `text` with `***`:
 * `https://alice:pw@host/` becomes `https://***@host/`. Used on every line
 * that may name a registry or tarball URL.
 */
export function maskCredentials(text: string): string {
  return text.replace(
    /([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)[^\s/@'"<>]{1,512}@/g,
    "$1***@",
  );
}

/** A request that ran out of time (as opposed to one that failed). */
export class NetworkTimeoutError extends WaypointError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "NetworkTimeoutError";
  }
}

/** Formats a timeout for messages: `30 s`, `0.5 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Turns a failed `fetch` or body read into one line. `what` names the thing
 * being fetched, e.g. `the registry at https://registry.npmjs.org/`.
 */
export function networkError(
  error: unknown,
  what: string,
  timer: IdleTimer,
): WaypointError {
  if (error instanceof WaypointError) return error;
  const fired = timer.fired();
  if (fired === "idle") {
    return new NetworkTimeoutError(
      maskCredentials(
        `${what} did not answer within ${
          formatSeconds(timer.limitMs())
        } (set WAYPOINT_HTTP_TIMEOUT_MS to wait longer)`,
      ),
      { cause: error },
    );
  }
  if (fired === "total") {
    return new NetworkTimeoutError(
      maskCredentials(
        `${what} did not finish within ${
          formatSeconds(timer.limitMs())
        } (the registry is too slow; set WAYPOINT_HTTP_TIMEOUT_MS to allow more time)`,
      ),
      { cause: error },
    );
  }
  return new WaypointError(
    maskCredentials(`could not reach ${what}: ${networkFailureReason(error)}`),
    { cause: error },
  );
}

/** The useful part of a network error message, e.g. `connection refused`. */
export function networkFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/connection refused/i.test(message)) return "connection refused";
  if (/dns error|failed to lookup|name or service not known/i.test(message)) {
    return "host not found (are you offline?)";
  }
  if (/certificate/i.test(message)) return "TLS certificate problem";
  if (/connection (reset|closed)|unexpected eof|end of file/i.test(message)) {
    return "the connection was closed early";
  }
  // Deno nests causes as "a: b: c"; the innermost part is the useful one.
  const parts = message.split("\n")[0].split(": ");
  return parts[parts.length - 1] || message;
}

/**
 * Reads a response body as text, touching `timer` on every chunk and
 * failing as soon as more than `maxBytes` arrive.
 */
export async function readTextCapped(
  response: Response,
  maxBytes: number,
  timer: IdleTimer,
  what: string,
): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunksUntilAbort(response.body, timer.signal)) {
    timer.touch();
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new WaypointError(
        maskCredentials(
          `${what} sent more than ${
            formatBytes(maxBytes)
          }; refusing to read on`,
        ),
      );
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(
    await new Blob(chunks as BlobPart[]).arrayBuffer(),
  );
}

/** Formats a size for messages: `64 MiB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`
    : `${bytes} bytes`;
}

/**
 * The chunks of `body`, ending with the abort reason as soon as `signal`
 * aborts. Measured: under load, an aborted `fetch` signal did not always
 * end a body read already under way, so each read is raced against it.
 * The body is cancelled however the loop ends.
 */
export async function* chunksUntilAbort(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return;
      yield value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    await reader.cancel().catch(() => {});
  }
}
