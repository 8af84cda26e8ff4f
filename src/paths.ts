/**
 * Repo-relative paths: always `/`-separated, whatever the OS.
 *
 * @module
 */
import { join, relative, sep } from "node:path";

/** Converts an absolute path below `root` to a `/`-separated relative path. */
export function toRepoPath(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** Joins a `/`-separated repo-relative path onto `root` using the OS separator. */
export function fromRepoPath(root: string, repoPath: string): string {
  return join(root, ...repoPath.split("/"));
}
