/**
 * `NESTED_REPOS.md`: every git repository below the root (its own `.git`
 * directory, or a `.git` file git itself would have written), with its
 * branch and last 10 commits. Entries waypoint will not run git on are
 * named in one line each.
 *
 * @module
 */
import { visible } from "../visible.ts";
import { join } from "../path.ts";
import type { RepoView } from "../fs/mod.ts";
import { firstErrorLine } from "./exec.ts";
import { gitProblem } from "./git.ts";
import { guardedGitEnv, guardProblem, runGuarded } from "./git_exec.ts";
import { judgeNestedGit } from "./git_pointer.ts";
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

const GIT_TIMEOUT_MS = 10_000;

/** A nested `.git` waypoint does not run git on, and why. */
export interface LeftOutRepo {
  /** Repo-relative path (with `/`) of the folder holding the `.git`. */
  path: string;
  /** Why, as a clause ("its .git file points outside the repository"). */
  reason: string;
}

/** What {@link findNestedRepos} found. */
export interface NestedRepoScan {
  /** Repo-relative paths (with `/`) of nested repositories, sorted. */
  repos: string[];
  /** Nested `.git` entries that are not run, sorted by path. */
  leftOut: LeftOutRepo[];
  /** Whether the walk stopped at the directory limit. */
  truncated: boolean;
}

/**
 * Walks `root` for directories holding a `.git` entry, without following
 * symlinks (so loops cannot trap it) and skipping dependency and build dirs,
 * and judges each entry by the rule in `git_pointer.ts`.
 */
export function findNestedRepos(repo: RepoView): NestedRepoScan {
  const root = repo.root;
  const walked = repo.walkDirs("", {
    skip: SKIPPED_DIRS,
    maxDirs: MAX_DIRS,
  });
  const repos: string[] = [];
  const leftOut: LeftOutRepo[] = [];
  for (const dir of walked.dirs) {
    if (dir.path === "") continue;
    const dotGit = dir.entries.find((entry) => entry.name === ".git");
    if (!dotGit) continue;
    const judged = judgeNestedGit(
      root,
      join(root, ...dir.path.split("/")),
      dotGit.kind,
    );
    if (judged.kind === "repo") repos.push(dir.path);
    else leftOut.push({ path: dir.path, reason: judged.reason });
  }
  leftOut.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { repos: repos.sort(), leftOut, truncated: walked.truncated };
}

/** The section for one nested repository, or why it is left out. */
async function describeRepo(
  root: string,
  path: string,
): Promise<{ section: string } | LeftOutRepo> {
  const dir = join(root, ...path.split("/"));
  const options = { timeoutMs: GIT_TIMEOUT_MS, ownRepoOnly: true };
  const guarded = await guardedGitEnv(dir, options);
  if (guarded.kind === "problem") {
    const { outcome } = guarded;
    // No git, or a slow one, says nothing about this repository.
    if (outcome.kind === "missing" || outcome.kind === "timeout") {
      const problem = gitProblem(outcome);
      return { section: `## ${path}\n\nBranch: ${problem}\n\n${problem}` };
    }
    return {
      path,
      reason: `its git config cannot be read safely (${
        guardProblem(guarded.outcome)
      })`,
    };
  }
  const [branch, log] = await Promise.all([
    runGuarded(guarded.env, dir, ["branch", "--show-current"], options),
    runGuarded(guarded.env, dir, [
      "log",
      "--no-color",
      "-n",
      "10",
      "--format=%h%d %s (%cr)",
    ], options),
  ]);
  // git refusing the folder (another user's repository, or none at all)
  // says nothing about the repository: the entry is left out.
  if (
    branch.kind === "failed" &&
    /dubious ownership|not a git repository/i.test(branch.stderr)
  ) {
    return {
      path,
      reason: `git does not read it as a repository (${
        firstErrorLine(branch)
      })`,
    };
  }
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
  return {
    section: `## ${visible(path)}

Branch: ${visible(String(branchText))}

${commits}`,
  };
}

/** Builds `NESTED_REPOS.md` for `root`. */
export async function nestedRepos(repo: RepoView): Promise<string> {
  const root = repo.root;
  const title = "# Nested Repositories";
  const scan = findNestedRepos(repo);
  const described = await mapLimited(
    scan.repos,
    4,
    (path) => describeRepo(root, path),
  );
  const sections: string[] = [];
  const leftOut = [...scan.leftOut];
  for (const item of described) {
    if ("section" in item) sections.push(item.section);
    else leftOut.push(item);
  }
  leftOut.sort((a, b) => (a.path < b.path ? -1 : 1));
  const notes = leftOut.length === 0 ? [] : [
    "## Left out",
    leftOut.map((item) => `- ${item.path}: left out: ${item.reason}.`).join(
      "\n",
    ),
  ];
  if (sections.length === 0 && leftOut.length === 0) {
    return document([
      title,
      scan.truncated
        ? `No nested git repositories found in the first ${MAX_DIRS} directories.`
        : "No nested git repositories below the root.",
    ]);
  }
  const note = scan.truncated
    ? [`The search stopped after ${MAX_DIRS} directories; there may be more.`]
    : [];
  return document([title, ...sections, ...notes, ...note]);
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
