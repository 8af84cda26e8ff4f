/**
 * The text `waypoint context --hook` gives the model: the session context
 * itself, condensed (time, branch and changes, the workspace goal and
 * trackers, the restored thread's last turns, recent commits, open pull
 * requests, where the full files are), within one character budget. It is
 * repeated in every context window of the session, so each section gets a
 * share by priority and is cut with a visible marker; the newest turns of
 * the thread matter most.
 *
 * @module
 */
import { redactSecrets } from "./redact.ts";
import { commitLine, type CommitLog } from "./git.ts";
import type { RestoredThread, SessionSource } from "./recent_thread.ts";
import { clip } from "./transcripts/turns.ts";
import {
  allocate,
  type BudgetSection,
  cutToFit,
  visibleText,
} from "./hook_budget.ts";

/** The first line of the text; the AGENTS.md block refers to it, so it never changes. */
export const HOOK_HEADING = "# Waypoint session context";

/** What the text is made from; a section left undefined was skipped. */
export interface HookFacts {
  source?: SessionSource;
  /** The `CURRENT_DATETIME.md` facts as one line. */
  now: string;
  /** `git status --short --branch` output, or the sentence saying why there is none. */
  status?: { stdout: string } | { problem: string };
  /** Where the workspace file is, and its `## Active Goal` text ("" when empty). */
  goal?: { path: string; text: string } | { problem: string };
  trackers?: string[];
  thread?: RestoredThread;
  commits?: CommitLog;
  /** The "Open" list of `PULL_REQUESTS.md`, when gh gave one. */
  pullRequests?: string;
  /** Sections not ready by the deadline or failed, each with why. */
  skipped: string[];
  /** One-line problems worth telling the model (bad input, unwritable bundle, …). */
  notes: string[];
  /** Whether the bundle files were written (else the pointer says so). */
  bundleWritten: boolean;
}

/** Paths listed at most, when counting uncommitted changes. */
const LISTED_PATHS = 8;

/** Commits listed at most (RECENT_COMMITS.md has more). */
const LISTED_COMMITS = 10;

/** One line kept to `max` characters: its start and end around an ellipsis. */
export function clipLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 3) / 2);
  return `${text.slice(0, half)} … ${text.slice(-half)}`.toWellFormed();
}

/** Counts and the first paths of `git status --short --branch` output. */
export function summarizeStatus(stdout: string): string {
  const lines = stdout.split("\n").filter((line) => line !== "");
  const out: string[] = [];
  const head = lines[0]?.startsWith("## ") ? lines.shift()!.slice(3) : "";
  if (head) out.push(`Branch: ${clipLine(head, 300)}`);
  if (lines.length === 0) {
    out.push("No uncommitted changes.");
    return out.join("\n");
  }
  let staged = 0, unstaged = 0, untracked = 0, conflicted = 0;
  for (const line of lines) {
    const [x, y] = [line[0], line[1]];
    if (x === "?" && y === "?") untracked++;
    else if (x === "U" || y === "U" || (x === y && (x === "A" || x === "D"))) {
      conflicted++;
    } else {
      if (x !== " ") staged++;
      if (y !== " ") unstaged++;
    }
  }
  const counts = [
    staged && `${staged} staged`,
    unstaged && `${unstaged} with unstaged edits`,
    untracked && `${untracked} untracked`,
    conflicted && `${conflicted} conflicted`,
  ].filter(Boolean).join(", ");
  const listed = lines.slice(0, LISTED_PATHS).map((line) =>
    `- ${clipLine(line, 240)}`
  );
  const more = lines.length > LISTED_PATHS
    ? [`- … and ${lines.length - LISTED_PATHS} more`]
    : [];
  out.push(
    `Uncommitted changes in ${lines.length} file${
      lines.length === 1 ? "" : "s"
    } (${counts}):`,
    ...listed,
    ...more,
  );
  return out.join("\n");
}

/** A section that is cut at its end. */
function plain(
  text: string,
  share: number,
  priority: number,
): BudgetSection {
  return {
    natural: text.length,
    share,
    priority,
    render: (limit) => cutToFit(text, limit),
  };
}

/** Safe text: secrets redacted, control characters visible. */
function safe(text: string): string {
  return visibleText(redactSecrets(text));
}

/** `2026-01-02T03:04:05.000Z` as `2026-01-02 03:04 UTC`; other text kept, shortened. */
function shortTime(timestamp: string): string {
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return safe(timestamp).slice(0, 40);
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function who(role: string): string {
  return role === "user" ? "User" : "Assistant";
}

/**
 * The thread section: its headline, then turns from the newest back, the
 * newest given the most room, shown oldest first; older turns are dropped
 * first when space runs out.
 */
function threadSection(thread: RestoredThread): BudgetSection {
  const headline = safe(thread.headline);
  const turns = thread.turns.map((turn) => ({
    label: `### ${who(turn.role)}${
      turn.timestamp ? ` (${shortTime(turn.timestamp)})` : ""
    }`,
    // Turn text was redacted as it was read (transcripts/records.ts), before
    // any clip; finalText still redacts the whole text once more.
    text: visibleText(turn.text),
  }));
  const render = (limit: number): string => {
    const top = `## Restored thread\n${headline}`;
    if (top.length > limit) return cutToFit(top, limit);
    // Room for the note saying older turns were left out, when any will be.
    const whole = turns.reduce(
      (sum, turn) => sum + turn.label.length + turn.text.length + 3,
      0,
    );
    let left = limit - top.length - (top.length + whole > limit ? 80 : 0);
    const kept: string[] = [];
    let index = turns.length - 1;
    for (; index >= 0; index--) {
      const rank = turns.length - 1 - index;
      const { label, text } = turns[index];
      // The newest turns say where the work stands: give them the most room.
      const cap = rank === 0 ? 3_000 : rank < 3 ? 1_500 : 700;
      const room = Math.min(cap, left - label.length - 3);
      // A short turn is kept whole; a long one only when a useful part fits.
      if (text.length > room && room < 120) break;
      const body = text.length <= room ? text : clip(text, room - 40);
      const block = `${label}\n${
        body.length <= room ? body : cutToFit(body, room)
      }`;
      kept.unshift(block);
      left -= block.length + 2;
    }
    const dropped = index + 1;
    const note = dropped > 0
      ? `(${dropped} older turn${
        dropped === 1 ? "" : "s"
      } left out here; RECENT_THREAD.md has them.)`
      : "";
    const parts = [top, ...(note ? [note] : []), ...kept];
    return parts.join("\n\n");
  };
  const natural = render(Number.MAX_SAFE_INTEGER).length;
  return { natural, share: 0.45, priority: 0, render };
}

function commitsSection(log: CommitLog): BudgetSection {
  if (log.commits.length === 0) {
    return plain(
      safe(`## Recent commits\n${log.note ?? "No commits."}`),
      0.1,
      3,
    );
  }
  const lines = log.commits.slice(0, LISTED_COMMITS).map((commit) =>
    `- ${safe(clipLine(commitLine(commit), 300))}`
  );
  const mine = log.author ? ' (yours marked "(yours)")' : "";
  const text = [
    `## Recent commits, all branches, everyone${mine}`,
    ...(log.note ? [safe(log.note)] : []),
    ...lines,
  ].join("\n");
  return plain(text, 0.12, 3);
}

/** Renders the hook text from what could be gathered, never longer than `budget`. */
export function renderHookText(facts: HookFacts, budget: number): string {
  const reason = facts.source ? ` (${facts.source})` : "";
  const head = safe(
    `${HOOK_HEADING}\n\nWritten by \`waypoint context --hook\`${reason}; the same context, in full, is in .waypoint/context/ (no need to run \`waypoint context\`).\n${facts.now}`,
  );
  const tailLines = [
    facts.bundleWritten
      ? "## Full files\n.waypoint/context/MANIFEST.md lists them (RECENT_THREAD.md has every restored turn, UNCOMMITTED_CHANGES.md the diff stats) and what to read next."
      : "## Full files\nThe .waypoint/context/ files were not written this time (see the note); run `waypoint context` to write them.",
  ];
  if (facts.skipped.length > 0) {
    tailLines.push(
      `Skipped: ${facts.skipped.join(", ")}.`,
    );
  }
  for (const note of facts.notes) tailLines.push(`Note: ${note}`);
  const tail = cutToFit(safe(tailLines.join("\n")), Math.floor(budget / 4));

  const sections: BudgetSection[] = [];
  if (facts.status) {
    const body = "problem" in facts.status
      ? facts.status.problem
      : summarizeStatus(facts.status.stdout);
    sections.push(plain(safe(`## Git\n${body}`), 0.15, 2));
  }
  if (facts.goal) {
    const body = "problem" in facts.goal
      ? facts.goal.problem
      : facts.goal.text === ""
      ? `No active goal is set in ${facts.goal.path}.`
      : facts.goal.text;
    const where = "path" in facts.goal ? ` (${facts.goal.path})` : "";
    sections.push(plain(safe(`## Active goal${where}\n${body}`), 0.15, 1));
  }
  if (facts.trackers) {
    const body = facts.trackers.length === 0
      ? "None."
      : facts.trackers.map((path) => `- ${path}`).join("\n");
    sections.push(plain(safe(`## Active trackers\n${body}`), 0.05, 4));
  }
  if (facts.thread && facts.source !== "resume") {
    sections.push(threadSection(facts.thread));
  }
  if (facts.commits) sections.push(commitsSection(facts.commits));
  if (facts.pullRequests) {
    const text = safe(`## Your open pull requests\n${facts.pullRequests}`);
    sections.push({
      natural: text.length,
      share: 0.08,
      priority: 5,
      render: (limit) => cutToFit(text, limit),
    });
  }
  const fixed = head.length + tail.length + 4;
  const bodies = allocate(sections, budget - fixed).filter((text) =>
    text !== ""
  );
  const text = [head, ...bodies, tail].filter((part) => part !== "").join(
    "\n\n",
  );
  return finalText(text, budget);
}

/**
 * The last guard: redaction and visibility once more over the whole text
 * (so no part can have escaped them), and a hard cut if it still does not
 * fit, keeping the heading.
 */
export function finalText(text: string, budget: number): string {
  const cleaned = visibleText(redactSecrets(text));
  if (cleaned.length <= budget) return cleaned;
  return cutToFit(cleaned, budget) || cleaned.slice(0, budget).toWellFormed();
}
