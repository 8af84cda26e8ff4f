/**
 * The file primitives of the scan memo (`scan_memo.ts`): sequential reads
 * of an open file of known size, and the checksum its body carries. Kept
 * apart so the memo module holds only its format. The frontmatter cache's
 * `CacheFile` reads a file a window at a time too, but takes a file that
 * ends early as shorter (its missing lines are read afresh); a memo that
 * ends early must fail instead, or its listing would come out cut short.
 *
 * @module
 */

/** Bytes read per part by {@link FileReader.parts}. */
export const READ_BYTES = 1024 * 1024;

/**
 * A 64-bit checksum of a byte stream, fed in parts split anywhere: two
 * multiplicative hashes over its 32-bit little-endian words. It catches a
 * damaged or cut memo; like the frontmatter cache's, it is no defence
 * against someone who can write the user's cache folder.
 */
export class BodyChecksum {
  #a = 0x811c9dc5;
  #b = 0x9747b28c;
  #length = 0;
  /** The bytes of a word not yet complete, and how many there are (0-3). */
  #carry = 0;
  #carried = 0;

  /** Mixes in `bytes`. */
  update(bytes: Uint8Array): void {
    let at = 0;
    while (this.#carried > 0 && at < bytes.length) {
      this.#carry |= bytes[at++] << (8 * this.#carried);
      if (++this.#carried === 4) {
        this.#mix(this.#carry);
        this.#carry = 0;
        this.#carried = 0;
      }
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let a = this.#a;
    let b = this.#b;
    for (; at + 4 <= bytes.length; at += 4) {
      const word = view.getUint32(at, true);
      a = Math.imul(a ^ word, 0x01000193);
      b = Math.imul(b ^ word, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.#a = a;
    this.#b = b;
    for (; at < bytes.length; at++) {
      this.#carry |= bytes[at] << (8 * this.#carried++);
    }
    this.#length += bytes.length;
  }

  /** The checksum of everything mixed in, with its length. */
  digest(): string {
    if (this.#carried > 0) this.#mix(this.#carry);
    this.#carry = 0;
    this.#carried = 0;
    return `${(this.#a >>> 0).toString(16).padStart(8, "0")}${
      (this.#b >>> 0).toString(16).padStart(8, "0")
    }-${this.#length}`;
  }

  #mix(word: number): void {
    this.#a = Math.imul(this.#a ^ word, 0x01000193);
    this.#b = Math.imul(this.#b ^ word, 0x5bd1e995);
    this.#b ^= this.#b >>> 15;
  }
}

/** Sequential reads of an open file whose size is known. */
export class FileReader {
  readonly #file: Deno.FsFile;
  readonly #size: number;
  #offset = 0;
  #buffer = new Uint8Array(0);

  /** Reads `file`, which is `size` bytes long, from its start. */
  constructor(file: Deno.FsFile, size: number) {
    this.#file = file;
    this.#size = size;
  }

  /** Where the next read starts. */
  get offset(): number {
    return this.#offset;
  }

  /** Moves the next read to `offset`. */
  seek(offset: number): void {
    this.#offset = offset;
  }

  /** The text up to the next newline within `max` bytes (the newline skipped), or undefined. */
  line(max: number): string | undefined {
    const bytes = this.#read(this.#offset, Math.min(max, this.#size));
    const newline = bytes.indexOf(0x0a);
    if (newline === -1) return undefined;
    this.#offset += newline + 1;
    return new TextDecoder().decode(bytes.subarray(0, newline));
  }

  /** The next `length` bytes in a buffer of their own; throws when the file ends first. */
  take(length: number): Uint8Array {
    return this.takeInto(new Uint8Array(length));
  }

  /** Fills `bytes` with the next bytes and returns it; throws when the file ends first. */
  takeInto(bytes: Uint8Array): Uint8Array {
    this.#fill(this.#offset, bytes);
    this.#offset += bytes.length;
    return bytes;
  }

  /** The next `length` bytes, in parts (each valid until the next read). */
  *parts(length: number): Generator<Uint8Array> {
    for (let left = length; left > 0;) {
      const part = this.#read(this.#offset, Math.min(READ_BYTES, left));
      this.#offset += part.length;
      left -= part.length;
      yield part;
    }
  }

  /** Up to `length` bytes at `at`, into the shared buffer; throws when none are left. */
  #read(at: number, length: number): Uint8Array {
    const want = Math.min(length, this.#size - at);
    if (want <= 0) throw new Error("the memo ended early");
    if (this.#buffer.length < want) this.#buffer = new Uint8Array(want);
    const part = this.#buffer.subarray(0, want);
    this.#fill(at, part);
    return part;
  }

  #fill(at: number, bytes: Uint8Array): void {
    this.#file.seekSync(at, Deno.SeekMode.Start);
    for (let got = 0; got < bytes.length;) {
      const n = this.#file.readSync(bytes.subarray(got));
      if (n === null || n === 0) throw new Error("the memo ended early");
      got += n;
    }
  }
}
