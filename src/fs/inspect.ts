/**
 * Looking at a repo path without following any symlink: {@link inspect}
 * checks every component with `lstat` and says what is there as an
 * {@link Entry}; {@link entryProblem} says in one line why an entry cannot
 * be used as a file. Paths are refused unless normalized and inside the
 * repository ({@link checkedPath}).
 *
 * @module
 */
import { describeIo, RepoFsError } from "./errors.ts";
import type { Place } from "./place.ts";
import { sep } from "../path.ts";
import { fromRepoPath, repoPathProblem } from "./repo_path.ts";

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

/**
 * Returns `path` when it is a normalized repo path; otherwise throws the
 * {@link RepoFsError} that names what is wrong with it.
 */
export function checkedPath(path: string): string {
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
 * `lstat` of `absolute`; `undefined` when nothing is there, any other
 * failure as a {@link RepoFsError} naming `display`.
 */
export function lstatOrUndefinedNamed(
  absolute: string,
  display: string,
): Deno.FileInfo | undefined {
  try {
    return lstatOrUndefined(absolute);
  } catch (error) {
    throw new RepoFsError(display, describeIo(error), error);
  }
}

function lstatParent(
  place: Place,
  base: string,
  current: string,
): Deno.FileInfo | undefined {
  const parents = place.parents;
  if (parents === undefined) {
    return lstatOrUndefinedNamed(below(base, current), current);
  }
  if (parents.has(current)) return parents.get(current);
  const info = lstatOrUndefinedNamed(below(base, current), current);
  parents.set(current, info);
  return info;
}

/**
 * The absolute path of the checked repo path `path` below `base` (the root
 * as {@link fromRepoPath} gives it): what `fromRepoPath` returns, without
 * normalizing the whole path again for every component of it.
 */
function below(base: string, path: string): string {
  const native = sep === "/" ? path : path.replaceAll("/", sep);
  return base.endsWith(sep) ? base + native : base + sep + native;
}

/**
 * Inspects `path` below the root with `lstat` on every component: a
 * symlinked parent makes the whole path a `symlink` entry, a file where a
 * folder should be makes it `blocked`. In a read-only view the folders above
 * the path are looked at once per view; the path itself every time.
 */
export function inspect(place: Place, path: string): Entry {
  checkedPath(path);
  const base = fromRepoPath(place.root, "");
  let at = path.indexOf("/");
  while (at !== -1) {
    const current = path.slice(0, at);
    const info = lstatParent(place, base, current);
    if (info === undefined) return { kind: "missing", path };
    if (info.isSymlink) return { kind: "symlink", path, link: current };
    if (!info.isDirectory) return { kind: "blocked", path, blocker: current };
    at = path.indexOf("/", at + 1);
  }
  return entryOf(path, lstatOrUndefinedNamed(below(base, path), path));
}

/** The entry for `path` itself from its `lstat`, its parents being real folders. */
export function entryOf(path: string, info: Deno.FileInfo | undefined): Entry {
  if (info === undefined) return { kind: "missing", path };
  if (info.isSymlink) return { kind: "symlink", path, link: path };
  if (info.isFile) {
    return { kind: "file", path, size: info.size, mode: info.mode };
  }
  if (info.isDirectory) return { kind: "directory", path };
  return { kind: "special", path };
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
