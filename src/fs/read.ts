/**
 * Bounded reads: only regular files are opened (never a FIFO, device or
 * socket, so a read cannot block; the open file is confirmed with `fstat`),
 * and no read goes past a size cap ({@link MAX_READ_BYTES} unless the caller
 * sets one). No symlink is followed, except one whose target is a regular
 * file inside the repo when the caller asks (`followInside`).
 *
 * @module
 */
import { describeIo, RepoFsError, tooLarge } from "./errors.ts";
import { type Entry, entryProblem, inspect } from "./inspect.ts";
import { resolveLinkInside } from "./links.ts";
import type { Place } from "./place.ts";
import { fromRepoPath } from "./repo_path.ts";
import { decodeText } from "./text.ts";

/** The largest file waypoint reads from a repository: 8 MiB. */
export const MAX_READ_BYTES = 8 * 1024 * 1024;

/** Options for {@link readRepoFile}. */
export interface ReadOptions {
  /** Refuse files larger than this many bytes (default {@link MAX_READ_BYTES}). */
  maxBytes?: number;
  /** Follow a symlink (at the path itself) whose target is a regular file inside the repo. */
  followInside?: boolean;
}

/**
 * Reads a regular file's bytes; `undefined` when nothing is there. Refuses
 * symlinks (unless `followInside` and the target is inside the repo),
 * folders, FIFOs and devices, and files over the size cap.
 */
export function readRepoFile(
  place: Place,
  path: string,
  options: ReadOptions = {},
): Uint8Array | undefined {
  let entry = inspect(place, path);
  if (entry.kind === "missing") return undefined;
  if (entry.kind === "symlink" && options.followInside) {
    const target = resolveLinkInside(place, path);
    if (target.inside) entry = inspect(place, target.path);
    else throw new RepoFsError(path, target.problem);
  }
  if (entry.kind !== "file") throw new RepoFsError(path, entryProblem(entry));
  return readInspectedFile(place, entry, options.maxBytes, path);
}

/**
 * Reads the regular file an {@link inspect} has just found, without looking
 * at the folders above it again (the open file is still confirmed with
 * `fstat`). `displayPath` names it in errors (default: its path).
 */
export function readInspectedFile(
  place: Place,
  entry: Entry & { kind: "file" },
  maxBytes: number = MAX_READ_BYTES,
  displayPath: string = entry.path,
): Uint8Array {
  return readRegularFile(
    fromRepoPath(place.root, entry.path),
    displayPath,
    maxBytes,
  );
}

/** Options for {@link streamRepoFile}. */
export interface StreamOptions {
  /** Refuse files larger than this many bytes (by `fstat`, and while reading). */
  maxBytes: number;
  /** Bytes per chunk (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * Reads a regular repo file in chunks, so a file of any size up to
 * `maxBytes` costs one chunk of memory: `visit` gets each chunk (a view of
 * one reused buffer, valid only during the call) and returns `false` to stop
 * early. Returns `"missing"` when nothing is there, `"stopped"` when `visit`
 * stopped, else `"read"`. Refuses symlinks, folders, FIFOs and devices like
 * {@link readRepoFile}.
 */
export function streamRepoFile(
  place: Place,
  path: string,
  visit: (chunk: Uint8Array) => boolean | void,
  options: StreamOptions,
): "missing" | "read" | "stopped" {
  const entry = inspect(place, path);
  if (entry.kind === "missing") return "missing";
  if (entry.kind !== "file") throw new RepoFsError(path, entryProblem(entry));
  const { file, info } = openRegular(fromRepoPath(place.root, path), path);
  try {
    if (info.size > options.maxBytes) throw tooLarge(path, options.maxBytes);
    const buffer = new Uint8Array(
      Math.min(options.chunkBytes ?? 1024 * 1024, info.size + 1),
    );
    let total = 0;
    while (true) {
      let filled;
      try {
        filled = fill(file, buffer, 0);
      } catch (error) {
        throw new RepoFsError(path, `cannot read: ${describeIo(error)}`, error);
      }
      if (filled === 0) return "read";
      total += filled;
      if (total > options.maxBytes) throw tooLarge(path, options.maxBytes);
      // What the visitor throws is its own, not a read error.
      if (visit(buffer.subarray(0, filled)) === false) return "stopped";
      if (filled < buffer.length) return "read";
    }
  } finally {
    file.close();
  }
}

/** Reads a repo file as strict UTF-8 text (see {@link readRepoFile}). */
export function readRepoText(
  place: Place,
  path: string,
  options: ReadOptions = {},
): string | undefined {
  const bytes = readRepoFile(place, path, options);
  return bytes === undefined ? undefined : decodeText(bytes, path);
}

/**
 * Reads a file already known to be a regular file (from a walk that did not
 * follow symlinks): opens it, confirms with `fstat` that it still is one, and
 * reads at most `maxBytes`. `displayPath` names it in errors.
 */
export function readRegularFile(
  absolute: string,
  displayPath: string,
  maxBytes: number = MAX_READ_BYTES,
): Uint8Array {
  const { file, info } = openRegular(absolute, displayPath);
  try {
    if (info.size > maxBytes) throw tooLarge(displayPath, maxBytes);
    return readAtMost(file, displayPath, maxBytes, info.size);
  } finally {
    file.close();
  }
}

/** Opens a file for reading and confirms with `fstat` that it is a regular file. */
export function openRegular(
  absolute: string,
  displayPath: string,
): { file: Deno.FsFile; info: Deno.FileInfo } {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(absolute, { read: true });
  } catch (error) {
    throw new RepoFsError(
      displayPath,
      `cannot read: ${describeIo(error)}`,
      error,
    );
  }
  try {
    const info = file.statSync();
    if (!info.isFile) {
      throw new RepoFsError(
        displayPath,
        "is not a regular file (a FIFO, socket or device)",
      );
    }
    return { file, info };
  } catch (error) {
    file.close();
    throw error;
  }
}

function readAtMost(
  file: Deno.FsFile,
  displayPath: string,
  maxBytes: number,
  sizeHint: number,
): Uint8Array {
  // The size from fstat is a hint: a file can grow while it is read.
  let buffer = new Uint8Array(Math.max(Math.min(sizeHint, maxBytes) + 1, 64));
  let filled = 0;
  while (true) {
    if (filled === buffer.length) {
      if (buffer.length > maxBytes) throw tooLarge(displayPath, maxBytes);
      const grown = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
      grown.set(buffer);
      buffer = grown;
    }
    const n = file.readSync(buffer.subarray(filled));
    if (n === null || n === 0) break;
    filled += n;
    if (filled > maxBytes) throw tooLarge(displayPath, maxBytes);
  }
  return buffer.subarray(0, filled);
}

/** What {@link readRegularFileHeadUntil} read, with the `fstat` of the same open file. */
export interface FileHead {
  /** The bytes read from the start of the file. */
  bytes: Uint8Array;
  /** Whether `bytes` holds the whole file (as long as `fstat` said it was). */
  whole: boolean;
  /** The `fstat` of the open file: a cache key that matches the bytes read. */
  info: Deno.FileInfo;
}

/** Options for {@link readRegularFileHeadUntil}. */
export interface HeadOptions {
  /** Bytes read first (default 64 KiB). */
  firstBytes?: number;
  /** Never read more than this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Whether the bytes read so far are enough; reading grows (×4) until it is or the cap. */
  enough?: (bytes: Uint8Array) => boolean;
  /**
   * A buffer to read into instead of allocating one per file (the result is
   * then a view of it, valid until the next read into the same buffer).
   */
  scratch?: Uint8Array;
}

/**
 * One `open`, one `fstat` and as few reads as it takes: reads the head of a
 * file a walk already judged regular, growing only while `enough` says the
 * head is not yet enough, up to `maxBytes`. Refuses FIFOs, devices and
 * sockets after the open (so a swapped-in FIFO cannot block: the open is
 * non-blocking for reads of a regular file and `fstat` is checked before any
 * read). `displayPath` names the file in errors.
 */
export function readRegularFileHeadUntil(
  absolute: string,
  displayPath: string,
  options: HeadOptions = {},
): FileHead {
  const first = options.firstBytes ?? 64 * 1024;
  const max = options.maxBytes ?? 1024 * 1024;
  const { file, info } = openRegular(absolute, displayPath);
  try {
    const size = Math.min(first, info.size, max);
    let buffer = options.scratch && options.scratch.length >= size
      ? options.scratch.subarray(0, size)
      : new Uint8Array(size);
    let filled = fill(file, buffer, 0);
    while (
      filled === buffer.length && filled < Math.min(info.size, max) &&
      !(options.enough?.(buffer.subarray(0, filled)) ?? false)
    ) {
      const grown = new Uint8Array(Math.min(buffer.length * 4, info.size, max));
      grown.set(buffer);
      buffer = grown;
      filled = fill(file, buffer, filled);
    }
    return {
      bytes: buffer.subarray(0, filled),
      whole: filled >= info.size,
      info,
    };
  } catch (error) {
    if (error instanceof RepoFsError) throw error;
    throw new RepoFsError(
      displayPath,
      `cannot read: ${describeIo(error)}`,
      error,
    );
  } finally {
    file.close();
  }
}

/** Reads into `buffer` from `from` until it is full or the file ends; the bytes filled. */
export function fill(
  file: Deno.FsFile,
  buffer: Uint8Array,
  from: number,
): number {
  let filled = from;
  while (filled < buffer.length) {
    const n = file.readSync(buffer.subarray(filled));
    if (n === null || n === 0) break;
    filled += n;
  }
  return filled;
}

/**
 * The `lstat` of a file a walk found (no symlink followed), for cache keys;
 * `undefined` when it is gone or unreadable (the caller then reads it and
 * reports what the read says).
 */
export function lstatWalked(absolute: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(absolute);
  } catch {
    return undefined;
  }
}
