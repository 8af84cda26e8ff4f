/**
 * Values assigned to secret-named keys (`KEY=value`, `KEY: value`,
 * `"key": "value"`, `key = "value"`, in env, YAML, JSON and TOML, also
 * behind a prefix such as `fix: `), and what counts as a value at all: not a
 * placeholder, a type or a reference to the secret.
 *
 * Every pattern is linear in the length of the text: each starts at a
 * literal prefix or a token boundary, has no nested or overlapping
 * quantifiers, and bounds the length it will consume.
 *
 * @module
 */
import { REDACTED, type Span } from "./spans.ts";

/**
 * `KEY=value`, `KEY: value`, `"key": "value"`, `key = "value"`, where the
 * key names a secret. A leading `_` is part of the key (npm's
 * `_authToken`). The decision is made in {@link assignmentSecret}.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])(["']?)(_{0,2}[A-Za-z][A-Za-z0-9_.-]{0,80})\1([ \t]{0,4}(?::=|[:=])[ \t]{0,4})("[^"\n]{0,2000}"|'[^'\n]{0,2000}'|[^\s"'`,;=<>(){}[\]][^\s"'`,;<>(){}[\]]{0,2000})/gd;

/** An assignment to a secret-named key has one of these right before its separator. */
export const ASSIGNMENT_GATE =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?|auth|pw|pat|sig|salt|seed)["']?[ \t]{0,4}[:=]/i;

/** A key ending in one of these names a secret (any value counts). */
const SECRET_KEY =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|client[_-]?secret|credentials?|auth|(?:^|[_.-])pass|[a-z]Pass|(?:^|[_.-])pw|(?:^|[_.-])pat|(?:^|[_.-])sig)$/i;

/**
 * A key ending in `key` (`STRIPE_KEY`, `signingKey`) names a secret only
 * when its value looks random: `sort_key: name` is not one.
 */
const WEAK_SECRET_KEY = /(?:[_.-]key|[a-z]Key|KEY|[_.-]salt|[_.-]seed)$/;

/** Keys that end like a secret but are not one. */
const NOT_SECRET_KEY =
  /(?:^|[_.-])(?:max|num|n|count)[_-]?tokens?$|^(?:oauth|author|bypass|compass|keypass)$|(?:^|[_.-])(?:public|primary|foreign|sort|partition|cache|idempotency|row|hash|range|object|map|dict|lookup|api[_-]?key[_-]?id|access[_-]?key[_-]?id|key[_-]?id)[_-]?key$/i;

/** Values that are types, placeholders or references, not secrets. */
const PLACEHOLDER =
  /^(?:string|number|boolean|bool|str|int|null|none|nil|undefined|true|false|optional|required|yes|no|on|off|redacted|\*+|x+|\.\.\.|…|changeme|example|your[_-]?\w*|<[^>]*>)$/i;

/** Every secret value assigned to a secret-named key in `text`. */
export function findAssignments(text: string): Span[] {
  if (!ASSIGNMENT_GATE.test(text)) return [];
  const spans: Span[] = [];
  // Not matchAll: when a key names no secret its "value" may hold an
  // assignment that does (`fix: SMTP_PASS=...`), so the scan resumes at it.
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
    const span = assignmentSecret(m);
    if (span) spans.push(span);
    else {
      const valueAt = m.indices?.[4]?.[0];
      if (valueAt !== undefined && valueAt > m.index) {
        ASSIGNMENT.lastIndex = valueAt;
      }
    }
  }
  return spans;
}

/** A value, not a placeholder, a reference or an earlier redaction. */
export function isValue(value: string): boolean {
  if (value === "" || value.includes(REDACTED)) return false;
  if (PLACEHOLDER.test(value)) return false;
  // A reference to the secret (`$DB_PASSWORD`, `${{ secrets.X }}`,
  // `process.env.X`, `%VAR%`) is not the secret.
  return !/^(?:\$|%|\{\{|process\.env|os\.environ|env\.|ENV\[)/.test(value);
}

/** A file path (`~/`, `./`, `/`, `C:\`): a flag's value that names a file, not a secret. */
export function isPath(value: string): boolean {
  return /^(?:~|\.{0,2}\/|[A-Za-z]:\\)/.test(value);
}

function assignmentSecret(
  m: RegExpExecArray | RegExpMatchArray,
): Span | undefined {
  const [, quote, key, separator, value] = m;
  const strong = SECRET_KEY.test(key);
  if (!strong && !WEAK_SECRET_KEY.test(key)) return undefined;
  if (NOT_SECRET_KEY.test(key)) return undefined;
  const quoted = value.startsWith('"') || value.startsWith("'");
  const bare = quoted ? value.slice(1, -1) : value;
  if (!isValue(bare)) return undefined;
  if (!strong && !looksRandom(bare)) return undefined;
  // `key: value` without quotes is prose or a type annotation more often
  // than a secret, unless the value looks like a credential.
  if (
    separator.includes(":") && !separator.includes(":=") && !quote &&
    !quoted && !looksLikeCredential(bare)
  ) {
    return undefined;
  }
  const at = m.indices?.[4];
  if (!at) return undefined;
  // `token = values.get(...)`: code calling a function, not a secret.
  if (!quoted && m.input?.[at[1]] === "(") return undefined;
  return quoted
    ? { start: at[0] + 1, end: at[1] - 1 }
    : { start: at[0], end: at[1] };
}

/** Mixed letters and digits or symbols, at least 8 long: not an English word. */
function looksLikeCredential(value: string): boolean {
  return value.length >= 8 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) ||
    value.length >= 12 && /[^A-Za-z]/.test(value);
}

/** Long and varied enough to be generated: a key, not a name. */
function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  if (/^[a-z]+(?:[_.-][a-z]+)*$/i.test(value)) return false;
  if (isPath(value) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    return false;
  }
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value);
}
