/**
 * `waypoint context` with secrets planted in every source the bundle reads:
 * the Codex thread, commit messages, a branch name, untracked file names, a
 * nested repo's commits and a pull request title. None may reach any bundle
 * file or the terminal.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";
import {
  makeTempDir,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import {
  compacted,
  message,
  uuidV7,
  writeTranscript,
} from "./support/codex_transcripts.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;

// Built by concatenation so no complete secret sits in the source.
const SECRETS = {
  thread: "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
  threadAws: "AKIA" + "IOSFODNN7EXAMPLE",
  commit: "glpat-" + "xY9zAbCdEfGh12345678",
  commitBody: "hunter2" + "pw",
  branch: "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
  untracked: "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
  nested: "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
  pullRequest: "sk-" + "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
};

Deno.test("no planted secret reaches any bundle file or the terminal", async () => {
  const root = await Deno.realPath(await makeTempDir("waypoint-ctx-secret-"));
  try {
    const repo = join(root, "repo");
    await Deno.mkdir(repo);
    await writeRepoFile(repo, ".waypoint/config.toml", CONFIG);
    await writeRepoFile(repo, ".gitignore", ".waypoint/context/\n");
    await initRepo(repo);
    await git(repo, "add", ".");
    await git(
      repo,
      "commit",
      "-q",
      "-m",
      `Use ${SECRETS.commit} for CI`,
      "-m",
      `DB_PASSWORD=${SECRETS.commitBody}`,
    );
    await git(repo, "checkout", "-q", "-b", `fix/${SECRETS.branch}`);
    await writeRepoFile(repo, `notes-${SECRETS.untracked}.txt`, "x\n");
    const nested = join(repo, "vendor", "lib");
    await Deno.mkdir(nested, { recursive: true });
    await initRepo(nested);
    await git(
      nested,
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      `token ${SECRETS.nested}`,
    );

    const home = join(root, "codex");
    await Deno.mkdir(home);
    await writeTranscript(home, {
      id: uuidV7(Date.UTC(2026, 2, 2, 9), 7),
      cwd: repo,
      timestamp: "2026-03-02T09:00:00.000Z",
      lines: [
        message("user", `use ${SECRETS.thread} and ${SECRETS.threadAws}`),
        message("assistant", "noted"),
        compacted(),
        message("user", `again ${SECRETS.thread}`),
        message("assistant", "done"),
      ],
    });

    const bin = join(root, "bin");
    await Deno.mkdir(bin);
    const gitPath = new TextDecoder().decode(
      (await new Deno.Command("sh", { args: ["-c", "command -v git"] })
        .output()).stdout,
    ).trim();
    await Deno.symlink(gitPath, join(bin, "git"));
    await Deno.writeTextFile(
      join(bin, "gh"),
      `#!/bin/sh
case "$*" in
  *"--state open"*) echo '[{"number":12,"title":"Rotate ${SECRETS.pullRequest}","url":"https://example.test/pr/12","headRefName":"rotate","updatedAt":"2026-03-01T10:00:00Z"}]' ;;
  *) echo '[]' ;;
esac
`,
    );
    await Deno.chmod(join(bin, "gh"), 0o755);

    const result = await runCli(["context", repo], {
      env: {
        ...GIT_ISOLATION,
        CODEX_THREAD_ID: undefined,
        CODEX_HOME: home,
        PATH: bin,
      },
    });
    assert.equal(result.code, 0, result.stderr);

    const bundle: Record<string, string> = {};
    for await (const entry of Deno.readDir(join(repo, ".waypoint/context"))) {
      bundle[entry.name] = await Deno.readTextFile(
        join(repo, ".waypoint/context", entry.name),
      );
    }
    // The sections did see the planted data (redacted in place).
    assert.match(bundle["RECENT_COMMITS.md"], /Use \[REDACTED\] for CI/);
    assert.match(bundle["UNCOMMITTED_CHANGES.md"], /fix\/\[REDACTED\]/);
    assert.match(bundle["UNCOMMITTED_CHANGES.md"], /notes-/);
    assert.match(bundle["NESTED_REPOS.md"], /\[REDACTED\]/);
    assert.match(bundle["PULL_REQUESTS.md"], /Rotate \[REDACTED\]/);
    assert.match(
      bundle["RECENT_THREAD.md"],
      /use \[REDACTED\] and \[REDACTED\]/,
    );
    const everything = [
      result.stdout,
      result.stderr,
      ...Object.values(bundle),
    ].join("\n");
    for (const [where, secret] of Object.entries(SECRETS)) {
      assert.ok(!everything.includes(secret), `${where} secret leaked`);
    }
  } finally {
    await removeTempDir(root);
  }
});
