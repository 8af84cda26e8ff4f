/**
 * Token families waypoint recognises by their shape alone (GitHub, GitLab,
 * cloud and SaaS keys, JWTs and the like): the rule table, the literal
 * prefixes that gate it, and the scan that applies it.
 *
 * Every pattern is linear in the length of the text: each starts at a
 * literal prefix or a token boundary, has no nested or overlapping
 * quantifiers, and bounds the length it will consume.
 *
 * @module
 */
import type { Span } from "./spans.ts";

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
  /**
   * Literals one of which every match holds (empty for the ungated rule):
   * the rule is tried only on text holding one. Before, every rule was
   * compiled and run on each text {@link TOKEN_GATE} opened on, and a
   * common prefix (`AC`, `SK`) opens it; in a fresh process that cost more
   * than the rest of the token scan. `tests/redact_gates_test.ts` holds
   * each to the pattern's leading literal.
   */
  needs: readonly string[];
}

/** Generic prefixes (`sk-`) must contain a digit so `sk-learn` survives. */
export function hasDigit(match: string): boolean {
  return /[0-9]/.test(match);
}

/** Upper, lower and digit: a random token, not a word or a hex digest. */
function mixedCase(match: string): boolean {
  return /[A-Z]/.test(match) && /[a-z]/.test(match) && /[0-9]/.test(match);
}

const TOKEN_RULES: TokenRule[] = [
  // GitHub.
  { pattern: /github_pat_[A-Za-z0-9_]{20,255}/g, needs: ["github_pat_"] },
  { pattern: /gh[pousr]_[A-Za-z0-9]{20,255}/g, needs: ["gh"] },
  // GitLab personal, deploy, runner, trigger, feed, OAuth... tokens.
  {
    pattern:
      /gl(?:pat|dt|rt|ptt|ft|cbt|oas|soat|agent|imt|ffct)-[A-Za-z0-9_-]{20,255}/g,
    needs: ["gl"],
  },
  // npm, PyPI, Hugging Face, Linear, DigitalOcean, Doppler, Shopify, Docker.
  { pattern: /npm_[A-Za-z0-9]{20,255}/g, needs: ["npm_"] },
  { pattern: /pypi-AgE[A-Za-z0-9_-]{40,500}/g, needs: ["pypi-AgE"] },
  { pattern: /hf_[A-Za-z0-9]{30,255}/g, needs: ["hf_"] },
  { pattern: /lin_(?:api|oauth)_[A-Za-z0-9]{30,255}/g, needs: ["lin_"] },
  { pattern: /do[por]_v1_[a-f0-9]{64}/g, needs: ["do"] },
  {
    pattern: /dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{30,255}/g,
    needs: ["dp."],
  },
  { pattern: /shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}/g, needs: ["shp"] },
  { pattern: /dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255}/g, needs: ["dckr_"] },
  // Vault and Grafana tokens: gitleaks wants a space or quote after them,
  // a git decoration puts `,` or `)` there.
  {
    pattern: /hv[sbr]\.[A-Za-z0-9_-]{24,200}/g,
    accept: mixedCase,
    needs: ["hv"],
  },
  { pattern: /gl(?:sa|c)_[A-Za-z0-9_+/=-]{32,400}/g, needs: ["gl"] },
  // Figma, Tailscale, Vercel (secretlint's rules; gitleaks has none).
  { pattern: /fig[dou]_[A-Za-z0-9_-]{40,200}/g, needs: ["fig"] },
  {
    pattern: /tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}/g,
    needs: ["tskey-"],
  },
  { pattern: /vc[piark]_[A-Za-z0-9]{20,60}/g, needs: ["vc"] },
  // AWS access key ids (the secret half is caught by its assignment or shape).
  {
    pattern: /(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    needs: ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
  },
  // 40 base64 characters of mixed case and digits: an AWS secret key, a
  // Google OAuth secret and the like; hex digests (one case) survive.
  {
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: mixedCase,
    ungated: true,
    needs: [],
  },
  // Google API keys and OAuth access tokens.
  { pattern: /AIza[0-9A-Za-z_-]{30,255}/g, needs: ["AIza"] },
  { pattern: /ya29\.[0-9A-Za-z_-]{20,2000}/g, needs: ["ya29."] },
  // Slack bot/user/app/refresh tokens and webhooks.
  { pattern: /xox[abposre]-[A-Za-z0-9-]{10,255}/g, needs: ["xox"] },
  { pattern: /xapp-[0-9]-[A-Za-z0-9-]{10,255}/g, needs: ["xapp-"] },
  {
    pattern:
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{10,255}/g,
    needs: ["https://hooks.slack.com/"],
  },
  // SendGrid, Stripe (secret, restricted, webhook), Twilio API keys and
  // account ids (an id next to its auth token gives the pair away).
  {
    pattern: /SG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}/g,
    needs: ["SG."],
  },
  {
    pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}/g,
    needs: ["k_live_", "k_test_"],
  },
  { pattern: /whsec_[A-Za-z0-9+/=]{20,255}/g, needs: ["whsec_"] },
  {
    pattern: /(?:SK|AC)[0-9a-fA-F]{32}(?![A-Za-z0-9])/g,
    needs: ["SK", "AC"],
  },
  // OpenAI, Anthropic and other `sk-` keys; Firecrawl.
  {
    generic: true,
    pattern: /sk-[A-Za-z0-9_-]{16,255}/g,
    accept: hasDigit,
    needs: ["sk-"],
  },
  {
    generic: true,
    pattern: /sk_[A-Za-z0-9_]{16,255}/g,
    accept: hasDigit,
    needs: ["sk_"],
  },
  {
    generic: true,
    pattern: /fc-[A-Za-z0-9]{16,255}/g,
    accept: hasDigit,
    needs: ["fc-"],
  },
  // Azure AD client secrets (`abc8Q~...`).
  {
    pattern: /[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}/g,
    needs: ["Q~"],
  },
  // JSON Web Tokens (header and payload both JSON) and five-part JWE.
  {
    pattern:
      /eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{0,2000}/g,
    needs: ["eyJ"],
  },
  {
    pattern:
      /eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{0,4000}\.[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,80000}\.[A-Za-z0-9_-]{8,400}/g,
    needs: ["eyJ"],
  },
];

/**
 * Every token rule but the 40-character one starts with one of these: text
 * without any is not scanned by those rules at all.
 */
export const TOKEN_GATE =
  /github_pat_|gh[pousr]_|gl[a-z]{1,5}[-_]|npm_|pypi-|hf_|lin_|do[por]_|dp\.|shp|dckr_|hv[sbr]\.|fig[dou]_|tskey-|vc[piark]_|A(?:KIA|SIA|BIA|CCA|3T)|AIza|ya29\.|xox|xapp-|hooks\.slack|SG\.|[sr]k_|whsec_|SK|AC|sk-|fc-|Q~|eyJ/;

/** Whether `text` holds any of `literals`. */
export function holdsAny(text: string, literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i++) {
    if (text.includes(literals[i])) return true;
  }
  return false;
}

/** Each token rule's pattern, whether it is ungated, and its literals (for tests). */
export function tokenRuleGates(): {
  pattern: RegExp;
  ungated: boolean;
  needs: readonly string[];
}[] {
  return TOKEN_RULES.map(({ pattern, ungated, needs }) => ({
    pattern,
    ungated: ungated ?? false,
    needs,
  }));
}

/** A character that may sit inside a token: one right before a match means it is glued to a word. */
const WORD_BEFORE = /[A-Za-z0-9_-]/;

/** Before a distinctive prefix only a letter or digit means "glued to a word". */
const ALNUM_BEFORE = /[A-Za-z0-9]/;

/**
 * Every token in `text`. `longRun`: the text has 40 base64 digits in a row,
 * without which the one rule with no literal prefix cannot match.
 * `everyRule` skips the rules' own literals (tests compare the two).
 */
export function findTokens(
  text: string,
  longRun: boolean,
  everyRule = false,
): Span[] {
  const spans: Span[] = [];
  const gated = TOKEN_GATE.test(text);
  for (let r = 0; r < TOKEN_RULES.length; r++) {
    const { pattern, accept, generic, ungated, needs } = TOKEN_RULES[r];
    if (ungated ? !longRun : !gated || (!everyRule && !holdsAny(text, needs))) {
      continue;
    }
    const glued = generic ? WORD_BEFORE : ALNUM_BEFORE;
    for (const m of text.matchAll(pattern)) {
      const before = m.index > 0 ? text[m.index - 1] : "";
      if (before !== "" && glued.test(before)) continue;
      if (accept && !accept(m[0])) continue;
      spans.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}
