/**
 * Removal with proof: a file is removed only when its current bytes satisfy
 * the caller's proof (typically: they hash to what waypoint recorded
 * writing), and a folder tree only when every file in it does. On Linux and
 * macOS the bytes the proof sees are read through the open parent folder,
 * and the name is removed only if it is still the same file (device and
 * inode) once the proof has passed. Also finds and clears the temp files a
 * killed run left.
 *
 * @module
 */
import { isTempName } from "./atomic.ts";
import { entryAt, openRepoDirFd, withRepoDir } from "./dirfd.ts";
import { describeIo, RepoFsError, tooLarge } from "./errors.ts";
import { entryProblem, inspect } from "./inspect.ts";
import { AT_SUPPORTED, type Libc, requireAccess } from "./libc.ts";
import type { Place } from "./place.ts";
import { MAX_READ_BYTES, readInspectedFile, readRepoFile } from "./read.ts";
import { fromRepoPath, repoBasename, repoDirname } from "./repo_path.ts";
import { type ListedEntry, listRepoDir } from "./walk.ts";

/** The outcome of a guarded delete. */
export type RemoveResult =
  | { removed: true }
  | { removed: false; reason: string };

/**
 * Removes the regular file at `path` only if `proof` accepts its current
 * bytes (for example: their hash is one waypoint recorded). Missing files
 * count as removed; symlinks, folders and special files are refused.
 */
export async function removeRepoFile(
  place: Place,
  path: string,
  proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  const entry = inspect(place, path);
  if (entry.kind === "missing") return { removed: true };
  if (entry.kind !== "file") {
    return { removed: false, reason: `kept: it ${entryProblem(entry)}` };
  }
  if (AT_SUPPORTED) return await removeFileAt(place, path, proof);
  const bytes = readInspectedFile(place, entry);
  if (!(await proof(bytes))) {
    return {
      removed: false,
      reason: "kept: its content is not what waypoint wrote",
    };
  }
  try {
    Deno.removeSync(fromRepoPath(place.root, path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
    }
  }
  return { removed: true };
}

/** Removes the folder at `path` if it is a real, empty folder; otherwise leaves it. */
export function removeRepoDirIfEmpty(place: Place, path: string): boolean {
  const entry = inspect(place, path);
  if (entry.kind !== "directory") return false;
  if (AT_SUPPORTED) {
    try {
      requireAccess("write", fromRepoPath(place.root, path));
      return withRepoDir(place, repoDirname(path), false, (fd) => {
        place.libc.unlinkAt(fd, repoBasename(path), true);
        return true;
      }) ?? false;
    } catch {
      return false;
    }
  }
  try {
    Deno.removeSync(fromRepoPath(place.root, path));
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the folder tree at `path` only if every entry in it is a regular
 * file or folder and `proof` accepts every file. Nothing is removed unless
 * everything can be; the reason names the first file that fails.
 */
export async function removeRepoTree(
  place: Place,
  path: string,
  proof: (path: string, bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  const top = inspect(place, path);
  if (top.kind === "missing") return { removed: true };
  if (top.kind !== "directory") {
    return { removed: false, reason: `kept: it ${entryProblem(top)}` };
  }
  const files: string[] = [];
  const dirs: string[] = [];
  const pending = [path];
  while (pending.length) {
    const dir = pending.pop()!;
    dirs.push(dir);
    for (const entry of listRepoDir(place, dir) ?? []) {
      if (entry.kind === "directory") pending.push(entry.path);
      else if (entry.kind === "file") files.push(entry.path);
      else {
        return {
          removed: false,
          reason:
            `kept: ${entry.path} is a ${entry.kind}, not a file waypoint wrote`,
        };
      }
    }
  }
  for (const file of files) {
    const bytes = readRepoFile(place, file)!;
    if (!(await proof(file, bytes))) {
      return {
        removed: false,
        reason: `kept: ${file} is not a file waypoint wrote`,
      };
    }
  }
  if (AT_SUPPORTED) {
    for (const file of files) {
      const result = await removeFileAt(
        place,
        file,
        (bytes) => proof(file, bytes),
      );
      if (!result.removed) {
        const why = result.reason.replace(/^kept: /, "");
        return { removed: false, reason: `kept: ${file}: ${why}` };
      }
    }
    try {
      for (const dir of dirs.reverse()) {
        requireAccess("write", fromRepoPath(place.root, dir));
        withRepoDir(place, repoDirname(dir), false, (fd) => {
          place.libc.unlinkAt(fd, repoBasename(dir), true);
        });
      }
    } catch (error) {
      throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
    }
    return { removed: true };
  }
  try {
    for (const file of files) Deno.removeSync(fromRepoPath(place.root, file));
    for (const dir of dirs.reverse()) {
      Deno.removeSync(fromRepoPath(place.root, dir));
    }
  } catch (error) {
    throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
  }
  return { removed: true };
}

/**
 * Temp files left in the given folders by an interrupted run (recognised by
 * name, regular files only). Missing or symlinked folders are skipped.
 */
export function findStaleTemps(place: Place, dirs: Iterable<string>): string[] {
  const found: string[] = [];
  for (const dir of new Set(dirs)) {
    let entries: ListedEntry[] | undefined;
    try {
      entries = listRepoDir(place, dir);
    } catch {
      continue;
    }
    for (const entry of entries ?? []) {
      if (entry.kind === "file" && isTempName(entry.name)) {
        found.push(entry.path);
      }
    }
  }
  return found.sort();
}

/** Removes the temp files {@link findStaleTemps} finds; returns their paths. */
export function removeStaleTemps(
  place: Place,
  dirs: Iterable<string>,
): string[] {
  const removed: string[] = [];
  for (const path of findStaleTemps(place, dirs)) {
    try {
      if (AT_SUPPORTED) {
        requireAccess("write", fromRepoPath(place.root, path));
        const gone = withRepoDir(place, repoDirname(path), false, (fd) => {
          const name = repoBasename(path);
          if (place.libc.statAt(fd, name)?.kind !== "file") return false;
          place.libc.unlinkAt(fd, name, false);
          return true;
        });
        if (gone) removed.push(path);
        continue;
      }
      Deno.removeSync(fromRepoPath(place.root, path));
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove after all: doctor reports what stays.
    }
  }
  return removed;
}

/**
 * {@link removeRepoFile} relative to the open parent folder: the bytes the
 * proof sees are read through that folder, and the name is removed only if
 * it is still the same file (device and inode) once the proof has passed.
 */
export async function removeFileAt(
  place: Place,
  path: string,
  proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  const absolute = fromRepoPath(place.root, path);
  const name = repoBasename(path);
  let fd: number | undefined;
  try {
    fd = openRepoDirFd(place, repoDirname(path), false);
  } catch (error) {
    if (error instanceof RepoFsError && error.path !== path) {
      return { removed: false, reason: `kept: ${error.message}` };
    }
    throw error;
  }
  if (fd === undefined) return { removed: true };
  try {
    let read: ReturnType<Libc["readRegularAt"]>;
    try {
      requireAccess("read", absolute);
      read = place.libc.readRegularAt(fd, name, MAX_READ_BYTES);
    } catch (error) {
      throw new RepoFsError(path, describeIo(error), error);
    }
    if (read === undefined) return { removed: true };
    if (read === "large") throw tooLarge(path, MAX_READ_BYTES);
    if (read === "special") {
      return {
        removed: false,
        reason: `kept: it ${entryProblem(entryAt(place, path, fd, name))}`,
      };
    }
    if (!(await proof(read.bytes))) {
      return {
        removed: false,
        reason: "kept: its content is not what waypoint wrote",
      };
    }
    const now = place.libc.statAt(fd, name);
    if (now === undefined) return { removed: true };
    if (now.dev !== read.stat.dev || now.ino !== read.stat.ino) {
      return {
        removed: false,
        reason: "kept: it was replaced while waypoint checked it",
      };
    }
    try {
      requireAccess("write", absolute);
      place.libc.unlinkAt(fd, name, false);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw new RepoFsError(
          path,
          `cannot remove: ${describeIo(error)}`,
          error,
        );
      }
    }
    return { removed: true };
  } finally {
    place.libc.closeFd(fd);
  }
}
