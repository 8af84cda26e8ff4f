/**
 * Writes: atomic replacement (temp file in the same folder, then rename)
 * that keeps the existing file's mode and leaves no temp file behind on
 * failure, exclusive creation for outputs that must never replace anything,
 * backups that never collide, and folders made one level at a time. No
 * symlink is followed or replaced: on Linux and macOS every folder is opened
 * relative to the open one above it (`dirfd.ts`); on Windows each component
 * is checked with `lstat` first, and a swap in between can still redirect
 * the write (see the README).
 *
 * @module
 */
import {
  type FileContent,
  replaceFileAtomically,
  tempNameFor,
} from "./atomic.ts";
import {
  createExclusiveAt,
  entryAt,
  openRepoDirFd,
  replaceAt,
  withRepoDir,
} from "./dirfd.ts";
import { describeIo, describeWriteIo, RepoFsError } from "./errors.ts";
import {
  checkedPath,
  type Entry,
  entryOf,
  entryProblem,
  inspect,
  lstatOrUndefinedNamed,
} from "./inspect.ts";
import { AT_SUPPORTED, requireAccess } from "./libc.ts";
import { concatBytes, sameBytesAt } from "../bytes.ts";
import type { Place } from "./place.ts";
import { readRegularFile, readRepoFile } from "./read.ts";
import { fromRepoPath, repoBasename, repoDirname } from "./repo_path.ts";

/**
 * Makes sure the folder `dir` (repo-relative, `""` for the root) exists as a
 * real folder, creating missing levels one at a time. Refuses symlinks and
 * files in the way.
 */
export function ensureRepoDir(place: Place, dir: string): void {
  if (dir === "") return;
  checkedPath(dir);
  if (AT_SUPPORTED) {
    // When every level is already a real folder nothing is created, so a
    // swap after this check redirects nothing: each write opens the chain
    // again through descriptors (or, in a batch, through the folders it
    // holds). Only creating needs the descriptor walk, and a run with
    // nothing to create binds no libc call for it.
    if (inspect(place, dir).kind === "directory") return;
    if (place.openDirs?.holding) {
      // In a batch the folders made are kept open for the writes into them.
      withRepoDir(place, dir, true, () => {});
      return;
    }
    place.libc.closeFd(openRepoDirFd(place, dir, true)!);
    return;
  }
  let current = "";
  for (const part of dir.split("/")) {
    current = current ? `${current}/${part}` : part;
    const absolute = fromRepoPath(place.root, current);
    let info = lstatOrUndefinedNamed(absolute, current);
    if (info === undefined) {
      try {
        Deno.mkdirSync(absolute);
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) {
          throw new RepoFsError(
            current,
            `cannot create folder: ${describeWriteIo(error)}`,
            error,
          );
        }
      }
      info = lstatOrUndefinedNamed(absolute, current);
    }
    if (info?.isSymlink) {
      throw new RepoFsError(
        current,
        "is a symlink; waypoint does not write through it",
      );
    }
    if (!info?.isDirectory) {
      throw new RepoFsError(current, "is a file, not a folder");
    }
  }
}

/** Options for {@link writeRepoFile}. */
export interface WriteOptions {
  /** File mode for the result; default: the existing file's mode, else the OS default. */
  mode?: number;
  /**
   * Leave a regular file that already holds exactly `content` alone (no
   * temp file, no rename, its mtime kept): for outputs rebuilt on every run
   * whose text mostly stays the same. Ignored when `mode` is given.
   */
  skipUnchanged?: boolean;
}

/** `content` as one byte array. */
function bytesOf(content: FileContent): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  if (content instanceof Uint8Array) return content;
  // Copied: an iterable may hand out one buffer refilled for each chunk.
  return concatBytes(Array.from(content, (chunk) => chunk.slice()));
}

/** Whether two byte arrays hold the same bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sameBytesAt(a, 0, b, 0, a.length);
}

/**
 * Whether {@link WriteOptions.skipUnchanged} lets this write be skipped: the
 * file at the path is regular and `readAt(limit)` (its bytes, read no
 * further than `limit`, or undefined when larger or unreadable) equals
 * `content`. A failed read means "write it", never an error.
 */
function unchanged(
  options: WriteOptions,
  entry: Entry,
  content: FileContent,
  readAt: (limit: number) => Uint8Array | undefined,
): boolean {
  if (!options.skipUnchanged || options.mode !== undefined) return false;
  if (entry.kind !== "file") return false;
  const wanted = bytesOf(content);
  let current: Uint8Array | undefined;
  try {
    current = readAt(wanted.length);
  } catch {
    return false;
  }
  return current !== undefined && sameBytes(current, wanted);
}

/**
 * The permission bits a replaced file keeps (none for a new one); refuses an
 * entry that is neither missing nor a regular file.
 */
function modeToKeep(path: string, entry: Entry): number | undefined {
  if (entry.kind !== "missing" && entry.kind !== "file") {
    throw new RepoFsError(path, `not written: it ${entryProblem(entry)}`);
  }
  return entry.kind === "file" && entry.mode !== null
    ? entry.mode & 0o7777
    : undefined;
}

/**
 * Replaces (or creates) the regular file at `path` atomically. Missing
 * folders are created; a symlink, folder or special file at the path or a
 * symlink above it is refused. The existing file's mode is kept unless
 * `options.mode` says otherwise.
 */
export function writeRepoFile(
  place: Place,
  path: string,
  content: FileContent,
  options: WriteOptions = {},
): void {
  checkedPath(path);
  const dir = repoDirname(path);
  if (AT_SUPPORTED) {
    withRepoDir(place, dir, true, (fd) => {
      const name = repoBasename(path);
      const entry = entryAt(place, path, fd, name);
      const existingMode = modeToKeep(path, entry);
      try {
        requireAccess("write", fromRepoPath(place.root, path));
        // Read back through the same open folder, never through a link; a
        // file larger than the new content cannot be the same.
        const readBack = (limit: number) => {
          const current = place.libc.readRegularAt(fd, name, limit);
          return typeof current === "object" ? current.bytes : undefined;
        };
        if (unchanged(options, entry, content, readBack)) return;
        replaceAt(place, fd, name, content, options.mode ?? existingMode);
      } catch (error) {
        throw new RepoFsError(
          path,
          `cannot write: ${describeWriteIo(error)}`,
          error,
        );
      }
    });
    return;
  }
  ensureRepoDir(place, dir);
  // ensureRepoDir has just checked every folder above the path.
  const entry = entryOf(
    path,
    lstatOrUndefinedNamed(fromRepoPath(place.root, path), path),
  );
  const existingMode = modeToKeep(path, entry);
  const readBack = (limit: number) =>
    readRegularFile(fromRepoPath(place.root, path), path, limit);
  if (unchanged(options, entry, content, readBack)) return;
  try {
    replaceFileAtomically(
      fromRepoPath(place.root, dir === "" ? "." : dir),
      repoBasename(path),
      content,
      options.mode ?? existingMode,
    );
  } catch (error) {
    throw new RepoFsError(
      path,
      `cannot write: ${describeWriteIo(error)}`,
      error,
    );
  }
}

/**
 * Creates a file only if nothing is at `path` (exclusive create, no temp
 * file, for outputs that must never replace anything); returns `false` when
 * something is already there.
 */
export function createRepoFileExclusive(
  place: Place,
  path: string,
  content: string | Uint8Array,
): boolean {
  checkedPath(path);
  const bytes = typeof content === "string"
    ? new TextEncoder().encode(content)
    : content;
  if (AT_SUPPORTED) {
    return withRepoDir(
      place,
      repoDirname(path),
      true,
      (fd) => createExclusiveAt(place, path, fd, bytes),
    )!;
  }
  ensureRepoDir(place, repoDirname(path));
  const absolute = fromRepoPath(place.root, path);
  const dir = repoDirname(path);
  const temp = fromRepoPath(
    place.root,
    (dir ? dir + "/" : "") + tempNameFor(repoBasename(path)),
  );
  try {
    Deno.writeFileSync(temp, bytes, { createNew: true });
    try {
      // A hard link is created exclusively: it fails if anything is at the name.
      Deno.linkSync(temp, absolute);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      if (inspect(place, path).kind !== "missing") return false;
      Deno.renameSync(temp, absolute);
    }
    return true;
  } catch (error) {
    throw new RepoFsError(path, `cannot write: ${describeIo(error)}`, error);
  } finally {
    try {
      Deno.removeSync(temp);
    } catch {
      // Already renamed, or never created.
    }
  }
}

/**
 * Saves a copy of the regular file at `path` beside it as
 * `<path>.waypoint-backup-<UTC time with ms>[-N]`, created exclusively so an
 * earlier backup is never overwritten. Returns the backup's repo path.
 */
export function backupRepoFile(
  place: Place,
  path: string,
  now: Date = new Date(),
): string {
  const bytes = readRepoFile(place, path);
  if (bytes === undefined) {
    throw new RepoFsError(path, "cannot back up: the file is gone");
  }
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-");
  for (let counter = 1; counter < 10_000; counter++) {
    const name = `${path}.waypoint-backup-${stamp}${
      counter === 1 ? "" : `-${counter}`
    }`;
    if (createRepoFileExclusive(place, name, bytes)) return name;
  }
  throw new RepoFsError(path, "cannot back up: too many backups at this time");
}
