/**
 * `redactSecrets` over the shared corpus: every secret shape goes, each as
 * one marker with nothing of the secret kept beside it, a second pass
 * changes nothing, and the look-alikes come through untouched.
 *
 * @module
 */
import assert from "node:assert/strict";
import { REDACTED, redactSecrets } from "../src/redact/mod.ts";
import { GITLEAKS_RULE_COUNT } from "../src/redact/gitleaks.ts";
import { applySpans } from "../src/redact/spans.ts";
import { LOOK_ALIKES, SECRET_SHAPES } from "./support/secret_corpus.ts";

const j = (...parts: string[]) => parts.join("");

Deno.test("the corpus holds at least 60 shapes and 40 look-alikes", () => {
  assert.ok(SECRET_SHAPES.length >= 60, `${SECRET_SHAPES.length} shapes`);
  assert.ok(LOOK_ALIKES.length >= 40, `${LOOK_ALIKES.length} look-alikes`);
  assert.equal(
    new Set(SECRET_SHAPES.map((shape) => shape.name)).size,
    SECRET_SHAPES.length,
  );
  assert.ok(GITLEAKS_RULE_COUNT >= 200, `${GITLEAKS_RULE_COUNT} rules`);
});

for (const shape of SECRET_SHAPES) {
  Deno.test(`redacts ${shape.name}`, () => {
    const result = redactSecrets(shape.text);
    assert.ok(result.includes(REDACTED), result);
    for (const secret of shape.secrets) {
      assert.ok(!result.includes(secret), `${secret} in ${result}`);
      // No piece of the secret is kept against the marker (`sk-proj-[REDACTED]`).
      for (let n = 4; n < secret.length; n++) {
        assert.ok(!result.includes(secret.slice(0, n) + REDACTED), result);
        assert.ok(!result.includes(REDACTED + secret.slice(-n)), result);
      }
    }
    assert.ok(!result.includes(REDACTED + REDACTED), result);
    assert.equal(redactSecrets(result), result, "a second pass changes it");
  });
}

for (const [name, text] of LOOK_ALIKES) {
  Deno.test(`keeps ${name}`, () => {
    assert.equal(redactSecrets(text), text);
  });
}

Deno.test("one marker per secret, even where detectors overlap", () => {
  const key = j(
    "sk-",
    "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2nOp5q",
  );
  // The key is an assignment, a token by prefix and a gitleaks finding.
  assert.equal(
    redactSecrets(`OPENAI_API_KEY=${key}\necho ${key}`),
    `OPENAI_API_KEY=${REDACTED}\necho ${REDACTED}`,
  );
  const ghp = j("ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
  assert.equal(redactSecrets(`${ghp}${ghp}`), REDACTED);
  assert.equal(redactSecrets(`${REDACTED}${ghp}`), REDACTED);
});

Deno.test("a private key split over two messages loses both halves", () => {
  const [first, second] = SECRET_SHAPES.filter((shape) =>
    shape.name.startsWith("pem key, ")
  );
  assert.ok(first && second);
  for (const shape of [first, second]) {
    const result = redactSecrets(shape.text);
    assert.ok(!/[A-Za-z0-9+/]{20}/.test(result), result);
  }
});

Deno.test("a megabyte of ordinary text is redacted quickly and unchanged", () => {
  const prose = LOOK_ALIKES.map(([, text]) => text).join("\n");
  let text = "";
  while (text.length < 1_000_000) text += prose + "\n";
  const start = performance.now();
  const result = redactSecrets(text);
  const elapsed = performance.now() - start;
  assert.equal(result, text);
  // Measured about 0.3 s per MB on the shared 2-core machine; the bound is loose.
  assert.ok(elapsed < 5_000, `${elapsed.toFixed(0)} ms`);
});

Deno.test("hostile input finishes (no catastrophic backtracking in any rule)", () => {
  const hostile = [
    "curl " + "a".repeat(50_000) + "\n".repeat(5_000),
    "curl -H " + "x ".repeat(20_000),
    "api_key = " + "a1".repeat(50_000),
    "password: ".repeat(10_000),
    "LS0tLS1CRUdJTi".repeat(5_000),
    ("A".repeat(64) + "\n").repeat(5_000),
    "mysql " + " -p".repeat(20_000),
    "a:b@".repeat(20_000),
    "machine x ".repeat(10_000),
    "eyJ" + "a.".repeat(50_000),
    "key=" + "=".repeat(100_000),
    "-----END PRIVATE KEY-----".repeat(5_000),
  ];
  for (const text of hostile) {
    const start = performance.now();
    redactSecrets(text);
    const elapsed = performance.now() - start;
    assert.ok(
      elapsed < 5_000,
      `${elapsed.toFixed(0)} ms on ${text.slice(0, 20)}`,
    );
  }
});

Deno.test("a detector's span that cuts a token grows to the whole token", () => {
  // A rule's secret group may start or end inside a token (`sk-proj-` kept).
  assert.equal(
    applySpans("id xyzAB12cd34 end", [{ start: 6, end: 10 }]),
    `id ${REDACTED} end`,
  );
  // After `-` or `_` the words before stay (a token in a file name).
  assert.equal(
    applySpans("notes-AB12cd34.txt", [{ start: 6, end: 14 }]),
    `notes-${REDACTED}.txt`,
  );
});
