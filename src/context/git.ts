/**
 * The two git sections of the bundle: uncommitted changes and recent commits
 * by everyone (the current author's marked). Git runs as a subprocess; when it is missing or
 * fails, the section says so in a plain line.
 *
 * @module
 */
import { type ExecOutcome, firstErrorLine } from "./exec.ts";
import { guardedGitEnv, runGit } from "./git_exec.ts";
import { runGitBatch } from "./git_batch.ts";
import { document, fenced } from "./markdown.ts";

const GIT_TIMEOUT_MS = 10_000;

/**
 * Runs `git args…` in `cwd` through the guarded door: no optional locks,
 * and nothing the repository's config names is started.
 */
export function git(cwd: string, args: string[]): Promise<ExecOutcome> {
  return runGit(cwd, args, { timeoutMs: GIT_TIMEOUT_MS });
}

/**
 * Starts the guard's config read for the repository at `cwd` ahead of the
 * git sections, which then share it (see {@link guardedGitEnv}); nothing
 * else runs until it is done.
 */
export function prepareGit(cwd: string): Promise<void> {
  return guardedGitEnv(cwd, { timeoutMs: GIT_TIMEOUT_MS }).then(
    () => {},
    () => {},
  );
}

/** Describes an outcome that produced no usable output, as one sentence. */
export function gitProblem(outcome: ExecOutcome): string | undefined {
  switch (outcome.kind) {
    case "ok":
      return undefined;
    case "missing":
      return "git is not installed (not found on PATH).";
    case "timeout":
      return `git did not answer within ${GIT_TIMEOUT_MS / 1000} s.`;
    case "error":
      return `git could not be run: ${outcome.message}`;
    case "failed":
      return `git failed: ${firstErrorLine(outcome)}`;
  }
}

const CHANGE_COMMANDS: { args: string[]; empty: string }[] = [
  { args: ["status", "--short", "--branch"], empty: "No status output." },
  { args: ["diff", "--stat"], empty: "No unstaged changes." },
  { args: ["diff", "--stat", "--cached"], empty: "No staged changes." },
];

/** Builds `UNCOMMITTED_CHANGES.md` for the repository at `root`. */
export async function uncommittedChanges(root: string): Promise<string> {
  const outcomes = await runGitBatch(
    root,
    CHANGE_COMMANDS.map(({ args }) => args),
    { timeoutMs: GIT_TIMEOUT_MS },
  );
  return renderChanges(outcomes);
}

/** `UNCOMMITTED_CHANGES.md` from the outcomes of {@link CHANGE_COMMANDS}, in order. */
function renderChanges(outcomes: readonly ExecOutcome[]): string {
  const sections = CHANGE_COMMANDS.map(({ args, empty }, index) => {
    const outcome = outcomes[index];
    const heading = `## git ${args.join(" ")}`;
    if (outcome.kind !== "ok") return `${heading}\n\n${gitProblem(outcome)}`;
    const text = outcome.stdout.trimEnd();
    return `${heading}\n\n${text === "" ? empty : fenced(text)}`;
  });
  return document(["# Uncommitted Changes", ...sections]);
}

const AUTHOR_COMMAND = ["config", "--get-regexp", "^user\\.(email|name)$"];

/** Who "the current author" is: `user.email`, else `user.name` (one git run for both). */
export async function currentAuthor(
  root: string,
): Promise<{ author: string } | { problem: string }> {
  return authorFrom(await git(root, AUTHOR_COMMAND));
}

function authorFrom(
  outcome: ExecOutcome,
): { author: string } | { problem: string } {
  if (outcome.kind === "missing" || outcome.kind === "timeout") {
    return { problem: gitProblem(outcome) ?? "" };
  }
  const values = new Map<string, string>();
  // `git config --get-regexp` exits 1 when nothing matches: no author set.
  if (outcome.kind === "ok") {
    for (const line of outcome.stdout.split("\n")) {
      const space = line.indexOf(" ");
      if (space === -1) continue;
      const value = line.slice(space + 1).trim();
      if (value !== "") values.set(line.slice(0, space).toLowerCase(), value);
    }
  }
  const author = values.get("user.email") ?? values.get("user.name");
  if (author) return { author };
  return {
    problem:
      "No git author is configured (set user.email or user.name), so commits cannot be matched.",
  };
}

/** One commit of {@link recentCommitLog}. */
export interface Commit {
  hash: string;
  /** Ref names as `git log %d` prints them, e.g. ` (HEAD -> main)`, or empty. */
  refs: string;
  subject: string;
  /** Committer date, relative (`2 hours ago`). */
  when: string;
  /** Author name (email when the name is empty). */
  author: string;
  /** Whether the current git author made it. */
  mine: boolean;
}

/** Recent commits by everyone, or the sentence that says why there are none. */
export interface CommitLog {
  commits: Commit[];
  /** The current git author, when one is configured. */
  author?: string;
  /** A sentence for the reader: why the list is empty, or why nothing is marked as yours. */
  note?: string;
}

/** How many commits the log lists. */
export const COMMIT_LIMIT = 20;

const FIELD = "\x1f";

const LOG_COMMAND = [
  "log",
  "--all",
  "--no-color",
  "-n",
  String(COMMIT_LIMIT),
  `--format=%h${FIELD}%ae${FIELD}%an${FIELD}%d${FIELD}%s${FIELD}%cr`,
];

/**
 * The newest commits on all branches by anyone, each marked when the
 * current author made it. A fresh clone has other people's history and
 * nothing of the user's yet, and that history is what a new session needs.
 */
export async function recentCommitLog(root: string): Promise<CommitLog> {
  const [who, log] = await runGitBatch(root, [AUTHOR_COMMAND, LOG_COMMAND], {
    timeoutMs: GIT_TIMEOUT_MS,
  });
  return commitLogFrom(who, log);
}

/** The two git sections of the bundle, from one batch of git runs. */
export interface GitSections {
  /** `UNCOMMITTED_CHANGES.md`. */
  changes: Promise<string>;
  /** The data of `RECENT_COMMITS.md`. */
  commits: Promise<CommitLog>;
}

/**
 * Starts both git sections for the repository at `root` as one batch (see
 * {@link runGitBatch}): one guard read and, where there is a shell, one
 * child for all five commands, instead of six.
 */
export function gitSections(root: string): GitSections {
  const outcomes = runGitBatch(
    root,
    [...CHANGE_COMMANDS.map(({ args }) => args), AUTHOR_COMMAND, LOG_COMMAND],
    { timeoutMs: GIT_TIMEOUT_MS },
  );
  const count = CHANGE_COMMANDS.length;
  return {
    changes: outcomes.then((all) => renderChanges(all.slice(0, count))),
    commits: outcomes.then((all) => commitLogFrom(all[count], all[count + 1])),
  };
}

function commitLogFrom(whoRun: ExecOutcome, log: ExecOutcome): CommitLog {
  const who = authorFrom(whoRun);
  const author = "author" in who ? who.author : undefined;
  if (log.kind !== "ok") {
    // A repository without commits makes `git log` fail; that is not a problem.
    if (log.kind === "failed" && /does not have any commits/.test(log.stderr)) {
      return { commits: [], author, note: "No commits yet." };
    }
    return { commits: [], author, note: gitProblem(log) ?? "" };
  }
  const wanted = author?.toLowerCase();
  const commits = log.stdout.split("\n").filter((line) => line !== "").map(
    (line): Commit => {
      const [hash, email, name, refs, subject, when] = line.split(FIELD);
      const mine = wanted !== undefined &&
        [email, name].some((value) => value?.toLowerCase() === wanted);
      return {
        hash,
        refs: refs ?? "",
        subject: subject ?? "",
        when: when ?? "",
        author: name || email || "unknown",
        mine,
      };
    },
  );
  if (commits.length === 0) return { commits, author, note: "No commits yet." };
  return {
    commits,
    author,
    note: "problem" in who
      ? `${who.problem} Your own commits are not marked.`
      : undefined,
  };
}

/** One commit as a line: `abc1234 (HEAD -> main) Subject — Ann, 2 hours ago (yours)`. */
export function commitLine(commit: Commit): string {
  return `${commit.hash}${commit.refs} ${commit.subject} — ${commit.author}, ${commit.when}${
    commit.mine ? " (yours)" : ""
  }`;
}

/** Renders `RECENT_COMMITS.md` from a {@link CommitLog}. */
export function renderRecentCommits(log: CommitLog): string {
  const title = "# Recent Commits";
  if (log.commits.length === 0) return document([title, log.note ?? ""]);
  const mine = log.author ? `; yours (${log.author}) are marked "(yours)"` : "";
  return document([
    title,
    `Up to ${COMMIT_LIMIT} commits on all branches by everyone, newest first${mine}:`,
    ...(log.note ? [log.note] : []),
    fenced(log.commits.map(commitLine).join("\n")),
  ]);
}

/** Builds `RECENT_COMMITS.md`: up to 20 commits on all branches by anyone, the current author's marked. */
export async function recentCommits(root: string): Promise<string> {
  return renderRecentCommits(await recentCommitLog(root));
}
