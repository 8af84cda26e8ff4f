/**
 * The one door to a repository's filesystem. Every read, write, rename and
 * delete waypoint makes below a repo root goes through this module, which
 * holds these rules:
 *
 * 1. **Inside the repo only.** Paths are repo-relative and normalized; `..`,
 *    absolute paths, drive letters, NUL and `.git` are refused, wherever the
 *    path came from ({@link RepoFsError} names it).
 * 2. **No symlink is followed for a write, rename or delete, and none is
 *    replaced.** On Linux and macOS every folder is opened relative to the
 *    one above it, which is already open (`openat` with `O_NOFOLLOW |
 *    O_DIRECTORY`, through `libc.ts`), and files are created, renamed and
 *    removed relative to that open folder, so a folder swapped for a symlink
 *    while waypoint runs cannot redirect anything (tests/fs_race_test.ts).
 *    On Windows each component is checked with `lstat` before the write by
 *    path; a swap in between can still redirect it (see the README).
 *    {@link resolveLinkInside} is the one deliberate exception callers may
 *    use (the `AGENTS.md` → `CLAUDE.md` layout): it yields the link's target
 *    only when that target is a regular file inside the repo.
 * 3. **Reads** open only regular files (never a FIFO, device or socket, so
 *    they cannot block) and stop at a size cap ({@link MAX_READ_BYTES}).
 *    Reads do not follow symlinks either, except where a caller asks for a
 *    link whose target is inside the repo.
 * 4. **Deletes** take a proof: a file is removed only when its current bytes
 *    hash to what the caller proved waypoint wrote, and a folder only when
 *    every file in it passes the caller's proof.
 * 5. **Writes are atomic** (temp file in the same folder, then rename), keep
 *    the existing file's mode, and leave no temp file behind on failure;
 *    {@link removeStaleTemps} clears the ones a killed run left.
 * 6. **Backups never collide**: milliseconds plus a counter, created
 *    exclusively, never overwritten.
 * 7. Every error names the repo-relative path and the problem.
 *
 * @module
 */
import { sep } from "../path.ts";
import { describeError, WaypointError } from "../errors.ts";
import {
  type FileContent,
  isTempName,
  replaceFileAtomically,
  tempNameFor,
} from "./atomic.ts";
import {
  fromRepoPath,
  repoBasename,
  repoDirname,
  repoPathProblem,
  toRepoPath,
} from "./repo_path.ts";
import { decodeText } from "./text.ts";
import {
  AT_SUPPORTED,
  type AtStat,
  closeFd,
  linkAt,
  mkdirAt,
  openDirAt,
  openDirPath,
  readRegularAt,
  renameAt,
  requireAccess,
  statAt,
  unlinkAt,
  writeNewFileAt,
} from "./libc.ts";

/** The largest file waypoint reads from a repository: 8 MiB. */
export const MAX_READ_BYTES = 8 * 1024 * 1024;

/** A filesystem refusal or failure, always naming the repo-relative path. */
export class RepoFsError extends WaypointError {
  /** The repo-relative path the error is about. */
  readonly path: string;
  /** What is wrong with it, without the path. */
  readonly problem: string;

  constructor(path: string, problem: string, cause?: unknown) {
    super(`${path}: ${problem}`, { cause });
    this.name = "RepoFsError";
    this.path = path;
    this.problem = problem;
  }
}

/**
 * The problem `error` reports about `path` itself, without the path (for a
 * caller that names the path already); `undefined` when it is not a
 * {@link RepoFsError} about that path (a parent folder, another failure).
 */
export function problemAbout(error: unknown, path: string): string | undefined {
  return error instanceof RepoFsError && error.path === path
    ? error.problem
    : undefined;
}

/** What is at a repo path, judged without following any symlink. */
export type Entry =
  | { kind: "missing"; path: string }
  | { kind: "file"; path: string; size: number; mode: number | null }
  | { kind: "directory"; path: string }
  /** `link` is the component that is a symlink: the path itself or a parent folder. */
  | { kind: "symlink"; path: string; link: string }
  /** A FIFO, socket or device. */
  | { kind: "special"; path: string }
  /** `blocker` is a parent component that is a file, not a folder. */
  | { kind: "blocked"; path: string; blocker: string };

function checkedPath(path: string): string {
  const problem = repoPathProblem(path);
  if (problem) {
    throw new RepoFsError(path, `refused: the path ${problem}`);
  }
  if (
    path.includes("\\") || path.split("/").some((p) => p === "" || p === ".")
  ) {
    throw new RepoFsError(path, "refused: the path is not normalized");
  }
  return path;
}

function lstatOrUndefined(absolute: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(absolute);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.NotADirectory) return undefined;
    throw error;
  }
}

/**
 * Inspects `path` below `root` with `lstat` on every component: a symlinked
 * parent makes the whole path a `symlink` entry, a file where a folder should
 * be makes it `blocked`. Within a {@link readOnlyPass} the folders above the
 * path are looked at once per pass; the path itself is looked at every time.
 */
export function inspect(root: string, path: string): Entry {
  checkedPath(path);
  const parts = path.split("/");
  let current = "";
  for (let i = 0; i < parts.length - 1; i++) {
    current = current ? `${current}/${parts[i]}` : parts[i];
    const info = lstatParent(fromRepoPath(root, current), current);
    if (info === undefined) return { kind: "missing", path };
    if (info.isSymlink) return { kind: "symlink", path, link: current };
    if (!info.isDirectory) return { kind: "blocked", path, blocker: current };
  }
  return entryOf(path, lstatOrUndefinedNamed(fromRepoPath(root, path), path));
}

/** The entry for `path` itself from its `lstat`, its parents being real folders. */
function entryOf(path: string, info: Deno.FileInfo | undefined): Entry {
  if (info === undefined) return { kind: "missing", path };
  if (info.isSymlink) return { kind: "symlink", path, link: path };
  if (info.isFile) {
    return { kind: "file", path, size: info.size, mode: info.mode };
  }
  if (info.isDirectory) return { kind: "directory", path };
  return { kind: "special", path };
}

/**
 * What the running {@link readOnlyPass} learned about folders above the paths
 * it inspected, by absolute path (`undefined`: nothing there).
 */
let passParents: Map<string, Deno.FileInfo | undefined> | undefined;

function lstatParent(
  absolute: string,
  display: string,
): Deno.FileInfo | undefined {
  if (passParents === undefined) {
    return lstatOrUndefinedNamed(absolute, display);
  }
  if (passParents.has(absolute)) return passParents.get(absolute);
  const info = lstatOrUndefinedNamed(absolute, display);
  passParents.set(absolute, info);
  return info;
}

/**
 * Runs `work` as one read-only pass over repositories, as planning and
 * `doctor` are: each folder above an inspected path is checked with `lstat`
 * once in the pass instead of once per path below it (a re-init made about
 * 830 `lstat` calls on 185 paths). The path itself is still checked on every
 * call, and reads still confirm a regular file with `fstat`. A folder
 * swapped for a symlink by another process during the pass can therefore go
 * unseen by later reads in it, as it could between any check and the open
 * that follows; every write and delete happens outside a pass and opens
 * each component again (through descriptors on Linux and macOS). Nothing may be written, created or removed through
 * this module during a pass: those calls throw.
 */
export async function readOnlyPass<T>(work: () => Promise<T>): Promise<T> {
  if (passParents !== undefined) return await work();
  passParents = new Map();
  try {
    return await work();
  } finally {
    passParents = undefined;
  }
}

function refuseDuringPass(operation: string, path: string): void {
  if (passParents !== undefined) {
    throw new Error(
      `internal: ${operation} ${path} during a read-only pass`,
    );
  }
}

/** One line describing why an entry cannot be used as a file. */
export function entryProblem(entry: Entry): string {
  switch (entry.kind) {
    case "missing":
      return "does not exist";
    case "file":
      return "is a file";
    case "directory":
      return "is a directory, not a file";
    case "symlink":
      return entry.link === entry.path
        ? "is a symlink; waypoint does not follow or replace symlinks"
        : `is below ${entry.link}, which is a symlink; waypoint does not follow it`;
    case "special":
      return "is not a regular file (a FIFO, socket or device)";
    case "blocked":
      return `cannot exist: ${entry.blocker} is a file, not a folder`;
  }
}

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
  root: string,
  path: string,
  options: ReadOptions = {},
): Uint8Array | undefined {
  let entry = inspect(root, path);
  if (entry.kind === "missing") return undefined;
  if (entry.kind === "symlink" && options.followInside) {
    const target = resolveLinkInside(root, path);
    if (target.inside) entry = inspect(root, target.path);
    else throw new RepoFsError(path, target.problem);
  }
  if (entry.kind !== "file") throw new RepoFsError(path, entryProblem(entry));
  return readInspectedFile(root, entry, options.maxBytes, path);
}

/**
 * Reads the regular file an {@link inspect} has just found, without looking
 * at the folders above it again (the open file is still confirmed with
 * `fstat`). `displayPath` names it in errors (default: its path).
 */
export function readInspectedFile(
  root: string,
  entry: Entry & { kind: "file" },
  maxBytes: number = MAX_READ_BYTES,
  displayPath: string = entry.path,
): Uint8Array {
  return readRegularFile(fromRepoPath(root, entry.path), displayPath, maxBytes);
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
  root: string,
  path: string,
  visit: (chunk: Uint8Array) => boolean | void,
  options: StreamOptions,
): "missing" | "read" | "stopped" {
  const entry = inspect(root, path);
  if (entry.kind === "missing") return "missing";
  if (entry.kind !== "file") throw new RepoFsError(path, entryProblem(entry));
  const { file, info } = openRegular(fromRepoPath(root, path), path);
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
  root: string,
  path: string,
  options: ReadOptions = {},
): string | undefined {
  const bytes = readRepoFile(root, path, options);
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
function openRegular(
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

function tooLarge(displayPath: string, maxBytes: number): RepoFsError {
  const mib = maxBytes / (1024 * 1024);
  const size = Number.isInteger(mib) ? `${mib} MiB` : `${maxBytes} bytes`;
  return new RepoFsError(
    displayPath,
    `is larger than ${size}; waypoint does not read files that big`,
  );
}

/** Where a symlink at a repo path leads, judged by {@link resolveLinkInside}. */
export type LinkTarget =
  | { inside: true; path: string }
  | { inside: false; problem: string };

let realRoots = new Map<string, string>();

function realRootOf(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    real = Deno.realPathSync(root);
    if (realRoots.size > 16) realRoots = new Map();
    realRoots.set(root, real);
  }
  return real;
}

/**
 * Resolves the symlink at `path` (the path itself must be the link, with real
 * folders above it). The target counts only when it is a regular file inside
 * the repo reached without further links: the `AGENTS.md` → `CLAUDE.md`
 * layout. Anything else comes back with the reason it is refused.
 */
export function resolveLinkInside(root: string, path: string): LinkTarget {
  const entry = inspect(root, path);
  if (entry.kind !== "symlink" || entry.link !== path) {
    return { inside: false, problem: `${path} is not a symlink` };
  }
  let realTarget: string;
  try {
    realTarget = Deno.realPathSync(fromRepoPath(root, path));
  } catch {
    return {
      inside: false,
      problem:
        "is a symlink to nothing (broken link); waypoint leaves it alone",
    };
  }
  const realRoot = realRootOf(root);
  if (!realTarget.startsWith(realRoot + sep)) {
    return {
      inside: false,
      problem:
        `is a symlink to ${realTarget}, outside the repository; waypoint will not write there`,
    };
  }
  const targetPath = toRepoPath(realRoot, realTarget);
  if (repoPathProblem(targetPath)) {
    return {
      inside: false,
      problem: `is a symlink into ${targetPath}, where waypoint does not write`,
    };
  }
  const target = inspect(root, targetPath);
  if (target.kind !== "file") {
    return {
      inside: false,
      problem: `is a symlink to ${targetPath}, which ${entryProblem(target)}`,
    };
  }
  return { inside: true, path: targetPath };
}

/**
 * Makes sure the folder `dir` (repo-relative, `""` for the root) exists as a
 * real folder, creating missing levels one at a time. Refuses symlinks and
 * files in the way.
 */
export function ensureRepoDir(root: string, dir: string): void {
  refuseDuringPass("ensureRepoDir", dir);
  if (dir === "") return;
  checkedPath(dir);
  if (AT_SUPPORTED) {
    // When every level is already a real folder nothing is created, so a
    // swap after this check redirects nothing: each write opens the chain
    // again through descriptors. Only creating needs the descriptor walk.
    if (inspect(root, dir).kind === "directory") return;
    closeFd(openRepoDirFd(root, dir, true)!);
    return;
  }
  let current = "";
  for (const part of dir.split("/")) {
    current = current ? `${current}/${part}` : part;
    const absolute = fromRepoPath(root, current);
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

function lstatOrUndefinedNamed(
  absolute: string,
  display: string,
): Deno.FileInfo | undefined {
  try {
    return lstatOrUndefined(absolute);
  } catch (error) {
    throw new RepoFsError(display, describeIo(error), error);
  }
}

/** Options for {@link writeRepoFile}. */
export interface WriteOptions {
  /** File mode for the result; default: the existing file's mode, else the OS default. */
  mode?: number;
}

/**
 * Replaces (or creates) the regular file at `path` atomically. Missing
 * folders are created; a symlink, folder or special file at the path or a
 * symlink above it is refused. The existing file's mode is kept unless
 * `options.mode` says otherwise.
 */
export function writeRepoFile(
  root: string,
  path: string,
  content: FileContent,
  options: WriteOptions = {},
): void {
  checkedPath(path);
  refuseDuringPass("writeRepoFile", path);
  const dir = repoDirname(path);
  if (AT_SUPPORTED) {
    withRepoDir(root, dir, true, (fd) => {
      const name = repoBasename(path);
      const entry = entryAt(path, fd, name);
      if (entry.kind !== "missing" && entry.kind !== "file") {
        throw new RepoFsError(path, `not written: it ${entryProblem(entry)}`);
      }
      const existingMode = entry.kind === "file" && entry.mode !== null
        ? entry.mode & 0o7777
        : undefined;
      try {
        requireAccess("write", fromRepoPath(root, path));
        replaceAt(fd, name, content, options.mode ?? existingMode);
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
  ensureRepoDir(root, dir);
  // ensureRepoDir has just checked every folder above the path.
  const entry = entryOf(
    path,
    lstatOrUndefinedNamed(fromRepoPath(root, path), path),
  );
  if (entry.kind !== "missing" && entry.kind !== "file") {
    throw new RepoFsError(path, `not written: it ${entryProblem(entry)}`);
  }
  const existingMode = entry.kind === "file" && entry.mode !== null
    ? entry.mode & 0o7777
    : undefined;
  try {
    replaceFileAtomically(
      fromRepoPath(root, dir === "" ? "." : dir),
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
  root: string,
  path: string,
  content: string | Uint8Array,
): boolean {
  checkedPath(path);
  refuseDuringPass("createRepoFileExclusive", path);
  const bytes = typeof content === "string"
    ? new TextEncoder().encode(content)
    : content;
  if (AT_SUPPORTED) {
    return withRepoDir(
      root,
      repoDirname(path),
      true,
      (fd) => createExclusiveAt(root, path, fd, bytes),
    )!;
  }
  ensureRepoDir(root, repoDirname(path));
  const absolute = fromRepoPath(root, path);
  const dir = repoDirname(path);
  const temp = fromRepoPath(
    root,
    (dir ? dir + "/" : "") + tempNameFor(repoBasename(path)),
  );
  try {
    Deno.writeFileSync(temp, bytes, { createNew: true });
    try {
      // A hard link is created exclusively: it fails if anything is at the name.
      Deno.linkSync(temp, absolute);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      if (inspect(root, path).kind !== "missing") return false;
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
  root: string,
  path: string,
  now: Date = new Date(),
): string {
  const bytes = readRepoFile(root, path);
  if (bytes === undefined) {
    throw new RepoFsError(path, "cannot back up: the file is gone");
  }
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-");
  for (let counter = 1; counter < 10_000; counter++) {
    const name = `${path}.waypoint-backup-${stamp}${
      counter === 1 ? "" : `-${counter}`
    }`;
    if (createRepoFileExclusive(root, name, bytes)) return name;
  }
  throw new RepoFsError(path, "cannot back up: too many backups at this time");
}

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
  root: string,
  path: string,
  proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  refuseDuringPass("removeRepoFile", path);
  const entry = inspect(root, path);
  if (entry.kind === "missing") return { removed: true };
  if (entry.kind !== "file") {
    return { removed: false, reason: `kept: it ${entryProblem(entry)}` };
  }
  if (AT_SUPPORTED) return await removeFileAt(root, path, proof);
  const bytes = readInspectedFile(root, entry);
  if (!(await proof(bytes))) {
    return {
      removed: false,
      reason: "kept: its content is not what waypoint wrote",
    };
  }
  try {
    Deno.removeSync(fromRepoPath(root, path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
    }
  }
  return { removed: true };
}

/** Removes the folder at `path` if it is a real, empty folder; otherwise leaves it. */
export function removeRepoDirIfEmpty(root: string, path: string): boolean {
  refuseDuringPass("removeRepoDirIfEmpty", path);
  const entry = inspect(root, path);
  if (entry.kind !== "directory") return false;
  if (AT_SUPPORTED) {
    try {
      requireAccess("write", fromRepoPath(root, path));
      return withRepoDir(root, repoDirname(path), false, (fd) => {
        unlinkAt(fd, repoBasename(path), true);
        return true;
      }) ?? false;
    } catch {
      return false;
    }
  }
  try {
    Deno.removeSync(fromRepoPath(root, path));
    return true;
  } catch {
    return false;
  }
}

/** One entry of a folder listing, judged without following symlinks. */
export interface ListedEntry {
  name: string;
  /** Repo-relative path. */
  path: string;
  kind: "file" | "directory" | "symlink" | "special";
}

/**
 * Lists the real folder at `path` (`""` for the root); `undefined` when it is
 * missing. A symlinked folder is refused, never listed.
 */
export function listRepoDir(
  root: string,
  path: string,
): ListedEntry[] | undefined {
  if (path !== "") {
    const entry = inspect(root, path);
    if (entry.kind === "missing") return undefined;
    if (entry.kind !== "directory") {
      throw new RepoFsError(
        path,
        entry.kind === "file" ? "is a file, not a folder" : entryProblem(entry),
      );
    }
  }
  return listEntries(root, path);
}

function listEntries(root: string, path: string): ListedEntry[] {
  const entries: ListedEntry[] = [];
  try {
    for (const item of Deno.readDirSync(fromRepoPath(root, path || "."))) {
      entries.push({
        name: item.name,
        path: path ? `${path}/${item.name}` : item.name,
        kind: item.isSymlink
          ? "symlink"
          : item.isDirectory
          ? "directory"
          : item.isFile
          ? "file"
          : "special",
      });
    }
  } catch (error) {
    throw new RepoFsError(
      path || ".",
      `cannot list folder: ${describeIo(error)}`,
      error,
    );
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Options for {@link walkRepoDirs}. */
export interface WalkDirsOptions {
  /** Folder names never entered (at any depth). */
  skip?: ReadonlySet<string>;
  /** Stop after listing this many folders. */
  maxDirs?: number;
}

/**
 * Lists the real folder `start` and every real folder below it, breadth
 * first, never following a symlink (so a link loop or a link out of the repo
 * is never entered). Unlistable folders are skipped. Returns the listings and
 * whether `maxDirs` cut the walk short.
 */
export function walkRepoDirs(
  root: string,
  start: string,
  options: WalkDirsOptions = {},
): { dirs: { path: string; entries: ListedEntry[] }[]; truncated: boolean } {
  const dirs: { path: string; entries: ListedEntry[] }[] = [];
  const max = options.maxDirs ?? Infinity;
  const first = listRepoDir(root, start);
  if (first === undefined) return { dirs, truncated: false };
  const queue: { path: string; entries: ListedEntry[] }[] = [{
    path: start,
    entries: first,
  }];
  while (queue.length) {
    if (dirs.length >= max) return { dirs, truncated: true };
    const current = queue.shift()!;
    dirs.push(current);
    for (const entry of current.entries) {
      if (entry.kind !== "directory" || options.skip?.has(entry.name)) continue;
      try {
        // Children come from a listing that did not follow links: no per-component check needed.
        queue.push({
          path: entry.path,
          entries: listEntries(root, entry.path),
        });
      } catch {
        // An unreadable folder holds nothing waypoint can use.
      }
    }
  }
  return { dirs, truncated: false };
}

/**
 * Removes the folder tree at `path` only if every entry in it is a regular
 * file or folder and `proof` accepts every file. Nothing is removed unless
 * everything can be; the reason names the first file that fails.
 */
export async function removeRepoTree(
  root: string,
  path: string,
  proof: (path: string, bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  refuseDuringPass("removeRepoTree", path);
  const top = inspect(root, path);
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
    for (const entry of listRepoDir(root, dir) ?? []) {
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
    const bytes = readRepoFile(root, file)!;
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
        root,
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
        requireAccess("write", fromRepoPath(root, dir));
        withRepoDir(root, repoDirname(dir), false, (fd) => {
          unlinkAt(fd, repoBasename(dir), true);
        });
      }
    } catch (error) {
      throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
    }
    return { removed: true };
  }
  try {
    for (const file of files) Deno.removeSync(fromRepoPath(root, file));
    for (const dir of dirs.reverse()) Deno.removeSync(fromRepoPath(root, dir));
  } catch (error) {
    throw new RepoFsError(path, `cannot remove: ${describeIo(error)}`, error);
  }
  return { removed: true };
}

/**
 * Temp files left in the given folders by an interrupted run (recognised by
 * name, regular files only). Missing or symlinked folders are skipped.
 */
export function findStaleTemps(root: string, dirs: Iterable<string>): string[] {
  const found: string[] = [];
  for (const dir of new Set(dirs)) {
    let entries: ListedEntry[] | undefined;
    try {
      entries = listRepoDir(root, dir);
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
  root: string,
  dirs: Iterable<string>,
): string[] {
  refuseDuringPass("removeStaleTemps in", root);
  const removed: string[] = [];
  for (const path of findStaleTemps(root, dirs)) {
    try {
      if (AT_SUPPORTED) {
        requireAccess("write", fromRepoPath(root, path));
        const gone = withRepoDir(root, repoDirname(path), false, (fd) => {
          const name = repoBasename(path);
          if (statAt(fd, name)?.kind !== "file") return false;
          unlinkAt(fd, name, false);
          return true;
        });
        if (gone) removed.push(path);
        continue;
      }
      Deno.removeSync(fromRepoPath(root, path));
      removed.push(path);
    } catch {
      // Gone already, or not ours to remove after all: doctor reports what stays.
    }
  }
  return removed;
}

// Directory-relative writes (Linux, macOS): every folder below the root is
// opened relative to the open folder above it, never through a symlink, and
// files are created, renamed and removed relative to the open folder.

function chunksOf(content: FileContent): readonly Uint8Array[] {
  if (typeof content === "string") return [new TextEncoder().encode(content)];
  return content instanceof Uint8Array ? [content] : content;
}

/** A refusal for the folder component `current` that `openDirAt` could not open. */
function refusalAt(
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
      kind = statAt(fd, name)?.kind;
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

/**
 * Opens the folder `dir` below `root` one level at a time, each relative to
 * the level above, which is already open; with `create`, a missing level is
 * made with `mkdirat` and then opened the same way. `undefined` when a level
 * is missing and `create` is false. The caller closes the result.
 */
function openRepoDirFd(
  root: string,
  dir: string,
  create: boolean,
): number | undefined {
  let fd: number;
  try {
    fd = openDirPath(root);
  } catch (error) {
    // Not about the repo: FFI is not allowed (libc.ts says so itself).
    if (error instanceof WaypointError) throw error;
    throw new RepoFsError(
      dir === "" ? "." : dir.split("/")[0],
      `cannot open the repository folder: ${describeIo(error)}`,
      error,
    );
  }
  if (dir === "") return fd;
  let current = "";
  try {
    for (const part of dir.split("/")) {
      current = current ? `${current}/${part}` : part;
      let next: number;
      try {
        next = openDirAt(fd, part);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) {
          throw refusalAt(current, fd, part, error);
        }
        if (!create) {
          closeFd(fd);
          fd = -1;
          return undefined;
        }
        try {
          requireAccess("write", fromRepoPath(root, current));
          mkdirAt(fd, part);
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
          next = openDirAt(fd, part);
        } catch (again) {
          throw refusalAt(current, fd, part, again);
        }
      }
      closeFd(fd);
      fd = next;
    }
    return fd;
  } catch (error) {
    if (fd !== -1) closeFd(fd);
    throw error;
  }
}

/** Runs `work` with the open folder `dir` (see {@link openRepoDirFd}), closing it after. */
function withRepoDir<T>(
  root: string,
  dir: string,
  create: boolean,
  work: (fd: number) => T,
): T | undefined {
  const fd = openRepoDirFd(root, dir, create);
  if (fd === undefined) return undefined;
  try {
    return work(fd);
  } finally {
    closeFd(fd);
  }
}

/** The {@link Entry} for `name` in the open folder `fd` (its parents are real folders). */
function entryAt(path: string, fd: number, name: string): Entry {
  let info: AtStat | undefined;
  try {
    info = statAt(fd, name);
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
function replaceAt(
  fd: number,
  name: string,
  content: FileContent,
  mode: number | undefined,
): void {
  const temp = tempNameFor(name);
  writeNewFileAt(fd, temp, chunksOf(content), mode);
  try {
    renameAt(fd, temp, name);
  } catch (error) {
    try {
      unlinkAt(fd, temp, false);
    } catch {
      // Already gone.
    }
    throw error;
  }
}

/** {@link createRepoFileExclusive} relative to the open folder `fd`. */
function createExclusiveAt(
  root: string,
  path: string,
  fd: number,
  bytes: Uint8Array,
): boolean {
  const name = repoBasename(path);
  const temp = tempNameFor(name);
  try {
    requireAccess("write", fromRepoPath(root, path));
    writeNewFileAt(fd, temp, [bytes]);
    try {
      // A hard link is created exclusively: it fails if anything is at the name.
      linkAt(fd, temp, name);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      if (statAt(fd, name) !== undefined) return false;
      renameAt(fd, temp, name);
    }
    return true;
  } catch (error) {
    throw new RepoFsError(path, `cannot write: ${describeIo(error)}`, error);
  } finally {
    try {
      unlinkAt(fd, temp, false);
    } catch {
      // Already renamed, or never created.
    }
  }
}

/**
 * {@link removeRepoFile} relative to the open parent folder: the bytes the
 * proof sees are read through that folder, and the name is removed only if
 * it is still the same file (device and inode) once the proof has passed.
 */
async function removeFileAt(
  root: string,
  path: string,
  proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  const absolute = fromRepoPath(root, path);
  const name = repoBasename(path);
  let fd: number | undefined;
  try {
    fd = openRepoDirFd(root, repoDirname(path), false);
  } catch (error) {
    if (error instanceof RepoFsError && error.path !== path) {
      return { removed: false, reason: `kept: ${error.message}` };
    }
    throw error;
  }
  if (fd === undefined) return { removed: true };
  try {
    let read: ReturnType<typeof readRegularAt>;
    try {
      requireAccess("read", absolute);
      read = readRegularAt(fd, name, MAX_READ_BYTES);
    } catch (error) {
      throw new RepoFsError(path, describeIo(error), error);
    }
    if (read === undefined) return { removed: true };
    if (read === "large") throw tooLarge(path, MAX_READ_BYTES);
    if (read === "special") {
      return {
        removed: false,
        reason: `kept: it ${entryProblem(entryAt(path, fd, name))}`,
      };
    }
    if (!(await proof(read.bytes))) {
      return {
        removed: false,
        reason: "kept: its content is not what waypoint wrote",
      };
    }
    const now = statAt(fd, name);
    if (now === undefined) return { removed: true };
    if (now.dev !== read.stat.dev || now.ino !== read.stat.ino) {
      return {
        removed: false,
        reason: "kept: it was replaced while waypoint checked it",
      };
    }
    try {
      requireAccess("write", absolute);
      unlinkAt(fd, name, false);
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
    closeFd(fd);
  }
}

function describeWriteIo(error: unknown): string {
  const phrase = describeIo(error);
  return phrase === "permission denied"
    ? "permission denied (is the repository read-only?)"
    : phrase;
}

/** One short phrase for an I/O failure. */
export function describeIo(error: unknown): string {
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.NotADirectory) {
    return "a parent path is not a folder";
  }
  return describeError(error).replace(/,? ?\(os error \d+\).*$/, "");
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

function fill(file: Deno.FsFile, buffer: Uint8Array, from: number): number {
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

/** Where a symlink met by a walk leads, judged by {@link resolveWalkedLink}. */
export type WalkedLink =
  | { inside: true; path: string; kind: "file" | "directory" }
  | { inside: false; problem: string };

/**
 * Resolves the symlink at repo path `path` for a read-only walk: it counts
 * only when its real target is a regular file or folder inside the repo (and
 * not in `.git`). A link leading outside, to a FIFO or device, to nothing, or
 * round in a loop comes back with the reason it is skipped.
 */
export function resolveWalkedLink(root: string, path: string): WalkedLink {
  let realTarget: string;
  try {
    realTarget = Deno.realPathSync(fromRepoPath(root, path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { inside: false, problem: "broken symlink; skipped" };
    }
    if (
      error instanceof Deno.errors.FilesystemLoop ||
      /os error 40\b/.test(String(error))
    ) return { inside: false, problem: "symlink loop; skipped" };
    return { inside: false, problem: `${describeIo(error)}; skipped` };
  }
  const realRoot = realRootOf(root);
  if (realTarget !== realRoot && !realTarget.startsWith(realRoot + sep)) {
    return {
      inside: false,
      problem:
        "is a symlink to outside the repository; waypoint does not read there (skipped)",
    };
  }
  const targetPath = realTarget === realRoot
    ? ""
    : toRepoPath(realRoot, realTarget);
  if (targetPath !== "" && repoPathProblem(targetPath)) {
    return {
      inside: false,
      problem:
        `is a symlink into ${targetPath}, where waypoint does not read (skipped)`,
    };
  }
  const target = targetPath === ""
    ? ({ kind: "directory", path: "" } as const)
    : inspect(realRoot, targetPath);
  if (target.kind === "file" || target.kind === "directory") {
    return { inside: true, path: targetPath, kind: target.kind };
  }
  return {
    inside: false,
    problem: `is a symlink to ${targetPath || "."}, which ${
      entryProblem(target)
    } (skipped)`,
  };
}
