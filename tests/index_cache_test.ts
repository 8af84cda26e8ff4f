import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";

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
    const cache = JSON.parse(
      await Deno.readTextFile(
        join(cacheDir, "frontmatter", cacheFiles[0].name),
      ),
    );
    assert(".waypoint/docs/alpha.md" in cache.entries, "old files are cached");

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
