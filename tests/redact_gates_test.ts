/**
 * The redaction gates' fast scans agree with the plain definitions they
 * stand for: `hasBase64Run` with `/[A-Za-z0-9+/]{40}/`, and the gitleaks
 * keyword table with looking for every keyword in turn. Each is checked on
 * hand-made edge cases and on thousands of generated texts built to sit
 * near the edges (runs of 38 to 42 digits, keywords cut and glued). The
 * per-rule literal gates of the token rules and waypoint's own detectors
 * are held to the patterns they stand for, and to running without them.
 *
 * @module
 */
import assert from "node:assert/strict";
import { RULES_JSON } from "../src/redact/gitleaks_rules.ts";
import {
  findHeuristicSecrets,
  hasBase64Run,
} from "../src/redact/heuristics.ts";
import { hasGitleaksKeyword } from "../src/redact/gitleaks.ts";
import { findTokens, tokenRuleGates } from "../src/redact/token_rules.ts";
import { LOOK_ALIKES, SECRET_SHAPES } from "./support/secret_corpus.ts";

const BASE64_RUN = /[A-Za-z0-9+/]{40}/;
const DIGITS =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BREAKS = [" ", "\n", "-", "_", "=", ".", "é", "\u{1F600}", "\0", ":"];

/** A small seeded generator, so a failure names a reproducible case. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T =>
      items[Math.floor(next() * items.length)],
  };
}

function digits(count: number, random: ReturnType<typeof generator>): string {
  let text = "";
  for (let i = 0; i < count; i++) text += random.pick([...DIGITS]);
  return text;
}

Deno.test("hasBase64Run finds exactly the runs the regex finds, at every edge", () => {
  const cases: string[] = ["", "a", digits(39, generator(1))];
  for (let length = 38; length <= 42; length++) {
    const run = digits(length, generator(length));
    for (let before = 0; before <= 81; before += 1) {
      const pad = "x ".repeat(before).slice(0, before);
      cases.push(pad + run, run + pad, pad + run + " " + pad);
    }
  }
  // Runs cut by one character at each position a probe may land on.
  for (let cut = 0; cut <= 80; cut++) {
    const run = digits(80, generator(cut));
    cases.push(run.slice(0, cut) + " " + run.slice(cut));
  }
  for (const text of cases) {
    assert.equal(
      hasBase64Run(text),
      BASE64_RUN.test(text),
      JSON.stringify(text),
    );
  }
});

Deno.test("hasBase64Run agrees with the regex on 20,000 generated texts", () => {
  const random = generator(2026);
  for (let n = 0; n < 20_000; n++) {
    let text = "";
    const parts = 1 + random.int(12);
    for (let p = 0; p < parts; p++) {
      const length = random.int(4) === 0 ? 36 + random.int(8) : random.int(12);
      text += digits(length, random);
      if (random.int(5) !== 0) text += random.pick(BREAKS);
    }
    assert.equal(
      hasBase64Run(text),
      BASE64_RUN.test(text),
      JSON.stringify(text),
    );
  }
});

const KEYWORDS = [
  ...new Set(
    RULES_JSON.flatMap((rule) =>
      (JSON.parse(rule) as { keywords: string[] }).keywords
    ),
  ),
];

Deno.test("the keyword table finds a keyword exactly when one occurs", () => {
  const random = generator(7);
  const filler = [" ", "x", "é", "\n", "s", "e", "y", "_", ".", "-", "k"];
  for (let n = 0; n < 20_000; n++) {
    let text = "";
    const parts = random.int(6);
    for (let p = 0; p < parts; p++) {
      const word = random.pick(KEYWORDS);
      // Whole keywords, and keywords missing their first or last character.
      const cut = random.int(3);
      text += cut === 0 ? word : cut === 1 ? word.slice(1) : word.slice(0, -1);
      for (let f = random.int(3); f > 0; f--) text += random.pick(filler);
    }
    const expected = KEYWORDS.some((word) => text.includes(word));
    assert.equal(hasGitleaksKeyword(text), expected, JSON.stringify(text));
  }
  for (const word of KEYWORDS) {
    assert.equal(hasGitleaksKeyword(word), true, word);
    assert.equal(hasGitleaksKeyword(`\u00e9${word}\u00e9`), true, word);
  }
  assert.equal(hasGitleaksKeyword(""), false);
});

/**
 * The literal every match of a pattern starts with, read off its source:
 * the characters up to the first one with a meaning of its own (an escaped
 * `.`, `/` or `-` is itself), less the last when a quantifier follows it;
 * for a leading `(?:a|b…)` group, each alternative's. Undefined when there
 * is none.
 */
function leadingLiterals(source: string): string[] | undefined {
  const single = (text: string): string => {
    let literal = "";
    for (let i = 0; i < text.length;) {
      let char: string;
      let next: number;
      if (text[i] === "\\") {
        if (!".-/".includes(text[i + 1] ?? "x")) break;
        [char, next] = [text[i + 1], i + 2];
      } else if ("[](){}*+?|^$.".includes(text[i])) {
        break;
      } else {
        [char, next] = [text[i], i + 1];
      }
      if ("{*+?".includes(text[next] ?? "x")) break;
      literal += char;
      i = next;
    }
    return literal;
  };
  /**
   * `text` cut at each `|` outside every group and class, and where its
   * first group closes (the length when it has none).
   */
  const scan = (text: string): { parts: string[]; firstClose: number } => {
    const parts: string[] = [];
    let depth = 0;
    let inClass = false;
    let from = 0;
    let firstClose = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === "\\") i++;
      else if (inClass) inClass = c !== "]";
      else if (c === "[") inClass = true;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0 && firstClose === text.length) {
        firstClose = i;
      } else if (c === "|" && depth === 0) {
        parts.push(text.slice(from, i));
        from = i + 1;
      }
    }
    parts.push(text.slice(from));
    return { parts, firstClose };
  };
  if (scan(source).parts.length > 1) return undefined;
  let literals: string[];
  if (source.startsWith("(?:")) {
    const close = scan(source).firstClose;
    if ("{*+?".includes(source[close + 1] ?? "x")) return undefined;
    literals = scan(source.slice(3, close)).parts.map(single);
  } else {
    literals = [single(source)];
  }
  return literals.includes("") ? undefined : literals;
}

Deno.test("leadingLiterals reads what every match starts with", () => {
  const cases: [string, string[] | undefined][] = [
    ["ab?c", ["a"]],
    ["a\\.b", ["a.b"]],
    ["abc{2}", ["ab"]],
    ["ab|cd", undefined],
    ["x[|]y", ["x"]],
    ["\\bfoo", undefined],
    ["a\\/b\\-c", ["a/b-c"]],
    ["(?:ab|cd)x", ["ab", "cd"]],
    ["(?:ab|c?)x", undefined],
    ["(?:ab|cd)x|y", undefined],
    ["ab(c)|d", undefined],
    ["(?:a[bc]|d)x", ["a", "d"]],
    ["(?:ab|cd)?x", undefined],
    ["(?:ab|cd){0,2}x", undefined],
    ["(?<!x)ab", undefined],
  ];
  for (const [source, expected] of cases) {
    assert.deepEqual(leadingLiterals(source), expected, source);
  }
});

/**
 * Rules whose literal sits inside the pattern rather than at its start;
 * each is checked by reading, and by the comparison below.
 */
const INNER_LITERALS: Record<string, readonly string[]> = {
  "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,255}": ["k_live_", "k_test_"],
  "[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}": ["Q~"],
};

Deno.test("each token rule is gated by the literal its pattern starts with", () => {
  for (const { pattern, ungated, needs } of tokenRuleGates()) {
    if (ungated) {
      assert.deepEqual(needs, [], pattern.source);
      continue;
    }
    assert.ok(!pattern.flags.includes("i"), pattern.source);
    const expected = INNER_LITERALS[pattern.source] ??
      leadingLiterals(pattern.source);
    assert.ok(expected, `no literal for ${pattern.source}`);
    assert.deepEqual(needs, expected, pattern.source);
  }
});

/** Texts near every per-rule gate: secrets, look-alikes, prefixes glued and cut. */
function gateTexts(): string[] {
  const texts = [
    ...SECRET_SHAPES.map((shape) => shape.text),
    ...LOOK_ALIKES.map(([, text]) => text),
  ];
  const pieces = [
    ...SECRET_SHAPES.flatMap((shape) => shape.secrets),
    ...tokenRuleGates().flatMap((rule) => rule.needs),
    "--password=",
    "--token ",
    "-u ",
    "--user=",
    "--proxy-user ",
    "-p",
    " -p'",
    "mysql",
    "mariadb-dump",
    "sshpass",
    "docker login",
    "?sig=",
    "&token=",
    "=",
    "@",
    "k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZFRydXRo",
    "0123456789abcdef0123456789abcdef",
    "TASK",
    "ACTIVE",
  ];
  const random = generator(31);
  const glue = [" ", "", "\n", "_", "-", ":", "=", "'", "é"];
  for (let n = 0; n < 3_000; n++) {
    let text = "";
    for (let p = 1 + random.int(5); p > 0; p--) {
      const piece = random.pick(pieces);
      const cut = random.int(4);
      text += cut === 0
        ? piece.slice(1)
        : cut === 1
        ? piece.slice(0, -1)
        : piece;
      text += random.pick(glue);
    }
    texts.push(text);
  }
  return texts;
}

Deno.test("the per-rule literal gates change no token or heuristic finding", () => {
  for (const text of gateTexts()) {
    const longRun = hasBase64Run(text);
    assert.deepEqual(
      findTokens(text, longRun),
      findTokens(text, longRun, true),
      JSON.stringify(text),
    );
    assert.deepEqual(
      findHeuristicSecrets(text),
      findHeuristicSecrets(text, true),
      JSON.stringify(text),
    );
  }
});
