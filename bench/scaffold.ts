/**
 * Benchmark of the scaffold commands, run as a user runs them (`deno run`
 * on a warm cache, one process per run): `init` on an empty repo, and `sync`
 * and `doctor` on generated repos of 1,000 and 10,000 routable docs.
 * Prints medians; asserts nothing.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const WORK = fileURLToPath(new URL("./.work/", import.meta.url));
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 15);
const ENV = {
  ...Deno.env.toObject(),
  WAYPOINT_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
};

async function timeRun(
  args: string[],
  expectCodes = [0, 1, 2],
): Promise<number> {
  const start = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: ENV,
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - start;
  if (!expectCodes.includes(output.code)) {
    throw new Error(
      `waypoint ${args.join(" ")} exited ${output.code}: ${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
    await Deno.stat(marker);
    return root;
  } catch {
    // Not generated yet.
  }
  await Deno.remove(root, { recursive: true }).catch(() => {});
  await Deno.mkdir(root, { recursive: true });
  await timeRun(["init", root]);
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
  await timeRun(["sync", root]);
  await Deno.writeTextFile(marker, "");
  return root;
}

async function measure(
  label: string,
  run: () => Promise<number>,
): Promise<[string, number]> {
  await run(); // warm the module cache and the page cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return [label, median(samples)];
}

const rows: [string, number][] = [];
rows.push(
  await measure("init, empty repo", async () => {
    const dir = await Deno.makeTempDir({ prefix: "waypoint-bench-" });
    try {
      return await timeRun(["init", dir]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }),
);
for (const docs of [1000, 10000]) {
  const root = await generateRepo(docs);
  rows.push(
    await measure(
      `sync, ${docs.toLocaleString("en-US")} docs`,
      () => timeRun(["sync", root]),
    ),
  );
  rows.push(
    await measure(
      `doctor, ${docs.toLocaleString("en-US")} docs`,
      () => timeRun(["doctor", root]),
    ),
  );
}
console.log(
  `\n### Scaffold commands (median of ${RUNS} runs, deno run, warm cache)\n`,
);
console.log("| command | median wall ms |");
console.log("| --- | ---: |");
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(1)} |`);
