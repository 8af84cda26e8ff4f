/**
 * A differential test of waypoint's redaction against an independent
 * scanner: secretlint's recommended rule preset, run as a library, is the
 * oracle. Whatever it reports in the corpus must be gone from what
 * `redactSecrets` returns.
 *
 * @module
 */
import assert from "node:assert/strict";
import { rules } from "@secretlint/secretlint-rule-preset-recommend";
import { redactSecrets } from "../src/redact/mod.ts";
import { LOOK_ALIKES, SECRET_SHAPES } from "./support/secret_corpus.ts";

const j = (...parts: string[]) => parts.join("");

/** Shapes secretlint has rules for that the main corpus does not carry. */
const ORACLE_EXTRAS: string[] = [
  j(
    "GROQ_API_KEY=gsk_",
    "k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZFRydXRoK9xP2vL7wZ3n",
  ),
  j("notion ntn_", "1234567890123k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZF"),
  j("figma figd_", "k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZFRydXRo"),
  j("tailscale tskey-auth-", "kAbC9Xq2CNTRL-k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVh"),
  j("databricks dapi", "0123456789abcdef0123456789abcdef"),
  j("vercel vcp_", "k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZFRydXRoK9xP2vL7wZ3n"),
  j(
    "1password ops_",
    "eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiJ9fQ",
  ),
  j(
    "grafana glc_",
    "eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEyMzQ1Ni1obS1yZWFkLWtleSIsImsiOiJrOVhxMkxtN1B6NFJ0OFZ3MVlzNk5iMyIsIm0iOnsiciI6InVzIn19",
  ),
  j(
    "cloudflare CLOUDFLARE_API_TOKEN=",
    "k9Xq2Lm7Pz4Rt8Vw1Ys6Nb3Qm9vbGVhbkFuZFRy",
  ),
  j("mysql://root:", "R00tPw9x@db.example.com:3306/app"),
  j(
    "openai sk-svcacct-",
    "Ab3dEf6hIj9kLm2nOp5qRs8tT3BlbkFJUv1wXy4zAb3dEf6hIj9kLm2n",
  ),
  j(
    "anthropic admin sk-ant-admin01-",
    "Xy7abcDEF123ghiJKL456mnoPQR789stuVWX0yzAbC1dEf2GhI3jKl4MnO5pQr6StU7vWx8YzA9bCd0EfG1hIj2KlM3nOp-AA",
  ),
];

interface Finding {
  rule: string;
  text: string;
}

/** Every range secretlint's rules report in `content`. */
function oracle(content: string): Finding[] {
  const found: Finding[] = [];
  for (const rule of rules) {
    const context = {
      report: (report: { range: [number, number] }) =>
        found.push({
          rule: rule.meta.id,
          text: content.slice(report.range[0], report.range[1]),
        }),
      ignore() {},
      createTranslator: () => (key: string) => key,
    };
    // deno-lint-ignore no-explicit-any -- the preset's rule context type is wider than this stand-in
    const handlers = rule.create(context as any, {} as any) as {
      file?: (source: unknown) => unknown;
    };
    handlers.file?.({ content, contentType: "text" });
  }
  return found;
}

const TEXTS = [
  ...SECRET_SHAPES.map((shape) => shape.text),
  ...LOOK_ALIKES.map(([, text]) => text),
  ...ORACLE_EXTRAS,
];

Deno.test("everything secretlint finds in the corpus, waypoint redacts", () => {
  let findings = 0;
  const missed: string[] = [];
  for (const text of TEXTS) {
    const redacted = redactSecrets(text);
    for (const finding of oracle(text)) {
      findings++;
      if (redacted.includes(finding.text)) {
        missed.push(`${finding.rule}: ${JSON.stringify(redacted)}`);
      }
    }
  }
  assert.deepEqual(missed, []);
  // The oracle really ran: it recognises a good share of the corpus.
  assert.ok(findings >= 25, `secretlint found only ${findings}`);
});

Deno.test("the oracle catches a planted token, so a miss would show", () => {
  const token = j("ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
  const found = oracle(`token ${token}`);
  assert.ok(found.some((finding) => finding.text.includes(token)));
});
