/**
 * The libc calls under the repo's writes (src/fs/libc.ts): `struct stat` is
 * read at the right offsets, and no call follows a symlink at the name.
 */
import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { join } from "node:path";
import { Libc } from "../src/fs/libc.ts";
import { posixOnly, requires } from "./support/requires.ts";

const libc = new Libc();

async function withDir(
  work: (dir: string, fd: number) => void | Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-libc-" });
  const fd = libc.openDirPath(dir);
  try {
    await work(dir, fd);
  } finally {
    libc.closeFd(fd);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  ...requires("libc: fstatat agrees with Deno.lstat", posixOnly()),
}, async () => {
  await withDir(async (dir, fd) => {
    await Deno.writeTextFile(join(dir, "file"), "12345");
    await Deno.chmod(join(dir, "file"), 0o640);
    await Deno.mkdir(join(dir, "sub"));
    await Deno.symlink("file", join(dir, "link"));
    for (
      const [name, kind] of [
        ["file", "file"],
        ["sub", "directory"],
        ["link", "symlink"],
      ] as const
    ) {
      const info = await Deno.lstat(join(dir, name));
      const at = libc.statAt(fd, name)!;
      assertEquals(at.kind, kind);
      assertEquals(at.mode, info.mode);
      assertEquals(at.ino, BigInt(info.ino!));
      assertEquals(at.dev, BigInt(info.dev));
    }
    assertEquals(libc.statAt(fd, "missing"), undefined);
    const root = libc.statFd(fd);
    assertEquals(root.ino, BigInt((await Deno.stat(dir)).ino!));
  });
});

Deno.test({
  ...requires("libc: no call goes through a symlink at the name", posixOnly()),
}, async () => {
  await withDir(async (dir, fd) => {
    const outside = await Deno.makeTempDir({ prefix: "waypoint-libc-out-" });
    try {
      await Deno.writeTextFile(join(outside, "victim"), "mine\n");
      await Deno.symlink(outside, join(dir, "dirlink"));
      await Deno.symlink(join(outside, "victim"), join(dir, "filelink"));
      let refused: unknown;
      try {
        libc.closeFd(libc.openDirAt(fd, "dirlink"));
      } catch (error) {
        refused = error;
      }
      assert(
        refused instanceof Deno.errors.FilesystemLoop ||
          refused instanceof Deno.errors.NotADirectory,
        String(refused),
      );
      let existed: unknown;
      try {
        libc.writeNewFileAt(fd, "filelink", [new TextEncoder().encode("x")]);
      } catch (error) {
        existed = error;
      }
      assert(existed instanceof Deno.errors.AlreadyExists, String(existed));
      assertEquals(libc.readRegularAt(fd, "filelink", 100), "special");
      // rename and unlink act on the link itself, never on its target.
      libc.writeNewFileAt(fd, "new", [new TextEncoder().encode("new\n")]);
      libc.renameAt(fd, "new", "filelink");
      assertEquals(libc.statAt(fd, "filelink")?.kind, "file");
      libc.unlinkAt(fd, "dirlink", false);
      assertEquals(await Deno.readTextFile(join(outside, "victim")), "mine\n");
      assertEquals([...Deno.readDirSync(outside)].length, 1);
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  });
});

Deno.test({
  ...requires("libc: create, link, read, mode and remove", posixOnly()),
}, async () => {
  await withDir(async (dir, fd) => {
    libc.mkdirAt(fd, "sub");
    const sub = libc.openDirAt(fd, "sub");
    try {
      libc.writeNewFileAt(
        sub,
        "a",
        [new Uint8Array([1, 2]), new Uint8Array([3])],
        0o600,
      );
      assertEquals(
        (await Deno.stat(join(dir, "sub", "a"))).mode! & 0o777,
        0o600,
      );
      libc.linkAt(sub, "a", "b");
      let existed: unknown;
      try {
        libc.linkAt(sub, "a", "b");
      } catch (error) {
        existed = error;
      }
      assert(existed instanceof Deno.errors.AlreadyExists);
      const read = libc.readRegularAt(sub, "b", 10);
      assert(typeof read === "object" && read !== null);
      assertEquals([...read.bytes], [1, 2, 3]);
      assertEquals(libc.readRegularAt(sub, "b", 2), "large");
      assertEquals(libc.readRegularAt(sub, "none", 2), undefined);
      libc.unlinkAt(sub, "a", false);
      libc.unlinkAt(sub, "b", false);
    } finally {
      libc.closeFd(sub);
    }
    libc.unlinkAt(fd, "sub", true);
    assertEquals([...Deno.readDirSync(dir)], []);
  });
});

Deno.test({
  ...requires(
    "libc: readRegularAt returns every byte of files around its buffer size, one after another",
    posixOnly(),
  ),
}, async () => {
  await withDir(async (dir, fd) => {
    // The read buffer is kept between reads: each result must be its own.
    const sizes = [0, 1, 65_535, 65_536, 65_537, 200_000];
    const contents = sizes.map((size, index) =>
      Uint8Array.from({ length: size }, (_, at) => (at * 31 + index) & 0xff)
    );
    for (const [index, bytes] of contents.entries()) {
      await Deno.writeFile(join(dir, `f${index}`), bytes);
    }
    const reads = contents.map((_, index) =>
      libc.readRegularAt(fd, `f${index}`, 300_000)
    );
    for (const [index, read] of reads.entries()) {
      assert(typeof read === "object" && read !== null);
      assertEquals(read.bytes.length, sizes[index]);
      assert(read.bytes.every((byte, at) => byte === contents[index][at]));
    }
    assertEquals(libc.readRegularAt(fd, "f5", 199_999), "large");
    assertEquals(libc.readRegularAt(fd, "f3", 65_536) !== "large", true);
  });
});
