import assert from "node:assert/strict";
import { REDACTED, redactSecrets } from "../src/context/redact.ts";

// Built by concatenation so no complete token-like string sits in the source.
const TOKENS: Record<string, string> = {
  npm: "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
  githubPat: "github_pat_" + "11ABCDEFG0abcdefghij_klmnopqrstuvwxyz0123456789",
  ghp: "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
  gho: "gho_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2",
  ghu: "ghu_" + "0123456789abcdefghijABCDEFGHIJ012345",
  ghs: "ghs_" + "abcdefghij0123456789ABCDEFGHIJ987654",
  ghr: "ghr_" + "QWERTYuiop1234567890asdfghJKLzxcvbnm",
  skDash: "sk-" + "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
  skDashPlain: "sk-" + "4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O",
  skUnderscore: "sk_" + "live_51H8abcDEF123ghiJKL456mnoPQR",
  firecrawl: "fc-" + "3f2b9c0d1e4a5b6c7d8e9f0a1b2c3d4e",
  google: "AIza" + "SyD4f8a0b1c2d3e4f5g6h7i8j9k0l1m2n3o",
};

for (const [family, token] of Object.entries(TOKENS)) {
  Deno.test(`redactSecrets removes a ${family} token in running text`, () => {
    const text = `export TOKEN=${token}\nuse "${token}" then (${token}).`;
    const result = redactSecrets(text);
    assert.ok(!result.includes(token), result);
    assert.equal(result.split(REDACTED).length - 1, 3);
    assert.ok(result.startsWith("export TOKEN=[REDACTED]\n"));
  });
}

Deno.test("redactSecrets keeps ordinary words that contain a token prefix", () => {
  const text = [
    "Update the task-list and keep it risk-free.",
    "Ask-for-help desk-side disk-usage flask-app tsk-sk-",
    "npm_config_registry is an environment variable; so is npm_package_name.",
    "The fc-layout and sk-learn-compatible-estimators names are fine.",
    "kebab sk-short and sk_test_ alone, ghp_ and AIza too short.",
    "A git sha 3f2b9c0d1e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c stays.",
  ].join("\n");
  assert.equal(redactSecrets(text), text);
});

Deno.test("redactSecrets does not redact a prefix glued to a longer word", () => {
  const glued = "mask-" + "4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O";
  assert.equal(redactSecrets(glued), glued);
  const redacted = redactSecrets(`key: ${TOKENS.skDashPlain}, done`);
  assert.equal(redacted, "key: [REDACTED], done");
});

Deno.test("redactSecrets handles several token families in one text", () => {
  const text = Object.values(TOKENS).join(" and ");
  const result = redactSecrets(text);
  for (const token of Object.values(TOKENS)) assert.ok(!result.includes(token));
  assert.equal(
    result,
    Object.values(TOKENS).map(() => REDACTED).join(" and "),
  );
});
