/**
 * Benchmark of the scaffold commands, run as a user runs them (`deno run`
 * on a warm module cache, one process per run), each figure beside a floor
 * measured in the same run:
 *
 * - `init` on an empty repo and re-`init`, against `deno run` of an empty
 *   program (the cost of starting at all);
 * - `sync` and `doctor` on generated repos of 1,000, 10,000 and 50,000
 *   routable docs, cold (empty frontmatter cache, as on a fresh clone or in
 *   CI) and warm, against `cat` of every doc file;
 * - peak RSS of every run (from `/usr/bin/time` when it is there).
 *
 * Targets (issue 13): cold ≤ 1.0× and warm ≤ 0.75× the `cat` floor, `init`
 * ≤ 2× the empty `deno run` floor, peak memory at 50,000 docs ≤ 150 MiB.
 * Prints medians and ratios, and asserts no figure: it stops only when a
 * command fails (a failed run would time the wrong thing).
 *
 * Usage: deno run -A bench/scaffold.ts [--runs N] [--sizes 1000,10000,50000]
 * (`BENCH_MAIN=/other/checkout/main.ts` measures another version on the same
 * repos; `WAYPOINT_BIN=dist/waypoint` measures a compiled binary, against an
 * empty program compiled the same way, as the release workflow's machines can)
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, timeProcess } from "./timing.ts";

// BENCH_MAIN points the runs at another checkout's main.ts, for before/after tables.
const MAIN = Deno.env.get("BENCH_MAIN") ??
  fileURLToPath(new URL("../main.ts", import.meta.url));
const WORK = fileURLToPath(new URL("./.work/", import.meta.url));
const EMPTY = join(WORK, "empty.ts");
const BIN = Deno.env.get("WAYPOINT_BIN");
// Another version may judge today's scaffold as drifted (doctor exits 1 or 2):
// its figures are still its time, so only a crash stops a BENCH_MAIN run.
const OTHER_VERSION_CODES = Deno.env.get("BENCH_MAIN") ? [0, 1, 2] : [0];
const CACHE = join(WORK, "scaffold-cache");
const GENERATOR_VERSION = 2;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    sizes: { type: "string" },
  },
  strict: false,
});
const RUNS = Number(values.runs ?? Deno.env.get("BENCH_RUNS") ?? 7);
const SIZES = String(values.sizes ?? "1000,10000,50000").split(",").map(
  Number,
);
const ENV = {
  ...Deno.env.toObject(),
  WAYPOINT_NO_UPDATE_CHECK: "1",
  WAYPOINT_CACHE_DIR: CACHE,
  NO_COLOR: "1",
};

/** One timed process: wall milliseconds and peak RSS in KiB (0 when unknown). */
interface Sample {
  ms: number;
  rssKiB: number;
}

async function timeCommand(
  command: string,
  args: string[],
  expectCodes = [0],
): Promise<Sample> {
  const run = await timeProcess(command, args, { env: ENV, expectCodes });
  return { ms: run.ms, rssKiB: run.rssKiB ?? 0 };
}

/**
 * Times one waypoint run. The bench repos are clean, so every command must
 * exit 0: a figure for a run that failed (an index refused, a doc left out)
 * would measure the wrong thing, so the bench stops instead.
 */
function waypoint(args: string[]): Promise<Sample> {
  return BIN ? timeCommand(BIN, args) : timeCommand(
    Deno.execPath(),
    ["run", "-A", "--quiet", MAIN, ...args],
    OTHER_VERSION_CODES,
  );
}

/**
 * The cost of starting at all, measured the way waypoint is started: `deno
 * run` of an empty program, or (for a compiled binary) an empty program
 * compiled by the same Deno.
 */
async function emptyProgram(): Promise<
  { label: string; run: () => Promise<Sample> }
> {
  if (!BIN) {
    return {
      label: "deno run, empty program (floor)",
      run: () => timeCommand(Deno.execPath(), ["run", "--quiet", EMPTY]),
    };
  }
  const output = join(
    WORK,
    Deno.build.os === "windows" ? "empty-bin.exe" : "empty-bin",
  );
  const compiled = await new Deno.Command(Deno.execPath(), {
    args: ["compile", "--quiet", "--output", output, EMPTY],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!compiled.success) {
    throw new Error(
      `cannot compile the empty program for the floor: ${
        new TextDecoder().decode(compiled.stderr)
      }`,
    );
  }
  return {
    label: "compiled empty program (floor)",
    run: () => timeCommand(output, []),
  };
}

function docText(index: number): string {
  return `---
summary: Generated doc ${index} about subsystem ${
    index % 37
  } and its failure modes
last_updated: "2026-11-${String(1 + (index % 28)).padStart(2, "0")}"
read_when:
  - changing subsystem ${index % 37}
  - debugging incident class ${index % 11}
---

# Doc ${index}

${"Body text that an agent would read when the routing says so. ".repeat(20)}
`;
}

async function generateRepo(docs: number): Promise<string> {
  const root = join(WORK, `repo-${docs}`);
  const marker = join(root, ".bench-ready");
  try {
    if ((await Deno.readTextFile(marker)) === String(GENERATOR_VERSION)) {
      return root;
    }
  } catch {
    // Not generated yet.
  }
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await Deno.mkdir(root, { recursive: true });
  await waypoint(["init", root]);
  for (let start = 0; start < docs; start += 100) {
    const dir = join(
      root,
      ".waypoint",
      "docs",
      `area-${String(start / 100).padStart(3, "0")}`,
    );
    await Deno.mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from(
        { length: Math.min(100, docs - start) },
        (_, offset) =>
          Deno.writeTextFile(
            join(dir, `doc-${start + offset}.md`),
            docText(start + offset),
          ),
      ),
    );
  }
  await waypoint(["sync", root]);
  await Deno.writeTextFile(marker, String(GENERATOR_VERSION));
  // Let the kernel write the new files out first, or the floor measures writeback.
  await new Deno.Command("sync").output().catch(() => {});
  return root;
}

/** Every doc file below the docs root, for the `cat` floor. */
function docFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) visit(path);
      else if (entry.name.endsWith(".md")) files.push(path);
    }
  };
  visit(join(root, ".waypoint", "docs"));
  return files;
}

/** `cat` of every doc, in argument batches as xargs would make them. */
async function catAll(files: string[]): Promise<Sample> {
  const start = performance.now();
  let rssKiB = 0;
  const batches: Promise<Sample>[] = [];
  for (let i = 0; i < files.length; i += 5000) {
    batches.push(timeCommand("cat", files.slice(i, i + 5000)));
  }
  // Sequential batches, like xargs without -P.
  for (const batch of batches) rssKiB = Math.max(rssKiB, (await batch).rssKiB);
  return { ms: performance.now() - start, rssKiB };
}

async function measure(run: () => Promise<Sample>, before?: () => void) {
  before?.();
  await run(); // warm the module cache and the page cache
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    samples.push(await run());
  }
  return {
    ms: median(samples.map((s) => s.ms)),
    rssKiB: Math.max(...samples.map((s) => s.rssKiB)),
  };
}

function clearCache(): void {
  try {
    Deno.removeSync(CACHE, { recursive: true });
  } catch {
    // Already gone.
  }
}

/** The 1-minute load average, so a table says how busy the machine was. */
function currentLoad(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ")[0];
  } catch {
    return "?";
  }
}
const startLoad = currentLoad();

await Deno.mkdir(WORK, { recursive: true });
await Deno.writeTextFile(EMPTY, "");

interface Row {
  label: string;
  ms: number;
  rssKiB: number;
  floor: string;
  ratio: number;
  target: number;
  /** Docs in the repo, for the cost per doc. */
  docs?: number;
}
const rows: Row[] = [];

const empty = await emptyProgram();
const denoFloor = await measure(empty.run);
const initFresh = await measure(async () => {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
  try {
    return await waypoint(["init", dir]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
const reinitDir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
await waypoint(["init", reinitDir]);
const reinit = await measure(() => waypoint(["init", reinitDir]));
await Deno.remove(reinitDir, { recursive: true });
rows.push({
  label: empty.label,
  ...denoFloor,
  floor: "",
  ratio: NaN,
  target: NaN,
});
for (
  const [label, sample] of [["init, empty repo", initFresh], [
    "re-init",
    reinit,
  ]] as const
) {
  rows.push({
    label,
    ...sample,
    floor: "empty program",
    ratio: sample.ms / denoFloor.ms,
    target: 2,
  });
}

for (const docs of SIZES) {
  const root = await generateRepo(docs);
  const files = docFiles(root);
  const count = docs.toLocaleString("en-US");
  const cat = await measure(() => catAll(files));
  rows.push({
    label: `cat of ${count} docs (floor)`,
    ...cat,
    floor: "",
    ratio: NaN,
    target: NaN,
  });
  for (const command of ["sync", "doctor"]) {
    const cold = await measure(() => waypoint([command, root]), clearCache);
    rows.push({
      label: `${command}, ${count} docs, cold`,
      ...cold,
      floor: "cat",
      ratio: cold.ms / cat.ms,
      target: 1,
      docs,
    });
    await waypoint([command, root]);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await waypoint([command, root]); // fill the cache past its racy window
    const warm = await measure(() => waypoint([command, root]));
    rows.push({
      label: `${command}, ${count} docs, warm`,
      ...warm,
      floor: "cat",
      ratio: warm.ms / cat.ms,
      target: 0.75,
      docs,
    });
  }
}

console.log(
  `\n### Scaffold commands (median of ${RUNS} runs, ${
    BIN ? `compiled binary ${BIN}` : "deno run, warm module cache"
  }; load average ${startLoad} before, ${currentLoad()} after)\n`,
);
console.log(
  "| command | median wall ms | peak RSS MiB | floor | ratio | target | ok | beyond start-up | µs/doc |",
);
console.log("| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |");
for (const row of rows) {
  const ratio = Number.isNaN(row.ratio) ? "" : `${row.ratio.toFixed(2)}×`;
  const target = Number.isNaN(row.target) ? "" : `≤ ${row.target}×`;
  const ok = Number.isNaN(row.target)
    ? ""
    : row.ratio <= row.target
    ? "yes"
    : "**no**";
  const rss = row.rssKiB ? (row.rssKiB / 1024).toFixed(0) : "?";
  // What the command costs once a Deno process is running: its time less the
  // empty program's, against the same floor, and per doc.
  const work = row.ms - denoFloor.ms;
  const beyond = row.docs && row.floor === "cat"
    ? `${(work / (row.ms / row.ratio)).toFixed(2)}×`
    : "";
  const perDoc = row.docs ? (work / row.docs * 1000).toFixed(1) : "";
  console.log(
    `| ${row.label} | ${
      row.ms.toFixed(1)
    } | ${rss} | ${row.floor} | ${ratio} | ${target} | ${ok} | ${beyond} | ${perDoc} |`,
  );
}
const largest = rows.filter((row) => row.label.includes("50,000"));
if (largest.length) {
  const peak = Math.max(...largest.map((row) => row.rssKiB)) / 1024;
  console.log(
    `\nPeak memory at 50,000 docs: ${peak.toFixed(0)} MiB (target ≤ 150 MiB)${
      peak <= 150 ? "" : " **over**"
    }`,
  );
}
// Linear cost: the cost per doc must not grow with the number of docs.
for (const kind of ["sync", "doctor"]) {
  for (const mode of ["cold", "warm"]) {
    const series = rows.filter((row) =>
      row.docs && row.label.startsWith(`${kind},`) && row.label.endsWith(mode)
    );
    if (series.length < 2) continue;
    const perDoc = series.map((row) => (row.ms - denoFloor.ms) / row.docs!);
    const grows = perDoc.some((cost, i) => i > 0 && cost > perDoc[i - 1] * 1.1);
    console.log(
      `Cost per doc beyond start-up, ${kind} ${mode}: ${
        series.map((row, i) =>
          `${row.docs!.toLocaleString("en-US")}: ${
            (perDoc[i] * 1000).toFixed(1)
          } µs`
        ).join(", ")
      }${grows ? " **grows faster than linear**" : " (no step above linear)"}`,
    );
  }
}
