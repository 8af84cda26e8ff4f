import assert from "node:assert/strict";
import { join } from "node:path";
import { runGitBatch } from "../src/context/git_batch.ts";
import { runGit } from "../src/context/git_exec.ts";
import { git, initRepo } from "./support/git.ts";
import { makeTempDir, removeTempDir } from "./support/cli.ts";

const OPTIONS = { timeoutMs: 10_000 };

async function repoWithHistory(dir: string): Promise<void> {
  await initRepo(dir);
  await Deno.writeTextFile(join(dir, "a.txt"), "one\n");
  await git(dir, "add", "a.txt");
  await git(dir, "commit", "-q", "-m", 'it\'s $HOME `date` "quoted"');
  await Deno.writeTextFile(join(dir, "a.txt"), "two\n");
  await Deno.writeTextFile(join(dir, "b.txt"), "new\n");
}

Deno.test("a batch answers exactly as the same commands run one by one, in order, with shell words kept literal", async () => {
  const dir = await makeTempDir();
  try {
    await repoWithHistory(dir);
    const commands = [
      ["status", "--short", "--branch"],
      ["diff", "--stat"],
      // A refused subcommand keeps its place; the others still run.
      ["push", "origin"],
      ["log", "--format=%s|'$HOME'|;echo injected", "-n", "5"],
      ["config", "user.email"],
      ["config", "no.such.key"],
    ];
    const batch = await runGitBatch(dir, commands, OPTIONS);
    const single = await Promise.all(
      commands.map((args) => runGit(dir, args, OPTIONS)),
    );
    assert.deepEqual(batch, single);
    assert.equal(batch[2].kind, "error");
    assert.equal(batch[5].kind, "failed");
    assert.ok(batch[3].kind === "ok");
    assert.match(
      batch[3].stdout,
      /^it's \$HOME `date` "quoted"\|'\$HOME'\|;echo injected\n$/,
    );
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test("a batch leaves no temporary folder behind", async () => {
  const dir = await makeTempDir();
  const tmp = await makeTempDir();
  const saved = Deno.env.get("TMPDIR");
  try {
    await repoWithHistory(dir);
    Deno.env.set("TMPDIR", tmp);
    const outcomes = await runGitBatch(
      dir,
      [["status", "--short"], ["log", "-n", "1"]],
      OPTIONS,
    );
    assert.deepEqual(outcomes.map((outcome) => outcome.kind), ["ok", "ok"]);
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  } finally {
    if (saved === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", saved);
    await removeTempDir(dir);
    await removeTempDir(tmp);
  }
});
