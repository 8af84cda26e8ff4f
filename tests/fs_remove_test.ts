/**
 * `src/fs/remove.ts` through the `Repo`: nothing is removed without its
 * proof, a tree only when every file passes, and stale temp files are found
 * by name and cleared.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "./support/assert.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { withScratchRepo } from "./support/fs_repo.ts";

const exists = (path: string) => Deno.lstat(path).then(() => true, () => false);

Deno.test({
  ...requires("remove takes a proof; links and folders are kept", posixOnly()),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    await Deno.writeTextFile(join(root, "mine.md"), "mine");
    await Deno.writeTextFile(join(root, "theirs.md"), "theirs");
    await Deno.writeTextFile(join(outside, "o.md"), "o");
    await Deno.symlink(join(outside, "o.md"), join(root, "link.md"));
    const isMine = (bytes: Uint8Array) =>
      new TextDecoder().decode(bytes) === "mine";
    assertEquals(await repo.remove("mine.md", isMine), { removed: true });
    const kept = await repo.remove("theirs.md", isMine);
    assertEquals(kept, {
      removed: false,
      reason: "kept: its content is not what waypoint wrote",
    });
    const link = await repo.remove("link.md", () => true);
    assertMatch(link.removed ? "" : link.reason, /kept: it is a symlink/);
    assertEquals(await repo.remove("gone.md", () => false), { removed: true });
    assertEquals(await exists(join(root, "theirs.md")), true);
    assertEquals(await exists(join(outside, "o.md")), true);
  });
});

Deno.test("removeTree removes all or nothing; removeDirIfEmpty only empties", async () => {
  await withScratchRepo(async ({ root, repo }) => {
    repo.write("t/a.md", "ok");
    repo.write("t/sub/b.md", "ok");
    repo.write("t/sub/c.md", "not ok");
    const proof = (_path: string, bytes: Uint8Array) =>
      new TextDecoder().decode(bytes) === "ok";
    const kept = await repo.removeTree("t", proof);
    assertEquals(kept, {
      removed: false,
      reason: "kept: t/sub/c.md is not a file waypoint wrote",
    });
    assertEquals(await exists(join(root, "t/a.md")), true);
    assertEquals(repo.removeDirIfEmpty("t/sub"), false);
    repo.write("t/sub/c.md", "ok");
    assertEquals(await repo.removeTree("t", proof), { removed: true });
    assertEquals(await exists(join(root, "t")), false);
    repo.ensureDir("empty");
    assertEquals(repo.removeDirIfEmpty("empty"), true);
  });
});

Deno.test("stale temps are found by name, regular files only, and removed", async () => {
  await withScratchRepo(async ({ root, repo }) => {
    repo.write("d/a.md", "a");
    await Deno.writeTextFile(
      join(root, "d/.a.md.waypoint-tmp-0123456789ab"),
      "t",
    );
    await Deno.writeTextFile(
      join(root, "d/a.md.waypoint-tmp-0123456789ab"),
      "not hidden",
    );
    await Deno.mkdir(join(root, "d/.b.md.waypoint-tmp-0123456789ab"));
    assertEquals(repo.findStaleTemps(["d", "missing"]), [
      "d/.a.md.waypoint-tmp-0123456789ab",
    ]);
    assertEquals(repo.removeStaleTemps(["d"]), [
      "d/.a.md.waypoint-tmp-0123456789ab",
    ]);
    assertEquals(repo.findStaleTemps(["d"]), []);
  });
});
