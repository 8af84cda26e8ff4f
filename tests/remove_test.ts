/**
 * `waypoint remove` as a user runs it: what it deletes, what it keeps, what
 * it cuts out of files the user shares with waypoint, and how it refuses.
 *
 * @module
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import {
  pathExists,
  readRepoFile,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";

async function listAll(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(dir, rel))) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(`${path}/`, ...await listAll(dir, path));
    else out.push(path);
  }
  return out.sort();
}

Deno.test("remove: a fresh scaffold goes entirely; the user's own files and hooks stay", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "notes.txt", "mine\n");
    const userHooks = {
      hooks: {
        SessionStart: [{
          matcher: "startup",
          hooks: [{ type: "command", command: "echo mine" }],
        }],
      },
    };
    await writeRepoFile(
      dir,
      ".codex/hooks.json",
      JSON.stringify(userHooks, null, 2) + "\n",
    );
    assertEquals((await runCli(["init", dir])).code, 0);
    assert(await pathExists(join(dir, ".gitignore")));
    const removed = await runCli(["remove", dir]);
    assertEquals(removed.code, 0, removed.stderr);
    assertMatch(removed.stdout, /Removed \.waypoint\/manifest\.json/);
    assertMatch(
      removed.stdout,
      /Removed AGENTS\.md: held only the waypoint block/,
    );
    assertMatch(
      removed.stdout,
      /Removed \.gitignore: held only waypoint's lines/,
    );
    assertEquals(await listAll(dir), [
      ".codex/",
      ".codex/hooks.json",
      "notes.txt",
    ]);
    assertEquals(
      JSON.parse(await readRepoFile(dir, ".codex/hooks.json")),
      userHooks,
    );
  });
});

Deno.test("remove: waypoint's offer goes, the edited file stays; --dry-run changes nothing", async () => {
  await withTempRepo(async (dir) => {
    const path = ".waypoint/SOUL.md";
    await writeRepoFile(dir, path, "our soul\n");
    const manifestPath = join(dir, ".waypoint/manifest.json");
    const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
    manifest.files[path].sha256 = "0".repeat(64);
    await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
    // The template "changed" since the recorded base: an offer is written.
    assertEquals((await runCli(["init", dir])).code, 0);
    assert(await pathExists(join(dir, `${path}.waypoint-new`)));
    const before = await listAll(dir);
    const dry = await runCli(["remove", dir, "--dry-run"]);
    assertEquals(dry.code, 0, dry.stderr);
    assertMatch(dry.stdout, /Would remove \.waypoint\/SOUL\.md\.waypoint-new/);
    assertEquals(await listAll(dir), before);
    const removed = await runCli(["remove", dir]);
    assertEquals(removed.code, 0, removed.stderr);
    assertMatch(removed.stdout, /Kept \.waypoint\/SOUL\.md: you edited it/);
    assertMatch(removed.stdout, /1 you edited kept \(\.waypoint\/SOUL\.md\)/);
    assertEquals(await listAll(dir), [".waypoint/", path]);
    assertEquals(await readRepoFile(dir, path), "our soul\n");
  }, { init: true });
});

Deno.test("remove: no manifest is one line and exit 1; broken AGENTS markers are left alone with exit 1", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".waypoint/config.toml", "");
    const none = await runCli(["remove", dir]);
    assertEquals(none.code, 1);
    assertEquals(none.stderr.trim().split("\n").length, 1, none.stderr);
    assertMatch(
      none.stderr,
      /has no \.waypoint\/manifest\.json.*nothing was removed/,
    );
  });
  await withTempRepo(async (dir) => {
    const agents = (await readRepoFile(dir, "AGENTS.md")) +
      "\n<!-- waypoint:start -->\n";
    await writeRepoFile(dir, "AGENTS.md", agents);
    const removed = await runCli(["remove", dir]);
    assertEquals(removed.code, 1, removed.stdout);
    assertMatch(removed.stdout, /Left AGENTS\.md: left alone: it has 2 start/);
    assertEquals(await readRepoFile(dir, "AGENTS.md"), agents);
  }, { init: true });
});
