/**
 * `src/fs/walk.ts` and `src/fs/links.ts` through the `Repo`: listings say
 * what each entry is, walks enter only real folders (so no link loop or link
 * out of the repo is entered), and a walked link counts only when it leads
 * to a file or folder inside the repo.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "./support/assert.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { withScratchRepo } from "./support/fs_repo.ts";

Deno.test({
  ...requires(
    "a walk lists real folders only, skips what it is told, and stops at maxDirs",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    repo.write("a/b/c.md", "x");
    repo.write("node_modules/m/x.md", "x");
    await Deno.symlink(root, join(root, "a/loop"));
    await Deno.symlink(outside, join(root, "out"));
    assertEquals(
      repo.listDir("a")?.map((entry) => [entry.name, entry.kind]),
      [["b", "directory"], ["loop", "symlink"]],
    );
    assertEquals(repo.listDir("missing"), undefined);
    const walked = repo.walkDirs("", { skip: new Set(["node_modules"]) });
    assertEquals(walked.dirs.map((dir) => dir.path), ["", "a", "a/b"]);
    assertEquals(walked.truncated, false);
    assertEquals(repo.walkDirs("", { maxDirs: 2 }).truncated, true);
    let refused = "";
    try {
      repo.listDir("out");
    } catch (error) {
      refused = String(error);
    }
    assertMatch(refused, /out: is a symlink/);
  });
});

Deno.test({
  ...requires(
    "walked links count only when they lead inside the repo",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    repo.write("docs/a.md", "x");
    await Deno.writeTextFile(join(outside, "o.md"), "o");
    await Deno.symlink("docs", join(root, "docs-link"));
    await Deno.symlink("docs/a.md", join(root, "a-link.md"));
    await Deno.symlink(join(outside, "o.md"), join(root, "o-link.md"));
    await Deno.symlink("nowhere", join(root, "broken.md"));
    assertEquals(repo.resolveWalkedLink("docs-link"), {
      inside: true,
      path: "docs",
      kind: "directory",
    });
    assertEquals(repo.resolveWalkedLink("a-link.md"), {
      inside: true,
      path: "docs/a.md",
      kind: "file",
    });
    assertMatch(
      JSON.stringify(repo.resolveWalkedLink("o-link.md")),
      /outside the repository/,
    );
    assertEquals(repo.resolveWalkedLink("broken.md"), {
      inside: false,
      problem: "broken symlink; skipped",
    });
    assertEquals(repo.resolveLinkInside("a-link.md"), {
      inside: true,
      path: "docs/a.md",
    });
    assertMatch(
      JSON.stringify(repo.resolveLinkInside("o-link.md")),
      /outside the repository; waypoint will not write there/,
    );
    assertEquals(repo.realRoot, await Deno.realPath(root));
  });
});
