/**
 * Walks a folder for Markdown files the way the indexes need, through the
 * guarded filesystem: skips build and tool folders; follows a symlink only
 * when its real target is a regular file or folder inside the repo (loops
 * are reported, never followed); skips, and names, a symlink that leads
 * outside the repo or nowhere, and a FIFO, socket or device among the docs,
 * so nothing outside the repo is read and nothing blocks.
 *
 * @module
 */
import type { ListedEntry, RepoView } from "../fs/mod.ts";
import { describeError } from "../errors.ts";

/** Directories never walked into. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  ".next",
  "node_modules",
  "dist",
  "build",
  "__pycache__",
  ".waypoint",
]);

/** Markdown files that are never routed. */
export const SKIPPED_FILES: ReadonlySet<string> = new Set([
  "README.md",
  "CHANGELOG.md",
  "LICENSE.md",
]);

/** Something the walk could not use, with a repo-relative path. */
export interface WalkProblem {
  path: string;
  message: string;
}

/** A Markdown file found by {@link walkMarkdown}. */
export interface WalkedFile {
  /** Repo-relative, `/`-separated: where the walk met it. */
  path: string;
  /** Repo path of the real file to read: `path` itself, or a link's target inside the repo. */
  real: string;
}

/** Options for {@link walkMarkdown}. */
export interface WalkOptions {
  /** Also skip files whose name starts with `_` (tracker templates). */
  skipUnderscore?: boolean;
}

/** What is at a folder the walk should start from. */
export type WalkRoot =
  | { state: "ok"; real: string }
  | { state: "missing" }
  | { state: "not-directory" }
  | { state: "refused"; problem: string };

/**
 * Judges the folder `dir` (repo-relative) before a walk: a symlinked folder
 * counts only when it leads to a folder inside the repo.
 */
export function walkRoot(repo: RepoView, dir: string): WalkRoot {
  const entry = repo.inspect(dir);
  if (entry.kind === "directory") return { state: "ok", real: dir };
  if (entry.kind === "missing") return { state: "missing" };
  if (entry.kind === "symlink") {
    const target = repo.resolveWalkedLink(dir);
    if (!target.inside) {
      return target.problem.startsWith("broken")
        ? { state: "missing" }
        : { state: "refused", problem: target.problem };
    }
    return target.kind === "directory"
      ? { state: "ok", real: target.path }
      : { state: "not-directory" };
  }
  return { state: "not-directory" };
}

function hasOtherExtension(name: string): boolean {
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.slice(dot) !== ".md";
}

/**
 * Lists the routable `*.md` files below the real folder `real` (repo path,
 * shown as `shown`) in the repo at `root`, sorted by path, plus problems met
 * on the way.
 */
export function walkMarkdown(
  repo: RepoView,
  real: string,
  shown: string = real,
  options: WalkOptions = {},
): { files: WalkedFile[]; problems: WalkProblem[] } {
  const files: WalkedFile[] = [];
  const problems: WalkProblem[] = [];
  const visited = new Set<string>();
  const wanted = (name: string) =>
    name.endsWith(".md") && !SKIPPED_FILES.has(name) &&
    !(options.skipUnderscore && name.startsWith("_"));

  const visit = (realDir: string, shownDir: string): void => {
    if (visited.has(realDir)) {
      problems.push({
        path: shownDir,
        message: "symlink loop: directory already visited; skipped",
      });
      return;
    }
    visited.add(realDir);
    let entries: ListedEntry[];
    try {
      entries = repo.listDir(realDir) ?? [];
    } catch (error) {
      problems.push({ path: shownDir, message: describeError(error) });
      return;
    }
    for (const entry of entries) {
      // Below real folders the shown path is the real one: share the string.
      const shownPath = realDir === shownDir
        ? entry.path
        : `${shownDir}/${entry.name}`;
      if (entry.kind === "directory") {
        if (!SKIPPED_DIRS.has(entry.name)) visit(entry.path, shownPath);
      } else if (entry.kind === "file") {
        if (wanted(entry.name)) {
          files.push({ path: shownPath, real: entry.path });
        }
      } else if (entry.kind === "special") {
        if (wanted(entry.name)) {
          problems.push({
            path: shownPath,
            message:
              "is not a regular file (a FIFO, socket or device); skipped",
          });
        }
      } else {
        const target = repo.resolveWalkedLink(entry.path);
        if (!target.inside) {
          if (!hasOtherExtension(entry.name)) {
            problems.push({ path: shownPath, message: target.problem });
          }
        } else if (target.kind === "directory") {
          if (!SKIPPED_DIRS.has(entry.name)) visit(target.path, shownPath);
        } else if (wanted(entry.name)) {
          files.push({ path: shownPath, real: target.path });
        }
      }
    }
  };

  visit(real, shown);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}
