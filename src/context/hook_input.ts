/**
 * What a Codex SessionStart hook is told on stdin: the JSON object Codex
 * writes (`session_id`, `transcript_path`, `cwd`, `source`, …), read with a
 * size and a time limit and checked field by field. Nothing here throws:
 * a missing, oversized, late or malformed payload gives an empty input and
 * a note saying what was wrong, and the hook carries on without it.
 *
 * @module
 */
import { isAbsolute } from "../path.ts";
import type { SessionSource } from "./recent_thread.ts";
import { timeout } from "../timeout.ts";

/** The fields of the hook payload waypoint uses, each only when it was valid. */
export interface HookInput {
  /** The current thread (`session_id`); Codex does not set CODEX_THREAD_ID for hooks. */
  sessionId?: string;
  /** The current thread's transcript, an absolute path (not yet checked on disk). */
  transcriptPath?: string;
  /** The session's working directory, an absolute path (not yet checked on disk). */
  cwd?: string;
  /** Why the hook fired. */
  source?: SessionSource;
  /** One short sentence per problem met, for the note in the output. */
  notes: string[];
}

/** Stdin beyond this is not read (Codex's payload is a few hundred bytes). */
export const MAX_STDIN_BYTES = 1024 * 1024;

/** Stdin is waited for no longer than this. */
export const STDIN_TIMEOUT_MS = 2_000;

const SOURCES: readonly SessionSource[] = [
  "startup",
  "clear",
  "compact",
  "resume",
];

/** Longest `session_id` taken; thread ids are 36-character UUIDs. */
const MAX_ID_LENGTH = 128;

/** Longest path taken (PATH_MAX on Linux). */
const MAX_PATH_LENGTH = 4096;

/** What {@link readStdin} got. */
export interface StdinRead {
  text: string;
  /** Why reading stopped early, when it did. */
  problem?: string;
}

/**
 * Reads stdin to its end, or until `maxBytes` or `timeoutMs`, whichever
 * comes first. A terminal is not read at all: someone typing the command by
 * hand gets the context without having to press Ctrl-D.
 */
export async function readStdin(
  maxBytes = MAX_STDIN_BYTES,
  timeoutMs = STDIN_TIMEOUT_MS,
): Promise<StdinRead> {
  try {
    if (Deno.stdin.isTerminal()) return { text: "" };
  } catch {
    return { text: "", problem: "stdin could not be inspected" };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const timer = timeout(timeoutMs, "late" as const);
  const late = timer.promise;
  const buffer = new Uint8Array(64 * 1024);
  try {
    while (true) {
      const got = await Promise.race([Deno.stdin.read(buffer), late]);
      if (got === "late") {
        return {
          text: "",
          problem: `stdin was not closed within ${timeoutMs / 1000} s`,
        };
      }
      if (got === null) break;
      size += got;
      if (size > maxBytes) {
        return {
          text: "",
          problem: `stdin is larger than ${maxBytes / 1024 / 1024} MiB`,
        };
      }
      chunks.push(buffer.slice(0, got));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.name : "error";
    return { text: "", problem: `stdin could not be read (${reason})` };
  } finally {
    timer.cancel();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { text: new TextDecoder().decode(bytes) };
}

/** Whether `text` is safe to use as a path or id: no NUL or other control characters. */
function printable(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[\u0000-\u001f\u007f]/.test(text);
}

/**
 * Checks the payload field by field: a field of the wrong type or shape is
 * dropped with a note, the rest are kept. Empty stdin is not a problem
 * (the command may be run by hand).
 */
export function parseHookInput(text: string): HookInput {
  const notes: string[] = [];
  const input: HookInput = { notes };
  if (text.trim() === "") return input;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    notes.push("the hook input on stdin is not JSON, so it was ignored");
    return input;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    notes.push(
      "the hook input on stdin is not a JSON object, so it was ignored",
    );
    return input;
  }
  const record = value as Record<string, unknown>;
  const bad = (field: string, why: string) =>
    notes.push(`hook input field ${field} ${why}, so it was ignored`);

  const id = record.session_id;
  if (typeof id === "string" && id.trim() !== "") {
    if (id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_.:-]+$/.test(id.trim())) {
      bad("session_id", "is not a thread id");
    } else input.sessionId = id.trim();
  } else if (id !== undefined && id !== null && id !== "") {
    bad("session_id", "is not a string");
  }

  for (const field of ["transcript_path", "cwd"] as const) {
    const path = record[field];
    if (path === undefined || path === null || path === "") continue;
    if (typeof path !== "string") {
      bad(field, "is not a string");
    } else if (
      path.length > MAX_PATH_LENGTH || !printable(path) || !isAbsolute(path)
    ) {
      bad(field, "is not an absolute path");
    } else if (field === "cwd") input.cwd = path;
    else input.transcriptPath = path;
  }

  const source = record.source;
  if (typeof source === "string" && SOURCES.includes(source as SessionSource)) {
    input.source = source as SessionSource;
  } else if (source !== undefined && source !== null) {
    bad("source", `is not one of ${SOURCES.join(", ")}`);
  }
  return input;
}
