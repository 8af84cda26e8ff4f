/**
 * The two git sections of the bundle: uncommitted changes and recent commits
 * by the current author. Git runs as a subprocess; when it is missing or
 * fails, the section says so in a plain line.
 *
 * @module
 */
import { type ExecOutcome, firstErrorLine } from "./exec.ts";
import { runGit } from "./git_exec.ts";
import { document, fenced } from "./markdown.ts";

const GIT_TIMEOUT_MS = 10_000;

/**
 * Runs `git args…` in `cwd` through the guarded door: no optional locks,
 * and nothing the repository's config names is started.
 */
export function git(cwd: string, args: string[]): Promise<ExecOutcome> {
  return runGit(cwd, args, { timeoutMs: GIT_TIMEOUT_MS });
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
  const outcomes = await Promise.all(
    CHANGE_COMMANDS.map(({ args }) => git(root, args)),
  );
  const sections = CHANGE_COMMANDS.map(({ args, empty }, index) => {
    const outcome = outcomes[index];
    const heading = `## git ${args.join(" ")}`;
    if (outcome.kind !== "ok") return `${heading}\n\n${gitProblem(outcome)}`;
    const text = outcome.stdout.trimEnd();
    return `${heading}\n\n${text === "" ? empty : fenced(text)}`;
  });
  return document(["# Uncommitted Changes", ...sections]);
}

/** Who "the current author" is: `user.email`, else `user.name`. */
export async function currentAuthor(
  root: string,
): Promise<{ author: string } | { problem: string }> {
  const [email, name] = await Promise.all([
    git(root, ["config", "user.email"]),
    git(root, ["config", "user.name"]),
  ]);
  if (email.kind === "missing" || email.kind === "timeout") {
    return { problem: gitProblem(email) ?? "" };
  }
  for (const outcome of [email, name]) {
    if (outcome.kind === "ok" && outcome.stdout.trim() !== "") {
      return { author: outcome.stdout.trim() };
    }
  }
  return {
    problem:
      "No git author is configured (set user.email or user.name), so commits cannot be matched.",
  };
}

/** Builds `RECENT_COMMITS.md`: up to 20 commits on all branches by the current author. */
export async function recentCommits(root: string): Promise<string> {
  const title = "# Recent Commits";
  const who = await currentAuthor(root);
  if ("problem" in who) return document([title, who.problem]);
  const log = await git(root, [
    "log",
    "--all",
    "--no-color",
    "--fixed-strings",
    `--author=${who.author}`,
    "-n",
    "20",
    "--format=%h%d %s (%cr)",
  ]);
  if (log.kind !== "ok") {
    // A repository without commits makes `git log` fail; that is not a problem.
    if (log.kind === "failed" && /does not have any commits/.test(log.stderr)) {
      return document([title, `No commits by ${who.author} yet.`]);
    }
    return document([title, gitProblem(log) ?? ""]);
  }
  const text = log.stdout.trimEnd();
  if (text === "") {
    return document([title, `No commits by ${who.author} yet.`]);
  }
  return document([
    title,
    `Up to 20 commits on all branches by ${who.author}, newest first:`,
    fenced(text),
  ]);
}
