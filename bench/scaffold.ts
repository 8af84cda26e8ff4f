/**
 * Benchmark of the scaffold commands against the published Node package
 * `waypoint-codex` 0.9.0 (issue 24), both run as a user runs them (one
 * process per run; ours by `deno run` on a warm module cache, the package by
 * `node`), in one run, each repo scaffolded by its own tool:
 *
 * - `init` on an empty repo and re-`init`;
 * - `sync` and `doctor` on generated repos of 1,000 to 100,000 routable
 *   docs, cold (our frontmatter cache emptied, as on a fresh clone or in CI)
 *   and warm (the package has no cache, so its cold and warm are one run);
 * - peak RSS of every run.
 *
 * The two tools' runs are interleaved in pairs, the order flipped every pair,
 * so a busy machine slows both alike; a figure's ratio is the median of the
 * per-pair ratios (ours / published). Floors measured in the same run are
 * printed for reference: `deno run` and `node` of an empty program, `cat` of
 * every doc, and a minimal C reader (walk, open, read 4 KB, close; compiled
 * with gcc when there is one).
 *
 * Targets (issue 24), printed with a pass/fail mark: cold `sync` and
 * `doctor` at 10,000 docs and more ≤ 0.5× the published package, warm ≤
 * 0.35×, `init` and re-`init` ≤ 0.5×, peak memory at 100,000 docs ≤ 150 MiB
 * warm and cold. The bench asserts no figure: it exits non-zero only when a
 * command fails (a failed run would time the wrong thing).
 *
 * Usage: deno run -A bench/scaffold.ts [--runs N] [--sizes 1000,10000,50000,100000]
 * (`--sizes ""` times `init` only; `BENCH_MAIN=/other/checkout/main.ts`
 * measures another version of ours on the same repos, for before/after
 * tables; `WAYPOINT_BIN=dist/waypoint` measures a compiled binary, against an
 * empty program compiled the same way)
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, RSS_SOURCE, timeProcess } from "./timing.ts";

const OWN_MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
// BENCH_MAIN points the timed runs at another checkout's main.ts, for
// before/after tables; the repos are still scaffolded by this checkout.
const MAIN = Deno.env.get("BENCH_MAIN") ?? OWN_MAIN;
const WORK = fileURLToPath(new URL("./.work/", import.meta.url));
const EMPTY = join(WORK, "empty.ts");
const EMPTY_JS = join(WORK, "empty.mjs");
const BIN = Deno.env.get("WAYPOINT_BIN");
// Another version may judge today's scaffold as drifted (doctor exits 1 or 2):
// its figures are still its time, so only a crash stops a BENCH_MAIN run.
const OTHER_VERSION_CODES = Deno.env.get("BENCH_MAIN") ? [0, 1, 2] : [0];
const CACHE = join(WORK, "scaffold-cache");
const GENERATOR_VERSION = 3;
const PUBLISHED_TARBALL = Deno.env.get("BENCH_PUBLISHED") ?? findPublished();
const PUBLISHED_DIR = join(WORK, "published-0.9.0");

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    sizes: { type: "string" },
  },
  strict: false,
});
const FIXED_RUNS = values.runs ?? Deno.env.get("BENCH_RUNS");
const SIZES = String(values.sizes ?? "1000,10000,50000,100000").split(",")
  .map(Number).filter((size) => size > 0);
const ENV = {
  ...Deno.env.toObject(),
  WAYPOINT_NO_UPDATE_CHECK: "1",
  WAYPOINT_CACHE_DIR: CACHE,
  NO_COLOR: "1",
};

/**
 * Timed pairs per figure: fewer as the repos grow, so the default run stays
 * near ten minutes on a 2-core machine (`--runs` sets one count for all).
 */
function runsFor(docs: number): number {
  if (FIXED_RUNS !== undefined) return Number(FIXED_RUNS);
  if (docs === 0) return 9;
  if (docs <= 1000) return 7;
  if (docs <= 50000) return 5;
  return 3;
}

/** One timed process: wall milliseconds and peak RSS in KiB (0 when unknown). */
interface Sample {
  ms: number;
  rssKiB: number;
}

/** A series of samples summed up: median wall time, largest peak RSS. */
interface Stat {
  ms: number;
  rssKiB: number;
}

async function timeCommand(
  command: string,
  args: string[],
  expectCodes = [0],
  env: Record<string, string> = ENV,
): Promise<Sample> {
  const run = await timeProcess(command, args, { env, expectCodes });
  return { ms: run.ms, rssKiB: run.rssKiB ?? 0 };
}

/**
 * Times one run of ours. The bench repos are clean, so every command must
 * exit 0: a figure for a run that failed (an index refused, a doc left out)
 * would measure the wrong thing, so the bench stops instead.
 */
function ours(
  args: string[],
  env: Record<string, string> = ENV,
): Promise<Sample> {
  return BIN ? timeCommand(BIN, args, [0], env) : timeCommand(
    Deno.execPath(),
    ["run", "-A", "--quiet", MAIN, ...args],
    OTHER_VERSION_CODES,
    env,
  );
}

/** Worker counts of the index-reading curve (`WAYPOINT_INDEX_WORKERS`). */
const WORKER_COUNTS = [0, 1, 2, 3];

/** Cold `sync` of the repo at `root` with each of {@link WORKER_COUNTS}, interleaved: one row per count. */
async function workerCurve(
  root: string,
  runs: number,
): Promise<{ workers: number; stat: Stat }[]> {
  const samples = new Map<number, Sample[]>(
    WORKER_COUNTS.map((count) => [count, []]),
  );
  for (let run = 0; run < runs; run++) {
    for (const count of WORKER_COUNTS) {
      clearCache();
      samples.get(count)!.push(
        await ours(["sync", root], {
          ...ENV,
          WAYPOINT_INDEX_WORKERS: String(count),
        }),
      );
    }
  }
  return WORKER_COUNTS.map((workers) => ({
    workers,
    stat: summarize(samples.get(workers)!),
  }));
}

/** Scaffolds a bench repo with this checkout's own `init`, untimed. */
function ownInit(root: string): Promise<Sample> {
  return timeCommand(Deno.execPath(), [
    "run",
    "-A",
    "--quiet",
    OWN_MAIN,
    "init",
    root,
  ]);
}

/**
 * The package's tarball in the nearest `shared/bench/` above this checkout
 * (the main checkout and the worktrees sit at different depths).
 */
function findPublished(): string {
  let dir = fileURLToPath(new URL("../", import.meta.url));
  for (;;) {
    const candidate = join(
      dir,
      "shared",
      "bench",
      "waypoint-codex-0.9.0.tar.gz",
    );
    try {
      if (Deno.statSync(candidate).isFile) return candidate;
    } catch {
      // Not at this level.
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        "bench: cannot find shared/bench/waypoint-codex-0.9.0.tar.gz above this checkout (set BENCH_PUBLISHED to its path)",
      );
    }
    dir = parent;
  }
}

const PUBLISHED_BIN = join(PUBLISHED_DIR, "bin", "waypoint.js");

/** Times one run of the published package (never its self-update). */
function published(args: string[]): Promise<Sample> {
  const [command, ...rest] = args;
  const flags = command === "init" ? ["--skip-cli-update"] : [];
  return timeCommand("node", [PUBLISHED_BIN, command, ...flags, ...rest]);
}

/** Unpacks the published package into the work folder once. */
async function extractPublished(): Promise<void> {
  const marker = join(PUBLISHED_DIR, ".bench-ready");
  try {
    await Deno.stat(marker);
    return;
  } catch {
    // Not unpacked yet.
  }
  await Deno.remove(PUBLISHED_DIR, { recursive: true }).catch(() => {});
  await Deno.mkdir(PUBLISHED_DIR, { recursive: true });
  const tar = await new Deno.Command("tar", {
    args: ["-xzf", PUBLISHED_TARBALL, "-C", PUBLISHED_DIR],
    stderr: "piped",
  }).output();
  if (!tar.success) {
    throw new Error(
      `cannot unpack ${PUBLISHED_TARBALL}: ${
        new TextDecoder().decode(tar.stderr)
      }`,
    );
  }
  await Deno.writeTextFile(marker, "");
}

/** A floor: what it measures and how to time one run of it. */
interface Floor {
  label: string;
  run: () => Promise<Sample>;
}

/**
 * The cost of starting at all, measured the way ours is started: `deno run`
 * of an empty program, or (for a compiled binary) an empty program compiled
 * by the same Deno.
 */
async function emptyDeno(): Promise<Floor> {
  if (!BIN) {
    return {
      label: "deno run, empty program",
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
    label: "compiled empty program",
    run: () => timeCommand(output, []),
  };
}

const READER_C = `#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Walks a folder; opens each .md file, reads its first 4 KB, closes it. */
static void visit(const char *dir) {
  DIR *handle = opendir(dir);
  if (!handle) return;
  struct dirent *entry;
  char path[4096];
  char buffer[4096];
  while ((entry = readdir(handle))) {
    const char *name = entry->d_name;
    if (name[0] == '.') continue;
    size_t length = strlen(name);
    if (strlen(dir) + length + 2 > sizeof path) continue;
    strcpy(path, dir);
    strcat(path, "/");
    strcat(path, name);
    if (entry->d_type == DT_DIR) {
      visit(path);
    } else if (length > 3 && strcmp(name + length - 3, ".md") == 0) {
      int fd = open(path, O_RDONLY);
      if (fd < 0) continue;
      if (read(fd, buffer, sizeof buffer) < 0) {}
      close(fd);
    }
  }
  closedir(handle);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) visit(argv[i]);
  return 0;
}
`;

/** Compiles the minimal reader, or says why there is none. */
async function compileReader(): Promise<string | { skipped: string }> {
  const source = join(WORK, "reader.c");
  const binary = join(WORK, "reader");
  await Deno.writeTextFile(source, READER_C);
  try {
    const built = await new Deno.Command("gcc", {
      args: ["-O2", "-o", binary, source],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!built.success) {
      return {
        skipped: `gcc failed: ${new TextDecoder().decode(built.stderr).trim()}`,
      };
    }
    return binary;
  } catch {
    return { skipped: "no gcc on this machine" };
  }
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

/** The two repos of one size: ours, and the published package's. */
interface RepoPair {
  ours: string;
  published: string;
}

/**
 * Generates (once) two repos with the same `docs` docs, one scaffolded by our
 * `init` and one by the package's, each then synced by its own tool.
 */
async function generateRepos(docs: number): Promise<RepoPair> {
  const pair = {
    ours: join(WORK, `ours-${docs}`),
    published: join(WORK, `published-${docs}`),
  };
  const marker = join(WORK, `repos-${docs}.ready`);
  try {
    if ((await Deno.readTextFile(marker)) === String(GENERATOR_VERSION)) {
      return pair;
    }
  } catch {
    // Not generated yet.
  }
  console.error(`generating two repos of ${docs} docs…`);
  for (const root of [pair.ours, pair.published]) {
    await Deno.remove(root, { recursive: true }).catch(() => {});
    await Deno.mkdir(root, { recursive: true });
  }
  await ownInit(pair.ours);
  await published(["init", pair.published]);
  for (let start = 0; start < docs; start += 100) {
    const area = `area-${String(start / 100).padStart(3, "0")}`;
    const writes: Promise<void>[] = [];
    for (const root of [pair.ours, pair.published]) {
      const dir = join(root, ".waypoint", "docs", area);
      await Deno.mkdir(dir, { recursive: true });
      for (let index = start; index < Math.min(docs, start + 100); index++) {
        writes.push(
          Deno.writeTextFile(join(dir, `doc-${index}.md`), docText(index)),
        );
      }
    }
    await Promise.all(writes);
  }
  await ours(["sync", pair.ours]);
  await published(["sync", pair.published]);
  await Deno.writeTextFile(marker, String(GENERATOR_VERSION));
  // Let the kernel write the new files out first, or the floors measure writeback.
  await new Deno.Command("sync").output().catch(() => {});
  return pair;
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
  // Sequential batches, like xargs without -P.
  for (let i = 0; i < files.length; i += 5000) {
    const batch = await timeCommand("cat", files.slice(i, i + 5000));
    rssKiB = Math.max(rssKiB, batch.rssKiB);
  }
  return { ms: performance.now() - start, rssKiB };
}

function summarize(samples: Sample[]): Stat {
  return {
    ms: median(samples.map((s) => s.ms)),
    rssKiB: Math.max(...samples.map((s) => s.rssKiB)),
  };
}

/** Times a floor: one untimed run to warm the caches, then `runs` runs. */
async function measureFloor(floor: Floor, runs: number): Promise<Stat> {
  await floor.run();
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await floor.run());
  return summarize(samples);
}

/** One side of a pair: how to time a run, and what to do before each. */
interface Side {
  run: () => Promise<Sample>;
  before?: () => void;
}

/** A paired figure: both tools' series and the median per-pair ratio. */
interface Paired {
  ours: Stat;
  published: Stat;
  ratio: number;
}

/**
 * Times `runs` pairs of ours and the published package, the order flipped
 * every pair (ours first, then the package first, …), after one untimed
 * run of each to warm the module and page caches.
 */
async function measurePaired(
  a: Side,
  b: Side,
  runs: number,
): Promise<Paired> {
  const once = (side: Side) => {
    side.before?.();
    return side.run();
  };
  await once(a);
  await once(b);
  const samplesA: Sample[] = [];
  const samplesB: Sample[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    let sampleA: Sample;
    let sampleB: Sample;
    if (i % 2 === 0) {
      sampleA = await once(a);
      sampleB = await once(b);
    } else {
      sampleB = await once(b);
      sampleA = await once(a);
    }
    samplesA.push(sampleA);
    samplesB.push(sampleB);
    ratios.push(sampleA.ms / sampleB.ms);
  }
  return {
    ours: summarize(samplesA),
    published: summarize(samplesB),
    ratio: median(ratios),
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

/** Fresh empty folder per run, removed after it. */
async function inFreshDir(
  run: (dir: string) => Promise<Sample>,
): Promise<Sample> {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
  try {
    return await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One printed figure. */
interface Row {
  label: string;
  paired: Paired;
  runs: number;
  /** Target for the ratio to the published package, NaN when none. */
  target: number;
  /** Docs in the repo, for the cost per doc. */
  docs?: number;
  /** Floors to print this figure's ratio against. */
  floors: { name: string; stat: Stat }[];
  cold?: boolean;
}

const startLoad = currentLoad();
const benchStart = performance.now();
await Deno.mkdir(WORK, { recursive: true });
await Deno.writeTextFile(EMPTY, "");
await Deno.writeTextFile(EMPTY_JS, "");
await extractPublished();
const reader = await compileReader();

const rows: Row[] = [];
const floorRows: { label: string; stat: Stat; runs: number }[] = [];
const curves: { docs: number; rows: { workers: number; stat: Stat }[] }[] = [];

const initRuns = runsFor(0);
const denoFloor = await measureFloor(await emptyDeno(), initRuns);
const nodeFloor = await measureFloor({
  label: "node, empty program",
  run: () => timeCommand("node", [EMPTY_JS]),
}, initRuns);
floorRows.push(
  {
    label: BIN ? "compiled empty program" : "deno run, empty program",
    stat: denoFloor,
    runs: initRuns,
  },
  { label: "node, empty program", stat: nodeFloor, runs: initRuns },
);
const startFloors = [
  { name: BIN ? "empty binary" : "empty deno", stat: denoFloor },
  { name: "empty node", stat: nodeFloor },
];
rows.push({
  label: "init, empty repo",
  paired: await measurePaired(
    { run: () => inFreshDir((dir) => ours(["init", dir])) },
    { run: () => inFreshDir((dir) => published(["init", dir])) },
    initRuns,
  ),
  runs: initRuns,
  target: 0.5,
  floors: startFloors,
});
{
  const ourDir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
  const theirDir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
  await ownInit(ourDir);
  await published(["init", theirDir]);
  rows.push({
    label: "re-init",
    paired: await measurePaired(
      { run: () => ours(["init", ourDir]) },
      { run: () => published(["init", theirDir]) },
      initRuns,
    ),
    runs: initRuns,
    target: 0.5,
    floors: startFloors,
  });
  await Deno.remove(ourDir, { recursive: true });
  await Deno.remove(theirDir, { recursive: true });
}

for (const docs of SIZES) {
  const runs = runsFor(docs);
  const repos = await generateRepos(docs);
  const files = docFiles(repos.ours);
  const count = docs.toLocaleString("en-US");
  const cat = await measureFloor({
    label: "cat",
    run: () => catAll(files),
  }, runs);
  floorRows.push({ label: `cat of ${count} docs`, stat: cat, runs });
  const floors = [{ name: "cat", stat: cat }];
  if (typeof reader === "string") {
    const readerStat = await measureFloor({
      label: "C reader",
      run: () => timeCommand(reader, [join(repos.ours, ".waypoint", "docs")]),
    }, runs);
    floorRows.push({
      label: `C reader, ${count} docs`,
      stat: readerStat,
      runs,
    });
    floors.push({ name: "C reader", stat: readerStat });
  }
  if (docs >= 10000) {
    curves.push({ docs, rows: await workerCurve(repos.ours, runs) });
  }
  for (const command of ["sync", "doctor"]) {
    const theirs = { run: () => published([command, repos.published]) };
    rows.push({
      label: `${command}, ${count} docs, cold`,
      paired: await measurePaired(
        { run: () => ours([command, repos.ours]), before: clearCache },
        theirs,
        runs,
      ),
      runs,
      target: docs >= 10000 ? 0.5 : NaN,
      docs,
      floors,
      cold: true,
    });
    await ours([command, repos.ours]);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await ours([command, repos.ours]); // fill the cache past its racy window
    rows.push({
      label: `${command}, ${count} docs, warm`,
      paired: await measurePaired(
        { run: () => ours([command, repos.ours]) },
        theirs,
        runs,
      ),
      runs,
      target: 0.35,
      docs,
      floors,
      cold: false,
    });
  }
}

async function nodeVersion(): Promise<string> {
  const output = await new Deno.Command("node", { args: ["--version"] })
    .output();
  return new TextDecoder().decode(output.stdout).trim();
}

const mib = (kib: number) => kib ? (kib / 1024).toFixed(0) : "?";
const times = (value: number) => `${value.toFixed(2)}×`;

console.log(
  `\n### Scaffold commands: ours (${
    BIN
      ? `compiled binary ${BIN}`
      : `deno run${
        Deno.env.get("BENCH_MAIN") ? ` of ${MAIN}` : ""
      }, warm module cache`
  }) against the published waypoint-codex 0.9.0 (node ${await nodeVersion()})\n`,
);
console.log(
  `Medians of paired runs, order flipped every pair; ratio = median of per-pair ours / published; peak RSS from ${RSS_SOURCE} (largest of the series); load average ${startLoad} before, ${currentLoad()} after; ${
    ((performance.now() - benchStart) / 1000).toFixed(0)
  } s in all.\n`,
);
console.log(
  "| figure | pairs | ours ms | published ms | ours / published | target | ok | ours MiB | published MiB | ours ÷ floors | published ÷ floors | µs/doc beyond start-up, ours / published |",
);
console.log(
  "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- | ---: |",
);
for (const row of rows) {
  const { ours: a, published: b, ratio } = row.paired;
  const hasTarget = !Number.isNaN(row.target);
  const target = hasTarget ? `≤ ${row.target}×` : "";
  const ok = hasTarget ? (ratio <= row.target ? "pass" : "**FAIL**") : "";
  const againstFloors = (stat: Stat) =>
    row.floors.map((floor) => `${times(stat.ms / floor.stat.ms)} ${floor.name}`)
      .join(", ");
  // What a command costs once its runtime is up: its time less the empty
  // program's, per doc.
  const perDoc = row.docs
    ? `${((a.ms - denoFloor.ms) / row.docs * 1000).toFixed(1)} / ${
      ((b.ms - nodeFloor.ms) / row.docs * 1000).toFixed(1)
    }`
    : "";
  console.log(
    `| ${row.label} | ${row.runs} | ${a.ms.toFixed(1)} | ${b.ms.toFixed(1)} | ${
      times(ratio)
    } | ${target} | ${ok} | ${mib(a.rssKiB)} | ${mib(b.rssKiB)} | ${
      againstFloors(a)
    } | ${againstFloors(b)} | ${perDoc} |`,
  );
}

console.log("\nFloors (for reference, no targets):\n");
console.log("| floor | runs | median ms | peak MiB |");
console.log("| --- | ---: | ---: | ---: |");
for (const floor of floorRows) {
  console.log(
    `| ${floor.label} | ${floor.runs} | ${floor.stat.ms.toFixed(1)} | ${
      mib(floor.stat.rssKiB)
    } |`,
  );
}
if (typeof reader !== "string") {
  console.log(`\nC reader floor skipped: ${reader.skipped}.`);
}

const MEMORY_SIZE = 100000;
if (SIZES.includes(MEMORY_SIZE)) {
  for (const cold of [true, false]) {
    const peak = Math.max(
      ...rows.filter((row) => row.docs === MEMORY_SIZE && row.cold === cold)
        .map((row) => row.paired.ours.rssKiB),
    ) / 1024;
    console.log(
      `${cold ? "\n" : ""}Peak memory at 100,000 docs, ${
        cold ? "cold" : "warm"
      }: ${peak.toFixed(0)} MiB (target ≤ 150 MiB) ${
        peak > 0 && peak <= 150 ? "pass" : "**FAIL**"
      }`,
    );
  }
} else {
  console.log(
    "\nPeak memory target (100,000 docs) not checked: size not in --sizes.",
  );
}
for (const curve of curves) {
  const none = curve.rows[0].stat.ms;
  console.log(
    `\nIndex workers (WAYPOINT_INDEX_WORKERS), cold sync of ${
      curve.docs.toLocaleString("en-US")
    } docs, ${navigator.hardwareConcurrency} cores, interleaved runs: ${
      curve.rows.map(({ workers, stat }) =>
        `${workers}: ${stat.ms.toFixed(1)} ms (${times(stat.ms / none)})`
      ).join(", ")
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
    const perDoc = series.map((row) =>
      (row.paired.ours.ms - denoFloor.ms) / row.docs!
    );
    const grows = perDoc.some((cost, i) => i > 0 && cost > perDoc[i - 1] * 1.1);
    console.log(
      `Cost per doc beyond start-up, ours, ${kind} ${mode}: ${
        series.map((row, i) =>
          `${row.docs!.toLocaleString("en-US")}: ${
            (perDoc[i] * 1000).toFixed(1)
          } µs`
        ).join(", ")
      }${grows ? " **grows faster than linear**" : " (no step above linear)"}`,
    );
  }
}
