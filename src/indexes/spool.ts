/**
 * UTF-8 output kept in memory up to a limit and in a private temporary file
 * past it: the docs index of 100,000 docs is 17 MB, and holding it whole
 * until it is compared and written was most of what a cold `doctor` used
 * over the 150 MiB budget. The file is created in the system's temporary
 * folder (mode 0600) and unlinked at once while open on POSIX systems, so a
 * killed run leaves nothing behind; on Windows, where an open file cannot
 * be unlinked, or where no temporary file can be made, the bytes stay in
 * memory. A write to the file that fails (a full disk) fails the run that
 * appends, before anything in the repository is written.
 *
 * @module
 */
import { ByteChunks } from "./bytes.ts";
import { writeAllSync } from "../bytes.ts";
import { openScratchFile } from "../fs/mod.ts";

/** Bytes kept in memory before a spool moves to its file. */
export const SPOOL_MEMORY_BYTES = 4 * 1024 * 1024;

/** Bytes read back per chunk from the file. */
const READ_BYTES = 1024 * 1024;

/**
 * `WAYPOINT_INDEX_SPOOL_BYTES` lowers {@link SPOOL_MEMORY_BYTES} (tests make
 * every index spill with it); anything but a non-negative integer below
 * the default is ignored.
 */
export function spoolMemoryBytes(): number {
  let value = NaN;
  try {
    value = Number(Deno.env.get("WAYPOINT_INDEX_SPOOL_BYTES") ?? NaN);
  } catch {
    // No env access: the default.
  }
  return Number.isInteger(value) && value >= 0 && value < SPOOL_MEMORY_BYTES
    ? value
    : SPOOL_MEMORY_BYTES;
}

/** Bytes that can be read back in order, any number of times, until closed. */
export interface ListingBytes {
  /** How many bytes there are. */
  readonly byteLength: number;
  /** The bytes in order; a chunk is valid only until the next is asked for. */
  chunks(): Iterable<Uint8Array>;
  /** Lets go of what holds the bytes; they cannot be read after. */
  close(): void;
}

/** Appends UTF-8 text; reads it back as chunks, any number of times. */
export class SpooledBytes implements ListingBytes {
  #memory = new ByteChunks();
  /** Bytes in {@link SpooledBytes.#memory} once encoded, counted as appended. */
  #memoryBytes = 0;
  #file: Deno.FsFile | undefined;
  #fileBytes = 0;
  #closed = false;
  #limit: number;

  /** `limit`: bytes held in memory before the rest goes to the file. */
  constructor(limit: number = spoolMemoryBytes()) {
    this.#limit = Deno.build.os === "windows" ? Infinity : limit;
  }

  /** Appends `text` as UTF-8. */
  appendText(text: string): void {
    if (this.#closed) throw new Error("the spool is closed");
    this.#memory.appendText(text);
    // An upper bound is enough to decide when to move to the file.
    this.#memoryBytes += text.length * 3;
    if (this.#memoryBytes > this.#limit) this.#spill();
  }

  /** The number of bytes appended. */
  get byteLength(): number {
    return this.#fileBytes + this.#memoryLength();
  }

  /**
   * The bytes in order: what went to the file (read into one buffer, so a
   * chunk from it is valid only until the next is asked for), then views
   * of the chunks in memory.
   */
  *chunks(): Generator<Uint8Array> {
    const file = this.#file;
    if (file) {
      // One buffer for the whole pass: a fresh one per chunk made garbage
      // as large as the file.
      const buffer = new Uint8Array(Math.min(READ_BYTES, this.#fileBytes));
      for (let at = 0; at < this.#fileBytes;) {
        const want = Math.min(buffer.length, this.#fileBytes - at);
        let filled = 0;
        while (filled < want) {
          file.seekSync(at + filled, Deno.SeekMode.Start);
          const read = file.readSync(buffer.subarray(filled, want));
          if (read === null || read === 0) {
            throw new Error("the index spool file ended early");
          }
          filled += read;
        }
        at += filled;
        yield buffer.subarray(0, filled);
      }
    }
    yield* this.#memory.chunks();
  }

  /** Closes the file; the spool cannot be read or appended to after. */
  close(): void {
    this.#closed = true;
    this.#memory = new ByteChunks();
    this.#memoryBytes = 0;
    try {
      this.#file?.close();
    } catch {
      // Already closed.
    }
    this.#file = undefined;
    this.#fileBytes = 0;
  }

  #memoryLength(): number {
    let length = 0;
    for (const chunk of this.#memory.chunks()) length += chunk.length;
    return length;
  }

  #spill(): void {
    if (!this.#file) {
      try {
        this.#file = openScratchFile("waypoint-index-");
      } catch {
        // No temporary file to be had (no folder, or writing there denied):
        // the bytes stay in memory, as before spooling.
        this.#limit = Infinity;
        return;
      }
    }
    const file = this.#file;
    this.#memory.drain((chunk) => {
      writeAllSync(file, chunk);
      this.#fileBytes += chunk.length;
    });
    this.#memoryBytes = 0;
  }
}
