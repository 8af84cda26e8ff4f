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
import { findGitleaksSecrets } from "./gitleaks.ts";
import { findHeuristicSecrets } from "./heuristics.ts";
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
