/**
 * UTF-8 output built in fixed-size chunks: an index or cache for 50,000 docs
 * is held as its bytes (about 170 per doc) instead of as JavaScript strings
 * and objects, and growing it never copies what is already there.
 *
 * @module
 */

const CHUNK_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/**
 * Text is encoded once this much has been appended: `encodeInto` is a call
 * into the runtime, and one per index entry or cache record cost more than
 * the encoding itself.
 */
const PENDING_CHARS = 16 * 1024;

/** Appends text and bytes into a list of chunks. */
export class ByteChunks {
  #chunks: Uint8Array[] = [];
  #current = new Uint8Array(0);
  #used = 0;
  /** Text appended and not encoded yet. */
  #pending = "";

  /** Appends `text` as UTF-8. */
  appendText(text: string): void {
    // Encoded apart, a lone high surrogate at the end of one text and a low
    // one at the start of the next are two U+FFFD; joined they would be one
    // character. Each text is still encoded as if on its own.
    const first = text.charCodeAt(0);
    if (first >= 0xdc00 && first <= 0xdfff) {
      const last = this.#pending.charCodeAt(this.#pending.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) this.#encodePending();
    }
    this.#pending += text;
    if (this.#pending.length >= PENDING_CHARS) this.#encodePending();
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    this.#encodePending();
    this.#reserve(bytes.length);
    this.#current.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** The chunks, each trimmed to what was written (views, not copies). */
  chunks(): Uint8Array[] {
    this.#encodePending();
    return this.#used
      ? [...this.#chunks, this.#current.subarray(0, this.#used)]
      : [...this.#chunks];
  }

  #encodePending(): void {
    if (this.#pending === "") return;
    const text = this.#pending;
    this.#pending = "";
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    this.#reserve(text.length * 3);
    const { written } = encoder.encodeInto(
      text,
      this.#current.subarray(this.#used),
    );
    this.#used += written;
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
