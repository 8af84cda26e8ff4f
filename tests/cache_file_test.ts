/**
 * `CacheFile`, the windowed reader under the frontmatter cache, against the
 * plain definition: the file's bytes split at each newline. Small windows
 * (1 to 64 bytes) put line ends, long lines and the file's end at every
 * place a window can cut them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CacheFile } from "../src/indexes/cache.ts";
import { seededRandom } from "./support/random.ts";

/** Random bytes with newlines: empty lines, long lines, with or without a final newline. */
function randomFile(random: () => number): Uint8Array {
  const length = Math.floor(random() * 400);
  const bytes = new Uint8Array(length);
  const longLines = random() < 0.3;
  for (let i = 0; i < length; i++) {
    const newline = random() < (longLines ? 0.01 : 0.15);
    bytes[i] = newline ? 0x0a : 0x21 + Math.floor(random() * 90);
  }
  return bytes;
}

/** Each line as `[start, end)`, split at newlines, as the reader must see them. */
function expectedLines(bytes: Uint8Array): [number, number][] {
  const lines: [number, number][] = [];
  for (let start = 0; start < bytes.length;) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    lines.push([start, end]);
    start = end + 1;
  }
  return lines;
}

Deno.test("CacheFile reads every line, range and copy as the bytes hold them, whatever the window", async () => {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-cache-file-" });
  try {
    const random = seededRandom(5);
    const path = join(dir, "cache.json");
    for (let round = 0; round < 300; round++) {
      const bytes = randomFile(random);
      await Deno.writeFile(path, bytes);
      const windowBytes = 1 + Math.floor(random() * 64);
      const file = await Deno.open(path, { read: true });
      const cache = new CacheFile(file, bytes.length, windowBytes);
      try {
        const where = `round ${round}, window ${windowBytes}`;
        const seen: [number, number][] = [];
        for (let line = cache.line(0); line; line = cache.line(line.end + 1)) {
          assert.deepEqual(
            [...line.bytes],
            [...bytes.subarray(line.start, line.end)],
            where,
          );
          seen.push([line.start, line.end]);
        }
        assert.deepEqual(seen, expectedLines(bytes), where);
        const from = Math.floor(random() * (bytes.length + 1));
        const to = from + Math.floor(random() * (bytes.length - from + 1));
        assert.deepEqual(
          [...cache.read(from, to)],
          [...bytes.subarray(from, to)],
          where,
        );
        const copied: number[] = [];
        cache.copy(from, to, (part) => copied.push(...part));
        assert.deepEqual(copied, [...bytes.subarray(from, to)], where);
        // A read out of order leaves the window where it was.
        if (seen.length) {
          const [start, end] = seen[0];
          assert.deepEqual(
            [...cache.line(start)!.bytes],
            [...bytes.subarray(start, end)],
            where,
          );
        }
      } finally {
        cache.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CacheFile reads a file that shrank under it as ending early", async () => {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-cache-file-" });
  try {
    const path = join(dir, "cache.json");
    const text = "first line\nsecond line\nthird line\n";
    await Deno.writeTextFile(path, text);
    const file = await Deno.open(path, { read: true });
    const cache = new CacheFile(file, text.length, 4);
    try {
      const first = cache.line(0)!;
      assert.equal(new TextDecoder().decode(first.bytes), "first line");
      await Deno.truncate(path, 15);
      const second = cache.line(first.end + 1)!;
      assert.equal(new TextDecoder().decode(second.bytes), "seco");
      assert.equal(second.end, 15);
      assert.equal(cache.line(second.end + 1), undefined);
      assert.equal(cache.size, 15);
    } finally {
      cache.close();
      cache.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
