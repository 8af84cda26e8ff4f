/**
 * The folder listing through `getdents64` (`src/fs/dir_entries.ts`) against
 * Deno's `readDirSync` (the road it replaces, and still takes elsewhere):
 * the same names, kinds and order for every kind of entry an untidy repo
 * holds, names that are not UTF-8, long names, and a folder large enough
 * to take several reads; and the same message for a folder that cannot be
 * listed.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { makeTempDir, PROJECT_ROOT, removeTempDir } from "./support/cli.ts";
import { linuxOnly, requires } from "./support/requires.ts";

const PROBE = join(PROJECT_ROOT, "tests", "support", "list_probe.ts");

async function listings(
  root: string,
  folders: string[],
  road: "ffi" | "deno",
): Promise<unknown> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", PROBE, root, ...folders],
    env: road === "deno" ? { WAYPOINT_DOC_HEADS: "deno" } : {},
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(run.success, new TextDecoder().decode(run.stderr));
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/** A file whose name is the raw bytes `name` (not valid UTF-8 allowed). */
async function touchRaw(dir: string, name: number[]): Promise<void> {
  const made = await new Deno.Command("python3", {
    args: [
      "-c",
      "import os,sys; open(os.path.join(os.fsencode(sys.argv[1]), bytes.fromhex(sys.argv[2])), 'w').close()",
      dir,
      name.map((byte) => byte.toString(16).padStart(2, "0")).join(""),
    ],
  }).output();
  assert(made.success, new TextDecoder().decode(made.stderr));
}

Deno.test({
  ...requires(
    "getdents64 lists every folder as Deno's readDirSync does",
    linuxOnly(),
  ),
  fn: async () => {
    const root = await makeTempDir("waypoint-listing-");
    try {
      const odd = join(root, "odd");
      await Deno.mkdir(join(odd, "sub"), { recursive: true });
      await Deno.writeTextFile(join(odd, "plain.md"), "x");
      await Deno.writeTextFile(join(odd, "naïve — ünïcode.md"), "x");
      await Deno.writeTextFile(join(odd, "with space.md"), "x");
      await Deno.writeTextFile(join(odd, "new\nline.md"), "x");
      await Deno.writeTextFile(join(odd, "é".repeat(126) + ".m"), "x");
      await Deno.writeTextFile(join(odd, "😀 emoji.md"), "x");
      await Deno.symlink("plain.md", join(odd, "to-file.md"));
      await Deno.symlink("sub", join(odd, "to-dir"));
      await Deno.symlink("nowhere", join(odd, "dangling.md"));
      const fifo = await new Deno.Command("mkfifo", {
        args: [join(odd, "pipe.md")],
      }).output();
      assert(fifo.success);
      for (
        const bytes of [
          [0x62, 0x61, 0x64, 0xff, 0x2e, 0x6d, 0x64],
          [0xc3, 0x28, 0x2e, 0x6d, 0x64],
          [0xe2, 0x82, 0x2e, 0x6d, 0x64],
          [0xf0, 0x9f, 0x98],
          [0xed, 0xa0, 0x80, 0x73],
          [0xc0, 0xaf, 0x6d, 0x64],
        ]
      ) await touchRaw(odd, bytes);
      const many = join(root, "many");
      await Deno.mkdir(many);
      // About 1,200 records of some 120 bytes: more than one 64 KiB read.
      for (let i = 0; i < 1200; i++) {
        await Deno.writeTextFile(
          join(many, `doc-${String(i).padStart(4, "0")}-${"n".repeat(90)}.md`),
          "",
        );
      }
      await Deno.mkdir(join(root, "empty"));
      const folders = ["", "odd", "odd/sub", "many", "empty", "missing"];
      const ffi = await listings(root, folders, "ffi");
      const deno = await listings(root, folders, "deno");
      assertEquals(ffi, deno);
      const [, listed] = ffi as { name: string; kind: string }[][];
      assertEquals(listed.length, 17);
      assert(listed.some((entry) => entry.kind === "special"));
      assert(listed.some((entry) => entry.name.includes("\ufffd")));
    } finally {
      await removeTempDir(root);
    }
  },
});
