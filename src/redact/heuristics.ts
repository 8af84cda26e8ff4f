/**
 * Waypoint's own secret detectors, for what a scanner's rule set does not
 * cover in chat and git text: private keys cut into pieces or wrapped in
 * base64, credential headers, password flags on command lines and
 * credentials in URLs (with `@` in the password, or no scheme). The token
 * families by prefix (and JWS/JWE compact tokens) are `token_rules.ts`;
 * values assigned to secret-named keys are `assignments.ts`. This module
 * gates and runs them all.
 *
 * Every pattern is linear in the length of the text: each starts at a
 * literal prefix or a token boundary, has no nested or overlapping
 * quantifiers, and bounds the length it will consume.
 *
 * @module
 */
import {
  ASSIGNMENT_GATE,
  findAssignments,
  isPath,
  isValue,
} from "./assignments.ts";
import type { Span } from "./spans.ts";
import { findTokens, hasDigit, holdsAny, TOKEN_GATE } from "./token_rules.ts";

/** Which char codes are base64 digits (`A-Z`, `a-z`, `0-9`, `+`, `/`). */
const BASE64_CODE = new Uint8Array(128)
  .fill(1, 0x41, 0x5b) // A-Z
  .fill(1, 0x61, 0x7b) // a-z
  .fill(1, 0x30, 0x3a) // 0-9
  .fill(1, 0x2b, 0x2c) // +
  .fill(1, 0x2f, 0x30); // /

/** How many base64 digits in a row {@link hasBase64Run} looks for. */
const RUN = 40;

function isBase64(code: number): boolean {
  return code < 128 && BASE64_CODE[code] === 1;
}

/**
 * Whether `text` has 40 base64 digits in a row: the 40-character rule and
 * key bodies need such a run. A regex would be tried again at every
 * position of a long line; this looks at every 40th character instead,
 * measuring the run around it only when it is a base64 digit: no run can
 * hold a character that is not, so the next 40 positions can be skipped.
 * Chat text breaks runs every few characters, so it reads about a sixth of
 * the characters a plain loop does (a fresh process runs it in V8's
 * interpreter). `tests/redact_gates_test.ts` holds it to the regex
 * `/[A-Za-z0-9+/]{40}/`.
 */
export function hasBase64Run(text: string): boolean {
  const length = text.length;
  // Invariant: no run of RUN digits starts before `probe - RUN + 1`.
  let probe = RUN - 1;
  while (probe < length) {
    if (!isBase64(text.charCodeAt(probe))) {
      probe += RUN;
      continue;
    }
    let start = probe;
    while (start > 0 && isBase64(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < length && isBase64(text.charCodeAt(end))) end++;
    if (end - start >= RUN) return true;
    // `end` is no digit (or the text's end): the next run ends past it.
    probe = end + RUN;
  }
  return false;
}

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

/**
 * Whether any of waypoint's own detectors could find something in `text`:
 * when not, {@link findHeuristicSecrets} finds nothing. Every gate fires on
 * a text again inside any longer text that holds it after a newline (none
 * is anchored; the one look-behind looks for a word character).
 */
export function heuristicGateOpen(text: string): boolean {
  return hasBase64Run(text) || TOKEN_GATE.test(text) ||
    ANY_GATE.test(text);
}

/**
 * Every span waypoint's own detectors find in `text`. `everyRule` skips
 * the per-rule literal checks, leaving the shared gates (tests compare the
 * two).
 */
export function findHeuristicSecrets(
  text: string,
  everyRule = false,
): Span[] {
  // The fast path: most text (an index entry, a status line) has none of
  // what any detector below starts from, and is not scanned by each.
  // (the same test as heuristicGateOpen, keeping the run's result.)
  const longRun = hasBase64Run(text);
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
  // Each rule below runs only on text holding what every match of it holds
  // (its flag, its command): a rule's first run compiles it, which costs a
  // fresh process more than the scan.
  const holds = (...literals: string[]) =>
    everyRule || holdsAny(text, literals);
  if (text.includes("=") && holds("?", "&")) {
    group(URL_SIGNATURE, 1, (value) => isValue(value) && hasDigit(value));
  }
  if (text.includes("-")) {
    if (holds("-u")) {
      group(
        USER_FLAG,
        2,
        (value) => isValue(value) && !/^[0-9]+$/.test(value),
      );
    }
    if (holds("--")) {
      group(SECRET_FLAG, 2, (value) => isValue(value) && !isPath(value));
    }
    if (holds("-p") && holds("mysql", "mariadb")) {
      group(GLUED_P_FLAG, 2, isValue);
    }
    if (holds("-p") && holds("sshpass", "login")) {
      group(SPACED_P_FLAG, 2, isValue);
    }
  }
  if (text.includes("password")) {
    group(NETRC, 2, isValue);
  }
  spans.push(...findTokens(text, longRun, everyRule));
  spans.push(...findAssignments(text));
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
