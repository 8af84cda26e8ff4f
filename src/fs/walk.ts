/**
 * Listing folders and walking trees without following a symlink: a listing
 * says what each entry is (a link stays a link), and a walk enters only real
 * folders, so a link loop or a link out of the repo is never entered.
 *
 * @module
 */
import { describeIo, RepoFsError } from "./errors.ts";
import { entryProblem, inspect } from "./inspect.ts";
import type { Place } from "./place.ts";
import { fromRepoPath } from "./repo_path.ts";
import { type EntryKind, listDirEntries } from "./dir_entries.ts";

/** One entry of a folder listing, judged without following symlinks. */
export interface ListedEntry {
  name: string;
  /** Repo-relative path. */
  path: string;
  kind: EntryKind;
}

/**
 * Lists the real folder at `path` (`""` for the root); `undefined` when it is
 * missing. A symlinked folder is refused, never listed.
 */
export function listRepoDir(
  place: Place,
  path: string,
): ListedEntry[] | undefined {
  if (path !== "") {
    const entry = inspect(place, path);
    if (entry.kind === "missing") return undefined;
    if (entry.kind !== "directory") {
      throw new RepoFsError(
        path,
        entry.kind === "file" ? "is a file, not a folder" : entryProblem(entry),
      );
    }
  }
  return listEntries(place, path);
}

function listEntries(place: Place, path: string): ListedEntry[] {
  const absolute = fromRepoPath(place.root, path || ".");
  const listed = listDirEntries(place.libc, place.root, absolute) ??
    readDirEntries(absolute, path);
  return listed.map(({ name, kind }) => ({
    name,
    path: path ? `${path}/${name}` : name,
    kind,
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The entries of the folder at `absolute` (repo path `path`) from Deno's own listing. */
function readDirEntries(
  absolute: string,
  path: string,
): { name: string; kind: EntryKind }[] {
  try {
    return Array.from(Deno.readDirSync(absolute), (item) => ({
      name: item.name,
      kind: item.isSymlink
        ? "symlink"
        : item.isDirectory
        ? "directory"
        : item.isFile
        ? "file"
        : "special",
    }));
  } catch (error) {
    throw new RepoFsError(
      path || ".",
      `cannot list folder: ${describeIo(error)}`,
      error,
    );
  }
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
  place: Place,
  start: string,
  options: WalkDirsOptions = {},
): { dirs: { path: string; entries: ListedEntry[] }[]; truncated: boolean } {
  const dirs: { path: string; entries: ListedEntry[] }[] = [];
  const max = options.maxDirs ?? Infinity;
  const first = listRepoDir(place, start);
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
          entries: listEntries(place, entry.path),
        });
      } catch {
        // An unreadable folder holds nothing waypoint can use.
      }
    }
  }
  return { dirs, truncated: false };
}
