/**
 * `src/fs/read.ts` through the `Repo`: reads open only regular files, stop
 * at the size cap, take strict UTF-8 for text, follow a link only when asked
 * and only to a file inside the repo, and stream in chunks.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "./support/assert.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { withScratchRepo } from "./support/fs_repo.ts";

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return String(error);
  }
  return "read";
}

Deno.test({
  ...requires(
    "reads: regular files only, a cap, strict UTF-8, links only inside when asked",
    posixOnly(),
  ),
}, async () => {
  await withScratchRepo(async ({ root, outside, repo }) => {
    await Deno.writeTextFile(join(root, "a.md"), "hello");
    await Deno.writeFile(join(root, "bad.md"), new Uint8Array([0xff, 0xfe]));
    await Deno.writeTextFile(join(outside, "secret.md"), "SECRET");
    await Deno.symlink(join(outside, "secret.md"), join(root, "out.md"));
    await Deno.symlink("a.md", join(root, "in.md"));
    await new Deno.Command("mkfifo", { args: [join(root, "fifo")] }).output();
    assertEquals(repo.readText("a.md"), "hello");
    assertEquals(repo.readText("missing.md"), undefined);
    assertEquals(repo.readFile("a.md")?.length, 5);
    assertMatch(
      refusal(() => repo.readText("bad.md")),
      /bad\.md is not valid UTF-8/,
    );
    assertMatch(
      refusal(() => repo.readFile("fifo")),
      /fifo: is not a regular file/,
    );
    assertMatch(
      refusal(() => repo.readFile("a.md", { maxBytes: 4 })),
      /larger than 4 bytes/,
    );
    assertMatch(refusal(() => repo.readText("in.md")), /in\.md: is a symlink/);
    assertEquals(repo.readText("in.md", { followInside: true }), "hello");
    assertMatch(
      refusal(() => repo.readText("out.md", { followInside: true })),
      /out\.md: is a symlink to .*outside the repository/,
    );
  });
});

Deno.test("streamFile hands over chunks, stops when asked, and keeps the cap", async () => {
  await withScratchRepo(async ({ root, repo }) => {
    await Deno.writeTextFile(join(root, "big.md"), "abcdefghij");
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    assertEquals(
      repo.streamFile("big.md", (chunk) => {
        chunks.push(decoder.decode(chunk));
      }, { maxBytes: 100, chunkBytes: 4 }),
      "read",
    );
    assertEquals(chunks, ["abcd", "efgh", "ij"]);
    assertEquals(
      repo.streamFile("big.md", () => false, { maxBytes: 100, chunkBytes: 4 }),
      "stopped",
    );
    assertEquals(
      repo.streamFile("none.md", () => true, { maxBytes: 1 }),
      "missing",
    );
    assertMatch(
      refusal(() => repo.streamFile("big.md", () => true, { maxBytes: 5 })),
      /big\.md: is larger than 5 bytes/,
    );
  });
});
