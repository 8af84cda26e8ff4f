/**
 * Generates Codex-style transcripts for tests: JSON-lines files under
 * `<CODEX_HOME>/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl` with a
 * `session_meta` header, messages and compactions.
 *
 * @module
 */
import { join } from "node:path";

/** A record of a transcript line. */
export type TranscriptLine = Record<string, unknown>;

/** The `session_meta` header line. */
export function sessionMeta(
  id: string,
  cwd: string,
  timestamp: string,
  extra: Record<string, unknown> = {},
): TranscriptLine {
  return {
    timestamp,
    type: "session_meta",
    payload: { id, timestamp, cwd, originator: "codex_cli_rs", ...extra },
  };
}

/** A user or assistant message line. */
export function message(
  role: "user" | "assistant" | "developer",
  text: string,
  timestamp = "2026-01-01T00:00:00.000Z",
): TranscriptLine {
  const type = role === "assistant" ? "output_text" : "input_text";
  return {
    timestamp,
    type: "response_item",
    payload: { type: "message", role, content: [{ type, text }] },
  };
}

/** A compaction marker line. */
export function compacted(summary = "summary of earlier work"): TranscriptLine {
  return {
    timestamp: "2026-01-01T00:00:00.000Z",
    type: "compacted",
    payload: { message: summary },
  };
}

/** A tool call line, which is never a turn. */
export function toolCall(output: string): TranscriptLine {
  return {
    timestamp: "2026-01-01T00:00:00.000Z",
    type: "response_item",
    payload: { type: "function_call_output", call_id: "c1", output },
  };
}

/** A UUID version 7 whose embedded time is `time` (ms), like Codex thread ids. */
export function uuidV7(time: number, seed = 0): string {
  const hex = time.toString(16).padStart(12, "0");
  const tail = (seed * 2654435761 >>> 0).toString(16).padStart(8, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7abc-8def-${tail}0000`;
}

/** Where and how to write one transcript. */
export interface TranscriptFile {
  /** Thread id (also used in the file name unless `name` is given). */
  id: string;
  cwd: string;
  /** Session start, ISO 8601 UTC. */
  timestamp: string;
  /** Lines after the header. */
  lines?: (TranscriptLine | string)[];
  /** `archived_sessions` puts the file flat in that folder. */
  archived?: boolean;
  /** File name to use instead of Codex's. */
  name?: string;
  /** Time to use in the file name and folders instead of `timestamp`. */
  nameTimestamp?: string;
}

/** Codex's relative path for a transcript. */
export function transcriptPath(file: TranscriptFile): string {
  const iso = file.nameTimestamp ?? file.timestamp;
  const name = file.name ??
    `rollout-${iso.slice(0, 19).replaceAll(":", "-")}-${file.id}.jsonl`;
  if (file.archived) return join("archived_sessions", name);
  const [year, month, day] = iso.slice(0, 10).split("-");
  return join("sessions", year, month, day, name);
}

/** Writes one transcript below `codexHome` and returns its absolute path. */
export async function writeTranscript(
  codexHome: string,
  file: TranscriptFile,
): Promise<string> {
  const path = join(codexHome, transcriptPath(file));
  await Deno.mkdir(join(path, ".."), { recursive: true });
  const lines = [
    sessionMeta(file.id, file.cwd, file.timestamp),
    ...(file.lines ?? []),
  ]
    .map((line) => typeof line === "string" ? line : JSON.stringify(line));
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** `count` alternating user/assistant turns named `turn <n>`, starting at `from`. */
export function turns(count: number, from = 1): TranscriptLine[] {
  return Array.from(
    { length: count },
    (_, index) =>
      message(index % 2 === 0 ? "user" : "assistant", `turn ${from + index}`),
  );
}

/**
 * An older Codex event line carrying a message as the user saw it
 * (`event_msg` `user_message` / `agent_message`); those versions wrote it
 * next to the `response_item` for the same message.
 */
export function eventMessage(
  role: "user" | "assistant",
  text: string,
  extra: Record<string, unknown> = {},
): TranscriptLine {
  return {
    timestamp: "2026-01-01T00:00:00.000Z",
    type: "event_msg",
    payload: {
      type: role === "user" ? "user_message" : "agent_message",
      message: text,
      ...extra,
    },
  };
}
