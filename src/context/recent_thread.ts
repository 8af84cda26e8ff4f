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
  searchRepoThreads,
  selectSession,
} from "./transcripts/find.ts";
import { readHeader } from "./transcripts/header.ts";
import { DirListings } from "./transcripts/walk.ts";
import {
  MAX_TRANSCRIPT_BYTES,
  readThread,
  type ThreadScan,
} from "./transcripts/read.ts";
import { type Turn, TURN_LIMIT } from "./transcripts/turns.ts";

/** Why a Codex SessionStart hook fired (its `source`). */
export type SessionSource = "startup" | "clear" | "compact" | "resume";

/** Inputs of {@link recentThread}. */
export interface RecentThreadOptions {
  repoRoot: string;
  codexHome: string;
  /** From `--thread-id` or `CODEX_THREAD_ID`; empty means "not given". */
  threadId?: string;
  /**
   * The current thread's transcript, read directly instead of searching
   * the history for it (a hook is told where it is).
   */
  transcriptPath?: string;
  /** Look the thread id up among file names only (see `SelectOptions.nameOnly`). */
  nameOnly?: boolean;
  /** Why the hook fired: after a compaction, what it dropped is restored even before Codex marks it. */
  source?: SessionSource;
}

/** What was restored, both as `RECENT_THREAD.md` and as parts a shorter text can use. */
export interface RestoredThread {
  /** The whole `RECENT_THREAD.md`. */
  markdown: string;
  /**
   * `compacted`: the current thread's turns before its latest compaction;
   * `current`: the current thread's last turns (a compaction Codex has not
   * recorded yet); `previous`: how the previous thread ended; `none`:
   * nothing to restore; `unreadable`: a transcript could not be read.
   */
  kind: "compacted" | "current" | "previous" | "none" | "unreadable";
  /** One or two sentences saying what the turns are (or why there are none). */
  headline: string;
  /** The restored turns, oldest first. */
  turns: Turn[];
  /** The thread the turns come from. */
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
  return (await restoreThread(options)).markdown;
}

function restored(
  kind: RestoredThread["kind"],
  headline: string,
  parts: string[],
  turns: Turn[] = [],
  threadId?: string,
): RestoredThread {
  return {
    markdown: document([TITLE, ...parts]),
    kind,
    headline,
    turns,
    ...(threadId ? { threadId } : {}),
  };
}

/** The current thread from a transcript path the caller was given, when it has a header. */
async function givenTranscript(path: string): Promise<Found | undefined> {
  const header = await readHeader(path);
  return header ? { path, header } : undefined;
}

/** Chooses the thread to restore and reads it; see the module comment. */
export async function restoreThread(
  options: RecentThreadOptions,
): Promise<RestoredThread> {
  const threadId = options.threadId?.trim() || undefined;
  // One set of folder listings for every walk below: a thread looked up by
  // id and then the previous one walk the same newest folders.
  const base = {
    codexHome: options.codexHome,
    repoRoot: options.repoRoot,
    listings: new DirListings(),
  };
  let current: Found | undefined;
  let searched: string[] = [];
  let scanned = 0;
  const given = options.transcriptPath
    ? await givenTranscript(options.transcriptPath)
    : undefined;
  if (given) current = given;
  else if (threadId) {
    const selection = await selectSession({
      ...base,
      threadId,
      nameOnly: options.nameOnly,
    });
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
  const why = given
    ? "the transcript Codex named"
    : threadId
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
      if (previous) {
        return restorePrevious(
          `${missing}; it is taken to be a new session.`,
          previous,
        );
      }
      const text =
        `${missing}, and no other Codex thread started in this repository was found.`;
      return restored(
        "none",
        "No earlier Codex thread of this repository was found.",
        [text],
      );
    }
    return restored(
      "none",
      "No earlier Codex thread of this repository was found.",
      [
        scanned === 0
          ? `No Codex transcripts found (${where}), so there is no earlier session to restore.`
          : `No Codex thread started in this repository was found (${where}), so there is no earlier session to restore.`,
      ],
    );
  }

  const now = await read(current);
  if (!now.scan) {
    return restored(
      "unreadable",
      `The current thread's transcript could not be read: ${now.error}.`,
      [
        facts("Current thread", current),
        `The current thread's transcript could not be read: ${now.error}.`,
      ],
    );
  }
  const scan = now.scan;
  const id = current.header.id;
  if (scan.compactions > 0) {
    const intro = `This is the current thread (${why}). It was compacted ${
      times(scan.compactions)
    }, so its earlier turns are no longer in your context, only a summary.`;
    if (scan.turns.length === 0) {
      return restored(
        "none",
        "The current thread was compacted, but no conversation came before the compaction.",
        [
          intro,
          facts("Current thread", current),
          "No conversation turns came before its latest compaction, so there is nothing to restore.",
        ],
      );
    }
    return restored(
      "compacted",
      `The current thread \`${id}\` was compacted ${
        times(scan.compactions)
      }; these are its last turns before the latest compaction, which your context now has only as a summary.`,
      [
        `${intro} Below are the last ${
          plural(scan.turns.length, "turn")
        } before the latest compaction, ${HOW}: read them for details the summary left out.`,
        facts("Current thread", current),
        ...skippedNote(scan),
        ...renderTurns(scan.turns),
      ],
      scan.turns,
      id,
    );
  }

  if (options.source === "compact" && scan.recent.length > 0) {
    // The hook fired for a compaction the transcript does not show yet:
    // everything so far is what it dropped.
    return restored(
      "current",
      `The current thread \`${id}\` was just compacted; these are its last turns before the compaction, which your context now has only as a summary.`,
      [
        `This is the current thread (${why}). It is being compacted, so these turns are leaving your context; below are the last ${
          plural(scan.recent.length, "turn")
        }, ${HOW}.`,
        facts("Current thread", current),
        ...skippedNote(scan),
        ...renderTurns(scan.recent),
      ],
      scan.recent,
      id,
    );
  }

  const state = scan.userMessages === 0
    ? "has no user turn yet (a new session)"
    : "has not been compacted, so its conversation is still in your context";
  const opening = `The current thread \`${id}\` (${why}) ${state}.`;
  const previous = await previousThread(base, current);
  if (!previous) {
    return restored(
      "none",
      "No earlier Codex thread of this repository with any conversation was found.",
      [
        `${opening} No earlier Codex thread with any conversation was started in this repository, so there is nothing to restore.`,
      ],
    );
  }
  return restorePrevious(opening, previous);
}

/**
 * The newest thread of this repository that started before `current` (any,
 * when there is no current transcript) and has at least one user turn.
 */
async function previousThread(
  base: { codexHome: string; repoRoot: string; listings: DirListings },
  current: Found | undefined,
): Promise<Read | undefined> {
  // Each candidate is read before the search looks for the next, so a
  // previous thread with conversation (the usual case) costs only the
  // headers that finding it took.
  const search = searchRepoThreads({ ...base, before: current?.header });
  for (let tries = 0; tries < PREVIOUS_THREAD_TRIES; tries++) {
    const candidate = await search.next();
    if (!candidate) return undefined;
    const result = await read(candidate);
    if (result.error || (result.scan && result.scan.userMessages > 0)) {
      return result;
    }
  }
  return undefined;
}

function restorePrevious(opening: string, previous: Read): RestoredThread {
  if (!previous.scan) {
    return restored(
      "unreadable",
      `The previous thread in this repository could not be read: ${previous.error}.`,
      [
        `${opening} The previous thread in this repository could not be read: ${previous.error}.`,
        facts("Previous thread", previous.found),
      ],
    );
  }
  const scan = previous.scan;
  const id = previous.found.header.id;
  return restored(
    "previous",
    `This session is new; the previous thread \`${id}\` in this repository (started ${
      previous.found.header.timestamp || "at an unknown time"
    }) ended with these turns. If the user's request continues that work, pick up from there.`,
    [
      `${opening} Below is how the previous thread in this repository ended, which this session has not seen: its last ${
        plural(scan.recent.length, "turn")
      }, ${HOW}. If the user's request continues that work, pick up from there.`,
      facts("Previous thread", previous.found),
      ...skippedNote(scan),
      ...renderTurns(scan.recent),
    ],
    scan.recent,
    id,
  );
}

function times(count: number): string {
  return count === 1 ? "once" : `${count} times`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
