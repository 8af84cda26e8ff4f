/**
 * Secret shapes, one entry per shape, as they turn up in chat, commit
 * messages, branch names and doc titles; and look-alikes that are not
 * secrets. Every secret is built by concatenation so no complete token sits
 * in the source (and secret scanners leave this file alone).
 *
 * @module
 */

/** One secret shape: where it is shown and what must not survive. */
export interface SecretShape {
  /** What the shape is. */
  name: string;
  /** The text that carries it. */
  text: string;
  /** Substrings of `text` that must not appear once it is redacted. */
  secrets: string[];
  /**
   * The secret is recognisable on its own (a token with a known prefix or
   * form), so it is planted bare where the whole text cannot go (a branch
   * name with no spaces).
   */
  standalone?: boolean;
}

const j = (...parts: string[]) => parts.join("");

const PEM_LINES = [
  j("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"),
  j("VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK"),
  j("LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo"),
  j("9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvre"),
  j("dZbmYS4zxR6Yg3Fr2XGs4iDPLr2AX0TyVlrDKdjCcBkA7nB0GD8iJBLPhaLUZJp6"),
];
const PEM_BODY = PEM_LINES.join("\n");
const pem = (kind: string) =>
  j(
    `-----BEGIN ${kind}PRIVATE KEY-----\n`,
    PEM_BODY,
    `\n-----END ${kind}PRIVATE KEY-----`,
  );
const B64_PEM = btoa(pem("RSA "));
const JWT = j(
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
  ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ",
  ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
);
const JWE = j(
  "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ",
  ".OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe",
  ".48V1_ALb6US04U3b",
  ".5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji",
  ".XFBoMYUZodetZdvTiFvSkQ",
);
const B64_40 = j("wJalrXUtnFEMI/K7MDENG", "/bPxRfiCYzq8Kp2xLmQ");

/** The secret shapes (the positive corpus). */
export const SECRET_SHAPES: SecretShape[] = [
  token(
    "github classic token",
    "export GITHUB_TOKEN=%s",
    j("ghp_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"),
  ),
  token(
    "github fine-grained token",
    "use %s for the API",
    j(
      "github_pat_",
      "11ABCDEFG0abcdefghij_klmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU",
    ),
  ),
  token(
    "github oauth token",
    "token=%s",
    j("gho_", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"),
  ),
  token(
    "github app token",
    "installation %s",
    j("ghs_", "abcdefghij0123456789ABCDEFGHIJ987654"),
  ),
  token(
    "github refresh token",
    "refresh %s",
    j("ghr_", "QWERTYuiop1234567890asdfghJKLzxcvbnm"),
  ),
  token(
    "gitlab personal token",
    "CI uses %s",
    j("glpat-", "xY9zAbCdEfGh12345678"),
  ),
  token(
    "gitlab runner token",
    "register %s",
    j("glrt-", "t1_Xy9zAbCdEfGh12345678"),
  ),
  token(
    "npm automation token",
    "//registry.npmjs.org/:_authToken=%s",
    j("npm_", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
  ),
  shape(
    "npm legacy uuid _authToken",
    "//registry.npmjs.org/:_authToken=%s",
    j("4f3c2b1a-9d8e", "-4c7b-a6f5-e4d3c2b1a0f9"),
  ),
  shape("npm legacy _auth", "_auth=%s", j("YWxpY2U6czNj", "cjN0cGFzcw==")),
  token(
    "pypi token",
    "password = %s",
    j("pypi-AgE", "IcHlwaS5vcmcCJGE4ZjY3ZWE2LTFjYmEtNGQ5Yi1iOWY0LTg0NGI2NzU4"),
  ),
  token(
    "hugging face token",
    "HF %s",
    j("hf_", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"),
  ),
  token(
    "openai project key",
    "key %s works",
    j("sk-", "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9kLm2nOp5q"),
  ),
  token(
    "openai legacy key",
    "OPENAI %s",
    j("sk-", "4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O"),
  ),
  token(
    "anthropic key",
    "ANTHROPIC %s",
    j("sk-ant-", "api03-Xy7_abcDEF123ghiJKL456mnoPQR789stu-AAAA"),
  ),
  token(
    "stripe secret key",
    "stripe %s",
    j("sk_", "live_51H8abcDEF123ghiJKL456mnoPQR"),
  ),
  token(
    "stripe restricted key",
    "stripe %s",
    j("rk_", "live_51H8abcDEF123ghiJKL456mnoPQR"),
  ),
  token(
    "stripe webhook secret",
    "hook %s",
    j("whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
  ),
  token(
    "slack bot token",
    "slack %s",
    j("xoxb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
  ),
  shape(
    "slack webhook",
    "post to %s",
    j(
      "https://hooks.slack.com/services/",
      "T0A1B2C3D/B0A1B2C3D/aB3dEf6hIj9kLm2nOp5qRs8t",
    ),
  ),
  token(
    "sendgrid key",
    "mail %s",
    j(
      "SG.",
      "ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr",
    ),
  ),
  token(
    "twilio api key (bare)",
    "twilio %s",
    j("SK", "0123456789abcdef0123456789abcdef"),
  ),
  token(
    "twilio account sid (bare)",
    "account %s",
    j("AC", "a1b2c3d4e5f60718293a4b5c6d7e8f90"),
  ),
  token("aws access key id", "id %s in prose", j("AKIA", "IOSFODNN7EXAMPL3")),
  shape("aws secret assigned", "aws_secret_access_key = %s", B64_40),
  shape("aws secret by shape", "the secret %s leaked", B64_40),
  token(
    "google api key",
    "maps %s",
    j("AIza", "SyD4f8a0b1c2d3e4f5g6h7i8j9k0l1m2n3o"),
  ),
  token(
    "google oauth token",
    "bearer-ish %s",
    j("ya29.", "a0AfH6SMBx-abcdefghijklmnopqrstuvwxyz0123"),
  ),
  shape(
    "gcp service account key in json",
    '{"type":"service_account","private_key":"%s"}',
    pem("").replaceAll("\n", "\\n"),
    PEM_LINES.slice(1),
  ),
  token(
    "docker hub token",
    "docker login -u bob --password-stdin <<< %s",
    j("dckr_pat_", "2YotnFZFEjr1zCsicMWpAA-xY9z"),
  ),
  token(
    "digitalocean token",
    "doctl %s",
    j(
      "dop_v1_",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
  ),
  token(
    "shopify token",
    "shop %s",
    j("shpat_", "0123456789abcdef0123456789abcdef"),
  ),
  token(
    "linear key",
    "linear %s",
    j("lin_api_", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd"),
  ),
  token(
    "doppler token",
    "doppler %s",
    j("dp.pt.", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh"),
  ),
  token(
    "vault token",
    "VAULT %s",
    j(
      "hvs.",
      "CAESIJ1rQm9vbGVhbkFuZFRydXRoK9xP2vL7wZ3nT8yU4qR6sD1fG5hJ0kE3mN7bV2cX9zA4",
      "sL6dF8gH1jK3lP5oI7uY9tR2eW4qGh4KHGh2cy5aQ2Y",
    ),
  ),
  token(
    "grafana service account token",
    "grafana %s",
    j("glsa_", "Qm9vbGVhbkFuZFRydXRoK9xP2vL7wZ3n_a1b2c3d4"),
  ),
  token(
    "age secret key",
    "age %s",
    j(
      "AGE-SECRET-KEY-1",
      "QQPSLJ2ZK3JXGHFWQZ9D7N7F4K2TQ7YH8C6NNZ3XZ8U9Q5Q4GQ5QSJ2C3LX",
    ),
  ),
  shape(
    "azure storage account key",
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=%s;EndpointSuffix=core.windows.net",
    j(
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu",
      "Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    ),
  ),
  shape(
    "azure sas signature",
    "https://acct.blob.core.windows.net/c/f.zip?sv=2022-11-02&sp=r&se=2026-12-31&sig=%s",
    j("k3Xq7vB2nR9wLm4pZ8", "tY1uC6sD0fG5hJ%2BkE%3D"),
  ),
  token(
    "azure ad client secret",
    "client secret %s",
    j("abc8Q", "~xYz0123456789AbCdEfGhIjKlMnOpQrStU"),
  ),
  token("jwt", "cookie-less %s token", JWT),
  token("five-part jwe", "encrypted %s", JWE),
  shape("pem private key", "key:\n%s\nend", pem("RSA "), PEM_LINES),
  shape("openssh private key", "%s", pem("OPENSSH "), PEM_LINES),
  shape(
    "pem key, first half (message cut)",
    "pasted:\n%s",
    j("-----BEGIN EC PRIVATE KEY-----\n", PEM_LINES.slice(0, 2).join("\n")),
    PEM_LINES.slice(0, 2),
  ),
  shape(
    "pem key, second half (next message)",
    "%s\nthat was the rest",
    j(PEM_LINES.slice(2).join("\n"), "\n-----END EC PRIVATE KEY-----"),
    PEM_LINES.slice(2),
  ),
  shape(
    "pem key, middle lines only",
    "and then:\n%s\n(more follows)",
    PEM_LINES.slice(1, 4).join("\n"),
    PEM_LINES.slice(1, 4),
  ),
  shape("pem key wrapped in base64", "tls.key: %s", B64_PEM, [
    B64_PEM.slice(0, 40),
    B64_PEM.slice(100, 140),
  ]),
  shape(
    "url credentials",
    "git clone https://alice:%s@git.example.com/r.git",
    j("hunter2", "pwX9"),
  ),
  shape(
    "url credentials, @ in password",
    "push to https://deploy:%s@git.example.com/x.git",
    j("p@ss", "@w0rd9"),
    [j("p@ss", "@w0rd9"), j("ss", "@w0rd9"), j("w0rd", "9")],
  ),
  shape(
    "url credentials, no scheme",
    "git remote add origin deploy:%s@git.example.com:org/repo.git",
    j("Zx9pQ7", "wLm2"),
  ),
  shape(
    "postgres url",
    "DATABASE_URL=postgres://app:%s@db:5432/prod",
    j("S3cr3t!", "x9"),
  ),
  shape(
    "redis url without user",
    "REDIS_URL=redis://:%s@cache.internal:6379/0",
    j("r3dis", "Pw0rd77"),
  ),
  shape(
    "mongodb url",
    "mongodb+srv://u:%s@cluster0.example.net/",
    j("pa55", "word42"),
  ),
  shape("env password", "DB_PASSWORD=%s", j("correct-horse", "-battery")),
  shape("env _PASS", "SMTP_PASS=%s", j("mailpw", "2024x")),
  shape("env NAME_KEY", "STRIPE_KEY=%s", j("k9Xq2Lm7Pz4", "Rt8Vw1Ys6Nb3")),
  shape(
    "env _SECRET",
    "APP_SECRET=%s",
    j("a8f5f167f44f", "4964e6c998dee827110c"),
  ),
  shape(
    "env _TOKEN",
    "export SESSION_TOKEN=%s",
    j("Qm9vbGVhbk", "FuZFRydXRo42"),
  ),
  shape(
    "yaml password",
    "db:\n  password: %s\n  user: app",
    j("Tr0ub4dor", "&3xyz"),
  ),
  shape("yaml client_secret", "  client_secret: %s", j("zzTop-2024", "-Qx7")),
  shape("json apiKey", '{"apiKey": "%s"}', j("live-9f8e7d6c", "5b4a3210")),
  shape(
    "toml secret_key",
    'secret_key = "%s"',
    j("b7e1c2d9a0f3", "4e5d6c7b8a9f"),
  ),
  shape(
    "commit prefix then assignment",
    "fix: SMTP_PASS=%s in the mailer",
    j("s3ndM", "ail!99"),
  ),
  shape(
    "scoped commit prefix then _KEY",
    "chore(ci): rotate DEPLOY_KEY=%s",
    j("Dk7Pq2Xz9Lm4", "Wn8Rt3Vb6Yc1"),
  ),
  shape(
    "curl -u user:pass",
    "curl -u admin:%s https://api.example.com",
    j("Adm1n", "Pass!"),
  ),
  shape(
    "curl --user=user:pass",
    "curl --user=bob:%s https://x.example.com",
    j("b0b", "Secret7"),
  ),
  shape("mysql -pPASS", "mysql -u root -p%s prod", j("R00t", "Passw0rd")),
  shape(
    "mysqldump -p'PASS'",
    "mysqldump -u root -p'%s' app > dump.sql",
    j("Dump", "Pw9!x"),
  ),
  shape("--password=", "psql --password=%s -h db", j("PgPass", "w0rd42")),
  shape("--password PASS", "vault login --password %s", j("Vlt", "Pass99z")),
  shape("sshpass -p", "sshpass -p %s ssh root@host", j("Ssh", "Pa55wd")),
  shape(
    "docker login -p",
    "docker login -u bob -p %s registry.example.com",
    j("D0cker", "Pw2024"),
  ),
  shape(
    "authorization bearer",
    "Authorization: Bearer %s",
    j("abc.def-ghi", "_jkl123"),
  ),
  shape(
    "authorization basic",
    "-H 'Authorization: Basic %s'",
    j("YWxpY2U6", "cGFzcw=="),
  ),
  shape("x-api-key header", "x-api-key: %s", j("d41d8cd9", "8f00b204")),
  shape(
    "cookie header",
    "Cookie: session=%s",
    j("s%3AQm9vbGVh", "bkFuZFRydXRo.x9"),
  ),
  shape("PGPASSWORD quoted", 'PGPASSWORD="%s" psql', j("tr0ub4", "dor&3")),
  shape(
    "netrc password",
    "machine api.example.com login bob password %s",
    j("N3trc", "Secret"),
  ),
  shape(
    "heroku api key",
    "HEROKU_API_KEY=%s",
    j("c2d8a1f0-5e7b", "-4a3c-9d6e-1f2a3b4c5d6e"),
  ),
  shape(
    "kubernetes secret data",
    "data:\n  password: %s",
    j("czNjcjN0", "UGFzc3dvcmQ="),
  ),
];

/** Texts that look a little like a secret and are not one (the negative corpus). */
export const LOOK_ALIKES: [string, string][] = [
  [
    "certificate pem",
    j("-----BEGIN CERTIFICATE-----\n", PEM_BODY, "\n-----END CERTIFICATE-----"),
  ],
  [
    "git log line",
    "3f2b9c0 (HEAD -> main, origin/main) Fix the parser (2 hours ago)",
  ],
  [
    "full sha",
    "Fixed in 3f2b9c0d1e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c, see 3f2b9c0.",
  ],
  [
    "sha256 digest",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  ],
  [
    "integrity hash",
    '"integrity": "sha512-dPnplMyjJYpVCJDNTjpUA8c/AfoHbWANJJJWKroK50DGGhAB4Oumzk+XinBMyMMAwgOsjU9CB9lUHXDvObMVCg=="',
  ],
  ["uuid", "thread 019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b resumed"],
  [
    "uuid in json id",
    '{"id": "550e8400-e29b-41d4-a716-446655440000", "name": "x"}',
  ],
  ["kebab words", "Update the task-list and keep it risk-free; flask-app too."],
  ["npm env names", "npm_config_registry and npm_package_name are variables"],
  [
    "short prefixes",
    "kebab sk-short and sk_test_ alone, ghp_ and AIza too short.",
  ],
  ["sk-learn", "sk-learn-compatible-estimators and fc-layout are names"],
  [
    "data uri image",
    "![logo](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
  ],
  [
    "base64 of prose",
    "payload: VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZw==",
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
  ["scp-like git remote", "git@github.com:org/repo.git and git@gitlab.com:a/b"],
  [
    "plain url",
    "https://registry.npmjs.org/waypoint-codex/-/waypoint-1.2.0.tgz",
  ],
  ["url with port", "http://localhost:8080/path?page=2&sort=asc"],
  ["path", "src/context/transcripts/recent_thread.ts and ./a/b/c.md"],
  [
    "deep path",
    "/home/runner/work/waypoint/waypoint/node_modules/.deno/js-yaml@5.5.0/dist/index.js",
  ],
  ["semver and dates", "1.2.3-beta.4 on 2026-11-25T06:04:47Z"],
  ["bearer word", "Bearer tokens go in a header, the bearer said."],
  ["code assigning a call", "const token = authTokenFor(url, registry.npmrc);"],
  ["comparisons", "if token == null || password != expected { return }"],
  [
    "public key pem",
    "-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----",
  ],
  ["hex color and ids", "color #ff00aa, issue #12, PR 345, port 5432"],
  ["branch names", "feature/auth-token-refresh and fix/password-reset-flow"],
  ["oauth setting", "oauth=enabled author=alice"],
  ["lower hex 40", "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709 empty"],
  ["docker user flag", "docker run -u 1000:1000 -p 8080:80 image"],
  ["mkdir -p", "mkdir -p build/out && cp -pr a b"],
  ["git push -u", "git push -u origin main"],
  [
    "password flag without value",
    "docker login --password-stdin and --password-file ./pw",
  ],
  ["sort key", "sort_key: name, primary_key: id, cache_key=users"],
  ["time with at", "meet 10:30@office tomorrow"],
  ["email", "mail alice.smith@example.com or bob@example.org"],
  [
    "key names in prose",
    "Set STRIPE_KEY and SMTP_PASS in the environment first.",
  ],
  [
    "deno task output",
    "Task test deno test -A --parallel tests/ ok | 412 passed | 0 failed (1m3s)",
  ],
  [
    "go sum line",
    "golang.org/x/sys v0.1.0 h1:kunALQeHf1/185U1i0GOB/fy1IY/DDzVJOqIe6tDVKc=",
  ],
  [
    "css and numbers",
    "margin: 0 auto; width: calc(100% - 2rem); z-index: 1000",
  ],
  ["markdown table", "| key | value |\n| --- | --- |\n| mode | fast |"],
];

function token(name: string, template: string, secret: string): SecretShape {
  return { ...shape(name, template, secret), standalone: true };
}

function shape(
  name: string,
  template: string,
  secret: string,
  secrets: string[] = [secret],
): SecretShape {
  return { name, text: template.replace("%s", secret), secrets };
}
