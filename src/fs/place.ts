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

/** The repository a call works in, and what it may reuse. */
export interface Place {
  /** The root as the caller named it (absolute); paths are joined onto it. */
  readonly root: string;
  /** The root's real path (no links), for judging where a symlink leads. */
  readonly realRoot: string;
  /** The root folder's identity; a write refuses a root that no longer matches. */
  readonly identity: RootIdentity | undefined;
  /** The libc calls for directory-relative writes (bound on first use). */
  readonly libc: Libc;
  /**
   * A read-only view's memory of the folders above inspected paths, by
   * absolute path (`undefined` entry: nothing there); absent outside a view.
   */
  readonly parents: Map<string, Deno.FileInfo | undefined> | undefined;
}
