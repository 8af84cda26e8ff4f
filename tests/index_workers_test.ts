/**
 * Reading docs through the worker pool (`WAYPOINT_INDEX_WORKERS`) changes
 * nothing a user sees: over a repo of 3,000 docs of every kind the indexes
 * meet (routable, invalid, lenient, js-yaml only, binary, not UTF-8,
 * symlinked, without frontmatter), `sync` and `doctor` print the same JSON
 * and write the same index bytes with 0, 1 and 2 workers, cold and warm;
 * a pool whose workers fail gives its reads back to the main thread.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
} from "./support/cli.ts";
import { ReadPool } from "../src/indexes/read_parallel.ts";

const DOCS = 3_000;

function docText(index: number): string | Uint8Array {
  switch (index % 10) {
    case 0:
      return "# No frontmatter\n";
    case 1:
      return "---\nsummary: Missing its date\nread_when:\n  - never\n---\n";
    case 2: // strict YAML refuses it; the old line format reads it
      return `---\nsummary: Deploys: how doc ${index} works\nlast_updated: "2026-01-02"\nread_when:\n  - deploying\n---\n`;
    case 3: // only js-yaml reads it
      return `---\nsummary: Doc ${index} # a comment\nlast_updated: "2026-01-02"\nread_when: [a, b]\n---\n`;
    case 4:
      return new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0, 1, 2, 0x0a]);
    case 5:
      return new Uint8Array([
        ...new TextEncoder().encode("---\nsummary: caf"),
        0xe9,
        ...new TextEncoder().encode('\nlast_updated: "2026-01-02"\n---\n'),
      ]);
    default:
      return `---\nsummary: Doc ${index} about part ${
        index % 17
      }\nlast_updated: "2026-01-0${
        1 + index % 9
      }"\nread_when:\n  - changing part ${
        index % 17
      }\nstatus: active\n---\n\n# Doc ${index}\n`;
  }
}

async function makeRepo(): Promise<string> {
  const root = await makeTempDir("waypoint-workers-");
  const init = await runCli(["init", root]);
  assert.equal(init.code, 0, init.stderr);
  const docs = join(root, ".waypoint", "docs");
  for (let index = 0; index < DOCS; index++) {
    const dir = join(docs, `area-${index % 30}`);
    if (index < 30) await Deno.mkdir(dir, { recursive: true });
    const text = docText(index);
    const path = join(dir, `doc-${index}.md`);
    if (typeof text === "string") await Deno.writeTextFile(path, text);
    else await Deno.writeFile(path, text);
  }
  await Deno.symlink(
    join(docs, "area-7", "doc-7.md"),
    join(docs, "area-8", "link-to-7.md"),
  );
  return root;
}

Deno.test("0, 1 and 2 index workers give the same sync and doctor output and the same index bytes", async () => {
  const root = await makeRepo();
  const cache = await makeTempDir("waypoint-workers-cache-");
  try {
    const seen = new Map<string, string>();
    for (const workers of ["0", "1", "2"]) {
      await Deno.remove(cache, { recursive: true }).catch(() => {});
      const env = {
        WAYPOINT_CACHE_DIR: cache,
        WAYPOINT_INDEX_WORKERS: workers,
        WAYPOINT_INDEX_PARALLEL_MIN: "1000",
      };
      // Every count starts from no index, so each cold sync writes it.
      for (const index of ["DOCS_INDEX.md", "TRACKS_INDEX.md"]) {
        await Deno.remove(join(root, ".waypoint", index));
      }
      for (const round of ["cold", "warm"]) {
        for (const command of ["sync", "doctor"]) {
          const run = await runCli([command, "--json", root], { env });
          assert.ok(run.code === 0 || run.code === 1, run.stderr);
          const index = await readRepoFile(root, ".waypoint/DOCS_INDEX.md");
          const outcome = JSON.stringify([run.code, run.stdout, index]);
          const key = `${round} ${command}`;
          if (!seen.has(key)) seen.set(key, outcome);
          assert.equal(outcome, seen.get(key), `${key}, ${workers} workers`);
        }
      }
    }
    // The repo really has every kind, so equal outputs mean something.
    const sync = JSON.parse(JSON.parse(seen.get("cold sync")!)[1]);
    assert.ok(sync.skipped.length >= DOCS / 10, "invalid docs");
    assert.ok(sync.lenient.length >= DOCS / 20, "lenient docs");
    assert.ok(sync.problems.length >= DOCS / 10, "unreadable docs");
    const index = JSON.parse(seen.get("cold sync")!)[2] as string;
    // Read by js-yaml: the comment dropped, the flow list read.
    assert.match(index, /doc-3\.md\*\* — Doc 3\n {2}Read when: a; b\n/);
    assert.match(index, /link-to-7\.md/);
  } finally {
    await removeTempDir(root);
    await removeTempDir(cache);
  }
});

Deno.test("a pool whose workers fail answers undefined, so the main thread reads", async () => {
  const root = await makeTempDir("waypoint-workers-");
  try {
    // One file for each worker, so each is asked and each fails.
    const files = [
      { path: "a.md", real: "a.md" },
      { path: "b.md", real: "b.md" },
    ];
    for (const name of ["fails_at_load.ts", "fails_on_read.ts"]) {
      const module = new URL(`./fixtures/workers/${name}`, import.meta.url);
      const pool = ReadPool.start(root, 2, module);
      assert.ok(pool, name);
      try {
        assert.equal(await pool.read(files), undefined, name);
        assert.equal(pool.size(), 0, name);
        assert.equal(await pool.read(files), undefined, `${name}, again`);
      } finally {
        pool.close();
      }
    }
    const none = ReadPool.start(root, 0);
    assert.equal(none, undefined);
  } finally {
    await removeTempDir(root);
  }
});
