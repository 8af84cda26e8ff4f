/**
 * Walks a folder for Markdown files the way the indexes need: skips build and
 * tool folders, follows directory symlinks once (loops are reported, never
 * followed), and reports unreadable entries instead of failing.
 *
 * @module
 */
import { sep } from "node:path";
import { toRepoPath } from "../fs/mod.ts";
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
  /** Repo-relative, `/`-separated. */
  path: string;
  /** Absolute path to read. */
  absolute: string;
}

/** Options for {@link walkMarkdown}. */
export interface WalkOptions {
  /** Also skip files whose name starts with `_` (tracker templates). */
  skipUnderscore?: boolean;
}

/**
 * Lists the routable `*.md` files below `dir` (absolute) in the repo at
 * `root`, sorted by path, plus problems met on the way.
 */
export function walkMarkdown(
  root: string,
  dir: string,
  options: WalkOptions = {},
): { files: WalkedFile[]; problems: WalkProblem[] } {
  const files: WalkedFile[] = [];
  const problems: WalkProblem[] = [];
  const visited = new Set<string>();

  const visit = (current: string, currentRel: string): void => {
    let real: string;
    try {
      real = Deno.realPathSync(current);
    } catch (error) {
      problems.push({
        path: toRepoPath(root, current),
        message: describeError(error),
      });
      return;
    }
    if (visited.has(real)) {
      problems.push({
        path: toRepoPath(root, current),
        message: "symlink loop: directory already visited; skipped",
      });
      return;
    }
    visited.add(real);
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(current)];
    } catch (error) {
      problems.push({
        path: toRepoPath(root, current),
        message: `cannot list directory: ${describeError(error)}`,
      });
      return;
    }
    for (const entry of entries) {
      const path = current + sep + entry.name;
      const rel = `${currentRel}/${entry.name}`;
      let isDirectory = entry.isDirectory;
      let isFile = entry.isFile;
      if (entry.isSymlink) {
        try {
          const target = Deno.statSync(path);
          isDirectory = target.isDirectory;
          isFile = target.isFile;
        } catch (error) {
          const message = error instanceof Deno.errors.NotFound
            ? "broken symlink; skipped"
            : `${describeError(error)}; skipped`;
          problems.push({ path: rel, message });
          continue;
        }
      }
      if (isDirectory) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path, rel);
      } else if (isFile && entry.name.endsWith(".md")) {
        if (SKIPPED_FILES.has(entry.name)) continue;
        if (options.skipUnderscore && entry.name.startsWith("_")) continue;
        files.push({ path: rel, absolute: path });
      }
    }
  };

  visit(dir, toRepoPath(root, dir));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}
