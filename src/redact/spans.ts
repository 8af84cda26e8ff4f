/**
 * Turning found secrets (ranges of a text) into one marker each: ranges that
 * overlap or touch become one, a range that cuts a word in two grows to the
 * whole word, and a marker already in the text is absorbed rather than
 * doubled, so redacting redacted text changes nothing.
 *
 * @module
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** A found secret: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

const ALNUM = /[A-Za-z0-9]/;
const TOKEN_CHAR = /[A-Za-z0-9_-]/;

/** Replaces every span of `text` with {@link REDACTED}, once per secret. */
export function applySpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  const markers = markerSpans(text);
  const grown = spans.filter((s) => s.end > s.start).map((s) =>
    growToWord(text, s)
  );
  const merged = merge([...grown, ...markers]);
  let out = "";
  let at = 0;
  for (const span of merged) {
    out += text.slice(at, span.start) + REDACTED;
    at = span.end;
  }
  return out + text.slice(at);
}

/** Where `text` already holds a marker (kept as it is, never nested). */
function markerSpans(text: string): Span[] {
  const found: Span[] = [];
  for (
    let i = text.indexOf(REDACTED);
    i !== -1;
    i = text.indexOf(REDACTED, i + REDACTED.length)
  ) {
    found.push({ start: i, end: i + REDACTED.length });
  }
  return found;
}

/**
 * A span that starts or ends between two letters or digits took only part
 * of a token (`sk-proj-` kept in front of a match on the rest): the whole
 * token goes instead. A span after `-` or `_` is left alone so a token in a
 * file name (`notes-ghp_...`) keeps the name's words.
 */
function growToWord(text: string, span: Span): Span {
  let { start, end } = span;
  if (start > 0 && ALNUM.test(text[start - 1]) && ALNUM.test(text[start])) {
    while (start > 0 && TOKEN_CHAR.test(text[start - 1])) start--;
  }
  if (end < text.length && ALNUM.test(text[end]) && ALNUM.test(text[end - 1])) {
    while (end < text.length && TOKEN_CHAR.test(text[end])) end++;
  }
  return { start, end };
}

/** Sorted, with overlapping or touching spans joined. */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      out.push({ ...span });
    }
  }
  return out;
}
