/**
 * Makes control and invisible characters visible, so text that came from a
 * repository, a config file, the network or a transcript cannot move the
 * cursor, rewrite a line, open a hyperlink, reorder what a reader sees or
 * hide words when it reaches a terminal or a generated markdown file.
 *
 * The escaped form is `\xHH` for C0, DEL and C1 characters and `\uHHHH` for
 * the others (lone surrogates included; characters above U+FFFF as
 * `\u{HHHHH}`). A backslash that could be read as the start of such an
 * escape (one followed by `x`, `u`, another backslash or an escaped
 * character) is doubled, so `\x1b` in the output is always an ESC and `\\x1b`
 * always the six characters of the original. Any other backslash is left as
 * it is, so ordinary text (`C:\Users`, `a\b`) reads unchanged.
 *
 * @module
 */

/**
 * Format characters escaped besides the C0/DEL/C1 controls: bidi embeddings,
 * overrides, isolates and marks (they reorder what a reader sees), invisible
 * operators, zero-width space and word joiner, the BOM, the soft hyphen, the
 * Mongolian vowel separator, Hangul fillers, line and paragraph separators
 * (some terminals break lines on them), interlinear annotations, and the tag
 * characters (invisible copies of ASCII, used to smuggle text). ZWJ and ZWNJ
 * (U+200C, U+200D) stay: scripts and emoji need them, and they neither
 * reorder nor hide text. A `RegExp` character-class body, shared by every
 * place that shows text safely (the terminal here, the model's hook text).
 */
export const INVISIBLE_SOURCE: string =
  "\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b\\u200e\\u200f\\u2028-\\u202e" +
  "\\u2060-\\u2064\\u2066-\\u2069\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb";

/** The tag characters U+E0000–U+E007F, as surrogate pairs for a `RegExp`. */
export const TAG_SOURCE = "\\udb40[\\udc00-\\udc7f]";

/** One character (or lone surrogate) that is always escaped. */
const ESCAPED_SOURCE = `[\\x00-\\x1f\\x7f-\\x9f${INVISIBLE_SOURCE}]|` +
  `${TAG_SOURCE}|` +
  "[\\ud800-\\udbff](?![\\udc00-\\udfff])|" +
  "(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

const ESCAPED = new RegExp(ESCAPED_SOURCE);

/** Everything {@link visible} may change: a backslash or an escaped character. */
const NEEDS_WORK = new RegExp(`\\\\|${ESCAPED_SOURCE}`);

/** A backslash followed by what would make it read as an escape, or an escaped character. */
const REWRITE = new RegExp(
  `\\\\(?=[\\\\xu]|${ESCAPED_SOURCE})|${ESCAPED_SOURCE}`,
  "g",
);

/** What {@link visible} may leave as it is. */
export interface VisibleOptions {
  /**
   * Keep `\n` and `\t`: for a multi-line report or a generated markdown
   * file. Without it the text is one line and those are escaped too, so a
   * file name cannot start a fake line of output.
   */
  lines?: boolean;
}

/** Returns `text` with every control and invisible character escaped (see the module doc). */
export function visible(text: string, options: VisibleOptions = {}): string {
  if (!NEEDS_WORK.test(text)) return text;
  const lines = options.lines === true;
  return text.replace(REWRITE, (match) => {
    if (match === "\\") return "\\\\";
    if (lines && (match === "\n" || match === "\t")) return match;
    return escapeOne(match);
  });
}

/** Whether `text` holds a character {@link visible} would escape (`\n`, `\t` allowed with `lines`). */
export function hasHidden(text: string, options: VisibleOptions = {}): boolean {
  const found = text.match(new RegExp(ESCAPED_SOURCE, "g"));
  if (!found) return false;
  if (!options.lines) return true;
  return found.some((match) => match !== "\n" && match !== "\t");
}

/**
 * Makes JSON text (from `JSON.stringify`) safe for a terminal without
 * changing what it parses to: the characters JSON leaves raw (DEL, C1, bidi
 * and invisible format characters) become `\uXXXX` escapes, which a JSON
 * parser reads back as the same characters.
 */
export function visibleJson(json: string): string {
  if (!ESCAPED.test(json)) return json;
  return json.replace(new RegExp(ESCAPED_SOURCE, "g"), (match) => {
    // Outside strings JSON has only ASCII structure and whitespace, which is kept.
    if (match === "\n" || match === "\t" || match === "\r") return match;
    let out = "";
    for (let i = 0; i < match.length; i++) {
      out += `\\u${hex(match.charCodeAt(i), 4)}`;
    }
    return out;
  });
}

function escapeOne(match: string): string {
  const code = match.codePointAt(0) ?? 0;
  if (code <= 0x9f) return `\\x${hex(code, 2)}`;
  if (code > 0xffff) return `\\u{${code.toString(16)}}`;
  return `\\u${hex(code, 4)}`;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, "0");
}
