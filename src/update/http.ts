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
 * The speed floor (like curl's `--speed-limit`): a transfer averaging less
 * than this over {@link SPEED_WINDOW_MS} is given up. A stalled or dripping
 * peer sends nothing or a few bytes a second, while even a poor mobile link
 * moves tens of KB/s, so 4 KiB/s tells the two apart with a wide margin.
 * It does not judge whether a slow link is worth waiting for: the budgets
 * of `init` and the request timeouts do that.
 */
export const SPEED_FLOOR_BYTES_PER_S = 4 * 1024;

/**
 * The window the speed floor is averaged over (like curl's
 * `--speed-time`), counted from the moment the request is sent, so a peer
 * that accepts the connection and never answers is caught too. 5 s rides
 * out TCP's first retransmissions (1 s, then 2 s) and a registry's usual
 * time to first byte, and keeps `init`'s 3 s check plus one stalled request
 * under about 10 s.
 */
export const SPEED_WINDOW_MS = 5_000;

/** How often the speed floor is checked (its resolution). */
export const SPEED_SAMPLE_MS = 500;

/** A window that averaged below the floor. */
export interface Stall {
  /** Bytes that arrived during the window. */
  bytes: number;
  /** The window's length in ms (at least {@link SPEED_WINDOW_MS}). */
  spanMs: number;
}

/**
 * Measures a transfer against the speed floor over a sliding window; the
 * clock is passed in so the rule is testable without waiting.
 */
export class SpeedMeter {
  #bytes = 0;
  #samples: { at: number; bytes: number }[];

  /** Starts measuring at time `start` (ms). */
  constructor(
    start: number,
    readonly floorBytesPerS: number = SPEED_FLOOR_BYTES_PER_S,
    readonly windowMs: number = SPEED_WINDOW_MS,
  ) {
    this.#samples = [{ at: start, bytes: 0 }];
  }

  /** Counts `bytes` that just arrived. */
  add(bytes: number): void {
    this.#bytes += bytes;
  }

  /**
   * Takes a sample at `now`; returns the last window when it averaged below
   * the floor, else undefined (also while less than one window has passed).
   */
  sample(now: number): Stall | undefined {
    const samples = this.#samples;
    samples.push({ at: now, bytes: this.#bytes });
    // Keep the newest sample at least one window old as the window's start.
    while (samples.length > 1 && samples[1].at <= now - this.windowMs) {
      samples.shift();
    }
    const spanMs = now - samples[0].at;
    if (spanMs < this.windowMs) return undefined;
    const bytes = this.#bytes - samples[0].bytes;
    return bytes * 1000 / spanMs < this.floorBytesPerS
      ? { bytes, spanMs }
      : undefined;
  }
}

/** Which clock ended a transfer. */
export type TimerFired = "idle" | "total" | "slow";

/**
 * An abort signal with three clocks: it fires after `idleMs` without a call
 * to `touch` (a stalled peer), after `totalMs` whatever happens, and when
 * the transfer averages below the speed floor over its window (a peer that
 * drips, or never answers).
 */
export interface IdleTimer {
  signal: AbortSignal;
  /** Restarts the idle countdown and counts `bytes` (call it whenever data arrives). */
  touch(bytes?: number): void;
  /** Stops every clock for good. */
  clear(): void;
  /** Which clock aborted the signal, if any. */
  fired(): TimerFired | false;
  /** The limit that fired, in ms (for messages). */
  limitMs(): number;
  /** The window that fell below the floor, when that clock fired. */
  stall(): Stall | undefined;
}

/**
 * Starts an {@link IdleTimer}. `totalMs` defaults to
 * {@link TOTAL_TIMEOUT_FACTOR} times `idleMs`; the speed floor is always on.
 */
export function startIdleTimer(
  idleMs: number,
  totalMs: number = idleMs * TOTAL_TIMEOUT_FACTOR,
): IdleTimer {
  const controller = new AbortController();
  let fired: TimerFired | false = false;
  let stall: Stall | undefined;
  const meter = new SpeedMeter(performance.now());
  const fire = (which: TimerFired) => {
    if (fired) return;
    fired = which;
    stop();
    controller.abort(new DOMException("timed out", "TimeoutError"));
  };
  let idle = setTimeout(() => fire("idle"), idleMs);
  const total = setTimeout(() => fire("total"), totalMs);
  const sampling = setInterval(() => {
    stall = meter.sample(performance.now());
    if (stall) fire("slow");
  }, SPEED_SAMPLE_MS);
  const stop = () => {
    clearTimeout(idle);
    clearTimeout(total);
    clearInterval(sampling);
  };
  return {
    signal: controller.signal,
    touch(bytes = 0) {
      if (fired) return;
      meter.add(bytes);
      clearTimeout(idle);
      idle = setTimeout(() => fire("idle"), idleMs);
    },
    clear: stop,
    fired: () => fired,
    limitMs: () => fired === "total" ? totalMs : idleMs,
    stall: () => fired === "slow" ? stall : undefined,
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
 * being fetched, e.g. `the registry at https://registry.npmjs.org/`; `url`
 * is the request's URL. A stall names the URL itself, so its line starts
 * with the shorter `subject` (e.g. `the registry`).
 */
export function networkError(
  error: unknown,
  what: string,
  timer: IdleTimer,
  url: string,
  subject: string = what,
): WaypointError {
  if (error instanceof WaypointError) return error;
  const fired = timer.fired();
  const stall = timer.stall();
  if (fired === "slow" && stall) {
    return new NetworkTimeoutError(
      maskCredentials(`${subject} is too slow: ${stallDetail(url, stall)}`),
      { cause: error },
    );
  }
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

/**
 * What a stalled transfer did and the limits it broke, e.g.
 * `registry.npmjs.org/x/-/x-1.0.0.tgz sent 3 bytes in 5 s (0.6 B/s), below
 * the floor of 4 KiB/s over 5 s; giving up`.
 */
export function stallDetail(url: string, stall: Stall): string {
  const rate = stall.bytes * 1000 / stall.spanMs;
  return `${hostAndPath(url)} sent ${stall.bytes} byte${
    stall.bytes === 1 ? "" : "s"
  } in ${formatSeconds(stall.spanMs)} (${
    formatRate(rate)
  }), below the floor of ${formatRate(SPEED_FLOOR_BYTES_PER_S)} over ${
    formatSeconds(SPEED_WINDOW_MS)
  }; giving up`;
}

/** `host/path` of a URL: no scheme, credentials or query. */
export function hostAndPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return maskCredentials(url);
  }
}

/** Formats a transfer rate: `0.8 B/s`, `4 KiB/s`, `1.2 MiB/s`. */
export function formatRate(bytesPerS: number): string {
  const [value, unit] = bytesPerS >= 1024 * 1024
    ? [bytesPerS / 1024 / 1024, "MiB/s"]
    : bytesPerS >= 1024
    ? [bytesPerS / 1024, "KiB/s"]
    : [bytesPerS, "B/s"];
  return `${Number(value.toFixed(1))} ${unit}`;
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
    timer.touch(chunk.byteLength);
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
