/**
 * The scan memo's checksum (`src/indexes/memo_io.ts`) is fed the memo's
 * body in parts that differ between the writer (its own chunks) and the
 * reader (1 MB windows): it must not depend on where the parts split.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { BodyChecksum } from "../src/indexes/memo_io.ts";

function digestOf(parts: Uint8Array[]): string {
  const checksum = new BodyChecksum();
  for (const part of parts) checksum.update(part);
  return checksum.digest();
}

Deno.test("the memo checksum is the same however its input is split, and changes with any byte", () => {
  const random = seededRandom(7);
  for (let trial = 0; trial < 300; trial++) {
    const length = Math.floor(random() * 70);
    const bytes = Uint8Array.from(
      { length },
      () => Math.floor(random() * 256),
    );
    const whole = digestOf([bytes]);
    const parts: Uint8Array[] = [];
    for (let at = 0; at < length;) {
      const size = Math.min(length - at, Math.floor(random() * 6));
      parts.push(bytes.subarray(at, at + size));
      at += size;
    }
    assertEquals(digestOf(parts), whole, `trial ${trial}`);
    if (length > 0) {
      const changed = bytes.slice();
      changed[Math.floor(random() * length)] ^= 1 << Math.floor(random() * 8);
      assert(digestOf([changed]) !== whole, `trial ${trial}: a flipped bit`);
      assert(
        digestOf([bytes.subarray(0, length - 1)]) !== whole,
        `trial ${trial}: one byte short`,
      );
    }
  }
});
