/**
 * Byte-array helpers shared by modules that build one buffer from parts,
 * compare two, or write one out whole.
 *
 * @module
 */

/** `parts` copied, in order, into one new array. */
export function concatBytes(
  parts: readonly Uint8Array[],
): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/**
 * Whether `a[aStart..aStart+length)` and `b[bStart..bStart+length)` hold
 * the same bytes (both ranges must lie inside their arrays). Where both
 * ranges start on the same 4-byte alignment in their buffers, four bytes
 * are compared at a time: a fresh process runs this loop in V8's
 * interpreter, and a byte at a time it cost a session start's bundle
 * writes most of a millisecond.
 */
export function sameBytesAt(
  a: Uint8Array,
  aStart: number,
  b: Uint8Array,
  bStart: number,
  length: number,
): boolean {
  let i = 0;
  const aAt = a.byteOffset + aStart;
  const bAt = b.byteOffset + bStart;
  if (length >= 16 && aAt % 4 === bAt % 4) {
    // Bytes up to the first word boundary, then whole words, then the rest.
    const lead = (4 - (aAt % 4)) % 4;
    for (; i < lead; i++) if (a[aStart + i] !== b[bStart + i]) return false;
    const words = (length - lead) >>> 2;
    const aWords = new Uint32Array(a.buffer, aAt + lead, words);
    const bWords = new Uint32Array(b.buffer, bAt + lead, words);
    for (let w = 0; w < words; w++) if (aWords[w] !== bWords[w]) return false;
    i = lead + words * 4;
  }
  for (; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * Writes all of `bytes` to `writer` (an open file, stdout): `writeSync` may
 * write fewer bytes than asked, so it is called until none are left.
 */
export function writeAllSync(
  writer: { writeSync(bytes: Uint8Array): number },
  bytes: Uint8Array,
): void {
  for (let written = 0; written < bytes.length;) {
    written += writer.writeSync(bytes.subarray(written));
  }
}
