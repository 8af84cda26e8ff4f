/**
 * Strict text: bytes are text only when they hold no NUL and decode as UTF-8.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The text in `bytes`, or why they are not usable as text. */
function decodeOrProblem(
  bytes: Uint8Array,
): { text: string } | { problem: string } {
  if (bytes.includes(0)) return { problem: "is a binary file, not text" };
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { problem: "is not valid UTF-8 text" };
  }
}

/** Why a file's bytes are not usable as text, or `undefined` when they are. */
export function textProblem(bytes: Uint8Array): string | undefined {
  const decoded = decodeOrProblem(bytes);
  return "problem" in decoded ? decoded.problem : undefined;
}

/**
 * Decodes `bytes` as UTF-8 text, throwing a {@link WaypointError} that names
 * `displayPath` when the content is binary or not UTF-8.
 */
export function decodeText(bytes: Uint8Array, displayPath: string): string {
  const decoded = decodeOrProblem(bytes);
  if ("problem" in decoded) {
    throw new WaypointError(`${displayPath} ${decoded.problem}`);
  }
  return decoded.text;
}
