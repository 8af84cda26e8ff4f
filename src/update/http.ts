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
 * a positive integer, else 30 s. For downloads it bounds the wait for each
 * chunk, not the whole transfer, so slow links still finish.
 */
export function httpTimeoutMs(env: EnvLookup): number {
  const raw = env("WAYPOINT_HTTP_TIMEOUT_MS");
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/** An abort signal that fires after `ms` without a call to `touch`. */
export interface IdleTimer {
  signal: AbortSignal;
  /** Restarts the countdown (call it whenever data arrives). */
  touch(): void;
  /** Stops the countdown for good. */
  clear(): void;
  /** Whether the countdown is what aborted the signal. */
  fired(): boolean;
}

/** Starts an {@link IdleTimer}. */
export function startIdleTimer(ms: number): IdleTimer {
  const controller = new AbortController();
  let fired = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    handle = setTimeout(() => {
      fired = true;
      controller.abort(new DOMException("timed out", "TimeoutError"));
    }, ms);
  };
  arm();
  return {
    signal: controller.signal,
    touch() {
      if (fired) return;
      clearTimeout(handle);
      arm();
    },
    clear() {
      clearTimeout(handle);
    },
    fired: () => fired,
  };
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
  timeoutMs: number,
): WaypointError {
  if (error instanceof WaypointError) return error;
  if (timer.fired()) {
    return new WaypointError(
      `${what} did not answer within ${
        formatSeconds(timeoutMs)
      } (set WAYPOINT_HTTP_TIMEOUT_MS to wait longer)`,
      { cause: error },
    );
  }
  return new WaypointError(
    `could not reach ${what}: ${networkFailureReason(error)}`,
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
