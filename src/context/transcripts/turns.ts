/**
 * Turning transcript records into conversation turns: which lines are
 * messages, which are bootstrap noise, how consecutive messages of one role
 * merge, and which turns count as "before the last compaction".
 *
 * @module
 */
import { redactSecrets } from "../redact.ts";

/** Who spoke. */
export type Role = "user" | "assistant";

/** One message line of a transcript, with secrets already redacted. */
export interface Message {
  role: Role;
  text: string;
  timestamp?: string;
}

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
  const start = message.text.trimStart();
  return BOOTSTRAP_PREFIXES.some((prefix) => start.startsWith(prefix));
}

const TEXT_TYPES = new Set(["input_text", "output_text", "text"]);

/**
 * Reads a `response_item` line of type `message` from a user or the
 * assistant; other lines (tool calls, reasoning, system) give undefined.
 */
export function messageFromRecord(
  record: Record<string, unknown>,
): Message | undefined {
  if (record.type !== "response_item") return undefined;
  const payload = record.payload;
  if (typeof payload !== "object" || payload === null) return undefined;
  const item = payload as Record<string, unknown>;
  if (item.type !== "message") return undefined;
  if (item.role !== "user" && item.role !== "assistant") return undefined;
  if (!Array.isArray(item.content)) return undefined;
  const texts: string[] = [];
  for (const part of item.content) {
    if (typeof part !== "object" || part === null) continue;
    const { type, text } = part as Record<string, unknown>;
    if (
      typeof type === "string" && TEXT_TYPES.has(type) &&
      typeof text === "string"
    ) {
      texts.push(text);
    }
  }
  const text = texts.join("\n\n").trim();
  if (text === "") return undefined;
  return {
    role: item.role,
    text: redactSecrets(text),
    timestamp: typeof record.timestamp === "string"
      ? record.timestamp
      : undefined,
  };
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

/** Accumulates messages and compactions; see {@link createTurnCollector}. */
export interface TurnCollector {
  /** Adds one message in transcript order (noise and empty text are ignored). */
  addMessage(message: Message): void;
  /** Marks a compaction at the current position. */
  addCompaction(): void;
  /** The result so far. */
  result(): { compactions: number; turns: Turn[] };
}

/**
 * Collects the last `limit` merged turns before the most recent compaction
 * while holding only `limit` turns in memory, so a long transcript streams.
 */
export function createTurnCollector(limit = TURN_LIMIT): TurnCollector {
  let window: Turn[] = [];
  let snapshot: Turn[] = [];
  let compactions = 0;
  return {
    addMessage(message) {
      if (isBootstrapNoise(message)) return;
      const last = window.at(-1);
      if (last && last.role === message.role) {
        window[window.length - 1] = {
          ...last,
          text: clip(`${last.text}\n\n${message.text}`),
        };
        return;
      }
      window.push({
        role: message.role,
        text: clip(message.text),
        timestamp: message.timestamp,
      });
      if (window.length > limit) window = window.slice(-limit);
    },
    addCompaction() {
      compactions++;
      // Turns are replaced, never mutated, so a shallow copy is a stable snapshot.
      snapshot = window.slice();
    },
    result() {
      return { compactions, turns: snapshot };
    },
  };
}
