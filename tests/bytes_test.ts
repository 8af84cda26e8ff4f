/**
 * `sameBytesAt` agrees with a byte-by-byte comparison for every alignment,
 * offset and length, and finds a difference in every position (the first
 * bytes, the words, the tail).
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { sameBytesAt } from "../src/bytes.ts";

/** The definition `sameBytesAt` stands for. */
function plain(
  ...[a, aStart, b, bStart, length]: Parameters<typeof sameBytesAt>
): boolean {
  for (let i = 0; i < length; i++) {
    if (a[aStart + i] !== b[bStart + i]) return false;
  }
  return true;
}

Deno.test("sameBytesAt agrees with a byte loop at every alignment, and finds a difference anywhere", () => {
  const random = seededRandom(41);
  const base = new Uint8Array(200).map(() => Math.floor(random() * 256));
  for (let aOffset = 0; aOffset < 8; aOffset++) {
    for (let bOffset = 0; bOffset < 8; bOffset++) {
      // Views that start off the buffer's alignment, over the same bytes.
      const aBuffer = new Uint8Array(240);
      const bBuffer = new Uint8Array(240);
      aBuffer.set(base, aOffset);
      bBuffer.set(base, bOffset);
      const a = aBuffer.subarray(aOffset % 3);
      const b = bBuffer.subarray(bOffset % 5);
      const aStart = aOffset - aOffset % 3;
      const bStart = bOffset - bOffset % 5;
      for (const length of [0, 1, 3, 15, 16, 17, 31, 64, 101, 200]) {
        const label = `offsets ${aOffset}/${bOffset} length ${length}`;
        assertEquals(
          sameBytesAt(a, aStart, b, bStart, length),
          true,
          label,
        );
        for (let at = 0; at < length; at++) {
          const saved = b[bStart + at];
          b[bStart + at] = saved ^ 1;
          assertEquals(
            sameBytesAt(a, aStart, b, bStart, length),
            plain(a, aStart, b, bStart, length),
            `${label}, byte ${at} changed`,
          );
          assertEquals(
            sameBytesAt(a, aStart, b, bStart, length),
            false,
            `${label}, byte ${at} changed`,
          );
          b[bStart + at] = saved;
        }
      }
    }
  }
});
