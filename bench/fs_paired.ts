/**
 * Paired before/after timing for a change below `src/fs`: `init` on an empty
 * repo, re-`init`, `sync` of 1,000 docs (warm, and after one new doc so the
 * index is rewritten), each run of the other checkout (`BENCH_BEFORE`, a
 * `main.ts`) interleaved with a run of this one, the order flipped every
 * pair; plus 2,000 in-process writes of each version (`writeRepoFile`, or
 * `Repo.write` on a repo opened once).
 * Prints medians and the median of the per-pair ratios (after / before).
 *
 * Usage: BENCH_BEFORE=/other/checkout/main.ts deno run -A bench/fs_paired.ts [--runs N]
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, timeProcess } from "./timing.ts";

const AFTER = fileURLToPath(new URL("../main.ts", import.meta.url));
const BEFORE = Deno.env.get("BENCH_BEFORE");
if (!BEFORE) {
  throw new Error("set BENCH_BEFORE to the other checkout's main.ts");
}
const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string" } },
});
const RUNS = Number(values.runs ?? 11);
const WORK = await Deno.makeTempDir({ prefix: "waypoint-fs-paired-" });
const ENV = {
  ...Deno.env.toObject(),
  WAYPOINT_NO_UPDATE_CHECK: "1",
  WAYPOINT_CACHE_DIR: join(WORK, "cache"),
  NO_COLOR: "1",
};

async function run(main: string, args: string[]): Promise<number> {
  const timed = await timeProcess(
    Deno.execPath(),
    ["run", "-A", "--quiet", main, ...args],
    { env: ENV, peakRss: false },
  );
  return timed.ms;
}

function docText(index: number): string {
  return `---\nsummary: Generated doc ${index}\nlast_updated: "2026-11-01"\nread_when:\n  - changing subsystem ${
    index % 37
  }\n---\n\n# Doc ${index}\n\n${"Body text. ".repeat(100)}\n`;
}

async function docsRepo(name: string, docs: number): Promise<string> {
  const root = join(WORK, name);
  await Deno.mkdir(root);
  await run(AFTER, ["init", root]);
  for (let start = 0; start < docs; start += 100) {
    const dir = join(root, ".waypoint", "docs", `area-${start / 100}`);
    await Deno.mkdir(dir, { recursive: true });
    for (let i = start; i < Math.min(docs, start + 100); i++) {
      await Deno.writeTextFile(join(dir, `doc-${i}.md`), docText(i));
    }
  }
  await run(AFTER, ["sync", root]);
  return root;
}

interface Case {
  label: string;
  /** One timed run of `main`; `pair` numbers the pair. */
  once: (main: string, pair: number, side: string) => Promise<number>;
}

let fresh = 0;
const reinitRepo = join(WORK, "reinit");
await Deno.mkdir(reinitRepo);
await run(AFTER, ["init", reinitRepo]);
const syncRepo = await docsRepo("sync", 1000);

const CASES: Case[] = [
  {
    label: "init (empty repo)",
    once: async (main) => {
      const root = join(WORK, `fresh-${fresh++}`);
      await Deno.mkdir(root);
      return await run(main, ["init", root]);
    },
  },
  { label: "re-init", once: (main) => run(main, ["init", reinitRepo]) },
  {
    label: "sync 1k docs (warm)",
    once: (main) => run(main, ["sync", syncRepo]),
  },
  {
    label: "sync 1k docs + 1 new doc",
    once: async (main, pair, side) => {
      await Deno.writeTextFile(
        join(syncRepo, ".waypoint", "docs", `new-${pair}-${side}.md`),
        docText(100_000 + pair),
      );
      return await run(main, ["sync", syncRepo]);
    },
  },
];

function row(label: string, before: number[], after: number[]): string {
  const ratios = before.map((b, i) => after[i] / b);
  return `| ${label} | ${median(before).toFixed(1)} | ${
    median(after).toFixed(1)
  } | ${median(ratios).toFixed(3)} |`;
}

console.log(`| case (${RUNS} pairs) | before ms | after ms | after/before |`);
console.log("|---|---|---|---|");
for (const testCase of CASES) {
  const before: number[] = [];
  const after: number[] = [];
  await testCase.once(AFTER, -1, "warm");
  await testCase.once(BEFORE, -1, "warm");
  for (let pair = 0; pair < RUNS; pair++) {
    if (pair % 2 === 0) {
      before.push(await testCase.once(BEFORE, pair, "b"));
      after.push(await testCase.once(AFTER, pair, "a"));
    } else {
      after.push(await testCase.once(AFTER, pair, "a"));
      before.push(await testCase.once(BEFORE, pair, "b"));
    }
  }
  console.log(row(testCase.label, before, after));
}

// In-process: the cost of the syscalls themselves, without process start-up.
type WriteFn = (root: string, path: string, content: string) => void;
interface WritableRepo {
  write(path: string, content: string): void;
}
/** A checkout's write: the free `writeRepoFile`, or (after issue 22) a `Repo` opened once per root. */
async function writer(main: string): Promise<WriteFn> {
  const mod = await import(join(dirname(main), "src", "fs", "mod.ts"));
  if (mod.writeRepoFile) return mod.writeRepoFile as WriteFn;
  const open = mod.Repo.open as (root: string) => WritableRepo;
  let last: { root: string; repo: WritableRepo } | undefined;
  return (root, path, content) => {
    if (last?.root !== root) last = { root, repo: open(root) };
    last.repo.write(path, content);
  };
}
const writers = { before: await writer(BEFORE), after: await writer(AFTER) };
const micro = { before: [] as number[], after: [] as number[] };
for (let pair = 0; pair < RUNS; pair++) {
  for (
    const side of pair % 2
      ? ["after", "before"] as const
      : ["before", "after"] as const
  ) {
    const root = join(WORK, `micro-${pair}-${side}`);
    await Deno.mkdir(root);
    const write = writers[side];
    const start = performance.now();
    for (let i = 0; i < 2000; i++) {
      write(root, `.waypoint/docs/d${i % 20}/f${i}.md`, `# ${i}\n`);
    }
    micro[side].push(performance.now() - start);
  }
}
console.log(row("2,000 writes in-process", micro.before, micro.after));
await Deno.remove(WORK, { recursive: true });
