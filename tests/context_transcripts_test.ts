import assert from "node:assert/strict";
import { join } from "node:path";
import {
  findRepoThreads,
  searchRepoThreads,
  selectSession,
} from "../src/context/transcripts/find.ts";
import {
  idFromName,
  readHeader,
  uuidV7Time,
} from "../src/context/transcripts/header.ts";
import {
  oversizedMessage,
  readThread,
  topLevelType,
} from "../src/context/transcripts/read.ts";
import { readLines } from "../src/context/transcripts/lines.ts";
import { recentThread } from "../src/context/recent_thread.ts";
import {
  DirListings,
  nameTime,
  walkTranscripts,
} from "../src/context/transcripts/walk.ts";
import { makeTempDir, removeTempDir } from "./support/cli.ts";
import {
  compacted,
  eventMessage,
  message,
  sessionMeta,
  toolCall,
  turns,
  uuidV7,
  writeTranscript,
} from "./support/codex_transcripts.ts";

/** A temp dir holding a repo folder and a Codex home; removed afterwards. */
async function withWorld(
  fn: (world: { root: string; repo: string; home: string }) => Promise<void>,
): Promise<void> {
  const root = await Deno.realPath(await makeTempDir("waypoint-ctx-"));
  const repo = join(root, "repo");
  const home = join(root, "codex");
  await Deno.mkdir(join(repo, "src"), { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  try {
    await fn({ root, repo, home });
  } finally {
    await removeTempDir(root);
  }
}

const id = (n: number) => `0000000${n}-0000-4000-8000-00000000000${n}`;

async function selectedId(
  options: Parameters<typeof selectSession>[0],
): Promise<string | undefined> {
  const selection = await selectSession(options);
  return selection.kind === "found" ? selection.header.id : undefined;
}

Deno.test("selection picks the newest session whose cwd is the repo or below it", async () => {
  await withWorld(async ({ root, repo, home }) => {
    await Deno.mkdir(join(root, "repo-other"));
    await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(2),
      cwd: join(repo, "src"),
      timestamp: "2026-03-02T10:00:00.000Z",
    });
    // Newer, but elsewhere: a sibling whose name merely starts like the repo, and another project.
    await writeTranscript(home, {
      id: id(3),
      cwd: join(root, "repo-other"),
      timestamp: "2026-03-03T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(4),
      cwd: "/somewhere/else",
      timestamp: "2026-03-04T10:00:00.000Z",
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(2));
    assert.equal(
      await selectedId({ codexHome: home, repoRoot: join(repo, "src") }),
      id(2),
    );
    assert.equal(
      await selectedId({ codexHome: home, repoRoot: join(root, "repo-other") }),
      id(3),
    );
  });
});

Deno.test("selection compares real paths: a repo reached through a symlink matches", async () => {
  await withWorld(async ({ root, repo, home }) => {
    const link = join(root, "link-to-repo");
    await Deno.symlink(repo, link);
    await writeTranscript(home, {
      id: id(1),
      cwd: link,
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(1));
    await writeTranscript(home, {
      id: id(2),
      cwd: repo,
      timestamp: "2026-03-02T10:00:00.000Z",
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: link }), id(2));
  });
});

Deno.test("a session whose cwd no longer exists is compared by its resolved path", async () => {
  await withWorld(async ({ repo, home }) => {
    await writeTranscript(home, {
      id: id(1),
      cwd: join(repo, "deleted", "dir"),
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(2),
      cwd: "/no/such/place/at/all",
      timestamp: "2026-03-05T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(3),
      cwd: "relative/path",
      timestamp: "2026-03-06T10:00:00.000Z",
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(1));
  });
});

Deno.test("selection orders by header timestamp, not by file name", async () => {
  await withWorld(async ({ repo, home }) => {
    // A file name in a local time zone 10 hours behind UTC.
    await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: "2026-03-01T20:00:00.000Z",
      nameTimestamp: "2026-03-01T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(2),
      cwd: repo,
      timestamp: "2026-03-01T15:00:00.000Z",
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(1));
  });
});

Deno.test("archived sessions and files with unparsable names are candidates", async () => {
  await withWorld(async ({ repo, home }) => {
    await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    await writeTranscript(home, {
      id: id(2),
      cwd: repo,
      timestamp: "2026-03-02T10:00:00.000Z",
      archived: true,
    });
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(2));
    // Named without a date and filed in an old folder, but the newest by header.
    await writeTranscript(home, {
      id: id(3),
      cwd: repo,
      timestamp: "2026-03-03T10:00:00.000Z",
      nameTimestamp: "2020-01-01T00:00:00.000Z",
      name: "my-session.jsonl",
    });
    const path = join(home, "sessions", "imported", "x.jsonl");
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(
      path,
      JSON.stringify(sessionMeta(id(4), repo, "2026-03-04T10:00:00.000Z")) +
        "\n",
    );
    assert.equal(await selectedId({ codexHome: home, repoRoot: repo }), id(4));
  });
});

Deno.test("selection stops reading headers once names are older than the best match", async () => {
  await withWorld(async ({ repo, home }) => {
    for (let day = 1; day <= 40; day++) {
      const date = `2026-02-${String((day % 28) + 1).padStart(2, "0")}`;
      const month = day > 28 ? "03" : "02";
      await writeTranscript(home, {
        id: id(day % 10) + day,
        cwd: repo,
        timestamp: `2026-${month}-${date.slice(8)}T10:00:00.000Z`,
      });
    }
    const selection = await selectSession({ codexHome: home, repoRoot: repo });
    assert.equal(selection.kind, "found");
    assert.ok(selection.scanned <= 16, `scanned ${selection.scanned} of 40`);
    if (selection.kind === "found") {
      assert.equal(selection.header.timestamp, "2026-03-13T10:00:00.000Z");
    }
  });
});

Deno.test("--thread-id selects by header id, wherever the file is", async () => {
  await withWorld(async ({ repo, home }) => {
    const time = Date.UTC(2026, 2, 1, 10);
    const v7 = uuidV7(time, 1);
    assert.equal(uuidV7Time(v7), time);
    await writeTranscript(home, {
      id: v7,
      cwd: "/elsewhere",
      timestamp: new Date(time).toISOString(),
    });
    await writeTranscript(home, {
      id: id(2),
      cwd: repo,
      timestamp: "2026-03-05T10:00:00.000Z",
    });
    assert.equal(
      await selectedId({ codexHome: home, repoRoot: repo, threadId: v7 }),
      v7,
    );
    // A renamed file is still found through its header.
    await writeTranscript(home, {
      id: id(3),
      cwd: "/x",
      timestamp: "2026-01-05T10:00:00.000Z",
      name: "renamed.jsonl",
    });
    assert.equal(
      await selectedId({ codexHome: home, repoRoot: repo, threadId: id(3) }),
      id(3),
    );
    // A file named with the id whose header says otherwise is not that thread.
    await writeTranscript(home, {
      id: id(5),
      cwd: repo,
      timestamp: "2026-01-06T10:00:00.000Z",
      name: `rollout-2026-01-06T10-00-00-${id(6)}.jsonl`,
    });
    const missing = await selectSession({
      codexHome: home,
      repoRoot: repo,
      threadId: id(6),
    });
    assert.equal(missing.kind, "none");
  });
});

Deno.test("a missing or empty CODEX_HOME finds nothing without failing", async () => {
  await withWorld(async ({ root, repo, home }) => {
    const absent = await selectSession({
      codexHome: join(root, "absent"),
      repoRoot: repo,
    });
    assert.deepEqual([absent.kind, absent.scanned], ["none", 0]);
    const empty = await selectSession({ codexHome: home, repoRoot: repo });
    assert.deepEqual([empty.kind, empty.scanned], ["none", 0]);
    await Deno.writeTextFile(join(home, "sessions"), "not a directory");
    const notDir = await selectSession({
      codexHome: home,
      repoRoot: repo,
      threadId: id(1),
    });
    assert.equal(notDir.kind, "none");
  });
});

Deno.test("symlink loops, unreadable entries, FIFOs and junk headers are skipped", async () => {
  await withWorld(async ({ repo, home }) => {
    const good = await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    const sessions = join(home, "sessions");
    await Deno.symlink(sessions, join(sessions, "2026", "loop"));
    await Deno.symlink(join(home, "b"), join(home, "a"));
    await Deno.symlink(join(home, "a"), join(home, "b"));
    await Deno.symlink(join(home, "a"), join(sessions, "ab-loop"));
    await Deno.symlink(
      join(home, "nothing.jsonl"),
      join(sessions, "dangling.jsonl"),
    );
    await Deno.mkdir(join(sessions, "2026", "03", "02", "dir.jsonl"), {
      recursive: true,
    });
    await Deno.writeTextFile(join(sessions, "empty.jsonl"), "");
    await Deno.writeTextFile(
      join(sessions, "junk.jsonl"),
      "{not json\n\u0000\u0001\n",
    );
    await Deno.writeTextFile(join(sessions, "array.jsonl"), "[1,2]\n");
    const locked = join(sessions, "locked.jsonl");
    await Deno.writeTextFile(
      locked,
      JSON.stringify(sessionMeta(id(9), repo, "2026-12-01T00:00:00.000Z")) +
        "\n",
    );
    await Deno.chmod(locked, 0o000);
    const fifo = await new Deno.Command("mkfifo", {
      args: [join(sessions, "pipe.jsonl")],
    })
      .output().catch(() => undefined);
    const selection = await selectSession({ codexHome: home, repoRoot: repo });
    assert.equal(selection.kind, "found");
    if (selection.kind === "found") {
      // Root can read a mode-000 file; anyone else must skip it.
      const expected = Deno.uid() === 0 ? id(9) : id(1);
      assert.equal(selection.header.id, expected);
      if (expected === id(1)) assert.equal(selection.path, good);
    }
    assert.equal(fifo === undefined || fifo.success, true);
    const byId = await selectSession({
      codexHome: home,
      repoRoot: repo,
      threadId: id(7),
    });
    assert.equal(byId.kind, "none");
    const walk = walkTranscripts([sessions]);
    let files = 0;
    while (walk.next()) files++;
    assert.ok(files >= 5 && files < 50, `walked ${files} files`);
  });
});

Deno.test("readHeader reads a header longer than one read, and none from a headerless file", async () => {
  await withWorld(async ({ repo, home }) => {
    const big = await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: "2026-03-01T10:00:00.000Z",
    });
    const meta = sessionMeta(id(1), repo, "2026-03-01T10:00:00.000Z", {
      instructions: "x".repeat(300_000),
    });
    await Deno.writeTextFile(
      big,
      JSON.stringify(meta) + "\n" + JSON.stringify(message("user", "hi")) +
        "\n",
    );
    assert.equal((await readHeader(big))?.id, id(1));
    const late = join(home, "late.jsonl");
    await Deno.writeTextFile(
      late,
      [
        JSON.stringify(message("user", "hi")),
        JSON.stringify(sessionMeta(id(2), repo, "2026-03-01T10:00:00Z")),
      ].join("\n"),
    );
    assert.equal((await readHeader(late))?.id, id(2));
    const none = join(home, "none.jsonl");
    await Deno.writeTextFile(
      none,
      JSON.stringify(message("user", "hi")) + "\n",
    );
    assert.equal(await readHeader(none), undefined);
  });
});

Deno.test("nameTime and uuidV7Time read Codex names and ids", () => {
  assert.equal(
    nameTime(
      "rollout-2026-01-31T09-15-02-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl",
    ),
    Date.UTC(2026, 0, 31, 9, 15, 2),
  );
  assert.equal(nameTime("notes.jsonl"), undefined);
  assert.equal(nameTime("rollout-2026-13-31T09-15-02.jsonl"), undefined);
  assert.equal(uuidV7Time("0000000a-0000-4000-8000-000000000000"), undefined);
  assert.equal(uuidV7Time("not-a-uuid"), undefined);
});

async function writeLines(path: string, lines: (string | Uint8Array)[]) {
  const encoder = new TextEncoder();
  const parts = lines.map((line) =>
    typeof line === "string" ? encoder.encode(line) : line
  );
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  await Deno.writeFile(path, bytes);
}

const line = (record: Record<string, unknown>) => JSON.stringify(record) + "\n";

Deno.test("readThread skips malformed lines and a truncated last line", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "t.jsonl");
    const cut = line(message("user", "cut off")).slice(0, 30);
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      line(message("user", "q1")),
      "{this is not json}\n",
      "\n",
      "42\n",
      line(message("assistant", "a1")),
      line(compacted()),
      cut,
    ]);
    const scan = await readThread(path);
    assert.deepEqual(scan.turns.map((turn) => turn.text), ["q1", "a1"]);
    assert.equal(scan.malformedLines, 3);
    assert.equal(scan.compactions, 1);
  });
});

Deno.test("readThread tolerates non-UTF-8 bytes", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "t.jsonl");
    const [before, after] = line(message("user", "caf__ bytes")).split("__");
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      before,
      new Uint8Array([0xc3, 0x28, 0xff]),
      after,
      new Uint8Array([0xfe, 0xff, 0x00, 0x0a]),
      line(message("assistant", "fine")),
      line(compacted()),
    ]);
    const scan = await readThread(path);
    assert.equal(scan.turns.length, 2);
    assert.ok(scan.turns[0].text.startsWith("caf\ufffd"));
    assert.equal(scan.turns[1].text, "fine");
    assert.equal(scan.malformedLines, 1);
  });
});

Deno.test("readThread handles 20 MB single lines: tool output, a huge message, a huge compaction", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "t.jsonl");
    const huge = "y".repeat(20 * 1024 * 1024);
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      line(message("user", "q1")),
      line(toolCall(huge)),
      line(message("assistant", "a1")),
      line(
        message(
          "user",
          "Please read this log: " + "word ".repeat(4 * 1024 * 1024),
        ),
      ),
      line(message("assistant", "a2")),
      line({ ...compacted(huge), type: "compacted" }),
      line(message("user", "after")),
    ]);
    const scan = await readThread(path);
    assert.equal(scan.compactions, 1);
    assert.equal(scan.oversizedLines, 3);
    assert.deepEqual(scan.turns.map((turn) => turn.role), [
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    assert.equal(scan.turns[1].text, "a1");
    // The huge message keeps its start, shortened and marked.
    assert.match(
      scan.turns[2].text,
      /^Please read this log: (word ){1000,}word\n\n\[… message of 20\.0 MB shortened …\]$/,
    );
    assert.equal(scan.malformedLines, 0);
  });
});

Deno.test("readLines splits lines across chunk boundaries and caps long lines", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "lines.txt");
    await Deno.writeTextFile(
      path,
      "alpha\nbeta-beta-beta\n\n" + "z".repeat(50) + "\nlast",
    );
    const file = await Deno.open(path);
    const out: string[] = [];
    for await (
      const item of readLines(file, {
        maxLineBytes: 20,
        chunkBytes: 4,
        prefixBytes: 5,
      })
    ) {
      out.push(
        item.kind === "text"
          ? item.text
          : `oversized:${item.prefix}:${item.bytes}`,
      );
    }
    file.close();
    assert.deepEqual(out, [
      "alpha",
      "beta-beta-beta",
      "",
      "oversized:zzzzz:50",
      "last",
    ]);
    // The same with one chunk holding every line whole.
    const whole = await Deno.open(path);
    const again: string[] = [];
    for await (
      const item of readLines(whole, {
        maxLineBytes: 20,
        chunkBytes: 1024,
        prefixBytes: 5,
      })
    ) {
      again.push(
        item.kind === "text"
          ? item.text
          : `oversized:${item.prefix}:${item.bytes}`,
      );
    }
    whole.close();
    assert.deepEqual(again, out);
  });
});

Deno.test("oversizedMessage keeps the start of a huge message and its role", () => {
  const token = "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  const line = JSON.stringify(
    message("assistant", `Quote \"x\" then ${token} é ${"w".repeat(100)}`),
  );
  const start = line.indexOf("Quote");
  for (const cut of [20, 40, 41, 42, 43, 44, 45, 60, 150]) {
    const result = oversizedMessage(
      line.slice(0, start + cut),
      3 * 1024 * 1024,
    );
    assert.equal(result?.role, "assistant");
    assert.ok(result?.text.startsWith("Quote "), result?.text);
    assert.ok(!result?.text.includes(token.slice(0, 7)), result?.text);
    assert.match(result?.text ?? "", /\[… message of 3\.0 MB shortened …\]$/);
  }
  assert.equal(oversizedMessage(JSON.stringify(toolCall("zzz")), 5), undefined);
  assert.equal(
    oversizedMessage(
      '{"type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_image"',
      2 * 1024 * 1024,
    )?.text,
    "[A message of 2.0 MB was too large to restore.]",
  );
});

Deno.test("topLevelType finds the top-level type key in a line prefix", () => {
  assert.equal(
    topLevelType('{"timestamp":"x","type":"compacted","payload":{"message":"'),
    "compacted",
  );
  assert.equal(
    topLevelType(
      '{"payload":{"type":"message","x":"\\"type\\":1"},"type":"response_item"',
    ),
    "response_item",
  );
  assert.equal(
    topLevelType('{"payload":{"type":"message","text":"aaaa'),
    undefined,
  );
});

Deno.test("a transcript without compaction restores nothing; turns() helper alternates roles", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "t.jsonl");
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      ...turns(4).map(line),
    ]);
    const scan = await readThread(path);
    assert.deepEqual([scan.compactions, scan.turns.length], [0, 0]);
  });
});

Deno.test("older transcripts write each message twice (response item and event): each counts once", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "old.jsonl");
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      line(message("user", "# AGENTS.md instructions for /r\n\nrules")),
      line(
        eventMessage("user", "<environment_context>x</environment_context>", {
          kind: "environment_context",
        }),
      ),
      line(message("user", "q1")),
      line(eventMessage("user", "q1", { kind: "plain" })),
      line(message("assistant", "a1")),
      line(eventMessage("assistant", "a1")),
      line(message("user", "q2")),
      line(eventMessage("user", "q2")),
      line(eventMessage("assistant", "a2")),
      line(message("assistant", "a2")),
      line({
        ...compacted("the summary"),
        payload: {
          message: "the summary",
          replacement_history: [message("user", "q1").payload],
        },
      }),
      line(message("user", "q3")),
      line(eventMessage("user", "q3")),
    ]);
    const scan = await readThread(path);
    assert.equal(scan.compactions, 1);
    assert.deepEqual(scan.turns.map((turn) => turn.text), [
      "q1",
      "a1",
      "q2",
      "a2",
    ]);
    assert.deepEqual(scan.recent.map((turn) => turn.text), [
      "q1",
      "a1",
      "q2",
      "a2",
      "q3",
    ]);
    assert.equal(scan.userMessages, 3);
  });
});

Deno.test("a huge event message is shortened like a huge response item", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "huge-event.jsonl");
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      line(eventMessage("user", "Log follows: " + "z ".repeat(400_000))),
      line({
        type: "event_msg",
        payload: {
          type: "item_completed",
          item: {
            type: "AgentMessage",
            content: [{
              type: "Text",
              text: "Read it. " + "k ".repeat(400_000),
            }],
          },
        },
      }),
    ]);
    const scan = await readThread(path);
    assert.equal(scan.oversizedLines, 2);
    assert.deepEqual(scan.recent.map((turn) => turn.role), [
      "user",
      "assistant",
    ]);
    assert.match(
      scan.recent[0].text,
      /^Log follows: (z )+z\n\n\[… message of 0\.8 MB shortened …\]$/,
    );
    assert.match(scan.recent[1].text, /^Read it\. (k )+/);
  });
});

Deno.test("findRepoThreads lists the repo's threads newest first, before a given one, without subagents", async () => {
  await withWorld(async ({ repo, home }) => {
    const at = (day: number) =>
      `2026-03-${String(day).padStart(2, "0")}T10:00:00.000Z`;
    for (const day of [1, 2, 3, 4, 5]) {
      await writeTranscript(home, {
        id: id(day),
        cwd: repo,
        timestamp: at(day),
      });
    }
    await writeTranscript(home, {
      id: id(7),
      cwd: "/elsewhere",
      timestamp: at(7),
    });
    const subagent = join(home, "sessions", "2026", "03", "06", "sub.jsonl");
    await Deno.mkdir(join(subagent, ".."), { recursive: true });
    await writeLines(subagent, [
      line(sessionMeta(id(6), repo, at(6), { source: { subagent: "review" } })),
    ]);
    const ids = async (options: { count: number; before?: number }) =>
      (await findRepoThreads({
        codexHome: home,
        repoRoot: repo,
        count: options.count,
        before: options.before === undefined ? undefined : {
          id: id(options.before),
          cwd: repo,
          timestamp: at(options.before),
          time: Date.parse(at(options.before)),
        },
      })).threads.map((thread) => thread.header.id);
    assert.deepEqual(await ids({ count: 3 }), [id(5), id(4), id(3)]);
    assert.deepEqual(await ids({ count: 2, before: 4 }), [id(3), id(2)]);
    assert.deepEqual(await ids({ count: 9, before: 1 }), []);
  });
});

Deno.test("searchRepoThreads gives the same order as findRepoThreads and reads only the headers each thread needs", async () => {
  await withWorld(async ({ repo, home }) => {
    // Forty days, two sessions a day: the repo's at 10:00, another at 11:00,
    // and two repo sessions at the same second on day 20 (ties go by path).
    const at = (day: number, hour: number) =>
      new Date(Date.UTC(2026, 2, day, hour)).toISOString();
    let n = 0;
    for (let day = 1; day <= 40; day++) {
      await writeTranscript(home, {
        id: uuidV7(Date.parse(at(day, 10)), ++n),
        cwd: repo,
        timestamp: at(day, 10),
      });
      await writeTranscript(home, {
        id: uuidV7(Date.parse(at(day, 11)), ++n),
        cwd: "/elsewhere",
        timestamp: at(day, 11),
      });
    }
    await writeTranscript(home, {
      id: uuidV7(Date.parse(at(20, 10)), ++n),
      cwd: join(repo, "src"),
      timestamp: at(20, 10),
    });
    const all = await findRepoThreads({
      codexHome: home,
      repoRoot: repo,
      count: 1000,
    });
    assert.equal(all.threads.length, 41);
    const search = searchRepoThreads({ codexHome: home, repoRoot: repo });
    const first = await search.next();
    assert.equal(first?.path, all.threads[0].path);
    // The newest thread needs the headers within a day and two hours of it
    // (names are local time), read eight at a time: nowhere near all 81.
    assert.ok(search.scanned() <= 16, `read ${search.scanned()} headers`);
    const rest: string[] = [];
    for (let found = await search.next(); found; found = await search.next()) {
      rest.push(found.path);
    }
    assert.deepEqual(
      [first!.path, ...rest],
      all.threads.map((thread) => thread.path),
    );
    assert.equal(search.scanned(), 81);
  });
});

Deno.test("walks sharing DirListings list each folder once", async () => {
  await withWorld(async ({ repo, home }) => {
    for (const day of [1, 2, 3]) {
      await writeTranscript(home, {
        id: id(day),
        cwd: repo,
        timestamp: `2026-03-0${day}T10:00:00.000Z`,
      });
    }
    const roots = [join(home, "sessions")];
    const names = (walk: ReturnType<typeof walkTranscripts>) => {
      const found: string[] = [];
      for (let next = walk.next(); next; next = walk.next()) {
        found.push(next.name);
      }
      return found;
    };
    const listings = new DirListings();
    const first = names(walkTranscripts(roots, listings));
    assert.equal(first.length, 3);
    // Gone from disk, the folders are still listed from the first walk.
    await Deno.remove(join(home, "sessions"), { recursive: true });
    assert.deepEqual(names(walkTranscripts(roots, listings)), first);
    assert.deepEqual(names(walkTranscripts(roots)), []);
  });
});

Deno.test("idFromName reads the uuid at the end of a Codex file name", () => {
  assert.equal(
    idFromName(
      "rollout-2026-11-25T06-05-13-01a2114e-e5aa-7242-b5e1-95ae1e5980d5.jsonl",
    ),
    "01a2114e-e5aa-7242-b5e1-95ae1e5980d5",
  );
  assert.equal(idFromName("notes.jsonl"), undefined);
  assert.equal(
    idFromName("rollout-01a2114e-e5aa-7242-b5e1-95ae1e5980d5.json"),
    undefined,
  );
});

Deno.test("readThread stops at its byte limit and says so; a file within it is read whole", async () => {
  await withWorld(async ({ home }) => {
    const path = join(home, "long.jsonl");
    const exchanges = Array.from(
      { length: 2000 },
      (_, index) =>
        line(message(index % 2 ? "assistant" : "user", `m${index}`)),
    );
    await writeLines(path, [
      line(sessionMeta(id(1), "/r", "2026-03-01T10:00:00Z")),
      ...exchanges,
    ]);
    const size = (await Deno.stat(path)).size;
    const whole = await readThread(path, size);
    assert.equal(whole.cutOff, false);
    assert.equal(whole.recent.at(-1)?.text, "m1999");
    const cut = await readThread(path, 65_536);
    assert.equal(cut.cutOff, true);
    assert.ok(cut.messages < 2000 && cut.messages > 100, `${cut.messages}`);
  });
});

Deno.test("the previous thread is the newest earlier one with a user turn: empty sessions are passed over", async () => {
  await withWorld(async ({ repo, home }) => {
    const at = (day: number) => `2026-04-0${day}T10:00:00.000Z`;
    await writeTranscript(home, {
      id: id(1),
      cwd: repo,
      timestamp: at(1),
      lines: [message("user", "the real work"), message("assistant", "done")],
    });
    // Opened and closed without a word, twice.
    await writeTranscript(home, { id: id(2), cwd: repo, timestamp: at(2) });
    await writeTranscript(home, {
      id: id(3),
      cwd: repo,
      timestamp: at(3),
      lines: [message("assistant", "nobody asked")],
    });
    // The current one: under way, not compacted.
    await writeTranscript(home, {
      id: id(4),
      cwd: repo,
      timestamp: at(4),
      lines: [message("user", "next step")],
    });
    const text = await recentThread({ codexHome: home, repoRoot: repo });
    assert.match(text, new RegExp(`The current thread \`${id(4)}\``));
    assert.match(text, new RegExp(`- Previous thread: ${id(1)}\n`));
    assert.match(
      text,
      /## 1\. User[^\n]*\n\nthe real work\n\n## 2\. Assistant[^\n]*\n\ndone\n$/,
    );
    assert.ok(!text.includes("next step"));
    // Named explicitly, an older thread's predecessor is the one before it.
    const named = await recentThread({
      codexHome: home,
      repoRoot: repo,
      threadId: id(2),
    });
    assert.match(named, /has no user turn yet \(a new session\)/);
    assert.match(named, new RegExp(`- Previous thread: ${id(1)}\n`));
  });
});
