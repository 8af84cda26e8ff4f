/**
 * What every job in `src/fs` is handed about the repository it works in: a
 * {@link Place}. `repo.ts` builds one when a repository is opened (its real
 * path resolved and its identity taken once) and one per read-only view
 * (with that view's own cache of folders already looked at). Nothing here
 * is module state: all of it lives in the values.
 *
 * @module
 */
import type { Libc } from "./libc.ts";

/** The device and inode of the repository folder, taken when it was opened. */
export interface RootIdentity {
  /** `st_dev` of the root folder. */
  dev: bigint;
  /** `st_ino` of the root folder. */
  ino: bigint;
}

/**
 * The root's real path and identity, each taken once: when the repository
 * is opened, or (for a root that does not exist yet, as `init` plans one)
 * the first time a call needs it. A view shares its repo's value.
 */
export class RootFacts {
  /** The root as the caller named it (absolute). */
  readonly root: string;
  #real: string | undefined;
  #identity: RootIdentity | null | undefined;

  /**
   * Facts about `root`: taken now (`eager`, for a repo that will be written)
   * when it can be resolved, else on first need.
   */
  constructor(root: string, eager: boolean) {
    this.root = root;
    if (!eager) return;
    try {
      this.real();
    } catch {
      // Missing (init plans a root it creates later) or unreadable: the
      // first call that needs the facts tries again and reports why.
    }
  }

  /** The root's real path (no links). */
  real(): string {
    if (this.#real === undefined) {
      const real = Deno.realPathSync(this.root);
      const info = Deno.statSync(real);
      this.#real = real;
      this.#identity = info.ino === null
        ? null
        : { dev: BigInt(info.dev), ino: BigInt(info.ino) };
    }
    return this.#real;
  }

  /** The root folder's device and inode; `undefined` where the OS has no inode. */
  identity(): RootIdentity | undefined {
    this.real();
    return this.#identity ?? undefined;
  }
}

/** The repository a call works in, and what it may reuse. */
export interface Place {
  /** The root as the caller named it (absolute); paths are joined onto it. */
  readonly root: string;
  /**
   * The root's real path (for judging where a symlink leads) and identity
   * (a write refuses a root that no longer matches it).
   */
  readonly facts: RootFacts;
  /** The libc calls for directory-relative writes (bound on first use). */
  readonly libc: Libc;
  /**
   * A read-only view's memory of the folders above inspected paths, by
   * repo-relative path (`undefined` entry: nothing there); absent outside a view.
   */
  readonly parents: Map<string, Deno.FileInfo | undefined> | undefined;
  /**
   * Folders held open for one batch of writes (`Repo.keepingFoldersOpen`),
   * by repo-relative path (`""`: the root): a write into a folder already
   * open goes through that descriptor instead of opening the chain from the
   * root again. Absent outside a batch.
   */
  readonly openDirs: OpenDirs | undefined;
}

/**
 * The folders one batch of writes holds open, by repo-relative path (`""`:
 * the root). Once {@link OpenDirs.closeAll} has run it holds nothing more:
 * a write after the batch opens and closes its folders as outside one.
 */
export class OpenDirs {
  readonly #fds = new Map<string, number>();
  #closed = false;

  /** Whether the batch is still on (folders opened now are kept). */
  get holding(): boolean {
    return !this.#closed;
  }

  /** The open folder `dir`, if this batch holds it. */
  get(dir: string): number | undefined {
    return this.#fds.get(dir);
  }

  /** Keeps `fd` open as `dir` until {@link OpenDirs.closeAll}. */
  keep(dir: string, fd: number): void {
    this.#fds.set(dir, fd);
  }

  /** Closes every folder held, with `close`, and holds none from now on. */
  closeAll(close: (fd: number) => void): void {
    this.#closed = true;
    for (const fd of this.#fds.values()) close(fd);
    this.#fds.clear();
  }
}
