/**
 * Timing one process for the benchmark scripts: wall time, and peak RSS from
 * `/usr/bin/time` when the machine has it; plus the median of a series.
 *
 * @module
 */

const TIME_BIN = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : undefined;
  } catch {
    return undefined;
  }
})();

/** One timed process: wall milliseconds, and peak RSS in KiB when measured. */
export interface TimedRun {
  ms: number;
  rssKiB?: number;
}

/** Options for {@link timeProcess}. */
export interface TimeOptions {
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** Exit codes that count as success (default: 0 only). */
  expectCodes?: number[];
  /** Measure peak RSS with `/usr/bin/time` (default true; it adds a little time). */
  peakRss?: boolean;
}

/**
 * Runs `command args…` once with stdout discarded; throws with its stderr
 * when it exits with a code not in `expectCodes`.
 */
export async function timeProcess(
  command: string,
  args: string[],
  options: TimeOptions = {},
): Promise<TimedRun> {
  const wrap = (options.peakRss ?? true) && TIME_BIN !== undefined;
  const [program, programArgs] = wrap
    ? [TIME_BIN!, ["-f", "WAYPOINT_BENCH_RSS=%M", command, ...args]]
    : [command, args];
  const start = performance.now();
  const output = await new Deno.Command(program, {
    args: programArgs,
    env: options.env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(output.stderr);
  if (!(options.expectCodes ?? [0]).includes(output.code)) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${output.code}: ${stderr}`,
    );
  }
  const rss = stderr.match(/WAYPOINT_BENCH_RSS=(\d+)/);
  return { ms, rssKiB: rss ? Number(rss[1]) : undefined };
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
