/**
 * Directory-relative writes (Linux, macOS): every folder below the root is
 * opened relative to the open folder above it, never through a symlink
 * (`openat` with `O_NOFOLLOW | O_DIRECTORY`), and files are created, renamed
 * and removed relative to that open folder, so a folder swapped for a
 * symlink while waypoint runs cannot redirect anything. The root folder
 * itself is checked against the identity taken when the repo was opened.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import { type FileContent, tempNameFor } from "./atomic.ts";
import { describeIo, describeWriteIo, RepoFsError } from "./errors.ts";
import type { Entry } from "./inspect.ts";
import { requireAccess } from "./libc.ts";
import type { AtStat } from "./libc_abi.ts";
import type { OpenDirs, Place } from "./place.ts";
import { fromRepoPath, repoBasename, repoDirname } from "./repo_path.ts";

/**
 * Refuses to go on when the folder open as the root is not the one the repo
 * was opened on (its device and inode differ): the root was moved or
 * swapped while waypoint ran. Closes `fd` before throwing.
 */
function refuseReplacedRoot(place: Place, fd: number, dir: string): void {
  const identity = place.facts.identity();
  if (identity === undefined) return;
  let now: AtStat;
  try {
    now = place.libc.statFd(fd);
  } catch (error) {
    place.libc.closeFd(fd);
    throw new RepoFsError(dir || ".", describeIo(error), error);
  }
  if (now.dev !== identity.dev || now.ino !== identity.ino) {
    place.libc.closeFd(fd);
    throw new RepoFsError(
      dir || ".",
      "refused: the repository folder was replaced while waypoint ran",
    );
  }
}

/** The content as byte chunks, in order. */
export function chunksOf(content: FileContent): Iterable<Uint8Array> {
  if (typeof content === "string") return [new TextEncoder().encode(content)];
  return content instanceof Uint8Array ? [content] : content;
}

/** A refusal for the folder component `current` that `openDirAt` could not open. */
export function refusalAt(
  place: Place,
  current: string,
  fd: number,
  name: string,
  error: unknown,
): RepoFsError {
  if (
    error instanceof Deno.errors.FilesystemLoop ||
    error instanceof Deno.errors.NotADirectory
  ) {
    let kind: AtStat["kind"] | undefined;
    try {
      kind = place.libc.statAt(fd, name)?.kind;
    } catch {
      // Reported as not a folder below.
    }
    if (kind === "symlink") {
      return new RepoFsError(
        current,
        "is a symlink; waypoint does not write through it",
      );
    }
    return new RepoFsError(current, "is a file, not a folder", error);
  }
  return new RepoFsError(current, describeIo(error), error);
}

/** Opens the root folder and checks it is still the one the repo was opened on. */
function openRootFd(place: Place, dir: string): number {
  let fd: number;
  try {
    fd = place.libc.openDirPath(place.root);
  } catch (error) {
    // Not about the repo: FFI is not allowed (libc.ts says so itself).
    if (error instanceof WaypointError) throw error;
    throw new RepoFsError(
      dir === "" ? "." : dir.split("/")[0],
      `cannot open the repository folder: ${describeIo(error)}`,
      error,
    );
  }
  refuseReplacedRoot(place, fd, dir);
  return fd;
}

/**
 * Opens the folder `part` (repo path `current`) in the open folder `fd`,
 * never through a symlink; with `create`, a missing one is made with
 * `mkdirat` and then opened the same way. `undefined` when it is missing and
 * `create` is false. `fd` stays open either way.
 */
function openChildDir(
  place: Place,
  fd: number,
  current: string,
  part: string,
  create: boolean,
): number | undefined {
  let next: number | undefined;
  try {
    next = place.libc.openDirAtIfThere(fd, part);
  } catch (error) {
    throw refusalAt(place, current, fd, part, error);
  }
  if (next !== undefined || !create) return next;
  try {
    requireAccess("write", fromRepoPath(place.root, current));
    place.libc.mkdirAt(fd, part);
  } catch (made) {
    if (!(made instanceof Deno.errors.AlreadyExists)) {
      throw new RepoFsError(
        current,
        `cannot create folder: ${describeWriteIo(made)}`,
        made,
      );
    }
  }
  try {
    return place.libc.openDirAt(fd, part);
  } catch (again) {
    throw refusalAt(place, current, fd, part, again);
  }
}

/**
 * Opens the folder `dir` below `root` one level at a time, each relative to
 * the level above, which is already open; with `create`, a missing level is
 * made with `mkdirat` and then opened the same way. `undefined` when a level
 * is missing and `create` is false. The caller closes the result.
 */
export function openRepoDirFd(
  place: Place,
  dir: string,
  create: boolean,
): number | undefined {
  let fd = openRootFd(place, dir);
  if (dir === "") return fd;
  let current = "";
  try {
    for (const part of dir.split("/")) {
      current = current ? `${current}/${part}` : part;
      const next = openChildDir(place, fd, current, part, create);
      place.libc.closeFd(fd);
      fd = next ?? -1;
      if (next === undefined) return undefined;
    }
    return fd;
  } catch (error) {
    if (fd !== -1) place.libc.closeFd(fd);
    throw error;
  }
}

/**
 * {@link openRepoDirFd} within a batch that holds folders open: starts from
 * the deepest folder of `dir` the batch already holds, and keeps every
 * folder it opens. The batch closes them; `undefined` as for
 * {@link openRepoDirFd}.
 */
function heldRepoDirFd(
  place: Place,
  held: OpenDirs,
  dir: string,
  create: boolean,
): number | undefined {
  const hit = held.get(dir);
  if (hit !== undefined) return hit;
  let fd: number | undefined;
  if (dir === "") fd = openRootFd(place, dir);
  else {
    const parent = heldRepoDirFd(place, held, repoDirname(dir), create);
    if (parent === undefined) return undefined;
    fd = openChildDir(place, parent, dir, repoBasename(dir), create);
  }
  if (fd !== undefined) held.keep(dir, fd);
  return fd;
}

/**
 * Runs `work` with the open folder `dir` (see {@link openRepoDirFd}), closing
 * it after; within a batch that holds folders open (`place.openDirs`) the
 * folder is the batch's, and stays open for the next write.
 */
export function withRepoDir<T>(
  place: Place,
  dir: string,
  create: boolean,
  work: (fd: number) => T,
): T | undefined {
  const held = place.openDirs;
  if (held?.holding) {
    const fd = heldRepoDirFd(place, held, dir, create);
    return fd === undefined ? undefined : work(fd);
  }
  const fd = openRepoDirFd(place, dir, create);
  if (fd === undefined) return undefined;
  try {
    return work(fd);
  } finally {
    place.libc.closeFd(fd);
  }
}

/** The {@link Entry} for `name` in the open folder `fd` (its parents are real folders). */
export function entryAt(
  place: Place,
  path: string,
  fd: number,
  name: string,
): Entry {
  let info: AtStat | undefined;
  try {
    info = place.libc.statAt(fd, name);
  } catch (error) {
    throw new RepoFsError(path, describeIo(error), error);
  }
  if (info === undefined) return { kind: "missing", path };
  if (info.kind === "symlink") return { kind: "symlink", path, link: path };
  if (info.kind === "file") {
    return { kind: "file", path, size: 0, mode: info.mode };
  }
  if (info.kind === "directory") return { kind: "directory", path };
  return { kind: "special", path };
}

/** The atomic write of `replaceFileAtomically`, relative to the open folder `fd`. */
export function replaceAt(
  place: Place,
  fd: number,
  name: string,
  content: FileContent,
  mode: number | undefined,
): void {
  const temp = tempNameFor(name);
  place.libc.writeNewFileAt(fd, temp, chunksOf(content), mode);
  try {
    place.libc.renameAt(fd, temp, name);
  } catch (error) {
    try {
      place.libc.unlinkAt(fd, temp, false);
    } catch {
      // Already gone.
    }
    throw error;
  }
}

/**
 * Creates `path` (in the open folder `fd`) exclusively: written to a temp
 * file, then hard-linked to its name, which fails if anything is there;
 * `false` when something was.
 */
export function createExclusiveAt(
  place: Place,
  path: string,
  fd: number,
  bytes: Uint8Array,
): boolean {
  const name = repoBasename(path);
  const temp = tempNameFor(name);
  try {
    requireAccess("write", fromRepoPath(place.root, path));
    place.libc.writeNewFileAt(fd, temp, [bytes]);
    try {
      // A hard link is created exclusively: it fails if anything is at the name.
      place.libc.linkAt(fd, temp, name);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      if (place.libc.statAt(fd, name) !== undefined) return false;
      place.libc.renameAt(fd, temp, name);
    }
    return true;
  } catch (error) {
    throw new RepoFsError(path, `cannot write: ${describeIo(error)}`, error);
  } finally {
    try {
      place.libc.unlinkAt(fd, temp, false);
    } catch {
      // Already renamed, or never created.
    }
  }
}
