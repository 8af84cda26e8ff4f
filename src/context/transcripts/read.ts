/**
 * Streams the chosen transcript once, line by line, feeding messages and
 * compactions to a turn collector. Malformed lines are skipped; lines too
 * large to parse are classified from their first bytes.
 *
 * @module
 */
import { readLines } from "./lines.ts";
import { parseJsonLine } from "./header.ts";
import { redactSecrets } from "../redact.ts";
import { eventMessageFromRecord, messageFromRecord } from "./records.ts";
import {
  type CollectedTurns,
  createThreadCollector,
  MAX_TURN_CHARS,
  type Message,
  type Role,
} from "./turns.ts";

/** Lines above this size are not parsed as JSON (memory stays bounded). */
export const MAX_PARSED_LINE_BYTES = 256 * 1024;

/**
 * A transcript is read no further than this (years of one thread stay well
 * below it), so a file that keeps growing cannot hold the command up.
 */
export const MAX_TRANSCRIPT_BYTES = 1024 * 1024 * 1024;

/** What one pass over a transcript found. */
export interface ThreadScan extends CollectedTurns {
  /** Lines that were not JSON objects (a cut-off last line included), skipped. */
  malformedLines: number;
  /** Lines too large to parse, classified from their first bytes instead. */
  oversizedLines: number;
  /** Whether reading stopped at the size limit before the end of the file. */
  cutOff: boolean;
}

/**
 * Finds the value of the top-level `"type"` key in the start of a JSON
 * object without parsing the rest, so a huge line can still be classified.
 */
export function topLevelType(prefix: string): string | undefined {
  let depth = 0;
  let index = 0;
  while (index < prefix.length) {
    const char = prefix[index];
    if (char === '"') {
      const end = stringEnd(prefix, index);
      if (end === -1) return undefined;
      if (depth === 1 && prefix.slice(index, end + 1) === '"type"') {
        const value = prefix.slice(end + 1).match(/^\s*:\s*"([^"\\]*)"/);
        if (value) return value[1];
      }
      index = end + 1;
      continue;
    }
    if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") depth--;
    index++;
  }
  return undefined;
}

function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === "\\") index++;
    else if (text[index] === '"') return index;
  }
  return -1;
}

/** Where an oversized line's role, family and text are found. */
function oversizedShape(
  prefix: string,
): { role: Role; source: "items" | "events"; field: string } | undefined {
  const type = topLevelType(prefix);
  if (type === "response_item") {
    if (!/"type"\s*:\s*"message"/.test(prefix)) return undefined;
    if (/"compaction_output"\s*:\s*true/.test(prefix)) return undefined;
    const role = prefix.match(/"role"\s*:\s*"(user|assistant)"/);
    return role
      ? { role: role[1] as Role, source: "items", field: "text" }
      : undefined;
  }
  if (type !== "event_msg") return undefined;
  const event = prefix.match(
    /"type"\s*:\s*"(user_message|agent_message|UserMessage|AgentMessage)"/,
  );
  if (!event) return undefined;
  const role: Role = event[1].toLowerCase().startsWith("user")
    ? "user"
    : "assistant";
  const field = event[1].includes("_") ? "message" : "text";
  return { role, source: "events", field };
}

/**
 * Rebuilds a message from the start of a line too large to parse: its role
 * and the beginning of its first text, marked as shortened. Undefined when
 * the prefix does not look like a user or assistant message.
 */
export function oversizedMessage(
  prefix: string,
  bytes: number,
): Message | undefined {
  const shape = oversizedShape(prefix);
  if (!shape) return undefined;
  const size = `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const decoded = textHead(prefix, shape.field);
  // Redact before cutting, then drop the word the cut went through so no
  // fragment of a secret too short to be recognised is left at the end.
  const head = decoded === undefined
    ? ""
    : redactSecrets(decoded).slice(0, MAX_TURN_CHARS / 2).replace(
      /[A-Za-z0-9_-]+$/,
      "",
    );
  const text = head.trim() === ""
    ? `[A message of ${size} was too large to restore.]`
    : `${head.trimEnd()}\n\n[… message of ${size} shortened …]`;
  return { role: shape.role, text, source: shape.source };
}

/** Decodes the start of the first `"<field>"` string value in a JSON prefix. */
function textHead(prefix: string, field: string): string | undefined {
  const start = prefix.search(new RegExp(`"${field}"\\s*:\\s*"`));
  if (start === -1) return undefined;
  let raw = prefix.slice(prefix.indexOf('"', prefix.indexOf(":", start)) + 1);
  const end = stringEnd(`"${raw}`, 0);
  if (end !== -1) raw = raw.slice(0, end - 1);
  // The prefix may end inside an escape sequence (at most `\uXXX`): trim it.
  for (let cut = 0; cut <= 5 && cut <= raw.length; cut++) {
    try {
      return JSON.parse(`"${raw.slice(0, raw.length - cut)}"`) as string;
    } catch {
      // Try a shorter prefix.
    }
  }
  return undefined;
}

/** Reads the transcript at `path` and collects the turns to restore. */
export async function readThread(
  path: string,
  maxBytes = MAX_TRANSCRIPT_BYTES,
): Promise<ThreadScan> {
  const collector = createThreadCollector();
  let malformedLines = 0;
  let oversizedLines = 0;
  let cutOff = false;
  const file = await Deno.open(path, { read: true });
  try {
    for await (
      const line of readLines(file, {
        maxLineBytes: MAX_PARSED_LINE_BYTES,
        maxBytes,
        onLimit: () => cutOff = true,
      })
    ) {
      if (line.kind === "oversized") {
        oversizedLines++;
        const type = topLevelType(line.prefix);
        if (type === "compacted") collector.addCompaction();
        else if (type === "response_item" || type === "event_msg") {
          const message = oversizedMessage(line.prefix, line.bytes);
          if (message) collector.addMessage(message);
        } else if (type === undefined) malformedLines++;
        continue;
      }
      if (line.text.trim() === "") continue;
      const record = parseJsonLine(line.text);
      if (!record) {
        malformedLines++;
        continue;
      }
      if (record.type === "compacted") {
        collector.addCompaction();
        continue;
      }
      const message = messageFromRecord(record) ??
        eventMessageFromRecord(record);
      if (message) collector.addMessage(message);
    }
  } finally {
    file.close();
  }
  return { ...collector.result(), malformedLines, oversizedLines, cutOff };
}
