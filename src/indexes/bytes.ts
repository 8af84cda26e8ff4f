/**
 * UTF-8 output built in fixed-size chunks: an index or cache for 50,000 docs
 * is held as its bytes (about 170 per doc) instead of as JavaScript strings
 * and objects, and growing it never copies what is already there.
 *
 * @module
 */

const CHUNK_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/** Appends text and bytes into a list of chunks. */
export class ByteChunks {
  #chunks: Uint8Array[] = [];
  #current = new Uint8Array(0);
  #used = 0;

  /** Appends `text` as UTF-8. */
  appendText(text: string): void {
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    this.#reserve(text.length * 3);
    const { written } = encoder.encodeInto(
      text,
      this.#current.subarray(this.#used),
    );
    this.#used += written;
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#current.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** The chunks, each trimmed to what was written (views, not copies). */
  chunks(): Uint8Array[] {
    return this.#used
      ? [...this.#chunks, this.#current.subarray(0, this.#used)]
      : [...this.#chunks];
  }

  #reserve(bytes: number): void {
    if (this.#current.length - this.#used >= bytes) return;
    if (this.#used) {
      this.#chunks.push(this.#current.subarray(0, this.#used));
    }
    this.#current = new Uint8Array(Math.max(CHUNK_BYTES, bytes));
    this.#used = 0;
  }
}
