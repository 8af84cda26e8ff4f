/**
 * The redaction gates' fast scans agree with the plain definitions they
 * stand for: `hasBase64Run` with `/[A-Za-z0-9+/]{40}/`, and the gitleaks
 * keyword table with looking for every keyword in turn. Each is checked on
 * hand-made edge cases and on thousands of generated texts built to sit
 * near the edges (runs of 38 to 42 digits, keywords cut and glued).
 *
 * @module
 */
import assert from "node:assert/strict";
import data from "../src/redact/gitleaks_rules.json" with { type: "json" };
import { hasBase64Run } from "../src/redact/heuristics.ts";
import { hasGitleaksKeyword } from "../src/redact/gitleaks.ts";

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
    (data.rules as { keywords: string[] }[]).flatMap((rule) => rule.keywords),
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
