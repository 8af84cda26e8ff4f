/**
 * The one door to a repository's filesystem: a {@link Repo}, opened once,
 * and the read-only {@link RepoView} it hands to planning and `doctor`. Every read, write, rename and
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
 * The jobs live one per file: `inspect.ts` (looking at paths), `read.ts`,
 * `write.ts`, `remove.ts`, `walk.ts`, `links.ts`, `doc_heads.ts` (the
 * indexes' reads of many docs), with `dirfd.ts` and `libc.ts` under the
 * writes; this module only ties them to one value.
 *
 * @module
 */
import type { FileContent } from "./atomic.ts";
import { type DocHeads, openDocHeads } from "./doc_heads.ts";
import { type Entry, inspect } from "./inspect.ts";
import { Libc } from "./libc.ts";
import {
  type LinkTarget,
  resolveLinkInside,
  resolveWalkedLink,
  type WalkedLink,
} from "./links.ts";
import { OpenDirs, type Place, RootFacts } from "./place.ts";
import {
  readInspectedFile,
  type ReadOptions,
  readRepoFile,
  readRepoText,
  type StreamOptions,
  streamRepoFile,
} from "./read.ts";
import {
  findStaleTemps,
  removeRepoDirIfEmpty,
  removeRepoFile,
  removeRepoTree,
  type RemoveResult,
  removeStaleTemps,
} from "./remove.ts";
import {
  type ListedEntry,
  listRepoDir,
  type WalkDirsOptions,
  walkRepoDirs,
} from "./walk.ts";
import {
  backupRepoFile,
  createRepoFileExclusive,
  ensureRepoDir,
  type WriteOptions,
  writeRepoFile,
} from "./write.ts";

/** The listings {@link RepoView.walkDirs} returns, and whether `maxDirs` cut it short. */
export interface WalkedDirs {
  /** Each real folder reached, with its listing, breadth first. */
  dirs: { path: string; entries: ListedEntry[] }[];
  /** Whether the walk stopped at `maxDirs`. */
  truncated: boolean;
}

/**
 * What may be asked of a repository without changing it: inspection, reads,
 * listings, walks and link resolution. Planning, `doctor` and index reading
 * take this type, so a write there is a type error (`deno check`), not a
 * runtime refusal.
 */
export interface RepoView {
  /** The root as the caller named it (absolute). */
  readonly root: string;
  /** The root's real path, resolved once (when the repo was opened, if it existed). */
  readonly realRoot: string;
  /** What is at `path`, judged without following any symlink. */
  inspect(path: string): Entry;
  /**
   * A regular file's bytes; `undefined` when nothing is there. Refuses
   * symlinks (unless `followInside` and the target is inside the repo),
   * folders, FIFOs and devices, and files over the size cap.
   */
  readFile(path: string, options?: ReadOptions): Uint8Array | undefined;
  /** A repo file as strict UTF-8 text (see {@link RepoView.readFile}). */
  readText(path: string, options?: ReadOptions): string | undefined;
  /**
   * The bytes of the regular file an {@link RepoView.inspect} has just found,
   * without looking at the folders above it again. `displayPath` names it in
   * errors (default: its path).
   */
  readInspected(
    entry: Entry & { kind: "file" },
    maxBytes?: number,
    displayPath?: string,
  ): Uint8Array;
  /**
   * Reads a regular file in chunks, so any size up to `maxBytes` costs one
   * chunk of memory; `visit` returns `false` to stop early.
   */
  streamFile(
    path: string,
    visit: (chunk: Uint8Array) => boolean | void,
    options: StreamOptions,
  ): "missing" | "read" | "stopped";
  /** The real folder at `path` (`""`: the root) listed; `undefined` when missing. */
  listDir(path: string): ListedEntry[] | undefined;
  /** The real folder `start` and every real folder below it, listed breadth first. */
  walkDirs(start: string, options?: WalkDirsOptions): WalkedDirs;
  /** Where the symlink at `path` leads, when that is a regular file inside the repo. */
  resolveLinkInside(path: string): LinkTarget;
  /** Where a symlink a walk met leads, when that is a file or folder inside the repo. */
  resolveWalkedLink(path: string): WalkedLink;
  /** Temp files an interrupted run left in `dirs` (regular files only). */
  findStaleTemps(dirs: Iterable<string>): string[];
  /**
   * A reader of many docs' heads for the indexes, making its system calls
   * through this repo's libc; {@link DocHeads.close} it when done.
   */
  openDocHeads(): DocHeads;
}

/** The reads shared by {@link Repo} and a read-only view, over one {@link Place}. */
class Reader implements RepoView {
  /** Where this value reads. */
  protected readonly place: Place;

  constructor(place: Place) {
    this.place = place;
  }

  get root(): string {
    return this.place.root;
  }

  get realRoot(): string {
    return this.place.facts.real();
  }

  inspect(path: string): Entry {
    return inspect(this.place, path);
  }

  readFile(path: string, options?: ReadOptions): Uint8Array | undefined {
    return readRepoFile(this.place, path, options);
  }

  readText(path: string, options?: ReadOptions): string | undefined {
    return readRepoText(this.place, path, options);
  }

  readInspected(
    entry: Entry & { kind: "file" },
    maxBytes?: number,
    displayPath?: string,
  ): Uint8Array {
    return readInspectedFile(this.place, entry, maxBytes, displayPath);
  }

  streamFile(
    path: string,
    visit: (chunk: Uint8Array) => boolean | void,
    options: StreamOptions,
  ): "missing" | "read" | "stopped" {
    return streamRepoFile(this.place, path, visit, options);
  }

  listDir(path: string): ListedEntry[] | undefined {
    return listRepoDir(this.place, path);
  }

  walkDirs(start: string, options?: WalkDirsOptions): WalkedDirs {
    return walkRepoDirs(this.place, start, options);
  }

  resolveLinkInside(path: string): LinkTarget {
    return resolveLinkInside(this.place, path);
  }

  resolveWalkedLink(path: string): WalkedLink {
    return resolveWalkedLink(this.place, path);
  }

  findStaleTemps(dirs: Iterable<string>): string[] {
    return findStaleTemps(this.place, dirs);
  }

  openDocHeads(): DocHeads {
    return openDocHeads(this.place.root, this.place.libc);
  }
}

/**
 * One repository, opened once: its root's real path resolved and its
 * identity (device and inode) taken when opened, and the libc calls its
 * writes go through held here. Every read, write, removal and walk below
 * the root is a method. {@link Repo.readOnlyView} gives planning and
 * `doctor` a value whose type has no write methods.
 */
export class Repo extends Reader {
  private constructor(place: Place) {
    super(place);
  }

  /**
   * Opens the repository at the absolute folder `root`: resolves its real
   * path and takes its identity (on first need when it does not exist yet,
   * as for `init`, or when it cannot be resolved yet: the first call that
   * needs them reports why).
   */
  static open(root: string): Repo {
    return new Repo({
      root,
      facts: new RootFacts(root, true),
      libc: new Libc(),
      parents: undefined,
      openDirs: undefined,
    });
  }

  /**
   * A read-only look at a folder that is not known to be a repository yet
   * (the root search judges each ancestor): nothing is resolved until a
   * call needs it, and the type has no write methods.
   */
  static peek(root: string): RepoView {
    return new Reader({
      root,
      facts: new RootFacts(root, false),
      libc: new Libc(),
      parents: undefined,
      openDirs: undefined,
    });
  }

  /**
   * A read-only view of this repository, for one planning or `doctor` pass:
   * each folder above an inspected path is checked with `lstat` once in the
   * view instead of once per path below it (a re-init made about 830 `lstat`
   * calls on 185 paths). The path itself is still checked on every call,
   * and reads still confirm a regular file with `fstat`. A folder swapped
   * for a symlink during the pass can therefore go unseen by later reads in
   * it, as it could between any check and the open that follows; writes go
   * through the {@link Repo}, which opens every component again. Take a
   * fresh view for each pass: what one learned is never reused by another.
   */
  readOnlyView(): RepoView {
    return new Reader({
      ...this.place,
      parents: new Map(),
      openDirs: undefined,
    });
  }

  /**
   * Runs `work` with a {@link Repo} whose writes keep each folder they open
   * (descriptor-relative, as always) open until `work` ends, then closes
   * them all: a batch of writes into the same folders opens each folder
   * once instead of once per file. Each folder is still opened relative to
   * the open folder above it, never through a symlink, and the root is
   * checked against its identity once, when first opened. What the batch
   * gives up is noticing a folder moved away (with its contents) during the
   * batch: writes follow the folder they opened, as a single write already
   * does between its open and its rename. Use it for writes only; removals
   * go through this repo after the batch.
   */
  async keepingFoldersOpen<T>(
    work: (repo: Repo) => Promise<T> | T,
  ): Promise<T> {
    const openDirs = new OpenDirs();
    try {
      return await work(new Repo({ ...this.place, openDirs }));
    } finally {
      openDirs.closeAll((fd) => this.place.libc.closeFd(fd));
    }
  }

  /**
   * Replaces (or creates) the regular file at `path` atomically. Missing
   * folders are created; a symlink, folder or special file at the path or a
   * symlink above it is refused. The existing file's mode is kept unless
   * `options.mode` says otherwise.
   */
  write(path: string, content: FileContent, options?: WriteOptions): void {
    writeRepoFile(this.place, path, content, options);
  }

  /**
   * Creates a file only if nothing is at `path` (for outputs that must never
   * replace anything); `false` when something is already there.
   */
  createExclusive(path: string, content: string | Uint8Array): boolean {
    return createRepoFileExclusive(this.place, path, content);
  }

  /**
   * Saves a copy of the regular file at `path` beside it as
   * `<path>.waypoint-backup-<UTC time with ms>[-N]`, never over an earlier
   * one. Returns the backup's repo path.
   */
  backup(path: string, now?: Date): string {
    return backupRepoFile(this.place, path, now);
  }

  /** Makes sure the folder `dir` (`""`: the root) exists as a real folder. */
  ensureDir(dir: string): void {
    ensureRepoDir(this.place, dir);
  }

  /** Removes the regular file at `path` only if `proof` accepts its current bytes. */
  remove(
    path: string,
    proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
  ): Promise<RemoveResult> {
    return removeRepoFile(this.place, path, proof);
  }

  /** Removes the folder at `path` if it is a real, empty folder; whether it did. */
  removeDirIfEmpty(path: string): boolean {
    return removeRepoDirIfEmpty(this.place, path);
  }

  /**
   * Removes the folder tree at `path` only if every entry is a regular file
   * or folder and `proof` accepts every file; nothing is removed otherwise.
   */
  removeTree(
    path: string,
    proof: (path: string, bytes: Uint8Array) => boolean | Promise<boolean>,
  ): Promise<RemoveResult> {
    return removeRepoTree(this.place, path, proof);
  }

  /** Removes the temp files {@link RepoView.findStaleTemps} finds; their paths. */
  removeStaleTemps(dirs: Iterable<string>): string[] {
    return removeStaleTemps(this.place, dirs);
  }
}
