/**
 * Turning transcript records into conversation turns: which lines are
 * messages, which are bootstrap noise, how consecutive messages of one role
 * merge, and which turns count as "before the last compaction".
 *
 * @module
 */
import {
  type Message,
  type MessageSource,
  type Role,
  startsWithAny,
} from "./records.ts";

export type { Message, MessageSource, Role } from "./records.ts";
export { messageFromRecord } from "./records.ts";

/** Consecutive messages of one role, merged. */
export interface Turn {
  role: Role;
  text: string;
  /** Timestamp of the first message in the turn. */
  timestamp?: string;
}

/** How many turns before the last compaction are restored. */
export const TURN_LIMIT = 25;

/** A turn longer than this keeps its start and end with a note between. */
export const MAX_TURN_CHARS = 12_000;

/**
 * User messages Codex injects at session start rather than words the user
 * typed. The AGENTS.md preamble is the one SPEC §7 names; the environment
 * and user-instructions blocks are the same kind of injected preamble.
 */
const BOOTSTRAP_PREFIXES = [
  "# AGENTS.md instructions for ",
  "<environment_context>",
  "<user_instructions>",
];

/** Whether a message is session bootstrap noise rather than conversation. */
export function isBootstrapNoise(message: Message): boolean {
  if (message.role !== "user") return false;
  return startsWithAny(message, BOOTSTRAP_PREFIXES);
}

/** The note placed where {@link clip} cut text out. */
export const CLIP_NOTE = "\n\n[… long text shortened …]\n\n";

/** Keeps the start and end of an over-long text, with a note where it was cut. */
export function clip(text: string, max = MAX_TURN_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  const head = text.slice(0, half);
  const tail = text.slice(-half);
  // A turn clipped before keeps a single note: cut at the earlier note.
  const noteAt = head.indexOf(CLIP_NOTE);
  return noteAt === -1
    ? `${head}${CLIP_NOTE}${tail}`
    : `${head.slice(0, noteAt)}${CLIP_NOTE}${tail}`;
}

/** What a collector saw. */
export interface CollectedTurns {
  /** How many compactions were marked. */
  compactions: number;
  /** The last turns before the latest compaction, oldest first. */
  turns: Turn[];
  /** The last turns of the whole transcript, oldest first. */
  recent: Turn[];
  /** Meaningful messages the user sent (bootstrap noise excluded). */
  userMessages: number;
  /** Meaningful messages of either role. */
  messages: number;
}

/** Accumulates messages and compactions; see {@link createTurnCollector}. */
export interface TurnCollector {
  /** Adds one message in transcript order (noise and empty text are ignored). */
  addMessage(message: Message): void;
  /** Marks a compaction at the current position. */
  addCompaction(): void;
  /** The result so far. */
  result(): CollectedTurns;
}

/**
 * Collects the last `limit` merged turns before the most recent compaction
 * (and the last `limit` overall) while holding only `limit` turns in memory,
 * so a long transcript streams.
 */
export function createTurnCollector(limit = TURN_LIMIT): TurnCollector {
  let window: PendingTurn[] = [];
  let snapshot: PendingTurn[] = [];
  let compactions = 0;
  let userMessages = 0;
  let messages = 0;
  return {
    addMessage(message) {
      if (isBootstrapNoise(message)) return;
      messages++;
      if (message.role === "user") userMessages++;
      const last = window.at(-1);
      if (last && last.role === message.role) {
        window[window.length - 1] = withMessage(last, message);
        return;
      }
      window.push({
        role: message.role,
        timestamp: message.timestamp,
        parts: [message],
      });
      if (window.length > limit) window = window.slice(-limit);
    },
    addCompaction() {
      compactions++;
      // Turns are replaced, never mutated, so a shallow copy is a stable snapshot.
      snapshot = window.slice();
    },
    result() {
      return {
        compactions,
        turns: snapshot.map(finished),
        recent: window.map(finished),
        userMessages,
        messages,
      };
    },
  };
}

/**
 * A turn whose text is put together only when it is read, so the messages
 * of turns that fall out of the window are never redacted: `text` holds the
 * messages merged so far, `parts` the ones still to merge.
 */
interface PendingTurn {
  role: Role;
  timestamp?: string;
  text?: string;
  parts: readonly Message[];
  /** The merged text, once worked out (the turn itself never changes). */
  merged?: string;
}

/** A long run of one speaker's messages is merged this often, to bound `parts`. */
const MAX_PENDING_PARTS = 16;

function withMessage(turn: PendingTurn, message: Message): PendingTurn {
  const parts = [...turn.parts, message];
  if (parts.length < MAX_PENDING_PARTS) {
    return { ...turn, parts, merged: undefined };
  }
  return {
    role: turn.role,
    timestamp: turn.timestamp,
    text: mergeParts(turn.text, parts),
    parts: [],
  };
}

/** Each message appended to the text before it, clipped at every step. */
function mergeParts(
  text: string | undefined,
  parts: readonly Message[],
): string {
  let merged = text;
  for (const part of parts) {
    merged = clip(
      merged === undefined ? part.text : `${merged}\n\n${part.text}`,
    );
  }
  return merged ?? "";
}

function finished(turn: PendingTurn): Turn {
  turn.merged ??= mergeParts(turn.text, turn.parts);
  return { role: turn.role, text: turn.merged, timestamp: turn.timestamp };
}

/**
 * Collects both families of message records side by side and, at the end,
 * keeps one so that no message counts twice: the events (what the user saw,
 * never injected preambles or compaction summaries) when the transcript has
 * any, else the `response_item` messages (transcripts that predate events,
 * or hand-made ones).
 */
export function createThreadCollector(limit = TURN_LIMIT): TurnCollector {
  const families: Record<MessageSource, TurnCollector> = {
    items: createTurnCollector(limit),
    events: createTurnCollector(limit),
  };
  return {
    addMessage(message) {
      families[message.source ?? "items"].addMessage(message);
    },
    addCompaction() {
      families.items.addCompaction();
      families.events.addCompaction();
    },
    result() {
      const events = families.events.result();
      return events.messages > 0 ? events : families.items.result();
    },
  };
}
