/**
 * Repo-relative paths: the only form in which a path may reach the guarded
 * filesystem module. A repo path is `/`-separated, normalized, and can never
 * leave the repository or enter `.git`, wherever it came from (a template,
 * the manifest, the config or a transcript).
 *
 * @module
 */
import { join, relative, sep } from "../path.ts";

/** Why a value is not an acceptable repo path, or `undefined` when it is. */
export function repoPathProblem(value: string): string | undefined {
  if (value.includes("\0")) return "contains a NUL character";
  const slashed = value.replaceAll("\\", "/");
  if (slashed.startsWith("/")) return "is an absolute path";
  if (/^[A-Za-z]:/.test(slashed)) return "starts with a drive letter";
  const parts = slashed.split("/").filter((part) =>
    part !== "" && part !== "."
  );
  if (parts.length === 0) return "is empty";
  for (const part of parts) {
    if (part === "..") return "leaves the repository (..)";
    if (part.toLowerCase() === ".git") return "is inside .git";
    // A colon names an alternate data stream on Windows; no waypoint path has one.
    if (part.includes(":")) return "contains a colon";
  }
  return undefined;
}

/**
 * Normalizes a repo-relative path (`./a//b/` → `a/b`, `\` → `/`); `undefined`
 * when it is absolute, has a drive letter or NUL, leaves the repo, or enters
 * `.git`.
 */
export function normalizeRepoPath(value: string): string | undefined {
  if (repoPathProblem(value) !== undefined) return undefined;
  return value.replaceAll("\\", "/").split("/").filter((part) =>
    part !== "" && part !== "."
  ).join("/");
}

/** Whether `value` is already a normalized repo path (how manifest keys must be written). */
export function isCanonicalRepoPath(value: string): boolean {
  return normalizeRepoPath(value) === value;
}

/** Converts an absolute path below `root` to a `/`-separated relative path. */
export function toRepoPath(root: string, absolute: string): string {
  const rel = relative(root, absolute);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** Joins a `/`-separated repo-relative path onto `root` using the OS separator. */
export function fromRepoPath(root: string, repoPath: string): string {
  return join(root, ...repoPath.split("/"));
}

/** The parent of a repo path (`""` for a top-level entry). */
export function repoDirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at === -1 ? "" : path.slice(0, at);
}

/** The last component of a repo path. */
export function repoBasename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
