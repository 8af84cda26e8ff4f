/**
 * `src/fs/inspect.ts` through `Repo.inspect`: every kind of entry is told
 * apart without following a link, and a path that is not a normalized repo
 * path is refused by name.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "./support/assert.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { withScratchRepo } from "./support/fs_repo.ts";
import { entryProblem } from "../src/fs/mod.ts";

Deno.test({
  ...requires(
    "inspect tells every kind of entry apart, following no link",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    await Deno.mkdir(join(root, "dir"));
    await Deno.writeTextFile(join(root, "dir/file.md"), "12345");
    await Deno.writeTextFile(join(outside, "secret.md"), "x");
    await Deno.symlink(outside, join(root, "out"));
    await Deno.symlink("dir/file.md", join(root, "link.md"));
    await new Deno.Command("mkfifo", { args: [join(root, "fifo")] }).output();
    const kinds = [
      "dir",
      "dir/file.md",
      "dir/missing.md",
      "out/secret.md",
      "link.md",
      "fifo",
      "dir/file.md/below",
      "gone/deeper.md",
    ].map((path) => repo.inspect(path));
    assertEquals(kinds, [
      { kind: "directory", path: "dir" },
      {
        kind: "file",
        path: "dir/file.md",
        size: 5,
        mode: (await Deno.lstat(join(root, "dir/file.md"))).mode,
      },
      { kind: "missing", path: "dir/missing.md" },
      { kind: "symlink", path: "out/secret.md", link: "out" },
      { kind: "symlink", path: "link.md", link: "link.md" },
      { kind: "special", path: "fifo" },
      { kind: "blocked", path: "dir/file.md/below", blocker: "dir/file.md" },
      { kind: "missing", path: "gone/deeper.md" },
    ]);
    assertMatch(entryProblem(kinds[3]), /below out, which is a symlink/);
  });
});

Deno.test("inspect refuses paths that are not normalized repo paths, naming them", async () => {
  await withScratchRepo(({ repo }) => {
    for (
      const [path, problem] of [
        ["../up", /leaves the repository/],
        ["/abs", /absolute path/],
        [".git/config", /inside \.git/],
        ["a//b", /not normalized/],
        ["./a", /not normalized/],
        ["a\\b", /not normalized/],
      ] as const
    ) {
      let message = "";
      try {
        repo.inspect(path);
      } catch (error) {
        message = String(error);
      }
      assertMatch(message, problem, path);
      assertMatch(
        message,
        new RegExp(`^RepoFsError: ${path.replace(/[.\\/]/g, "\\$&")}: refused`),
      );
    }
  });
});
