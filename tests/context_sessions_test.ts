/**
 * `waypoint context` on transcripts written by the real Codex CLI (the
 * pinned version, run offline against the local Responses mock). The
 * hand-written fixtures elsewhere cover the older record format and hostile
 * files; these check that what Codex actually writes is read right.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import {
  type CodexSessions,
  codexSessions,
  installSessions,
  PASTED_SECRETS,
  type SessionFile,
} from "./support/codex_sessions.ts";
import { replyTo, SUMMARY_MARKER } from "./support/mock_responses.ts";
import { readThread } from "../src/context/transcripts/read.ts";
import {
  createTurnCollector,
  messageFromRecord,
} from "../src/context/transcripts/turns.ts";
import { parseJsonLine } from "../src/context/transcripts/header.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;

interface RenderedTurn {
  role: "user" | "assistant";
  text: string;
}

/** The turns of a RECENT_THREAD.md, in order. */
function renderedTurns(markdown: string): RenderedTurn[] {
  const parts = markdown.split(/^## \d+\. (User|Assistant)[^\n]*\n\n/m);
  const turns: RenderedTurn[] = [];
  for (let index = 1; index + 1 < parts.length; index += 2) {
    turns.push({
      role: parts[index] === "User" ? "user" : "assistant",
      text: parts[index + 1].trimEnd(),
    });
  }
  return turns;
}

/** The conversation a session's prompts produce with the mock: one exchange each. */
function exchanges(prompts: string[]): RenderedTurn[] {
  return prompts.flatMap((prompt) => [
    { role: "user" as const, text: prompt },
    { role: "assistant" as const, text: replyTo(prompt) },
  ]);
}

/**
 * Runs `waypoint context` on the sessions' repo with a Codex home holding
 * only `files`, and returns RECENT_THREAD.md.
 */
async function contextWith(
  sessions: CodexSessions,
  files: SessionFile[],
  env: Record<string, string | undefined> = {},
): Promise<{ thread: string; stdout: string }> {
  await writeRepoFile(sessions.repo, ".waypoint/config.toml", CONFIG);
  const home = await makeTempDir("waypoint-codex-home-");
  try {
    await installSessions(home, files);
    const result = await runCli(["context", sessions.repo], {
      env: { CODEX_THREAD_ID: undefined, ...env, CODEX_HOME: home },
    });
    assert.equal(result.code, 0, result.stderr);
    const thread = await readRepoFile(
      sessions.repo,
      ".waypoint/context/RECENT_THREAD.md",
    );
    return { thread, stdout: result.stdout + result.stderr };
  } finally {
    await removeTempDir(home);
  }
}

Deno.test("real Codex: a new session's RECENT_THREAD.md shows the end of the previous session", async () => {
  const sessions = await codexSessions();
  const { multiTurn, brandNew } = sessions;
  // The new session is the newest thread of the repo: found by cwd, and by
  // CODEX_THREAD_ID the way Codex sets it for the agent's commands.
  for (const env of [{}, { CODEX_THREAD_ID: brandNew.id }]) {
    const { thread } = await contextWith(sessions, [multiTurn, brandNew], env);
    assert.match(
      thread,
      new RegExp(
        `The current thread \`${brandNew.id}\` \\([^)]*\\) has no user turn yet \\(a new session\\)\\.`,
      ),
    );
    assert.match(thread, new RegExp(`- Previous thread: ${multiTurn.id}\n`));
    assert.match(thread, /how the previous thread in this repository ended/);
    assert.deepEqual(renderedTurns(thread), exchanges(multiTurn.prompts));
    for (
      const noise of [
        "AGENTS.md instructions",
        "<environment_context>",
        "skills_instructions",
      ]
    ) {
      assert.ok(!thread.includes(noise), noise);
    }
  }
});

Deno.test("real Codex: `waypoint context` run by the agent in its first turn restores the previous session", async () => {
  const { bootstrap, localCompaction } = await codexSessions();
  // Codex ran the command itself and gave the output back to the model.
  assert.match(
    bootstrap.commandOutput,
    /Wrote \.waypoint\/context\/RECENT_THREAD\.md/,
  );
  const thread = bootstrap.recentThread;
  // Codex exported CODEX_THREAD_ID = this session to the command.
  assert.match(
    thread,
    new RegExp(
      `The current thread \`${bootstrap.id}\` \\(named by \`--thread-id\` or \`CODEX_THREAD_ID\`\\) has not been compacted, so its conversation is still in your context\\.`,
    ),
  );
  assert.match(
    thread,
    new RegExp(`- Previous thread: ${localCompaction.id}\n`),
  );
  // The whole previous session, its turn after the compaction included.
  assert.deepEqual(renderedTurns(thread), exchanges(localCompaction.prompts));
  assert.ok(!thread.includes(SUMMARY_MARKER));
});

Deno.test("real Codex: a session without compaction restores the previous one; a subfolder session belongs to the repo", async () => {
  const sessions = await codexSessions();
  const { multiTurn, subfolder, brandNew } = sessions;
  // The subfolder session is current (newest): whole, so the one before it.
  const current = await contextWith(sessions, [multiTurn, subfolder]);
  assert.match(
    current.thread,
    new RegExp(
      `The current thread \`${subfolder.id}\` \\(the newest Codex thread started in this repository\\) has not been compacted, so its conversation is still in your context\\.`,
    ),
  );
  assert.deepEqual(renderedTurns(current.thread), exchanges(multiTurn.prompts));
  // Before a new session, the subfolder session is the previous one.
  const next = await contextWith(sessions, [multiTurn, subfolder, brandNew]);
  assert.match(next.thread, new RegExp(`- Previous thread: ${subfolder.id}\n`));
  assert.match(next.thread, /- Directory: .*\/repo\/sub\n/);
  assert.deepEqual(renderedTurns(next.thread), exchanges(subfolder.prompts));
});

for (const path of ["local", "remote"] as const) {
  Deno.test(`real Codex: after an automatic ${path} compaction the turns before it are restored, and no summary`, async () => {
    const sessions = await codexSessions();
    const compacted = path === "local"
      ? sessions.localCompaction
      : sessions.remoteCompaction;
    const { thread } = await contextWith(sessions, [
      sessions.multiTurn,
      compacted,
    ]);
    assert.match(thread, /It was compacted once/);
    assert.match(thread, new RegExp(`- Current thread: ${compacted.id}\n`));
    // Two exchanges came before the compaction; the third prompt came after.
    assert.deepEqual(
      renderedTurns(thread),
      exchanges(compacted.prompts.slice(0, 2)),
    );
    assert.ok(!thread.includes(compacted.prompts[2]));
    assert.ok(!thread.includes(SUMMARY_MARKER));
    assert.ok(!thread.includes("Another language model"));
    assert.ok(!thread.includes("CONTEXT CHECKPOINT COMPACTION"));
  });
}

Deno.test("real Codex: the local summary is in the transcript, marked, and never read as a turn", async () => {
  const { localCompaction, remoteCompaction } = await codexSessions();
  const text = await Deno.readTextFile(localCompaction.path);
  const marked = text.split("\n").map(parseJsonLine).filter((record) =>
    JSON.stringify(record?.payload ?? "").includes(SUMMARY_MARKER) &&
    record?.type === "response_item"
  );
  // The fixture really holds the case: one assistant item, flagged.
  assert.equal(marked.length, 1);
  assert.deepEqual(
    (marked[0]?.metadata as Record<string, unknown>).compaction_output,
    true,
  );
  for (const file of [localCompaction, remoteCompaction]) {
    const scan = await readThread(file.path);
    assert.equal(scan.compactions, 1);
    assert.equal(scan.userMessages, 3);
    // The whole thread, once each: replacement_history and retained_context
    // repeat earlier messages but are not turns.
    assert.deepEqual(
      scan.recent.map(({ role, text }) => ({ role, text })),
      exchanges(file.prompts),
    );
  }
});

Deno.test("real Codex: response items alone give the same conversation as the events (no double counting either way)", async () => {
  const sessions = await codexSessions();
  for (
    const file of [
      sessions.multiTurn,
      sessions.localCompaction,
      sessions.remoteCompaction,
      sessions.subfolder,
    ]
  ) {
    const items = createTurnCollector();
    const text = await Deno.readTextFile(file.path);
    for (const line of text.split("\n")) {
      const record = parseJsonLine(line);
      if (!record) continue;
      if (record.type === "compacted") items.addCompaction();
      const message = messageFromRecord(record);
      if (message) items.addMessage(message);
    }
    const fromItems = items.result();
    const scan = await readThread(file.path);
    const strip = (turns: { role: string; text: string }[]) =>
      turns.map(({ role, text }) => ({ role, text }));
    assert.deepEqual(strip(fromItems.recent), exchanges(file.prompts));
    assert.deepEqual(strip(fromItems.turns), strip(scan.turns));
  }
});

Deno.test("real Codex: pasted tokens are redacted from RECENT_THREAD.md and the terminal", async () => {
  const sessions = await codexSessions();
  const raw = await Deno.readTextFile(sessions.secrets.path);
  // Codex stores them verbatim (in prompts and the mock's echo).
  for (const secret of PASTED_SECRETS) assert.ok(raw.includes(secret));
  const { thread, stdout } = await contextWith(sessions, [
    sessions.secrets,
    sessions.brandNew,
  ]);
  for (const secret of PASTED_SECRETS) {
    assert.ok(!thread.includes(secret), "secret in RECENT_THREAD.md");
    assert.ok(!stdout.includes(secret), "secret on the terminal");
    // Not even a recognisable piece of it.
    assert.ok(!thread.includes(secret.slice(4, 20)));
  }
  const turns = renderedTurns(thread);
  assert.equal(turns.length, 4);
  assert.equal(
    turns[0].text,
    "Use this GitHub token for the release: [REDACTED]",
  );
  assert.equal(
    turns[2].text,
    "And the OpenAI key is [REDACTED] for the evals.",
  );
  assert.equal(turns[3].text, replyTo(turns[2].text));
});

Deno.test("real Codex: a transcript whose session_meta lost its id is found by the id in its file name", async () => {
  const sessions = await codexSessions();
  const root = await makeTempDir("waypoint-noid-");
  try {
    // A hostile edit of a real file: no `id` or `session_id` in its header.
    const copy = (file: SessionFile, to: string) => ({
      ...file,
      path: join(root, to, file.relative),
    });
    const altered = copy(sessions.multiTurn, "altered");
    await installSessions(join(root, "altered"), [sessions.multiTurn]);
    const text = await Deno.readTextFile(altered.path);
    const newline = text.indexOf("\n");
    const header = JSON.parse(text.slice(0, newline));
    delete header.payload.id;
    delete header.payload.session_id;
    await Deno.writeTextFile(
      altered.path,
      JSON.stringify(header) + text.slice(newline),
    );
    const { thread } = await contextWith(sessions, [
      altered,
      sessions.brandNew,
    ]);
    assert.match(
      thread,
      new RegExp(`- Previous thread: ${sessions.multiTurn.id}\n`),
    );
    assert.deepEqual(
      renderedTurns(thread),
      exchanges(sessions.multiTurn.prompts),
    );
    // And by CODEX_THREAD_ID, which only the name carries now.
    const byId = await contextWith(sessions, [altered], {
      CODEX_THREAD_ID: sessions.multiTurn.id,
    });
    assert.match(
      byId.thread,
      new RegExp(`The current thread \`${sessions.multiTurn.id}\``),
    );
  } finally {
    await removeTempDir(root);
  }
});

Deno.test("real Codex: with no earlier thread in the repo, one line says there is nothing to restore", async () => {
  const sessions = await codexSessions();
  const { thread } = await contextWith(sessions, [sessions.brandNew]);
  assert.equal(
    thread,
    `# Recent Thread\n\nThe current thread \`${sessions.brandNew.id}\` (the newest Codex thread started in this repository) has no user turn yet (a new session). No earlier Codex thread with any conversation was started in this repository, so there is nothing to restore.\n`,
  );
});
