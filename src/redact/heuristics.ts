/**
 * Waypoint's own secret detectors, for what a scanner's rule set does not
 * cover in chat and git text: token families by prefix, private keys cut
 * into pieces or wrapped in base64, values assigned to secret-named keys
 * (env, YAML, JSON, TOML, behind a prefix such as `fix: `), password flags
 * on command lines, credentials in URLs (with `@` in the password, or no
 * scheme) and JWS/JWE compact tokens.
 *
 * Every pattern is linear in the length of the text: each starts at a
 * literal prefix or a token boundary, has no nested or overlapping
 * quantifiers, and bounds the length it will consume.
 *
 * @module
 */
import { REDACTED, type Span } from "./spans.ts";

/** A token family recognised by its shape alone. */
interface TokenRule {
  pattern: RegExp;
  /** Extra test of the match (generic shapes need more than a prefix). */
  accept?: (match: string) => boolean;
  /** Runs on every text: it has no literal prefix for {@link TOKEN_GATE}. */
  ungated?: boolean;
  /**
   * Generic prefixes (`sk-`) must not follow `-` or `_` either (`task-list`);
   * distinctive ones (`ghp_`) still count after them (`notes-ghp_...`).
   */
  generic?: boolean;
}

/** Generic prefixes (`sk-`) must contain a digit so `sk-learn` survives. */
function hasDigit(match: string): boolean {
  return /[0-9]/.test(match);
}

/** Upper, lower and digit: a random token, not a word or a hex digest. */
function mixedCase(match: string): boolean {
  return /[A-Z]/.test(match) && /[a-z]/.test(match) && /[0-9]/.test(match);
}

const TOKEN_RULES: TokenRule[] = [
  // GitHub.
  { pattern: /github_pat_[A-Za-z0-9_]{20,255}/g },
  { pattern: /gh[pousr]_[A-Za-z0-9]{20,255}/g },
  // GitLab personal, deploy, runner, trigger, feed, OAuth... tokens.
  {
    pattern:
      /gl(?:pat|dt|rt|ptt|ft|cbt|oas|soat|agent|imt|ffct)-[A-Za-z0-9_-]{20,255}/g,
  },
  // npm, PyPI, Hugging Face, Linear, DigitalOcean, Doppler, Shopify, Docker.
  { pattern: /npm_[A-Za-z0-9]{20,255}/g },
  { pattern: /pypi-AgE[A-Za-z0-9_-]{40,500}/g },
  { pattern: /hf_[A-Za-z0-9]{30,255}/g },
  { pattern: /lin_(?:api|oauth)_[A-Za-z0-9]{30,255}/g },
  { pattern: /do[por]_v1_[a-f0-9]{64}/g },
  { pattern: /dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{30,255}/g },
  { pattern: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g },
  { pattern: /dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255}/g },
  // Vault and Grafana tokens: gitleaks wants a space or quote after them,
  // a git decoration puts `,` or `)` there.
  { pattern: /hv[sbr]\.[A-Za-z0-9_-]{24,200}/g, accept: mixedCase },
  { pattern: /gl(?:sa|c)_[A-Za-z0-9_+/=-]{32,400}/g },
  // Figma, Tailscale, Vercel (secretlint's rules; gitleaks has none).
  { pattern: /fig[dou]_[A-Za-z0-9_-]{40,200}/g },
  { pattern: /tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}/g },
  { pattern: /vc[piark]_[A-Za-z0-9]{20,60}/g },
  // AWS access key ids (the secret half is caught by its assignment or shape).
  {
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  // 40 base64 characters of mixed case and digits: an AWS secret key, a
  // Google OAuth secret and the like; hex digests (one case) survive.
  {
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: mixedCase,
    ungated: true,
  },
  // Google API keys and OAuth access tokens.
  { pattern: /AIza[0-9A-Za-z_-]{30,255}/g },
  { pattern: /ya29\.[0-9A-Za-z_-]{20,2000}/g },
  // Slack bot/user/app/refresh tokens and webhooks.
  { pattern: /xox[abposre]-[A-Za-z0-9-]{10,255}/g },
  { pattern: /xapp-[0-9]-[A-Za-z0-9-]{10,255}/g },
  {
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{10,255}/g,
  },
  // SendGrid, Stripe (secret, restricted, webhook), Twilio API keys and
  // account ids (an id next to its auth token gives the pair away).
  { pattern: /SG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g },
  { pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}/g },
  { pattern: /whsec_[A-Za-z0-9+/=]{20,255}/g },
  { pattern: /(?:SK|AC)[0-9a-fA-F]{32}(?![A-Za-z0-9])/g },
  // OpenAI, Anthropic and other `sk-` keys; Firecrawl.
  { generic: true, pattern: /sk-[A-Za-z0-9_-]{16,255}/g, accept: hasDigit },
  { generic: true, pattern: /sk_[A-Za-z0-9_]{16,255}/g, accept: hasDigit },
  { generic: true, pattern: /fc-[A-Za-z0-9]{16,255}/g, accept: hasDigit },
  // Azure AD client secrets (`abc8Q~...`).
  { pattern: /[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}/g },
  // JSON Web Tokens (header and payload both JSON) and five-part JWE.
  {
    pattern:
      /eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{0,2000}/g,
  },
  {
    pattern:
      /eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{0,4000}\.[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,80000}\.[A-Za-z0-9_-]{8,400}/g,
  },
];

/**
 * Every token rule but the 40-character one starts with one of these: text
 * without any is not scanned by those rules at all.
 */
const TOKEN_GATE =
  /github_pat_|gh[pousr]_|gl[a-z]{1,5}[-_]|npm_|pypi-|hf_|lin_|do[por]_|dp\.|shp|dckr_|hv[sbr]\.|fig[dou]_|tskey-|vc[piark]_|A(?:KIA|SIA|BIA|CCA|3T)|AIza|ya29\.|xox|xapp-|hooks\.slack|SG\.|[sr]k_|whsec_|SK|AC|sk-|fc-|Q~|eyJ/;

/** Which char codes are base64 digits (`A-Z`, `a-z`, `0-9`, `+`, `/`). */
const BASE64_CODE = new Uint8Array(128).map((_, code) =>
  /[A-Za-z0-9+/]/.test(String.fromCharCode(code)) ? 1 : 0
);

/**
 * Whether `text` has `length` base64 digits in a row: the 40-character rule
 * and key bodies need such a run. A plain loop, where a regex would be
 * tried again at every position of a long line.
 */
function hasBase64Run(text: string, length: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    run = code < 128 && BASE64_CODE[code] ? run + 1 : 0;
    if (run >= length) return true;
  }
  return false;
}

/** A character that may sit inside a token: one right before a match means it is glued to a word. */
const WORD_BEFORE = /[A-Za-z0-9_-]/;
/** Before a distinctive prefix only a letter or digit means "glued to a word". */
const ALNUM_BEFORE = /[A-Za-z0-9]/;

/** PEM private key blocks; an unterminated one loses its base64 lines. */
const PEM_BLOCK =
  /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,20000}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?:(?:\r?\n|\\r?\\n| )[A-Za-z0-9+/=:, -]{1,100}){0,500})/g;

/**
 * The second half of a key pasted in two messages: base64 lines ending in
 * the END line, with no BEGIN before them in this text. A commit subject
 * joins the lines with spaces, so a space separates them too.
 */
const PEM_TAIL =
  /(?:[A-Za-z0-9+/=]{16,100}(?:\r?\n|\\r?\\n| )){1,500}-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * The middle of a key: three or more whole lines of 60 to 76 base64
 * characters (PEM wraps at 64, OpenSSH at 70).
 */
const BASE64_LINES =
  /(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{60,76}(?:\r?\n|\\r?\\n| )){2,2000}[A-Za-z0-9+/]{4,76}={0,2}(?![A-Za-z0-9+/=])/g;

/** A PEM header of public material, then only line breaks. */
const PUBLIC_PEM_BEFORE =
  /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|NEW CERTIFICATE REQUEST|TRUSTED CERTIFICATE|PKCS7|CMS|SSH2 PUBLIC KEY|PGP PUBLIC KEY BLOCK)-----(?:\s|\\[nr])*$/;

/** Base64 of a PEM header (`-----BEGIN`), e.g. a key in a Kubernetes secret. */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{0,20000}/g;

/** HTTP headers that carry credentials, with an optional auth scheme. */
const AUTH_HEADER =
  /(?<![A-Za-z0-9_-])(?:(?:proxy-)?authorization|x-api-key|api-key|x-auth-token|private-token|x-goog-api-key|cookie)["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?:(?:bearer|basic|token|digest|bot|negotiate|ntlm|aws4-hmac-sha256)[ \t]{1,4})?([^\s"'`,;]{1,4000})/gdi;

/** `Bearer <token>` outside a header line. */
const BEARER =
  /(?<![A-Za-z0-9_-])bearer[ \t]{1,4}([A-Za-z0-9._~+/-]{20,4000}=*)/gdi;

/**
 * `scheme://user:password@`: the whole userinfo goes. The password runs to
 * the last `@` before the host, so `p@ss` does not leave `ss` behind.
 */
const URL_CREDENTIALS =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/([^\s/@:'"<>]{0,256}:[^\s/'"<>]{1,512})@/gd;

/**
 * `user:password@host` with no scheme (`git clone alice:pw@host:repo`,
 * `redis-cli -u ...`): the host must look like one (a dotted name, an
 * address or `localhost`).
 */
const BARE_URL_CREDENTIALS =
  /(?<![A-Za-z0-9._%+:/-])([A-Za-z0-9._%+-]{1,64}:[^\s/'"<>:]{1,256})@(?=(?:[A-Za-z0-9-]{1,63}\.){1,10}[A-Za-z]{2,63}\b|localhost\b|\[?[0-9a-fA-F.:]{3,45}\]?)/gd;

/** Azure SAS and other signed URLs: the signature parameter. */
const URL_SIGNATURE =
  /[?&](?:sig|signature|x-amz-signature|x-goog-signature|sas|token|access_token|api_key|apikey|key|code)=([A-Za-z0-9%+/=_.~-]{16,2000})/gdi;

/** `-u user:pass` / `--user=user:pass` (curl, wget, httpie). */
const USER_FLAG =
  /(?<![A-Za-z0-9_-])(?:-u|--user|--proxy-user|--http-user)(?:=|[ \t]{1,4})(["']?)[^\s:"']{1,128}:([^\s"']{1,512})\1/gd;

/** `--password=...`, `--token ...`: flags whose value is the secret. */
const SECRET_FLAG =
  /(?<![A-Za-z0-9_-])--(?:[a-z0-9]+-){0,3}(?:password|passwd|pass|passphrase|token|secret|api-key|apikey|access-key|secret-key|auth-key|client-secret)(?:=|[ \t]{1,4})(["']?)([^\s"']{1,1000})\1/gd;

/** `mysql -pPASS` (glued), `mysqldump ... -p'PASS'`. */
const GLUED_P_FLAG =
  /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport|mysqlshow)\b[^\n]{0,400}?[ \t]-p(["']?)([^\s"']{1,512})\1/gd;
/** `sshpass -p PASS`, `docker login -u bob -p PASS` (the value after a space). */
const SPACED_P_FLAG =
  /\b(?:sshpass|(?:docker|podman|buildah|skopeo|helm(?: registry)?|oras|nerdctl)[ \t]{1,4}login\b[^\n]{0,400}?)[ \t]-p[ \t]{0,4}(["']?)([^\s"']{1,512})\1/gd;
/** A `.netrc` entry: `machine host login user password PASS`. */
const NETRC =
  /\b(?:machine|default)\b[^\n]{0,300}?\bpassword[ \t]{1,4}(["']?)([^\s"']{1,512})\1/gd;

/**
 * `KEY=value`, `KEY: value`, `"key": "value"`, `key = "value"`, where the
 * key names a secret. A leading `_` is part of the key (npm's
 * `_authToken`). The decision is made in {@link assignmentSecret}.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])(["']?)(_{0,2}[A-Za-z][A-Za-z0-9_.-]{0,80})\1([ \t]{0,4}(?::=|[:=])[ \t]{0,4})("[^"\n]{0,2000}"|'[^'\n]{0,2000}'|[^\s"'`,;=<>(){}[\]][^\s"'`,;<>(){}[\]]{0,2000})/gd;

/** An assignment to a secret-named key has one of these right before its separator. */
const ASSIGNMENT_GATE =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|key|credentials?|auth|pw|pat|sig|salt|seed)["']?[ \t]{0,4}[:=]/i;

/**
 * What every detector but the token rules and the base64 ones needs: a
 * header or flag name, `@`, a query parameter, a command, or a secret-named
 * key before a separator. Text with none of it skips them all.
 */
const ANY_GATE = new RegExp(
  [
    "private key",
    "ls0tls1crudjti",
    "authorization|api-key|auth-token|private-token|cookie|bearer",
    "@",
    "[?&][\\w.-]{1,40}=",
    "(?<![A-Za-z0-9_])-[-up]",
    "mysql|mariadb|sshpass|login|password|machine",
    ASSIGNMENT_GATE.source,
  ].join("|"),
  "i",
);

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

/**
 * Whether any of waypoint's own detectors could find something in `text`:
 * when not, {@link findHeuristicSecrets} finds nothing. Every gate fires on
 * a text again inside any longer text that holds it after a newline (none
 * is anchored; the one look-behind looks for a word character).
 */
export function heuristicGateOpen(text: string): boolean {
  return hasBase64Run(text, 40) || TOKEN_GATE.test(text) ||
    ANY_GATE.test(text);
}

/** Every span waypoint's own detectors find in `text`. */
export function findHeuristicSecrets(text: string): Span[] {
  // The fast path: most text (an index entry, a status line) has none of
  // what any detector below starts from, and is not scanned by each.
  // (the same test as heuristicGateOpen, keeping the run's result.)
  const longRun = hasBase64Run(text, 40);
  if (!longRun && !TOKEN_GATE.test(text) && !ANY_GATE.test(text)) return [];
  const spans: Span[] = [];
  const whole = (re: RegExp) => {
    for (const m of text.matchAll(re)) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  };
  const group = (
    re: RegExp,
    n: number,
    accept?: (value: string) => boolean,
  ) => {
    for (const m of text.matchAll(re)) {
      const at = m.indices?.[n];
      if (!at || (accept && !accept(m[n]))) continue;
      spans.push({ start: at[0], end: at[1] });
    }
  };
  if (text.includes("PRIVATE KEY")) {
    for (const m of text.matchAll(PEM_BLOCK)) {
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
    whole(PEM_TAIL);
  }
  // One scan without look-behind tells whether any 40-character base64
  // run exists; the two rules that need one run only then.
  if (longRun) {
    for (const m of text.matchAll(BASE64_LINES)) {
      // The body of a certificate or public key is public: only lines
      // with no such header right before them count as a key's middle.
      const before = text.slice(Math.max(0, m.index - 80), m.index);
      if (PUBLIC_PEM_BEFORE.test(before)) continue;
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  if (text.includes("LS0tLS1CRUdJTi")) {
    for (const m of text.matchAll(BASE64_PEM)) {
      if (isBase64PrivateKey(m[0])) {
        spans.push({ start: m.index, end: m.index + m[0].length });
      }
    }
  }
  if (/authorization|api-key|auth-token|private-token|cookie/i.test(text)) {
    group(AUTH_HEADER, 1, isValue);
  }
  if (/bearer/i.test(text)) group(BEARER, 1);
  if (text.includes("@")) {
    group(URL_CREDENTIALS, 1);
    group(BARE_URL_CREDENTIALS, 1, (value) => !/^[0-9.:]+$/.test(value));
  }
  if (text.includes("=")) {
    group(URL_SIGNATURE, 1, (value) => isValue(value) && hasDigit(value));
  }
  if (text.includes("-")) {
    group(USER_FLAG, 2, (value) => isValue(value) && !/^[0-9]+$/.test(value));
    group(SECRET_FLAG, 2, (value) => isValue(value) && !isPath(value));
    group(GLUED_P_FLAG, 2, isValue);
    group(SPACED_P_FLAG, 2, isValue);
  }
  if (text.includes("password")) {
    group(NETRC, 2, isValue);
  }
  const gated = TOKEN_GATE.test(text);
  for (const { pattern, accept, generic, ungated } of TOKEN_RULES) {
    if (ungated ? !longRun : !gated) continue;
    const glued = generic ? WORD_BEFORE : ALNUM_BEFORE;
    for (const m of text.matchAll(pattern)) {
      const before = m.index > 0 ? text[m.index - 1] : "";
      if (before !== "" && glued.test(before)) continue;
      if (accept && !accept(m[0])) continue;
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  if (!ASSIGNMENT_GATE.test(text)) return spans;
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

/** Does base64 that starts like `-----BEGIN` decode to a private key? */
function isBase64PrivateKey(encoded: string): boolean {
  const head = encoded.slice(0, 200);
  const usable = head.slice(0, head.length - head.length % 4);
  try {
    return /PRIVATE KEY/.test(atob(usable));
  } catch {
    return false;
  }
}

/** A value, not a placeholder, a reference or an earlier redaction. */
function isValue(value: string): boolean {
  if (value === "" || value.includes(REDACTED)) return false;
  if (PLACEHOLDER.test(value)) return false;
  // A reference to the secret (`$DB_PASSWORD`, `${{ secrets.X }}`,
  // `process.env.X`, `%VAR%`) is not the secret.
  return !/^(?:\$|%|\{\{|process\.env|os\.environ|env\.|ENV\[)/.test(value);
}

function isPath(value: string): boolean {
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
