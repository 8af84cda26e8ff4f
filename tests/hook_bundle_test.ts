/**
 * The hook's bundle (`src/cli/hook_bundle.js`) is current, loads no node:
 * module, and is never used once a source it was made from has changed.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "./support/cli.ts";
import {
  hookBundleIsCurrent,
  stampPath,
  statStamp,
} from "../src/cli/hook_bundle.ts";
import { sourcesDigest } from "../src/cli/hook_bundle_digest.ts";

Deno.test("the committed hook bundle matches its sources (deno task bundle:hook)", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/bundle_hook.ts", "--check"],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(
    output.success,
    true,
    new TextDecoder().decode(output.stderr),
  );
  assertEquals(
    await hookBundleIsCurrent(new URL("../", import.meta.url)),
    true,
  );
  const bundle = await Deno.readTextFile(
    join(PROJECT_ROOT, "src/cli/hook_bundle.js"),
  );
  assertEquals(/^import[^\n]*["']node:/m.test(bundle), false);
});

Deno.test("a bundle whose sources changed, or whose manifest is missing or broken, is not used", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = pathToFileURL(dir + "/");
    await Deno.mkdir(join(dir, "src/cli"), { recursive: true });
    await Deno.writeTextFile(join(dir, "a.ts"), "export const a = 1;\n");
    const manifest = join(dir, "src/cli/hook_bundle.json");
    assertEquals(await hookBundleIsCurrent(root), false, "no manifest");
    await Deno.writeTextFile(manifest, "{not json");
    assertEquals(await hookBundleIsCurrent(root), false, "broken manifest");
    const files = ["a.ts", "b.ts"];
    const sha256 = await sourcesDigest(dir + "/", files);
    await Deno.writeTextFile(manifest, JSON.stringify({ files, sha256 }));
    assertEquals(await hookBundleIsCurrent(root), true);
    await Deno.writeTextFile(join(dir, "a.ts"), "export const a = 2;\n");
    assertEquals(await hookBundleIsCurrent(root), false, "edited source");
    await Deno.writeTextFile(join(dir, "a.ts"), "export const a = 1;\n");
    await Deno.writeTextFile(join(dir, "b.ts"), "");
    assertEquals(
      await hookBundleIsCurrent(root),
      false,
      "a missing file appeared",
    );
    await Deno.remove(join(dir, "b.ts"));
    assert(await hookBundleIsCurrent(root), "back as it was");
    await Deno.writeTextFile(manifest, JSON.stringify({ files: [], sha256 }));
    assertEquals(await hookBundleIsCurrent(root), false, "no files listed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a settled yes is stamped in the cache, and any change to a source's stats undoes it", async () => {
  const dir = await Deno.makeTempDir();
  const cache = await Deno.makeTempDir();
  try {
    const root = pathToFileURL(dir + "/");
    await Deno.mkdir(join(dir, "src/cli"), { recursive: true });
    await Deno.writeTextFile(join(dir, "a.ts"), "export const a = 1;\n");
    await Deno.writeTextFile(join(dir, "src/cli/hook_bundle.js"), "//\n");
    const files = ["a.ts"];
    const sha256 = await sourcesDigest(dir + "/", files);
    await Deno.writeTextFile(
      join(dir, "src/cli/hook_bundle.json"),
      JSON.stringify({ files, sha256 }),
    );
    const stamp = stampPath(dir + "/", cache);
    assert(stamp !== undefined);
    assertEquals(await hookBundleIsCurrent(root, cache), true);
    assertEquals(
      await Deno.lstat(stamp).then(() => true, () => false),
      false,
      "files changed just now: no stamp yet",
    );
    await new Promise((done) => setTimeout(done, 2_100));
    assertEquals(await hookBundleIsCurrent(root, cache), true);
    assert((await Deno.readTextFile(stamp)).startsWith(`${sha256}\n`));

    // The stamp answers without hashing: a forged one for edited content
    // says yes, which shows the fast path is taken ...
    const source = join(dir, "a.ts");
    const before = await Deno.stat(source);
    await Deno.writeTextFile(source, "export const a = 2;\n");
    await Deno.utime(source, before.atime!, before.mtime!);
    const stamped = [
      "a.ts",
      "src/cli/hook_bundle.json",
      "src/cli/hook_bundle.js",
    ];
    const forged = `${sha256}\n${statStamp(dir + "/", stamped)}`;
    // ... while the real stamp no longer matches: same size and mtime,
    // but the ctime moved, so the sources are hashed again and refused.
    assertEquals(await hookBundleIsCurrent(root, cache), false);
    await Deno.writeTextFile(stamp, forged);
    assertEquals(await hookBundleIsCurrent(root, cache), true, "forged");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
});
