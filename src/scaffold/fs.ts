/**
 * File-system primitives with the guarantees waypoint promises: atomic
 * writes (temp file in the same directory, then rename) and strict text reads
 * that refuse binary or non-UTF-8 content with a clear message.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { WaypointError } from "../errors.ts";

/** Options for {@link writeFileAtomic}. */
export interface WriteOptions {
  /** File mode to set before the rename, e.g. `0o755` for scripts. */
  mode?: number;
}

/**
 * Writes `content` to `path` atomically: readers see the old file or the new
 * one, never a partial write. Parent directories are created.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  // Synchronous calls on purpose: waypoint writes small files, and a thread-pool
  // round trip per call costs more than the write itself.
  await Promise.resolve();
  const dir = dirname(path);
  Deno.mkdirSync(dir, { recursive: true });
  const temp = join(
    dir,
    `.${basename(path)}.waypoint-tmp-${crypto.randomUUID().slice(0, 8)}`,
  );
  try {
    if (typeof content === "string") {
      Deno.writeTextFileSync(temp, content, { createNew: true });
    } else Deno.writeFileSync(temp, content, { createNew: true });
    if (options.mode !== undefined && Deno.build.os !== "windows") {
      Deno.chmodSync(temp, options.mode);
    }
    Deno.renameSync(temp, path);
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // The temp file was never created.
    }
    throw error;
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Why a file's bytes are not usable as text, or `undefined` when they are. */
export function textProblem(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return "is a binary file, not text";
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    return "is not valid UTF-8 text";
  }
}

/**
 * Decodes `bytes` as UTF-8 text, throwing a {@link WaypointError} that names
 * `displayPath` when the content is binary or not UTF-8.
 */
export function decodeText(bytes: Uint8Array, displayPath: string): string {
  const problem = textProblem(bytes);
  if (problem) throw new WaypointError(`${displayPath} ${problem}`);
  return decoder.decode(bytes);
}

/** Reads a file's bytes; `undefined` when it does not exist; other failures name `displayPath`. */
export function readBytesIfExists(
  path: string,
  displayPath: string,
): Uint8Array | undefined {
  try {
    return Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw readError(error, displayPath);
  }
}

/** Reads a text file strictly (see {@link decodeText}); `undefined` when it does not exist. */
export function readTextIfExists(
  path: string,
  displayPath: string,
): string | undefined {
  const bytes = readBytesIfExists(path, displayPath);
  return bytes === undefined ? undefined : decodeText(bytes, displayPath);
}

/** Turns a read failure into a one-line {@link WaypointError} naming the file. */
export function readError(error: unknown, displayPath: string): WaypointError {
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable
  ) {
    return new WaypointError(`cannot read ${displayPath}: permission denied`, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new WaypointError(`cannot read ${displayPath}: it is a directory`, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.FilesystemLoop) {
    return new WaypointError(`cannot read ${displayPath}: symlink loop`, {
      cause: error,
    });
  }
  const message = error instanceof Error
    ? error.message.split("\n")[0]
    : String(error);
  return new WaypointError(`cannot read ${displayPath}: ${message}`, {
    cause: error,
  });
}

/** Turns a write failure into a one-line {@link WaypointError} naming the file. */
export function writeError(error: unknown, displayPath: string): WaypointError {
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable
  ) {
    return new WaypointError(
      `cannot write ${displayPath}: permission denied (is the repository read-only?)`,
      { cause: error },
    );
  }
  if (
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AlreadyExists
  ) {
    return new WaypointError(
      `cannot write ${displayPath}: a parent path is a file`,
      { cause: error },
    );
  }
  const message = error instanceof Error
    ? error.message.split("\n")[0]
    : String(error);
  return new WaypointError(`cannot write ${displayPath}: ${message}`, {
    cause: error,
  });
}

/** What kind of entry is at `path`, following symlinks; `undefined` when nothing is there. */
export async function entryKind(
  path: string,
): Promise<"file" | "directory" | "other" | undefined> {
  await Promise.resolve();
  try {
    const info = Deno.statSync(path);
    return info.isFile ? "file" : info.isDirectory ? "directory" : "other";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
