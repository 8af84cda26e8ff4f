/**
 * Hostile variants of a per-user cache file, for the differential tests of
 * the frontmatter cache and the scan memo: damaged copies of a good file,
 * and the special files a cache path could turn out to be. A variant is
 * bytes to write, or a function that makes the path into something else.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { seededRandom } from "./random.ts";

/** A labelled file content, or a function that puts something at the path. */
export type Variant = [string, Uint8Array | ((path: string) => Promise<void>)];

/**
 * `flips` copies of `good` with one random bit flipped after its first
 * `from` bytes, then `good` cut short at `cuts` even steps.
 */
export function damagedCopies(
  good: Uint8Array,
  from: number,
  flips: number,
  cuts: number,
  seed: number,
): Variant[] {
  const variants: Variant[] = [];
  const random = seededRandom(seed);
  for (let n = 0; n < flips; n++) {
    const bytes = good.slice();
    const offset = from + Math.floor(random() * (bytes.length - from));
    bytes[offset] ^= 1 << Math.floor(random() * 8);
    variants.push([`bit flip at ${offset}`, bytes]);
  }
  const step = Math.max(1, Math.floor(good.length / cuts));
  for (let cut = step; cut < good.length; cut += step) {
    variants.push([`truncated to ${cut} bytes`, good.slice(0, cut)]);
  }
  return variants;
}

/**
 * What else the path could be: empty, zeros, symlinks to `/dev/zero` and to
 * nothing (below `base`), a FIFO, a folder, and `good` grown sparse to
 * `hugeBytes`.
 */
export function specialFiles(
  base: string,
  good: Uint8Array,
  hugeBytes: number,
): Variant[] {
  return [
    ["an empty file", new Uint8Array()],
    ["NUL bytes", new Uint8Array(4096)],
    ["a symlink to /dev/zero", (path) => Deno.symlink("/dev/zero", path)],
    ["a dangling symlink", (path) => Deno.symlink(join(base, "nope"), path)],
    ["a FIFO", async (path) => {
      const made = await new Deno.Command("mkfifo", { args: [path] }).output();
      assert.ok(made.success);
    }],
    ["a directory", (path) => Deno.mkdir(path)],
    ["a huge sparse file", async (path) => {
      await Deno.writeFile(path, good);
      await Deno.truncate(path, hugeBytes);
    }],
  ];
}

/** Replaces whatever is at `path` with `variant`'s content. */
export async function putVariant(
  path: string,
  content: Variant[1],
): Promise<void> {
  await Deno.remove(path, { recursive: true }).catch(() => {});
  if (content instanceof Uint8Array) await Deno.writeFile(path, content);
  else await content(path);
}
