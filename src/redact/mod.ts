/**
 * Redaction of secrets from every text waypoint writes or prints: the
 * context bundle, the indexes, and terminal messages. Two sets of detectors
 * run: gitleaks' maintained rule set (as data, keyword-prefiltered, see
 * `gitleaks.ts`) and waypoint's own (`heuristics.ts`) for shapes that chat
 * and git text have and no rule set covers. Each secret found becomes one
 * {@link REDACTED} marker, with nothing of it kept.
 *
 * @module
 */
import { findGitleaksSecrets, hasGitleaksKeyword } from "./gitleaks.ts";
import { findHeuristicSecrets, heuristicGateOpen } from "./heuristics.ts";
import { applySpans } from "./spans.ts";

export { REDACTED } from "./spans.ts";

/**
 * Replaces every secret in `text` with one `[REDACTED]` marker each. The
 * result is stable: redacting it again changes nothing.
 */
export function redactSecrets(text: string): string {
  if (text.length < 3) return text;
  const spans = [
    ...findGitleaksSecrets(text, text.toLowerCase()),
    ...findHeuristicSecrets(text),
  ];
  return applySpans(text, spans);
}

/** Texts redacted one by one below this many in a group. */
const SMALLEST_GROUP = 4;

/**
 * `texts.map(redactSecrets)`, for many short texts (index entries) at a
 * fraction of the cost: a group of texts joined by newlines is scanned once
 * by the detectors' gates (the rule keywords, waypoint's own gates), and
 * when none opens, every text in it comes back as it is; otherwise each
 * half is tried the same way, down to a few texts redacted one by one.
 *
 * Why that is the same: {@link redactSecrets} changes a text only when a
 * gate opens on it, and a gate open on a text is open on any text holding
 * it after a newline or at its start. The keywords are ASCII and lower-
 * casing maps each character on its own (only a final sigma looks at its
 * neighbours, and it is not ASCII), so a keyword in a text's lower case is
 * in the group's; a run of base64 digits stays a run; the token and other
 * gates are neither anchored nor bounded by `\b`, and their one look-
 * behind (no word character before a `-`) sees a newline or nothing before
 * a text's first character, as it sees nothing in the text alone.
 * `tests/redact_each_test.ts` checks it against `redactSecrets` itself.
 */
export function redactEach(texts: readonly string[]): string[] {
  const out = texts.slice();
  const visit = (from: number, to: number): void => {
    if (to - from <= SMALLEST_GROUP) {
      for (let i = from; i < to; i++) out[i] = redactSecrets(texts[i]);
      return;
    }
    const group = texts.slice(from, to).join("\n");
    if (!hasGitleaksKeyword(group.toLowerCase()) && !heuristicGateOpen(group)) {
      return;
    }
    const middle = (from + to) >>> 1;
    visit(from, middle);
    visit(middle, to);
  };
  visit(0, texts.length);
  return out;
}
