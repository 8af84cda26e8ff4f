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
  /** Views of the filled buffers (each its own `ArrayBuffer`, reused whole after a drain). */
  #chunks: Uint8Array<ArrayBuffer>[] = [];
  /** Drained buffers, used again before any new one is made. */
  #free: Uint8Array<ArrayBuffer>[] = [];
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

  /**
   * Hands each chunk to `write` in order and empties this, keeping the
   * buffers for what is appended next: a file written through one of these
   * a megabyte at a time (the frontmatter cache, a spooled index) makes no
   * garbage buffers, which piled up in a cold run on 100,000 docs before a
   * collection freed them.
   */
  drain(write: (bytes: Uint8Array) => void): void {
    for (const chunk of this.chunks()) write(chunk);
    for (const chunk of this.#chunks) {
      this.#free.push(new Uint8Array(chunk.buffer));
    }
    if (this.#current.length > 0) this.#free.push(this.#current);
    this.#chunks = [];
    this.#current = new Uint8Array(0);
    this.#used = 0;
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
    } else if (this.#current.length > 0) {
      this.#free.push(this.#current);
    }
    const reuse = this.#free.findIndex((buffer) => buffer.length >= bytes);
    this.#current = reuse === -1
      ? new Uint8Array(Math.max(CHUNK_BYTES, bytes))
      : this.#free.splice(reuse, 1)[0];
    this.#used = 0;
  }
}
