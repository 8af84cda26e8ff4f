/**
 * Streaming line reader for JSON-lines files: yields one line at a time from
 * fixed-size chunks so memory stays bounded however large the file is. A line
 * longer than the cap is not kept whole; its first bytes and full length are
 * reported instead, so callers can still classify it.
 *
 * @module
 */

/** One line of a JSON-lines file. */
export type Line =
  | { kind: "text"; text: string }
  | { kind: "oversized"; prefix: string; bytes: number };

/** Options for {@link readLines}. */
export interface ReadLinesOptions {
  /** Lines longer than this many bytes are reported as `oversized`. */
  maxLineBytes: number;
  /** Bytes of an oversized line to keep as its prefix (default 64 KiB). */
  prefixBytes?: number;
  /** Read size (default 64 KiB). */
  chunkBytes?: number;
  /**
   * Stop after reading this many bytes of the file (default: no limit); the
   * line the limit cuts through is not yielded; `onLimit` is called.
   */
  maxBytes?: number;
  /** Called when reading stopped at `maxBytes` before the end of the file. */
  onLimit?: () => void;
}

const NEWLINE = 0x0a;

/**
 * Yields the lines of the open `file`, decoded as UTF-8 with invalid bytes
 * replaced. A final line without a newline is yielded too (it is usually a
 * line cut short by a crash; JSON parsing will reject it).
 */
export async function* readLines(
  file: Deno.FsFile,
  options: ReadLinesOptions,
): AsyncGenerator<Line> {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const chunk = new Uint8Array(options.chunkBytes ?? 65_536);
  const prefixBytes = Math.min(
    options.prefixBytes ?? 65_536,
    options.maxLineBytes,
  );
  // The current line's bytes, grown as needed up to the cap; reused across lines.
  let line = new Uint8Array(Math.min(65_536, options.maxLineBytes) || 1);
  let length = 0;
  let oversizedBytes = 0;

  const append = (part: Uint8Array) => {
    if (oversizedBytes > 0) {
      oversizedBytes += part.length;
      return;
    }
    if (length + part.length > options.maxLineBytes) {
      oversizedBytes = length + part.length;
      const room = prefixBytes - length;
      if (room > 0) {
        ensure(prefixBytes);
        line.set(part.subarray(0, room), length);
        length = prefixBytes;
      }
      return;
    }
    ensure(length + part.length);
    line.set(part, length);
    length += part.length;
  };

  const ensure = (size: number) => {
    if (size <= line.length) return;
    const grown = new Uint8Array(
      Math.min(Math.max(size, line.length * 2), options.maxLineBytes),
    );
    grown.set(line.subarray(0, length));
    line = grown;
  };

  const finish = (): Line => {
    const result: Line = oversizedBytes > 0
      ? {
        kind: "oversized",
        prefix: decoder.decode(line.subarray(0, Math.min(length, prefixBytes))),
        bytes: oversizedBytes,
      }
      : { kind: "text", text: decoder.decode(line.subarray(0, length)) };
    length = 0;
    oversizedBytes = 0;
    return result;
  };

  let pending = false;
  let total = 0;
  while (true) {
    const read = await file.read(chunk);
    if (read === null) break;
    // More bytes after the limit was reached: the file is cut here.
    if (options.maxBytes !== undefined && total >= options.maxBytes) {
      options.onLimit?.();
      return;
    }
    total += read;
    let start = 0;
    while (start < read) {
      const end = chunk.subarray(0, read).indexOf(NEWLINE, start);
      if (end === -1) {
        append(chunk.subarray(start, read));
        pending = true;
        break;
      }
      if (length === 0 && oversizedBytes === 0) {
        const bytes = end - start;
        yield bytes > options.maxLineBytes
          ? {
            kind: "oversized",
            prefix: decoder.decode(chunk.subarray(start, start + prefixBytes)),
            bytes,
          }
          : { kind: "text", text: decoder.decode(chunk.subarray(start, end)) };
      } else {
        append(chunk.subarray(start, end));
        yield finish();
      }
      pending = false;
      start = end + 1;
    }
  }
  if (pending && (length > 0 || oversizedBytes > 0)) yield finish();
}
