/**
 * Redaction of token-like secrets from transcript text before it is written
 * to a file the agent (and anyone with the repo checkout) will read.
 *
 * @module
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * One pattern per token family. Each must start at a token boundary so that
 * words like `task-list` or `risk-free` (which contain `sk-`) survive, and
 * the short, generic prefixes (`sk-`, `sk_`, `fc-`) must also contain a digit
 * so kebab-case words are not mistaken for keys.
 */
const PATTERNS: { pattern: RegExp; needsDigit: boolean }[] = [
  { pattern: /github_pat_[A-Za-z0-9_]{20,}/g, needsDigit: false },
  { pattern: /gh[pousr]_[A-Za-z0-9]{20,}/g, needsDigit: false },
  { pattern: /npm_[A-Za-z0-9]{20,}/g, needsDigit: false },
  { pattern: /AIza[0-9A-Za-z_-]{30,}/g, needsDigit: false },
  { pattern: /sk-[A-Za-z0-9_-]{16,}/g, needsDigit: true },
  { pattern: /sk_[A-Za-z0-9_]{16,}/g, needsDigit: true },
  { pattern: /fc-[A-Za-z0-9]{16,}/g, needsDigit: true },
];

const BOUNDARY = /[A-Za-z0-9_-]/;

/** Replaces every token-like secret in `text` with {@link REDACTED}. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const { pattern, needsDigit } of PATTERNS) {
    result = result.replace(
      pattern,
      (match: string, offset: number, whole: string) => {
        const before = offset > 0 ? whole[offset - 1] : "";
        if (before !== "" && BOUNDARY.test(before)) return match;
        if (needsDigit && !/[0-9]/.test(match)) return match;
        return REDACTED;
      },
    );
  }
  return result;
}
