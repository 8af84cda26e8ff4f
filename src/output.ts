/**
 * The one door from waypoint to the terminal. Every line goes through secret
 * redaction and then {@link visible}, so a file name, a config value, a
 * registry's answer or a transcript line cannot carry escape sequences,
 * carriage returns or bidi controls to the user's screen, whichever command
 * printed it.
 *
 * @module
 */
import { redactSecrets } from "./context/redact.ts";
import { visible, visibleJson } from "./visible.ts";

/** Where a line goes. */
export type Stream = "stdout" | "stderr";

/** Options for {@link printBlock}. */
export interface BlockOptions {
  /** Which stream (default stdout). */
  stream?: Stream;
  /**
   * The text is waypoint's own (help, a completion script): nothing in it
   * came from outside, so it is not searched for secrets, only made visible.
   */
  own?: boolean;
}

/** Text as it may reach a terminal: secrets redacted, then control characters made visible. */
export function safeText(text: string, lines = false): string {
  return visible(redactSecrets(text), { lines });
}

/** Prints one line on stdout; a newline inside `text` is shown as `\x0a`. */
export function printLine(text: string): void {
  console.log(safeText(text));
}

/** Prints one line on stderr; a newline inside `text` is shown as `\x0a`. */
export function printErrorLine(text: string): void {
  console.error(safeText(text));
}

/** Prints each of `lines` as one line (see {@link printLine}). */
export function printLines(
  lines: Iterable<string>,
  stream: Stream = "stdout",
): void {
  const write = stream === "stdout" ? printLine : printErrorLine;
  for (const line of lines) write(line);
}

/** Prints multi-line text whose newlines and tabs are meant (help, a script, a stack). */
export function printBlock(text: string, options: BlockOptions = {}): void {
  const shown = options.own
    ? visible(text, { lines: true })
    : safeText(text, true);
  if (options.stream === "stderr") console.error(shown);
  else console.log(shown);
}

/**
 * Prints `value` as indented JSON on stdout. Strings are redacted one by one
 * (redaction never sees, or breaks, JSON syntax), and the characters JSON
 * leaves raw are written as `\uXXXX`, which parse back to the same text.
 */
export function printJson(value: unknown): void {
  console.log(safeJson(value));
}

/** The JSON text {@link printJson} prints. */
export function safeJson(value: unknown): string {
  return visibleJson(
    JSON.stringify(
      value,
      (_key, item) => typeof item === "string" ? redactSecrets(item) : item,
      2,
    ),
  );
}
