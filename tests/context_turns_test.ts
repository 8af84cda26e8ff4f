import assert from "node:assert/strict";
import {
  clip,
  CLIP_NOTE,
  createTurnCollector,
  isBootstrapNoise,
  type Message,
  messageFromRecord,
  TURN_LIMIT,
} from "../src/context/transcripts/turns.ts";
import { compacted, message, toolCall } from "./support/codex_transcripts.ts";
import { redactSecrets } from "../src/context/redact.ts";
import { seededRandom } from "./support/random.ts";

function feed(records: Record<string, unknown>[]) {
  const collector = createTurnCollector();
  for (const record of records) {
    if (record.type === "compacted") collector.addCompaction();
    const parsed = messageFromRecord(record);
    if (parsed) collector.addMessage(parsed);
  }
  return collector.result();
}

const texts = (records: Record<string, unknown>[]) =>
  feed(records).turns.map((turn) => `${turn.role}:${turn.text}`);

Deno.test("messageFromRecord reads user and assistant text and skips everything else", () => {
  assert.deepEqual(messageFromRecord(message("user", "hello", "T1")), {
    role: "user",
    text: "hello",
    timestamp: "T1",
    source: "items",
  });
  assert.equal(messageFromRecord(message("developer", "rules")), undefined);
  assert.equal(messageFromRecord(toolCall("ls output")), undefined);
  assert.equal(messageFromRecord(compacted()), undefined);
  assert.equal(messageFromRecord(message("assistant", "   \n ")), undefined);
  assert.equal(
    messageFromRecord({ type: "response_item", payload: "not an object" }),
    undefined,
  );
  const multi = {
    type: "response_item",
    payload: {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "first" },
        { type: "input_image", image_url: "data:..." },
        { type: "input_text", text: "second" },
        { type: "input_text", text: 42 },
      ],
    },
  };
  assert.equal(messageFromRecord(multi)?.text, "first\n\nsecond");
});

Deno.test("messageFromRecord redacts secrets in message text", () => {
  const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  assert.equal(
    messageFromRecord(message("user", `use ${token} now`))?.text,
    "use [REDACTED] now",
  );
});

Deno.test("only turns before the last compaction are restored", () => {
  const result = feed([
    message("user", "a"),
    message("assistant", "b"),
    compacted(),
    message("user", "c"),
    message("assistant", "d"),
    compacted(),
    message("user", "after the last compaction"),
    message("assistant", "also after"),
  ]);
  assert.equal(result.compactions, 2);
  assert.deepEqual(
    result.turns.map((turn) => turn.text),
    ["a", "b", "c", "d"],
  );
});

Deno.test("no compaction means no turns to restore", () => {
  const result = feed([message("user", "a"), message("assistant", "b")]);
  assert.equal(result.compactions, 0);
  assert.deepEqual(result.turns, []);
});

Deno.test("consecutive messages of one role merge into one turn", () => {
  assert.deepEqual(
    texts([
      message("user", "u1", "T1"),
      message("user", "u2", "T2"),
      message("assistant", "a1"),
      toolCall("between assistant messages"),
      message("assistant", "a2"),
      message("user", "u3"),
      compacted(),
    ]),
    ["user:u1\n\nu2", "assistant:a1\n\na2", "user:u3"],
  );
  const [first] = feed([
    message("user", "u1", "T1"),
    message("user", "u2", "T2"),
    compacted(),
  ]).turns;
  assert.equal(first.timestamp, "T1");
});

Deno.test("bootstrap noise and empty messages are dropped before merging", () => {
  assert.deepEqual(
    texts([
      message("user", "# AGENTS.md instructions for /repo\n\nlots of rules"),
      message(
        "user",
        "<environment_context>\n<cwd>/repo</cwd>\n</environment_context>",
      ),
      message("assistant", "first answer"),
      message("user", "   "),
      message("assistant", "second answer"),
      message(
        "user",
        "real question mentioning # AGENTS.md instructions for x",
      ),
      compacted(),
    ]),
    [
      "assistant:first answer\n\nsecond answer",
      "user:real question mentioning # AGENTS.md instructions for x",
    ],
  );
  assert.equal(
    isBootstrapNoise({
      role: "assistant",
      text: "# AGENTS.md instructions for ",
    }),
    false,
  );
  assert.equal(
    isBootstrapNoise({
      role: "user",
      text: "\n  # AGENTS.md instructions for /x",
    }),
    true,
  );
});

Deno.test(`at most ${TURN_LIMIT} turns are kept: the last ones before the compaction`, () => {
  const records = Array.from(
    { length: 60 },
    (_, index) => message(index % 2 === 0 ? "user" : "assistant", `t${index}`),
  );
  const result = feed([...records, compacted(), ...records.slice(0, 3)]);
  assert.equal(result.turns.length, TURN_LIMIT);
  assert.equal(result.turns[0].text, "t35");
  assert.equal(result.turns.at(-1)?.text, "t59");
});

Deno.test("a merge after a compaction does not change the restored snapshot", () => {
  const collector = createTurnCollector();
  const add = (role: Message["role"], text: string) =>
    collector.addMessage({ role, text });
  add("user", "question");
  add("assistant", "answer");
  collector.addCompaction();
  add("assistant", "more after compaction");
  assert.deepEqual(
    collector.result().turns.map((turn) => turn.text),
    ["question", "answer"],
  );
});

Deno.test("clip keeps the start and the end of an over-long turn, with one note", () => {
  const long = "a".repeat(100) + "b".repeat(100);
  const clipped = clip(long, 50);
  assert.ok(clipped.startsWith("a".repeat(25) + CLIP_NOTE));
  assert.ok(clipped.endsWith(CLIP_NOTE + "b".repeat(25)));
  const again = clip(clipped + "c".repeat(30), 50);
  assert.equal(again.split(CLIP_NOTE).length, 2);
  assert.ok(again.endsWith("c".repeat(25)));
  assert.equal(clip("short", 50), "short");
});

/**
 * The collector as it was before it merged turns lazily: every message
 * redacted as it was read, merged into the previous turn of its speaker and
 * clipped at once.
 */
function eagerTurns(records: Record<string, unknown>[], limit: number) {
  let window: { role: string; text: string; timestamp?: string }[] = [];
  let snapshot: typeof window = [];
  for (const record of records) {
    if (record.type === "compacted") snapshot = window.slice();
    const parsed = messageFromRecord(record);
    if (!parsed || isBootstrapNoise(parsed)) continue;
    const text = redactSecrets(parsedText(record));
    const last = window.at(-1);
    if (last && last.role === parsed.role) {
      window[window.length - 1] = {
        ...last,
        text: clip(`${last.text}\n\n${text}`),
      };
      continue;
    }
    window.push({
      role: parsed.role,
      text: clip(text),
      timestamp: parsed.timestamp,
    });
    if (window.length > limit) window = window.slice(-limit);
  }
  return { turns: snapshot, recent: window };
}

/** The text a generated message record carries, as the transcript has it. */
function parsedText(record: Record<string, unknown>): string {
  const payload = record.payload as { content: { text: string }[] };
  return payload.content.map((part) => part.text).join("\n\n").trim();
}

Deno.test("lazily merged turns equal the eager merge, secrets redacted before every clip", () => {
  const random = seededRandom(5);
  const secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
  const words = ["short", "x".repeat(7_000), `token ${secret} here`, secret];
  for (let trial = 0; trial < 60; trial++) {
    const records: Record<string, unknown>[] = [];
    const count = Math.floor(random() * 120);
    for (let index = 0; index < count; index++) {
      if (random() < 0.05) records.push(compacted());
      const role = random() < 0.5 ? "user" : "assistant";
      const text = words[Math.floor(random() * words.length)] + ` ${index}`;
      records.push(message(role, text, `T${index}`));
    }
    const limit = 1 + Math.floor(random() * 30);
    const collector = createTurnCollector(limit);
    for (const record of records) {
      if (record.type === "compacted") collector.addCompaction();
      const parsed = messageFromRecord(record);
      if (parsed) collector.addMessage(parsed);
    }
    const lazy = collector.result();
    const eager = eagerTurns(records, limit);
    assert.deepEqual(lazy.turns, eager.turns);
    assert.deepEqual(lazy.recent, eager.recent);
    assert.equal(JSON.stringify(lazy).includes(secret), false);
  }
});
