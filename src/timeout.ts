/**
 * Timeouts without the global `setTimeout`, for the session hook's path:
 * Deno loads that global lazily (its Node-compatible timers) and the first
 * use costs some 7 ms of CPU, where the whole hook should take about 100.
 * `AbortSignal.timeout` runs on the runtime's own timers. Its timer does
 * not keep the process alive (the work a timeout bounds does) and cannot be
 * cleared: cancelling only lets go of the callback.
 *
 * @module
 */

/** A promise that resolves with a value after a delay, unless cancelled. */
export interface Timeout<T> {
  promise: Promise<T>;
  /** The promise then never resolves. */
  cancel(): void;
}

/** Resolves with `value` after `ms` milliseconds. */
export function timeout<T>(ms: number, value: T): Timeout<T> {
  const signal = AbortSignal.timeout(Math.max(0, Math.ceil(ms)));
  let fire = () => {};
  const promise = new Promise<T>((resolve) => {
    fire = () => resolve(value);
    signal.addEventListener("abort", fire, { once: true });
  });
  return {
    promise,
    cancel: () => signal.removeEventListener("abort", fire),
  };
}
