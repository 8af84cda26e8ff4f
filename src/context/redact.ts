/**
 * Redaction of secrets from text before it is written to a file the agent
 * (and anyone with the repo checkout) will read: the context bundle, built
 * from transcripts, git history, branch and file names and PR titles.
 *
 * Every pattern here is linear in the length of the text: each starts at a
 * literal prefix or a token boundary, has no nested or overlapping
 * quantifiers, and bounds the length it will consume, so hostile input
 * cannot make redaction slow.
 *
 * @module
 */

/** What a redacted secret is replaced with. */
export const REDACTED = "[REDACTED]";

/** A token family recognised by its shape alone. */
interface TokenRule {
  pattern: RegExp;
  /** Extra test of the match (generic shapes need more than a prefix). */
  accept?: (match: string) => boolean;
  /**
   * Generic prefixes (`sk-`) must not follow `-` or `_` either (`task-list`);
   * distinctive ones (`ghp_`) still count after them (`notes-ghp_...`).
   */
  generic?: boolean;
}

/**
 * One pattern per token family. Each starts at a token boundary (nothing
 * word-like right before it), so words like `task-list` or `risk-free`
 * (which contain `sk-`) survive.
 */
const TOKEN_RULES: TokenRule[] = [
  // GitHub.
  { pattern: /github_pat_[A-Za-z0-9_]{20,255}/g },
  { pattern: /gh[pousr]_[A-Za-z0-9]{20,255}/g },
  // GitLab personal, deploy, runner, trigger, feed, OAuth... tokens.
  {
    pattern:
      /gl(?:pat|dt|rt|ptt|ft|cbt|oas|soat|agent|imt|ffct)-[A-Za-z0-9_-]{20,255}/g,
  },
  // npm, PyPI, Hugging Face, Linear, DigitalOcean, Doppler, Shopify.
  { pattern: /npm_[A-Za-z0-9]{20,255}/g },
  { pattern: /pypi-AgE[A-Za-z0-9_-]{40,500}/g },
  { pattern: /hf_[A-Za-z0-9]{30,255}/g },
  { pattern: /lin_(?:api|oauth)_[A-Za-z0-9]{30,255}/g },
  { pattern: /do[por]_v1_[a-f0-9]{64}/g },
  { pattern: /dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{30,255}/g },
  { pattern: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g },
  // AWS access key ids (the secret half is caught by its assignment or shape).
  {
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  // Google API keys and OAuth access tokens.
  {
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (match) =>
      /[A-Z]/.test(match) && /[a-z]/.test(match) && /[0-9]/.test(match),
  },
  { pattern: /AIza[0-9A-Za-z_-]{30,255}/g },
  { pattern: /ya29\.[0-9A-Za-z_-]{20,2000}/g },
  // Slack bot/user/app/refresh tokens and webhooks.
  { pattern: /xox[abposre]-[A-Za-z0-9-]{10,255}/g },
  { pattern: /xapp-[0-9]-[A-Za-z0-9-]{10,255}/g },
  {
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{10,255}/g,
  },
  // SendGrid, Stripe (secret, restricted, webhook), Twilio.
  { pattern: /SG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g },
  { pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}/g },
  { pattern: /whsec_[A-Za-z0-9+/=]{20,255}/g },
  { pattern: /SK[0-9a-f]{32}(?![A-Za-z0-9])/g },
  // OpenAI, Anthropic and other `sk-` keys; Firecrawl.
  { generic: true, pattern: /sk-[A-Za-z0-9_-]{16,255}/g, accept: hasDigit },
  { generic: true, pattern: /sk_[A-Za-z0-9_]{16,255}/g, accept: hasDigit },
  { generic: true, pattern: /fc-[A-Za-z0-9]{16,255}/g, accept: hasDigit },
  // JSON Web Tokens: a JSON header and payload (both `eyJ`), then a signature.
  {
    pattern:
      /eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{0,2000}/g,
  },
];

/** A character that may sit inside a token: one right before a match means it is glued to a word. */
const WORD_BEFORE = /[A-Za-z0-9_-]/;
/** Before a distinctive prefix only a letter or digit means "glued to a word". */
const ALNUM_BEFORE = /[A-Za-z0-9]/;

/** Generic prefixes (`sk-`) must contain a digit so `sk-learn` survives. */
function hasDigit(match: string): boolean {
  return /[0-9]/.test(match);
}

/** PEM private key blocks; an unterminated one loses its base64 lines. */
const PEM_BLOCK =
  /-----BEGIN ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----(?:[\s\S]{0,20000}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----|(?:(?:\r?\n|\\n)[A-Za-z0-9+/=]{1,100}){0,500})/g;

/** HTTP headers that carry credentials, with an optional auth scheme. */
const AUTH_HEADER =
  /(?<![A-Za-z0-9_-])((?:proxy-)?authorization|x-api-key|api-key|x-auth-token|private-token|x-goog-api-key|cookie)(["']?[ \t]{0,4}[:=][ \t]{0,4}["']?)(?:(bearer|basic|token|digest|bot|negotiate|ntlm|aws4-hmac-sha256)[ \t]{1,4})?([^\s"'`,;]{1,4000})/gi;

/** `Bearer <token>` outside a header line. */
const BEARER =
  /(?<![A-Za-z0-9_-])(bearer)[ \t]{1,4}([A-Za-z0-9._~+/-]{20,4000}=*)/gi;

/** `scheme://user:password@` — the whole userinfo goes. */
const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)[^\s/@:'"<>]{1,256}:[^\s/@'"<>]{1,512}@/g;

/**
 * `KEY=value`, `KEY: value`, `"key": "value"`, where the key names a secret.
 * The decision (does the key name a secret, is the value a placeholder) is
 * made in {@link redactAssignment}.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z][A-Za-z0-9_.-]{0,80})\1([ \t]{0,4}[:=][ \t]{0,4})("[^"\n]{0,2000}"|'[^'\n]{0,2000}'|[^\s"'`,;=<>(){}[\]][^\s"'`,;<>(){}[\]]{0,2000})/g;

/** A key ends in one of these (any case, `_`, `-`, `.` or camel case before). */
const SECRET_KEY =
  /(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|client[_-]?secret|credentials?|auth)$/i;

/** Keys that end like a secret but are not one. */
const NOT_SECRET_KEY =
  /(?:^|[_.-])(?:max|num|n|count)[_-]?tokens?$|^(?:oauth|author)$/i;

/** Values that are types, placeholders or references, not secrets. */
const PLACEHOLDER =
  /^(?:string|number|boolean|bool|str|int|null|none|nil|undefined|true|false|optional|required|yes|no|redacted|\[REDACTED\]|\*+|x+|\.\.\.|…)$/i;

/**
 * Replaces every secret in `text` with {@link REDACTED}: known token
 * families, JWTs, PEM private key blocks, credentials in URLs, authorization
 * headers, and values assigned to keys that name a secret.
 */
export function redactSecrets(text: string): string {
  let result = text.replace(
    PEM_BLOCK,
    (_match, kind: string) =>
      `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`,
  );
  result = result.replace(
    AUTH_HEADER,
    (match, name: string, separator: string, scheme?: string, value?: string) =>
      value === REDACTED || value?.startsWith("$")
        ? match
        : `${name}${separator}${scheme ? `${scheme} ` : ""}${REDACTED}`,
  );
  result = result.replace(
    BEARER,
    (_match, word: string) => `${word} ${REDACTED}`,
  );
  result = result.replace(
    URL_CREDENTIALS,
    (_match, scheme: string) => `${scheme}${REDACTED}@`,
  );
  for (const { pattern, accept, generic } of TOKEN_RULES) {
    const glued = generic ? WORD_BEFORE : ALNUM_BEFORE;
    result = result.replace(
      pattern,
      (match: string, offset: number, whole: string) => {
        const before = offset > 0 ? whole[offset - 1] : "";
        if (before !== "" && glued.test(before)) return match;
        if (accept && !accept(match)) return match;
        return REDACTED;
      },
    );
  }
  result = result.replace(ASSIGNMENT, redactAssignment);
  return result;
}

function redactAssignment(
  match: string,
  quote: string,
  key: string,
  separator: string,
  value: string,
): string {
  if (!SECRET_KEY.test(key) || NOT_SECRET_KEY.test(key)) return match;
  const quoted = value.startsWith('"') || value.startsWith("'");
  const bare = quoted ? value.slice(1, -1) : value;
  if (bare === "" || PLACEHOLDER.test(bare) || bare.includes(REDACTED)) {
    return match;
  }
  // A reference to the secret (`$DB_PASSWORD`, `${{ secrets.X }}`,
  // `process.env.X`, `<your token>`) is not the secret.
  if (/^(?:\$|%|<|\{\{|process\.env|os\.environ|env\.)/.test(bare)) {
    return match;
  }
  // `key: value` without quotes is prose or a type annotation more often
  // than a secret, unless the value looks like a credential.
  if (
    separator.includes(":") && !quote && !quoted && !looksLikeCredential(bare)
  ) {
    return match;
  }
  const shown = quoted ? `${value[0]}${REDACTED}${value[0]}` : REDACTED;
  return `${quote}${key}${quote}${separator}${shown}`;
}

/** Mixed letters and digits or symbols, at least 8 long: not an English word. */
function looksLikeCredential(value: string): boolean {
  return value.length >= 8 && /[0-9]/.test(value) && /[A-Za-z]/.test(value) ||
    value.length >= 12 && /[^A-Za-z]/.test(value);
}
