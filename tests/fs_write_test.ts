/**
 * `src/fs/write.ts` through the `Repo`: atomic writes that keep the mode and
 * leave no temp file, folders made level by level, exclusive creation,
 * backups that never collide, and refusals of links, folders and special
 * files in the way. Also the root's identity: a root swapped after the repo
 * was opened takes no write.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { withScratchRepo } from "./support/fs_repo.ts";
import { Repo } from "../src/fs/mod.ts";

function refusal(write: () => unknown): string {
  try {
    write();
  } catch (error) {
    return String(error);
  }
  return "written";
}

Deno.test({
  ...requires(
    "write replaces atomically, keeps the mode, and leaves no temp file",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, repo }) => {
    repo.write("deep/er/a.sh", "one");
    await Deno.chmod(join(root, "deep/er/a.sh"), 0o750);
    repo.write("deep/er/a.sh", "two");
    assertEquals(await Deno.readTextFile(join(root, "deep/er/a.sh")), "two");
    assertEquals(
      (await Deno.stat(join(root, "deep/er/a.sh"))).mode! & 0o777,
      0o750,
    );
    repo.write("deep/er/b.sh", [new Uint8Array([104, 105])], { mode: 0o700 });
    assertEquals(
      (await Deno.stat(join(root, "deep/er/b.sh"))).mode! & 0o777,
      0o700,
    );
    const names = [...Deno.readDirSync(join(root, "deep/er"))].map((e) =>
      e.name
    ).sort();
    assertEquals(names, ["a.sh", "b.sh"]);
  });
});

Deno.test({
  ...requires(
    "write refuses links, folders and special files, and writes nothing outside",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    await Deno.symlink(outside, join(root, "out"));
    await Deno.symlink(join(outside, "f.md"), join(root, "f.md"));
    await Deno.mkdir(join(root, "dir"));
    assertMatch(
      refusal(() => repo.write("out/x.md", "x")),
      /out: is a symlink; waypoint does not write through it/,
    );
    assertMatch(
      refusal(() => repo.write("f.md", "x")),
      /f\.md: not written: it is a symlink/,
    );
    assertMatch(
      refusal(() => repo.write("dir", "x")),
      /dir: not written: it is a directory/,
    );
    assertMatch(refusal(() => repo.ensureDir("out/sub")), /out: is a symlink/);
    assertEquals([...Deno.readDirSync(outside)], []);
  });
});

Deno.test("createExclusive never replaces; backups never collide", async () => {
  await withScratchRepo(async ({ root, repo }) => {
    assertEquals(repo.createExclusive("new.md", "first"), true);
    assertEquals(repo.createExclusive("new.md", "second"), false);
    assertEquals(await Deno.readTextFile(join(root, "new.md")), "first");
    const now = new Date("2026-01-02T03:04:05.678Z");
    const one = repo.backup("new.md", now);
    const two = repo.backup("new.md", now);
    assertEquals(one, "new.md.waypoint-backup-20260102-030405.678Z");
    assertEquals(two, `${one}-2`);
    assertEquals(await Deno.readTextFile(join(root, two)), "first");
  });
});

Deno.test({
  ...requires(
    "a root swapped for another folder after the repo was opened takes no write",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside }) => {
    const repo = Repo.open(join(root, "repo"));
    // Opened before it exists (as init plans one, then makes the folder):
    // its identity is taken on first need.
    await Deno.mkdir(join(root, "repo"));
    repo.write("a.md", "x");
    assertEquals(await Deno.readTextFile(join(root, "repo/a.md")), "x");
    await Deno.rename(join(root, "repo"), join(root, "moved"));
    await Deno.mkdir(join(root, "repo"));
    assertMatch(
      refusal(() => repo.write("b.md", "x")),
      /the repository folder was replaced/,
    );
    assert(
      (await Deno.lstat(join(root, "repo/b.md")).catch(() => null)) === null,
      "nothing written in the new folder",
    );
    assertEquals([...Deno.readDirSync(outside)], []);
  });
});

/** The descriptors this process has open (Linux: /proc/self/fd). */
/**
 * This process's descriptors open on something below `root` (Linux). Only
 * those: `deno test --parallel` runs other test files in this same process,
 * and their descriptors come and go at any time.
 */
function openFdsBelow(root: string): string[] {
  const real = Deno.realPathSync(root);
  const below: string[] = [];
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      const target = Deno.readLinkSync(`/proc/self/fd/${entry.name}`);
      if (target === real || target.startsWith(`${real}/`)) below.push(target);
    } catch {
      // Closed since the listing.
    }
  }
  return below;
}

Deno.test({
  ...requires(
    "a batch of writes opens each folder once, never through a link swapped in, and closes them all",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, repo, outside }) => {
    const linux = Deno.build.os === "linux";
    await repo.keepingFoldersOpen((writer) => {
      writer.ensureDir("a/b");
      writer.write("a/b/one.md", "1");
      writer.write("a/b/two.md", "2");
      assert(writer.createExclusive("a/three.md", "3"));
      assert(!writer.createExclusive("a/three.md", "again"));
      // A link where a folder the batch has not opened yet should be: refused.
      Deno.symlinkSync(outside, join(root, "c"));
      assertMatch(
        refusal(() => writer.write("c/x.md", "x")),
        /c: is a symlink/,
      );
      // The folder it holds is swapped for a link: the write still lands in
      // the folder it opened (moved aside), never through the link.
      Deno.renameSync(join(root, "a/b"), join(root, "a/b-moved"));
      Deno.symlinkSync(outside, join(root, "a/b"));
      writer.write("a/b/four.md", "4");
    });
    assertEquals([...Deno.readDirSync(outside)], []);
    assertEquals(
      await Deno.readTextFile(join(root, "a/b-moved/four.md")),
      "4",
    );
    assertEquals(await Deno.readTextFile(join(root, "a/b-moved/one.md")), "1");
    assertEquals(await Deno.readTextFile(join(root, "a/three.md")), "3");
    if (linux) assertEquals(openFdsBelow(root), [], "every folder closed");
    // After the batch, writes walk from the root again and see the link.
    assertMatch(
      refusal(() => repo.write("a/b/five.md", "5")),
      /a\/b: is a symlink/,
    );
  });
});

Deno.test({
  ...requires(
    "skipUnchanged leaves a file with the same bytes alone and rewrites any other",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    const path = join(root, "ctx/a.md");
    repo.write("ctx/a.md", "same text\n");
    const before = await Deno.stat(path);
    repo.write("ctx/a.md", "same text\n", { skipUnchanged: true });
    const kept = await Deno.stat(path);
    assertEquals(kept.ino, before.ino, "same bytes: not replaced");
    repo.write("ctx/a.md", [new TextEncoder().encode("same text\n")], {
      skipUnchanged: true,
    });
    assertEquals((await Deno.stat(path)).ino, before.ino, "as chunks too");
    for (const text of ["same text", "same text\n+", "other text\n"]) {
      const was = (await Deno.stat(path)).ino;
      repo.write("ctx/a.md", text, { skipUnchanged: true });
      assertEquals(await Deno.readTextFile(path), text);
      assert((await Deno.stat(path)).ino !== was, `rewritten for ${text}`);
    }
    // A link with the same bytes behind it is still refused, never read as "same".
    await Deno.writeTextFile(join(outside, "f.md"), "linked\n");
    await Deno.symlink(join(outside, "f.md"), join(root, "ctx/l.md"));
    assertMatch(
      refusal(() =>
        repo.write("ctx/l.md", "linked\n", { skipUnchanged: true })
      ),
      /symlink/,
    );
    // An explicit mode always writes, so the mode is applied.
    repo.write("ctx/a.md", "other text\n", {
      skipUnchanged: true,
      mode: 0o600,
    });
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  });
});
