/**
 * A transcript's session header (the `session_meta` line at the top of each
 * file): reading it, and the ids and times its file name and thread id
 * carry. Shared by the transcript search and the thread reader.
 *
 * @module
 */
import { basename } from "../../path.ts";
import { readLines } from "./lines.ts";

/** Identity of one transcript, from its header. */
export interface SessionHeader {
  /** Session (thread) id. */
  id: string;
  /** Working directory the session started in. */
  cwd: string;
  /** Session start as recorded, ISO 8601. */
  timestamp: string;
  /** Milliseconds since the epoch for `timestamp`, or -Infinity when unknown. */
  time: number;
  /** Whether a parent thread spawned this one (a subagent's own transcript). */
  subagent?: boolean;
}

/** Headers longer than this are treated as unreadable (Codex stores instructions there). */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** How many lines to look through for the `session_meta` line. */
const HEADER_LINES = 8;

/** The creation time inside a UUID version 7 (Codex thread ids), if it is one. */
export function uuidV7Time(id: string): number | undefined {
  const match = id.toLowerCase().match(
    /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  if (!match) return undefined;
  return parseInt(match[1] + match[2], 16);
}

/** Parses one JSON line into an object, or undefined when it is not one. */
export function parseJsonLine(
  text: string,
): Record<string, unknown> | undefined {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (trimmed.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

const UUID_AT_END =
  /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** The thread id Codex puts at the end of a transcript's file name, if any. */
export function idFromName(name: string): string | undefined {
  return name.match(UUID_AT_END)?.[1];
}

/** Whether a `session_meta` source names a subagent (`{"subagent": …}`). */
function isSubagentSource(meta: Record<string, unknown>): boolean {
  const source = meta.source;
  if (typeof source === "object" && source !== null) {
    return Object.keys(source).some((key) =>
      key.toLowerCase().replace("_", "") === "subagent"
    );
  }
  return typeof meta.thread_source === "string" &&
    meta.thread_source.toLowerCase().replace("_", "") === "subagent";
}

/**
 * Extracts the session header from a parsed `session_meta` line. The id is
 * the header's own (`id`, else `session_id`), else `fallbackId` (from the
 * file name); without any the line names no thread.
 */
export function headerFromRecord(
  record: Record<string, unknown>,
  fallbackId?: string,
): SessionHeader | undefined {
  if (record.type !== "session_meta") return undefined;
  const payload = record.payload;
  if (typeof payload !== "object" || payload === null) return undefined;
  const meta = payload as Record<string, unknown>;
  const id = [meta.id, meta.session_id, fallbackId].find((value) =>
    typeof value === "string" && value !== ""
  ) as string | undefined;
  if (id === undefined) return undefined;
  const timestamp = typeof meta.timestamp === "string"
    ? meta.timestamp
    : typeof record.timestamp === "string"
    ? record.timestamp
    : "";
  const parsed = Date.parse(timestamp);
  return {
    id,
    cwd: typeof meta.cwd === "string" ? meta.cwd : "",
    timestamp,
    time: Number.isNaN(parsed) ? -Infinity : parsed,
    ...(isSubagentSource(meta) ? { subagent: true } : {}),
  };
}

/** Reads the session header of the transcript at `path`, or undefined when it has none. */
export async function readHeader(
  path: string,
): Promise<SessionHeader | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return undefined;
  }
  const fallbackId = idFromName(basename(path));
  try {
    // Most headers fit in one read; a synchronous read of it is the fast
    // path. The buffer is shared: it is decoded before anything awaits.
    const first = headerScratch;
    const size = file.readSync(first) ?? 0;
    const newline = first.subarray(0, size).indexOf(0x0a);
    if (newline !== -1) {
      const record = parseJsonLine(
        headerDecoder.decode(first.subarray(0, newline)),
      );
      const header = record && headerFromRecord(record, fallbackId);
      if (header) return header;
    }
    await file.seek(0, Deno.SeekMode.Start);
    let seen = 0;
    for await (
      const line of readLines(file, { maxLineBytes: MAX_HEADER_BYTES })
    ) {
      if (line.kind === "text") {
        const record = parseJsonLine(line.text);
        const header = record && headerFromRecord(record, fallbackId);
        if (header) return header;
      }
      if (++seen >= HEADER_LINES) break;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    file.close();
  }
}

const FIRST_READ_BYTES = 65_536;
// A fresh 64 KiB buffer per header cost some 40 µs (zeroed pages); reading
// 25 headers at a session start spent a millisecond on it.
const headerScratch = new Uint8Array(FIRST_READ_BYTES);
const headerDecoder = new TextDecoder("utf-8", { fatal: false });
