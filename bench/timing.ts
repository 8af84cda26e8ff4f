/**
 * Timing one process for the benchmark scripts: wall time, and peak RSS from
 * `/usr/bin/time` when the machine has it, else from a python3 wrapper that
 * reads `getrusage(RUSAGE_CHILDREN)`; plus the median of a series.
 *
 * @module
 */

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && isFile(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

// The wrapper's peak is the largest child it waited for, which is the one
// command it runs (ru_maxrss is in KiB on Linux).
const PYTHON_RSS = [
  "-c",
  "import resource,subprocess,sys\n" +
  "code = subprocess.run(sys.argv[1:]).returncode\n" +
  "sys.stderr.write('WAYPOINT_BENCH_RSS=%d\\n' % " +
  "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n" +
  "sys.exit(code)",
];

/** How the peak RSS of a command is read, or undefined when it cannot be. */
const RSS_WRAPPER: { program: string; args: string[] } | undefined = (() => {
  if (isFile("/usr/bin/time")) {
    return { program: "/usr/bin/time", args: ["-f", "WAYPOINT_BENCH_RSS=%M"] };
  }
  const python = Deno.build.os === "linux" ? onPath("python3") : undefined;
  return python ? { program: python, args: PYTHON_RSS } : undefined;
})();

/** Where peak RSS figures come from, for a table's caption. */
export const RSS_SOURCE = RSS_WRAPPER === undefined
  ? "not measured (no /usr/bin/time or python3)"
  : RSS_WRAPPER.program === "/usr/bin/time"
  ? "/usr/bin/time"
  : "python3 getrusage(RUSAGE_CHILDREN)";

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
  /** Measure peak RSS through a wrapper (default true; it adds a little time). */
  peakRss?: boolean;
  /** Working directory of the command. */
  cwd?: string;
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
  const wrapper = (options.peakRss ?? true) ? RSS_WRAPPER : undefined;
  const [program, programArgs] = wrapper
    ? [wrapper.program, [...wrapper.args, command, ...args]]
    : [command, args];
  const start = performance.now();
  const output = await new Deno.Command(program, {
    args: programArgs,
    env: options.env,
    cwd: options.cwd,
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
