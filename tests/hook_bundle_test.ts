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
import { hookBundleIsCurrent, sourcesDigest } from "../src/cli/hook_bundle.ts";

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
