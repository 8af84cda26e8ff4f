import assert from "node:assert/strict";
import { REDACTED, redactSecrets } from "../src/context/redact.ts";

// Secrets are built by concatenation so no complete token sits in the source
// (and secret scanners do not flag this file).
const j = (...parts: string[]) => parts.join("");
const B64_40 = j("wJalrXUtnFEMI/K7MDENG", "/bPxRfiCYEXAMPLEKEY");
const JWT = j(
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
  ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ",
  ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
);
const PEM_BODY = j(
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n",
  "k3xQ0VZ1c2VybmFtZXBhc3N3b3JkMTIzNDU2Nzg5MGFiY2RlZmdo\n",
);

/**
 * Each case: a line as it would appear in a transcript, commit, branch or
 * file name, and the secret part that must not survive redaction.
 */
const SECRETS: [string, string, string][] = [
  ["npm", "export NPM=%s", j("npm_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")],
  [
    "github fine-grained",
    "token %s here",
    j("github_pat_", "11ABCDEFG0abcdefghij_klmnopqrstuvwxyz0123456789"),
  ],
  ["github ghp", "(%s)", j("ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")],
  ["github gho", "'%s'", j("gho_", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2")],
  [
    "token in a file name",
    "?? notes-%s.txt",
    j("ghp_", "B1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r9"),
  ],
  ["github ghu", "%s.", j("ghu_", "0123456789abcdefghijABCDEFGHIJ012345")],
  ["github ghs", "use %s", j("ghs_", "abcdefghij0123456789ABCDEFGHIJ987654")],
  ["github ghr", "use %s", j("ghr_", "QWERTYuiop1234567890asdfghJKLzxcvbnm")],
  [
    "openai project",
    "key %s",
    j("sk-", "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"),
  ],
  ["openai legacy", "key %s", j("sk-", "4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O")],
  [
    "anthropic",
    "ANTHROPIC %s",
    j("sk-ant-", "api03-Xy7_abcDEF123ghiJKL456mnoPQR789stu-AAAA"),
  ],
  ["stripe secret", "%s", j("sk_", "live_51H8abcDEF123ghiJKL456mnoPQR")],
  ["stripe restricted", "%s", j("rk_", "live_51H8abcDEF123ghiJKL456mnoPQR")],
  ["stripe webhook", "%s", j("whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")],
  ["firecrawl", "%s", j("fc-", "3f2b9c0d1e4a5b6c7d8e9f0a1b2c3d4e")],
  ["google api", "%s", j("AIza", "SyD4f8a0b1c2d3e4f5g6h7i8j9k0l1m2n3o")],
  [
    "google oauth",
    "%s",
    j("ya29.", "a0AfH6SMBx-abcdefghijklmnopqrstuvwxyz0123"),
  ],
  ["aws access key id", "id %s in prose", j("AKIA", "IOSFODNN7EXAMPLE")],
  ["aws session key id", "id=%s", j("ASIA", "Y34FZKBOKMUTVV7A")],
  ["aws secret by shape", "the secret %s was leaked", B64_40],
  ["aws secret assigned", "aws_secret_access_key = %s", B64_40],
  [
    "slack bot",
    "%s",
    j("xoxb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
  ],
  [
    "slack user",
    "%s",
    j("xoxp-", "123456789012-123456789012-123456789012-abcdef0123456789"),
  ],
  [
    "slack webhook",
    "post to %s",
    j(
      "https://hooks.slack.com/services/",
      "T00000000/B00000000/XXXXXXXXXXXXXXXX",
    ),
  ],
  ["gitlab", "%s", j("glpat-", "xY9zAbCdEfGh12345678")],
  ["gitlab deploy", "%s", j("gldt-", "xY9zAbCdEfGh12345678ab")],
  ["hugging face", "%s", j("hf_", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")],
  [
    "sendgrid",
    "%s",
    j(
      "SG.",
      "ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr",
    ),
  ],
  ["twilio", "%s", j("SK", "0123456789abcdef0123456789abcdef")],
  [
    "digitalocean",
    "%s",
    j(
      "dop_v1_",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
  ],
  ["shopify", "%s", j("shpat_", "0123456789abcdef0123456789abcdef")],
  [
    "pypi",
    "%s",
    j("pypi-AgE", "IcHlwaS5vcmcCJGE4ZjY3ZWE2LTFjYmEtNGQ5Yi1iOWY0LTg0NGI2NzU4"),
  ],
  ["jwt", "cookie-less %s token", JWT],
  ["jwt in json", '{"id_token":"%s"}', JWT],
  [
    "pem block",
    "key:\n%s\nend",
    j(
      "-----BEGIN RSA PRIVATE KEY-----\n",
      PEM_BODY,
      "-----END RSA PRIVATE KEY-----",
    ),
  ],
  [
    "pem block unterminated",
    "pasted:\n%s",
    j("-----BEGIN OPENSSH PRIVATE KEY-----\n", PEM_BODY),
  ],
  [
    "pem in json",
    '{"private_key": "%s"}',
    j(
      "-----BEGIN PRIVATE KEY-----\\n",
      PEM_BODY.replaceAll("\n", "\\n"),
      "-----END PRIVATE KEY-----\\n",
    ),
  ],
  [
    "url credentials https",
    "clone https://alice:%s@git.example.com/r.git",
    "hunter2pw",
  ],
  ["url credentials postgres", "postgres://app:%s@db:5432/prod", "S3cr3t!x"],
  [
    "url credentials mongodb+srv",
    "mongodb+srv://u:%s@cluster0.example.net/",
    "pa55word",
  ],
  ["env password", "DB_PASSWORD=%s", "correct-horse-battery"],
  ["env password quoted", 'PGPASSWORD="%s" psql', "tr0ub4dor&3"],
  ["exported secret", "export CLIENT_SECRET=%s", "abcDEF123456"],
  ["api_key setting", "api_key = %s", "0a1b2c3d4e5f"],
  ["camel case apiKey", 'const apiKey = "%s";', "live-9f8e7d6c5b4a"],
  ["json password", '{"user":"bob","password":"%s"}', "p@ss word 1"],
  ["json secret", '{ "client_secret" : "%s" }', "zzTop-2024"],
  ["yaml token", "  auth_token: %s", "Zm9vYmFyYmF6cXV4MTIz"],
  ["yaml quoted password", 'password: "%s"', "opensesame"],
  ["private_key assignment", "PRIVATE_KEY=%s", "0xdeadbeefcafe1234"],
  [
    "azure account key",
    "AccountKey=%s;EndpointSuffix",
    "Eby8vdM02xNOcqF1qUzw==",
  ],
  ["authorization bearer", "Authorization: Bearer %s", "abc.def-ghi_jkl"],
  ["authorization basic", "-H 'Authorization: Basic %s'", "YWxpY2U6cGFzcw=="],
  ["authorization token", 'authorization="token %s"', "1234567890abcdef"],
  ["x-api-key header", "x-api-key: %s", "d41d8cd98f00"],
  ["bare bearer", "send Bearer %s to it", "aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"],
];

/** Text that looks a little like a secret and must come through unchanged. */
const LOOK_ALIKES: [string, string][] = [
  [
    "git sha",
    "Fixed in 3f2b9c0d1e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c, see 3f2b9c0.",
  ],
  ["uuid", "thread 019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b resumed"],
  ["kebab words", "Update the task-list and keep it risk-free; flask-app too."],
  ["glued prefix", "mask-4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O stays glued"],
  ["npm env names", "npm_config_registry and npm_package_name are variables"],
  [
    "short prefixes",
    "kebab sk-short and sk_test_ alone, ghp_ and AIza too short.",
  ],
  ["sk-learn", "sk-learn-compatible-estimators and fc-layout are names"],
  [
    "base64 image in prose",
    "![logo](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
  ],
  ["settings", "timeout=30 retries=5 mode=fast level=debug color=auto"],
  ["max tokens", "max_tokens=4096 and num_tokens: 12 and token_count=3"],
  ["type annotations", "interface Auth { token: string; password?: string }"],
  ["prose with colon", "Token: rotate it every week. Password: ask the admin."],
  [
    "references",
    'DB_PASSWORD=$DB_PASSWORD API_KEY="${API_KEY}" SECRET=<secret>',
  ],
  ["github actions", "NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}"],
  ["placeholder", "password=*** token=[REDACTED] secret=xxxx api_key=..."],
  [
    "url with user only",
    "ssh://git@github.com/org/repo and https://user@host/",
  ],
  [
    "plain url",
    "https://registry.npmjs.org/waypoint-codex/-/waypoint-1.2.0.tgz",
  ],
  ["path", "src/context/transcripts/recent_thread.ts and ./a/b/c.md"],
  ["semver and dates", "1.2.3-beta.4 on 2026-11-25T06:04:47Z"],
  ["bearer word", "Bearer tokens go in a header, the bearer said."],
  ["comparisons", "if token == null || password != expected { return }"],
  [
    "public key pem",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----",
  ],
  ["hex color and ids", "color #ff00aa, issue #12, PR 345, port 5432"],
  ["branch names", "feature/auth-token-refresh and fix/password-reset-flow"],
  ["oauth setting", "oauth=enabled author=alice"],
  ["lower hex 40", "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 empty"],
];

for (const [family, template, secret] of SECRETS) {
  Deno.test(`redactSecrets removes ${family}`, () => {
    const text = template.replace("%s", secret);
    const result = redactSecrets(text);
    assert.ok(!result.includes(secret), `${family}: ${result}`);
    assert.ok(result.includes(REDACTED), `${family}: ${result}`);
    // Redaction is idempotent: a second pass changes nothing.
    assert.equal(redactSecrets(result), result);
  });
}

Deno.test("the secret table is large enough", () => {
  assert.ok(SECRETS.length >= 40, `${SECRETS.length} secrets`);
  assert.ok(LOOK_ALIKES.length >= 20, `${LOOK_ALIKES.length} look-alikes`);
});

for (const [name, text] of LOOK_ALIKES) {
  Deno.test(`redactSecrets keeps ${name}`, () => {
    assert.equal(redactSecrets(text), text);
  });
}

Deno.test("redactSecrets keeps what surrounds a secret", () => {
  const token = j("ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
  assert.equal(
    redactSecrets(`export TOKEN=${token}\nuse "${token}" then (${token}).`),
    `export TOKEN=${REDACTED}\nuse "${REDACTED}" then (${REDACTED}).`,
  );
  assert.equal(
    redactSecrets("git clone https://alice:pw1234@example.com/r.git"),
    `git clone https://${REDACTED}@example.com/r.git`,
  );
  assert.equal(
    redactSecrets('{"password": "hunter2"}'),
    `{"password": "${REDACTED}"}`,
  );
  assert.equal(
    redactSecrets(
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n\nNext paragraph.",
    ),
    `${REDACTED}\n\nNext paragraph.`,
  );
  assert.equal(
    redactSecrets("Authorization: Bearer abc.def"),
    `Authorization: Bearer ${REDACTED}`,
  );
});

Deno.test("redactSecrets finishes on hostile input (no catastrophic backtracking)", () => {
  // Each of these would take minutes with a backtracking-prone pattern.
  const hostile = [
    "-----BEGIN PRIVATE KEY-----".repeat(5_000),
    "a".repeat(200_000),
    "password=".repeat(20_000),
    "https://a:".repeat(20_000),
    "eyJ" + "a".repeat(100_000) + ".",
    "A".repeat(100_000) + "/",
    "sk-" + "a-".repeat(100_000),
    "Authorization: ".repeat(20_000),
    '"token":"'.repeat(20_000),
  ];
  for (const text of hostile) {
    const result = redactSecrets(text);
    assert.equal(typeof result, "string");
  }
});
