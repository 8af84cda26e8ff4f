/**
 * Every shape of the secret corpus, planted where a user would leak it, run
 * through `waypoint context` as a subprocess: a Codex thread turn (reaching
 * RECENT_THREAD.md), a commit message and a branch name (RECENT_COMMITS.md,
 * UNCOMMITTED_CHANGES.md) and a doc summary (DOCS_INDEX.md). No secret may
 * reach any file waypoint writes, nor its stdout or stderr.
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
import { SECRET_SHAPES, type SecretShape } from "./support/secret_corpus.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;
/** Twelve shapes a run: 24 thread turns (the limit is 25) and 12 commits (20). */
const BATCH = 12;

async function validBranch(name: string): Promise<boolean> {
  const output = await new Deno.Command("git", {
    args: ["check-ref-format", "--branch", name],
    env: GIT_ISOLATION,
    stdout: "null",
    stderr: "null",
  }).output();
  return output.success;
}

/**
 * A shape as a branch name: its text where git takes it as one, else its
 * secret alone where that is recognisable by itself (a token); undefined
 * when neither fits (spaces, `:`, newlines, with a bare password).
 */
async function branchFor(index: number, shape: SecretShape) {
  for (
    const name of [
      `wip/${index}-${shape.text}`,
      ...(shape.standalone
        ? shape.secrets.map((s) => `wip/${index}/${s}`)
        : []),
    ]
  ) {
    if (name.length < 250 && await validBranch(name)) return name;
  }
  return undefined;
}

async function gitBin(root: string): Promise<string> {
  const bin = join(root, "bin");
  await Deno.mkdir(bin);
  const gitPath = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "command -v git"] })
      .output()).stdout,
  ).trim();
  await Deno.symlink(gitPath, join(bin, "git"));
  return bin;
}

async function readTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) {
      files[entry.name] = await Deno.readTextFile(join(dir, entry.name));
    }
  }
  return files;
}

let branches = 0;

for (let start = 0; start < SECRET_SHAPES.length; start += BATCH) {
  const batch = SECRET_SHAPES.slice(start, start + BATCH);
  Deno.test(`waypoint context leaks none of shapes ${start + 1}-${start + batch.length}`, async () => {
    const root = await Deno.realPath(await makeTempDir("waypoint-redact-"));
    try {
      const repo = join(root, "repo");
      await Deno.mkdir(repo);
      await writeRepoFile(repo, ".waypoint/config.toml", CONFIG);
      await writeRepoFile(repo, ".gitignore", ".waypoint/context/\n");
      for (const [i, shape] of batch.entries()) {
        const summary = shape.text.replaceAll("\n", " ");
        await writeRepoFile(
          repo,
          `.waypoint/docs/shape-${start + i}.md`,
          `---\nsummary: ${
            JSON.stringify(summary)
          }\nlast_updated: "2026-03-01"\nread_when:\n  - ${
            JSON.stringify(`working on ${summary}`)
          }\n---\n\n# Shape\n`,
        );
      }
      await initRepo(repo);
      await git(repo, "add", ".");
      await git(repo, "commit", "-q", "-m", "Initial");
      let current: string | undefined;
      for (const [i, shape] of batch.entries()) {
        await git(repo, "commit", "-q", "--allow-empty", "-m", shape.text);
        const branch = await branchFor(start + i, shape);
        if (branch) {
          await git(repo, "branch", branch);
          current = branch;
          branches++;
        }
      }
      if (current) await git(repo, "checkout", "-q", current);

      const home = join(root, "codex");
      await Deno.mkdir(home);
      await writeTranscript(home, {
        id: uuidV7(Date.UTC(2026, 2, 2, 9), start),
        cwd: repo,
        timestamp: "2026-03-02T09:00:00.000Z",
        // Compacted after the shapes: the turns before it are what
        // RECENT_THREAD.md restores.
        lines: [
          ...batch.flatMap((shape) => [
            message("user", shape.text),
            message("assistant", "noted"),
          ]),
          compacted(),
          message("user", "go on"),
        ],
      });

      const result = await runCli(["context", repo], {
        env: {
          ...GIT_ISOLATION,
          CODEX_THREAD_ID: undefined,
          CODEX_HOME: home,
          PATH: await gitBin(root),
        },
      });
      assert.equal(result.code, 0, result.stderr);

      const bundle = await readTree(join(repo, ".waypoint/context"));
      const index = await Deno.readTextFile(
        join(repo, ".waypoint/DOCS_INDEX.md"),
      );
      // Each place did carry the planted text (redacted in place).
      const thread = bundle["RECENT_THREAD.md"];
      const commits = bundle["RECENT_COMMITS.md"];
      for (const [i] of batch.entries()) {
        assert.match(index, new RegExp(`shape-${start + i}\\.md`));
      }
      assert.ok(
        (thread.match(/\[REDACTED\]/g) ?? []).length >= batch.length,
        thread,
      );
      assert.ok(
        (commits.match(/\[REDACTED\]/g) ?? []).length >= batch.length,
        commits,
      );
      const places: Record<string, string> = {
        ...bundle,
        "DOCS_INDEX.md": index,
        stdout: result.stdout,
        stderr: result.stderr,
      };
      const leaks: string[] = [];
      for (const shape of batch) {
        for (const secret of shape.secrets) {
          for (const [where, text] of Object.entries(places)) {
            if (text.includes(secret)) leaks.push(`${shape.name} in ${where}`);
          }
        }
      }
      assert.deepEqual(leaks, []);
    } finally {
      await removeTempDir(root);
    }
  });
}

Deno.test("most shapes were planted in a branch name too", () => {
  // Shapes with `:` or a newline cannot be branch names; the rest were.
  assert.ok(branches >= 40, `${branches} branches`);
});
