/**
 * `NESTED_REPOS.md`: every git repository below the root (its own `.git`
 * directory or file), with its branch and last 10 commits.
 *
 * @module
 */
import { visible } from "../visible.ts";
import { join } from "node:path";
import { walkRepoDirs } from "../fs/mod.ts";
import { git, gitProblem } from "./git.ts";
import { document, fenced } from "./markdown.ts";

const SKIPPED_DIRS = new Set([
  ".git",
  "node_modules",
  ".next",
  "dist",
  "build",
  "__pycache__",
  ".waypoint",
]);

/** Stop walking after this many directories so a huge tree cannot stall the bundle. */
const MAX_DIRS = 20_000;

/** What {@link findNestedRepos} found. */
export interface NestedRepoScan {
  /** Repo-relative paths (with `/`) of nested repositories, sorted. */
  repos: string[];
  /** Whether the walk stopped at the directory limit. */
  truncated: boolean;
}

/**
 * Walks `root` for directories holding a `.git` entry, without following
 * symlinks (so loops cannot trap it) and skipping dependency and build dirs.
 */
export function findNestedRepos(root: string): NestedRepoScan {
  const walked = walkRepoDirs(root, "", {
    skip: SKIPPED_DIRS,
    maxDirs: MAX_DIRS,
  });
  const repos = walked.dirs.filter((dir) =>
    dir.path !== "" && dir.entries.some((entry) => entry.name === ".git")
  ).map((dir) => dir.path);
  return { repos: repos.sort(), truncated: walked.truncated };
}

async function describeRepo(root: string, path: string): Promise<string> {
  const dir = join(root, ...path.split("/"));
  const [branch, log] = await Promise.all([
    git(dir, ["branch", "--show-current"]),
    git(dir, ["log", "--no-color", "-n", "10", "--format=%h%d %s (%cr)"]),
  ]);
  const branchText = branch.kind === "ok"
    ? branch.stdout.trim() || "(detached HEAD)"
    : gitProblem(branch);
  let commits: string;
  if (log.kind === "ok") {
    commits = log.stdout.trim() === ""
      ? "No commits yet."
      : fenced(log.stdout.trimEnd());
  } else if (
    log.kind === "failed" && /does not have any commits/.test(log.stderr)
  ) {
    commits = "No commits yet.";
  } else {
    commits = gitProblem(log) ?? "";
  }
  return `## ${visible(path)}\n\nBranch: ${
    visible(String(branchText))
  }\n\n${commits}`;
}

/** Builds `NESTED_REPOS.md` for `root`. */
export async function nestedRepos(root: string): Promise<string> {
  const title = "# Nested Repositories";
  const scan = findNestedRepos(root);
  if (scan.repos.length === 0) {
    return document([
      title,
      scan.truncated
        ? `No nested git repositories found in the first ${MAX_DIRS} directories.`
        : "No nested git repositories below the root.",
    ]);
  }
  const sections = await mapLimited(
    scan.repos,
    4,
    (path) => describeRepo(root, path),
  );
  const note = scan.truncated
    ? [`The search stopped after ${MAX_DIRS} directories; there may be more.`]
    : [];
  return document([title, ...sections, ...note]);
}

/** Maps with at most `limit` calls in flight, keeping the input order. */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
