import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { recordLine } from "../src/indexes/cache.ts";

/** The doc lines of a cache file (JSON Lines after a header line). */
function cacheLines(text: string): unknown[][] {
  const [header, ...lines] = text.trimEnd().split("\n");
  assertEquals(JSON.parse(header).format, 5);
  return lines.map((line) => JSON.parse(line));
}

const doc = (summary: string) =>
  `---\nsummary: ${summary}\nlast_updated: "2026-01-01"\nread_when: [always]\n---\n`;

Deno.test("the frontmatter cache is written for large doc sets and never serves a changed file", async () => {
  const dir = await makeTempDir();
  const cacheDir = await makeTempDir("waypoint-cache-");
  const env = { WAYPOINT_CACHE_DIR: cacheDir, WAYPOINT_INDEX_CACHE_MIN: "0" };
  try {
    assertEquals((await runCli(["init", dir], { env })).code, 0);
    const past = new Date(Date.now() - 60_000);
    for (const name of ["alpha", "beta"]) {
      const path = join(dir, ".waypoint", "docs", `${name}.md`);
      await Deno.writeTextFile(path, doc(`Summary ${name}`));
      await Deno.utime(path, past, past);
    }
    // Files changed within two seconds of a run are never cached (their timestamps could repeat).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assertEquals((await runCli(["sync", dir], { env })).code, 0);
    const cacheFiles = [...Deno.readDirSync(join(cacheDir, "frontmatter"))];
    assertEquals(cacheFiles.length, 1);
    const cachedPaths = cacheLines(
      await Deno.readTextFile(
        join(cacheDir, "frontmatter", cacheFiles[0].name),
      ),
    ).map((line) => line[0]);
    assert(
      cachedPaths.includes(".waypoint/docs/alpha.md"),
      "old files are cached",
    );

    // Same size, same mtime, different content: only the ctime tells, and it must.
    const alpha = join(dir, ".waypoint", "docs", "alpha.md");
    await Deno.writeTextFile(alpha, doc("Summary gamma"));
    await Deno.utime(alpha, past, past);
    assertEquals((await runCli(["sync", dir], { env })).code, 0);
    const index = await readRepoFile(dir, ".waypoint/DOCS_INDEX.md");
    assertMatch(index, /alpha\.md\*\* — Summary gamma/);

    // A corrupt cache is ignored.
    await Deno.writeTextFile(
      join(cacheDir, "frontmatter", cacheFiles[0].name),
      "{not json",
    );
    await writeRepoFile(dir, ".waypoint/docs/beta.md", doc("Summary delta"));
    assertEquals((await runCli(["sync", dir], { env })).code, 0);
    assertMatch(
      await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"),
      /beta\.md\*\* — Summary delta/,
    );
    const doctor = await runCli(["doctor", dir], { env });
    assertEquals(doctor.code, 0, doctor.stdout);
  } finally {
    await removeTempDir(dir);
    await removeTempDir(cacheDir);
  }
});

Deno.test("small doc sets write no cache", async () => {
  const dir = await makeTempDir();
  const cacheDir = await makeTempDir("waypoint-cache-");
  try {
    const env = { WAYPOINT_CACHE_DIR: cacheDir };
    assertEquals((await runCli(["init", dir], { env })).code, 0);
    assertEquals((await runCli(["doctor", dir], { env })).code, 0);
    assertEquals([...Deno.readDirSync(cacheDir)].length, 0);
  } finally {
    await removeTempDir(dir);
    await removeTempDir(cacheDir);
  }
});

Deno.test("the cache serves docs with quotes, backslashes and non-ASCII in their names, and shrugs off damaged lines", async () => {
  const dir = await makeTempDir();
  const cacheDir = await makeTempDir("waypoint-cache-");
  const env = { WAYPOINT_CACHE_DIR: cacheDir, WAYPOINT_INDEX_CACHE_MIN: "0" };
  const names = ['say "hi".md', "back\\slash.md", "naïve — ünïcode.md"];
  if (Deno.build.os === "windows") names.splice(0, 2);
  try {
    assertEquals((await runCli(["init", dir], { env })).code, 0);
    const past = new Date(Date.now() - 60_000);
    for (const [i, name] of names.entries()) {
      const path = join(dir, ".waypoint", "docs", name);
      await Deno.writeTextFile(path, doc(`Odd name ${i}`));
      await Deno.utime(path, past, past);
    }
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assertEquals((await runCli(["sync", dir], { env })).code, 0);
    const [cacheName] = [...Deno.readDirSync(join(cacheDir, "frontmatter"))]
      .map((entry) => entry.name);
    const cacheFile = join(cacheDir, "frontmatter", cacheName);
    const cached = cacheLines(await Deno.readTextFile(cacheFile));
    for (const name of names) {
      assert(
        cached.some((line) => line[0] === `.waypoint/docs/${name}`),
        `${name} is cached under its own path`,
      );
    }

    const indexBefore = await readRepoFile(dir, ".waypoint/DOCS_INDEX.md");
    const text = await Deno.readTextFile(cacheFile);
    const [header, ...lines] = text.trimEnd().split("\n");
    const { root } = JSON.parse(header);
    // Each line ends in its checksum; the records themselves come before it.
    const entries = lines.map((line) => JSON.parse(line).slice(0, -1));
    const rewrite = async (docLines: string[]) => {
      await Deno.writeTextFile(
        cacheFile,
        [header, ...docLines].join("\n") + "\n",
      );
      await Deno.remove(join(dir, ".waypoint", "DOCS_INDEX.md"));
      // The scan memo would answer before the cache this test forges.
      await Deno.remove(join(cacheDir, "scans"), { recursive: true });
      const sync = await runCli(["sync", dir], { env });
      assertEquals(sync.code, 0, sync.stderr);
      return await readRepoFile(dir, ".waypoint/DOCS_INDEX.md");
    };

    // Lines whose key and checksum still match are served as they are, so
    // the lookup by each odd path works (the index entries, stored rendered
    // in the record's last field, show it came from the cache).
    const forged = await rewrite(
      entries.map((entry) =>
        recordLine(root, [
          ...entry.slice(0, 12),
          String(entry[12]).replace(" — ", ` — Cached ${entry[0]} `),
        ])
      ),
    );
    for (const name of names) {
      assertMatch(
        forged,
        new RegExp(`— Cached \\.waypoint/docs/${RegExp.escape(name)}`),
      );
    }

    // Damaged lines (cut short, a number where text belongs even under a
    // right checksum, an edit the checksum does not match) are ignored: the
    // doc is read again.
    const damaged = await rewrite([
      lines[0].slice(0, 20),
      recordLine(root, [...entries[1].slice(0, 6), 42, ...entries[1].slice(7)]),
      lines[2].replace("Odd name", "Odd nbme"),
    ]);
    assertEquals(damaged, indexBefore);
  } finally {
    await removeTempDir(dir);
    await removeTempDir(cacheDir);
  }
});
