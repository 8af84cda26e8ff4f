/**
 * `RECENT_THREAD.md`: continuity from the local Codex transcripts — the last
 * meaningful turns before the chosen thread's latest compaction.
 *
 * @module
 */
import { describeError } from "../errors.ts";
import { document } from "./markdown.ts";
import { selectSession } from "./transcripts/find.ts";
import { readThread } from "./transcripts/read.ts";
import { type Turn, TURN_LIMIT } from "./transcripts/turns.ts";

/** Inputs of {@link recentThread}. */
export interface RecentThreadOptions {
  repoRoot: string;
  codexHome: string;
  /** From `--thread-id` or `CODEX_THREAD_ID`; empty means "not given". */
  threadId?: string;
}

const TITLE = "# Recent Thread";

/** Renders the turns, oldest first, each under its own heading. */
export function renderTurns(turns: Turn[]): string[] {
  return turns.map((turn, index) => {
    const who = turn.role === "user" ? "User" : "Assistant";
    const when = turn.timestamp ? ` (${turn.timestamp})` : "";
    return `## ${index + 1}. ${who}${when}\n\n${turn.text}`;
  });
}

/** Builds `RECENT_THREAD.md`. */
export async function recentThread(
  options: RecentThreadOptions,
): Promise<string> {
  const threadId = options.threadId?.trim() || undefined;
  const selection = await selectSession({
    codexHome: options.codexHome,
    repoRoot: options.repoRoot,
    threadId,
  });
  if (selection.kind === "none") {
    const where = `looked in ${selection.searched.join(" and ")}`;
    let message: string;
    if (threadId) {
      message =
        `No Codex transcript for thread \`${threadId}\` was found (${where}).`;
    } else if (selection.scanned === 0) {
      message = `No Codex transcripts found (${where}).`;
    } else {
      message =
        `No Codex thread started in this repository was found (${where}).`;
    }
    return document([TITLE, message]);
  }
  const { header, path } = selection;
  const facts = [
    `- Thread: ${header.id}`,
    `- Started: ${header.timestamp || "unknown"}`,
    `- Directory: ${header.cwd || "unknown"}`,
    `- Transcript: ${path}`,
  ].join("\n");
  let scan;
  try {
    scan = await readThread(path);
  } catch (error) {
    return document([
      TITLE,
      facts,
      `The transcript could not be read: ${describeError(error, path)}.`,
    ]);
  }
  if (scan.compactions === 0) {
    return document([
      TITLE,
      facts,
      "This thread has not been compacted yet, so there is nothing to restore: the conversation is still in the agent's own context.",
    ]);
  }
  if (scan.turns.length === 0) {
    return document([
      TITLE,
      facts,
      "The thread was compacted, but no conversation turns came before its last compaction.",
    ]);
  }
  const skipped = scan.malformedLines;
  const notes = skipped > 0
    ? [
      `(${plural(skipped, "malformed transcript line")} skipped.)`,
    ]
    : [];
  return document([
    TITLE,
    facts,
    `The last ${
      plural(scan.turns.length, "meaningful turn")
    } before the latest of ${
      plural(scan.compactions, "compaction")
    }, oldest first (at most ${TURN_LIMIT}; consecutive messages of one speaker merged; token-like secrets redacted).`,
    ...notes,
    ...renderTurns(scan.turns),
  ]);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
