/**
 * Strict text: bytes are text only when they hold no NUL and decode as UTF-8.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Why a file's bytes are not usable as text, or `undefined` when they are. */
export function textProblem(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return "is a binary file, not text";
  try {
    decoder.decode(bytes);
    return undefined;
  } catch {
    return "is not valid UTF-8 text";
  }
}

/**
 * Decodes `bytes` as UTF-8 text, throwing a {@link WaypointError} that names
 * `displayPath` when the content is binary or not UTF-8.
 */
export function decodeText(bytes: Uint8Array, displayPath: string): string {
  if (bytes.includes(0)) {
    throw new WaypointError(`${displayPath} is a binary file, not text`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new WaypointError(`${displayPath} is not valid UTF-8 text`);
  }
}
