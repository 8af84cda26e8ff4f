/**
 * `PULL_REQUESTS.md`: the current GitHub user's open and recently merged pull
 * requests through the `gh` CLI, bounded by a timeout. When gh is missing,
 * signed out, slow or failing, the file says so in one line.
 *
 * @module
 */
import { type ExecOutcome, firstErrorLine, runProgram } from "./exec.ts";
import { cleanEnv, guardedGitEnv, guardProblem } from "./git_exec.ts";
import { document } from "./markdown.ts";

/** How long each `gh` call may take before it is killed. */
export const GH_TIMEOUT_MS = 3_000;

const LIMIT = 5;

/** One pull request as rendered. */
export interface PullRequest {
  number: number;
  title: string;
  url: string;
  branch?: string;
  date?: string;
}

/**
 * Settings that keep gh from paging, prompting, checking for updates or
 * drawing a spinner; gh's own git calls get the guarded git environment.
 */
export const GH_ENV: Readonly<Record<string, string>> = {
  GH_PAGER: "cat",
  GH_PROMPT_DISABLED: "1",
  GH_NO_UPDATE_NOTIFIER: "1",
  GH_NO_EXTENSION_UPDATE_NOTIFIER: "1",
  GH_SPINNER_DISABLED: "1",
  NO_COLOR: "1",
};

function ghList(
  root: string,
  state: "open" | "merged",
  gitEnv: Record<string, string>,
): Promise<ExecOutcome> {
  const dateField = state === "open" ? "updatedAt" : "mergedAt";
  return runProgram("gh", [
    "pr",
    "list",
    "--author",
    "@me",
    "--state",
    state,
    "--limit",
    String(LIMIT),
    "--json",
    `number,title,url,headRefName,${dateField}`,
  ], {
    cwd: root,
    timeoutMs: GH_TIMEOUT_MS,
    env: { ...gitEnv, ...GH_ENV },
    clearEnv: true,
  });
}

/** Explains in one sentence why `outcome` gives no pull requests, or nothing when it is fine. */
export function ghProblem(outcome: ExecOutcome): string | undefined {
  switch (outcome.kind) {
    case "ok":
      return undefined;
    case "missing":
      return "The GitHub CLI (gh) is not installed, so pull requests are not listed.";
    case "timeout":
      return `gh did not answer within ${
        GH_TIMEOUT_MS / 1000
      } s, so pull requests are not listed.`;
    case "error":
      return `gh could not be run (${outcome.message}), so pull requests are not listed.`;
    case "failed": {
      const line = firstErrorLine(outcome);
      // gh exits with 4 when authentication is required.
      if (
        outcome.code === 4 ||
        /auth login|not logged in|authenticat/i.test(line)
      ) {
        return "gh is not signed in (run 'gh auth login'), so pull requests are not listed.";
      }
      return `gh could not list pull requests: ${line}`;
    }
  }
}

/** Parses `gh pr list --json` output, keeping only well-typed entries. */
export function parsePullRequests(
  stdout: string,
  dateField: string,
): PullRequest[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (!Array.isArray(data)) return undefined;
  const result: PullRequest[] = [];
  for (const item of data) {
    if (typeof item !== "object" || item === null) continue;
    const record = item as Record<string, unknown>;
    if (typeof record.number !== "number") continue;
    result.push({
      number: record.number,
      title: typeof record.title === "string" ? record.title : "(no title)",
      url: typeof record.url === "string" ? record.url : "",
      branch: typeof record.headRefName === "string"
        ? record.headRefName
        : undefined,
      date: typeof record[dateField] === "string"
        ? record[dateField] as string
        : undefined,
    });
  }
  return result;
}

function renderList(
  prs: PullRequest[],
  dateLabel: string,
  empty: string,
): string {
  if (prs.length === 0) return empty;
  return prs.map((pr) => {
    const parts = [`- #${pr.number} ${pr.title.replace(/\s+/g, " ")}`];
    if (pr.branch) parts.push(`branch \`${pr.branch}\``);
    if (pr.date) parts.push(`${dateLabel} ${pr.date}`);
    if (pr.url) parts.push(pr.url);
    return parts.join(" — ");
  }).join("\n");
}

/** Builds `PULL_REQUESTS.md` for the repository at `root`. */
export async function pullRequests(root: string): Promise<string> {
  const title = "# Pull Requests";
  // gh runs git in the repository (remotes, the current branch): the same
  // guard as waypoint's own git calls. Without git, gh's git calls fail
  // alone and the cleaned environment is enough.
  const guarded = await guardedGitEnv(root, { timeoutMs: GH_TIMEOUT_MS });
  if (guarded.kind === "problem" && guarded.outcome.kind !== "missing") {
    return document([
      title,
      `gh is not run: the repository's git config cannot be read safely (${
        guardProblem(guarded.outcome)
      }).`,
    ]);
  }
  const gitEnv = guarded.kind === "ok" ? guarded.env : cleanEnv();
  const [open, merged] = await Promise.all([
    ghList(root, "open", gitEnv),
    ghList(root, "merged", gitEnv),
  ]);
  const problem = ghProblem(open) ?? ghProblem(merged);
  if (problem || open.kind !== "ok" || merged.kind !== "ok") {
    return document([title, problem ?? "gh gave no answer."]);
  }
  const openPrs = parsePullRequests(open.stdout, "updatedAt");
  const mergedPrs = parsePullRequests(merged.stdout, "mergedAt");
  if (!openPrs || !mergedPrs) {
    return document([
      title,
      "gh returned output that is not a JSON list, so pull requests are not listed.",
    ]);
  }
  return document([
    title,
    `## Open (up to ${LIMIT}, by you)`,
    renderList(openPrs, "updated", "No open pull requests by you."),
    `## Recently merged (up to ${LIMIT}, by you)`,
    renderList(mergedPrs, "merged", "No merged pull requests by you."),
  ]);
}
