/**
 * `RECENT_THREAD.md`: continuity from the local Codex transcripts. The
 * current thread is the one named by `--thread-id` / `CODEX_THREAD_ID`, else
 * the newest started in this repository. When it was compacted, the turns
 * before its latest compaction are restored (they left the agent's
 * context); otherwise (a new session, or one still whole) the end of the
 * previous thread in this repository is, since none of it is in the new
 * session's context.
 *
 * @module
 */
import { describeError } from "../errors.ts";
import { document } from "./markdown.ts";
import {
  findRepoThreads,
  type Found,
  selectSession,
} from "./transcripts/find.ts";
import {
  MAX_TRANSCRIPT_BYTES,
  readThread,
  type ThreadScan,
} from "./transcripts/read.ts";
import { type Turn, TURN_LIMIT } from "./transcripts/turns.ts";

/** Inputs of {@link recentThread}. */
export interface RecentThreadOptions {
  repoRoot: string;
  codexHome: string;
  /** From `--thread-id` or `CODEX_THREAD_ID`; empty means "not given". */
  threadId?: string;
}

const TITLE = "# Recent Thread";

/**
 * Earlier threads tried, newest first, when looking for the previous one
 * with something to restore (sessions opened and left without a word are
 * passed over). Bounded so a history of empty sessions stays cheap.
 */
export const PREVIOUS_THREAD_TRIES = 5;

/** Renders the turns, oldest first, each under its own heading. */
export function renderTurns(turns: Turn[]): string[] {
  return turns.map((turn, index) => {
    const who = turn.role === "user" ? "User" : "Assistant";
    const when = turn.timestamp ? ` (${turn.timestamp})` : "";
    return `## ${index + 1}. ${who}${when}\n\n${turn.text}`;
  });
}

/** A transcript and what reading it gave. */
interface Read {
  found: Found;
  scan?: ThreadScan;
  error?: string;
}

async function read(found: Found): Promise<Read> {
  try {
    return { found, scan: await readThread(found.path) };
  } catch (error) {
    return { found, error: describeError(error, found.path) };
  }
}

function facts(label: string, found: Found): string {
  const { header, path } = found;
  return [
    `- ${label}: ${header.id}`,
    `- Started: ${header.timestamp || "unknown"}`,
    `- Directory: ${header.cwd || "unknown"}`,
    `- Transcript: ${path}`,
  ].join("\n");
}

function skippedNote(scan: ThreadScan): string[] {
  const notes: string[] = [];
  if (scan.malformedLines > 0) {
    notes.push(
      `(${plural(scan.malformedLines, "malformed transcript line")} skipped.)`,
    );
  }
  if (scan.cutOff) {
    notes.push(
      `(The transcript is larger than ${
        MAX_TRANSCRIPT_BYTES / 1024 / 1024
      } MB; only its start was read, so later turns are missing.)`,
    );
  }
  return notes;
}

const HOW =
  `oldest first (at most ${TURN_LIMIT}; consecutive messages of one speaker merged; injected instructions and compaction summaries left out; token-like secrets redacted)`;

/** Builds `RECENT_THREAD.md`. */
export async function recentThread(
  options: RecentThreadOptions,
): Promise<string> {
  const threadId = options.threadId?.trim() || undefined;
  const base = { codexHome: options.codexHome, repoRoot: options.repoRoot };
  let current: Found | undefined;
  let searched: string[];
  let scanned: number;
  if (threadId) {
    const selection = await selectSession({ ...base, threadId });
    searched = selection.kind === "none" ? selection.searched : [];
    scanned = selection.scanned;
    if (selection.kind === "found") current = selection;
  } else {
    // Only the newest for now: the earlier ones are looked for only when
    // the current thread turns out to have no compaction.
    const found = await findRepoThreads({ ...base, count: 1 });
    [current] = found.threads;
    searched = found.searched;
    scanned = found.scanned;
  }
  const why = threadId
    ? "named by `--thread-id` or `CODEX_THREAD_ID`"
    : "the newest Codex thread started in this repository";

  if (!current) {
    const where = `looked in ${searched.join(" and ")}`;
    if (threadId) {
      // The id may be a session whose transcript Codex has not written yet:
      // the previous thread of this repository is still worth restoring.
      const missing =
        `No Codex transcript for thread \`${threadId}\` was found (${where})`;
      const previous = await previousThread(base, undefined);
      return previous
        ? restorePrevious(
          `${missing}; it is taken to be a new session.`,
          previous,
        )
        : document([
          TITLE,
          `${missing}, and no other Codex thread started in this repository was found.`,
        ]);
    }
    return document([
      TITLE,
      scanned === 0
        ? `No Codex transcripts found (${where}), so there is no earlier session to restore.`
        : `No Codex thread started in this repository was found (${where}), so there is no earlier session to restore.`,
    ]);
  }

  const now = await read(current);
  if (!now.scan) {
    return document([
      TITLE,
      facts("Current thread", current),
      `The current thread's transcript could not be read: ${now.error}.`,
    ]);
  }
  const scan = now.scan;
  if (scan.compactions > 0) {
    const intro = `This is the current thread (${why}). It was compacted ${
      times(scan.compactions)
    }, so its earlier turns are no longer in your context, only a summary.`;
    if (scan.turns.length === 0) {
      return document([
        TITLE,
        intro,
        facts("Current thread", current),
        "No conversation turns came before its latest compaction, so there is nothing to restore.",
      ]);
    }
    return document([
      TITLE,
      `${intro} Below are the last ${
        plural(scan.turns.length, "turn")
      } before the latest compaction, ${HOW}: read them for details the summary left out.`,
      facts("Current thread", current),
      ...skippedNote(scan),
      ...renderTurns(scan.turns),
    ]);
  }

  const state = scan.userMessages === 0
    ? "has no user turn yet (a new session)"
    : "has not been compacted, so its conversation is still in your context";
  const opening =
    `The current thread \`${current.header.id}\` (${why}) ${state}.`;
  const previous = await previousThread(base, current);
  if (!previous) {
    return document([
      TITLE,
      `${opening} No earlier Codex thread with any conversation was started in this repository, so there is nothing to restore.`,
    ]);
  }
  return restorePrevious(opening, previous);
}

/**
 * The newest thread of this repository that started before `current` (any,
 * when there is no current transcript) and has at least one user turn.
 */
async function previousThread(
  base: { codexHome: string; repoRoot: string },
  current: Found | undefined,
): Promise<Read | undefined> {
  const { threads } = await findRepoThreads({
    ...base,
    count: PREVIOUS_THREAD_TRIES,
    before: current?.header,
  });
  for (const candidate of threads) {
    const result = await read(candidate);
    if (result.error || (result.scan && result.scan.userMessages > 0)) {
      return result;
    }
  }
  return undefined;
}

function restorePrevious(opening: string, previous: Read): string {
  if (!previous.scan) {
    return document([
      TITLE,
      `${opening} The previous thread in this repository could not be read: ${previous.error}.`,
      facts("Previous thread", previous.found),
    ]);
  }
  const scan = previous.scan;
  return document([
    TITLE,
    `${opening} Below is how the previous thread in this repository ended, which this session has not seen: its last ${
      plural(scan.recent.length, "turn")
    }, ${HOW}. If the user's request continues that work, pick up from there.`,
    facts("Previous thread", previous.found),
    ...skippedNote(scan),
    ...renderTurns(scan.recent),
  ]);
}

function times(count: number): string {
  return count === 1 ? "once" : `${count} times`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
