/**
 * Fitting text into the hook's one character budget: making control
 * characters visible, cutting a section with a marker, and sharing the
 * budget between sections by priority. Lengths are JavaScript string
 * lengths (UTF-16 code units), never fewer than the characters a reader
 * counts, so a text within budget here is within it by any count.
 *
 * @module
 */
import { INVISIBLE_SOURCE, TAG_SOURCE } from "../visible.ts";

/** Put where a section was shortened to fit. */
export const CUT_MARKER = "[… cut to fit the hook budget …]";

/**
 * What the hook text shows rather than passes on: C0 controls other than
 * newline and tab, DEL, C1 controls, and the invisible and reordering format
 * characters (and tag characters) the terminal output escapes too
 * (`src/visible.ts`), so the model reads the same text a person would.
 */
const HIDDEN = new RegExp(
  `[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f${INVISIBLE_SOURCE}]|${TAG_SOURCE}`,
  "g",
);

/**
 * Makes text safe to embed in the model's input: CRLF becomes LF; C0
 * controls other than newline and tab, and DEL, become their Unicode
 * control pictures (U+2400…); C1 controls, bidirectional controls and the
 * other invisible format characters, which could make text read differently
 * than it is, become a visible `<U+XXXX>`; unpaired surrogates (which JSON
 * parsers such as Rust's serde_json refuse once escaped) become U+FFFD.
 */
export function visibleText(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(HIDDEN, (char) => {
    const code = char.codePointAt(0)!;
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
  }).toWellFormed();
}

/** Whether cutting at `index` would split a surrogate pair. */
function splitsPair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  return before >= 0xd800 && before <= 0xdbff;
}

/**
 * `text` when it fits in `limit`; else its start, cut at a line end when
 * one is near, followed by {@link CUT_MARKER}; the result is never longer
 * than `limit`. Empty when not even the marker and a little text fit.
 */
export function cutToFit(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const room = limit - CUT_MARKER.length - 1;
  if (room < 16) return "";
  let end = room;
  const newline = text.lastIndexOf("\n", end);
  if (newline > room * 0.75) end = newline;
  if (splitsPair(text, end)) end--;
  return `${text.slice(0, end).trimEnd()}\n${CUT_MARKER}`;
}

/** One section competing for the budget. */
export interface BudgetSection {
  /** The section rendered within `limit` characters (empty: left out). */
  render(limit: number): string;
  /** Its length with no limit. */
  natural: number;
  /** Its share of the budget in the first round (0..1). */
  share: number;
  /** Lower numbers get what is left over first. */
  priority: number;
}

/**
 * Gives each section at most its share of `budget` (or less when it needs
 * less), then what the others left over, by priority, and renders each
 * within what it got. The lengths of the results, plus `separator` between
 * non-empty ones, add up to no more than `budget`.
 */
export function allocate(
  sections: BudgetSection[],
  budget: number,
  separator = 2,
): string[] {
  const room = Math.max(0, budget - separator * sections.length);
  // Shares that add up to more than the whole are scaled down to it.
  const total = sections.reduce((sum, section) => sum + section.share, 0);
  const scale = total > 1 ? 1 / total : 1;
  const given = sections.map((section) =>
    Math.min(section.natural, Math.floor(section.share * scale * room))
  );
  let left = room - given.reduce((sum, value) => sum + value, 0);
  const order = sections.map((_, index) => index).sort((a, b) =>
    sections[a].priority - sections[b].priority
  );
  for (const index of order) {
    const extra = Math.min(sections[index].natural - given[index], left);
    if (extra > 0) {
      given[index] += extra;
      left -= extra;
    }
  }
  return sections.map((section, index) => {
    const text = section.render(given[index]);
    // A render that overshoots is cut here, so the bound holds regardless.
    return text.length <= given[index] ? text : cutToFit(text, given[index]);
  });
}
