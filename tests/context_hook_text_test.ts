/**
 * The hook text's budget and safety, unit by unit: control characters made
 * visible, cuts that never overshoot, a budget shared without exceeding it
 * whatever the sections hold, and a payload parser that keeps only fields
 * of the right shape.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  allocate,
  CUT_MARKER,
  cutToFit,
  visibleText,
} from "../src/context/hook_budget.ts";
import {
  HOOK_HEADING,
  type HookFacts,
  renderHookText,
} from "../src/context/hook_text.ts";
import { parseHookInput } from "../src/context/hook_input.ts";
import { hookJson } from "../src/cli/context_hook.ts";
import { activeGoal } from "../src/context/hook_facts.ts";
import { seededRandom } from "./support/random.ts";

Deno.test("visibleText keeps newlines and tabs and shows every other control", () => {
  assert.equal(visibleText("a\r\nb\tc\n"), "a\nb\tc\n");
  assert.equal(
    visibleText("\u0000\u0007\u001b\r\u007f"),
    "\u2400\u2407\u241b\u240d\u2421",
  );
  assert.equal(visibleText("x\u0085\u009by"), "x<U+0085><U+009B>y");
  assert.equal(
    visibleText("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    "<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069>",
  );
  assert.equal(
    visibleText("zero\u200bwidth, tag \u{e0041}, bom \ufeff"),
    "zero<U+200B>width, tag <U+E0041>, bom <U+FEFF>",
  );
  assert.equal(visibleText("lone \ud800 and \udc00"), "lone \ufffd and \ufffd");
  assert.equal(visibleText("pair \ud83d\ude00"), "pair \ud83d\ude00");
});

Deno.test("cutToFit never returns more than the limit and marks every cut", () => {
  const random = seededRandom(7);
  for (let trial = 0; trial < 2_000; trial++) {
    const length = Math.floor(random() * 5_000);
    const text = Array.from(
      { length },
      () => random() < 0.05 ? "\n" : random() < 0.02 ? "\ud83d\ude00" : "a",
    ).join("");
    const limit = Math.floor(random() * 3_000);
    const cut = cutToFit(text, limit);
    assert.ok(cut.length <= limit, `${cut.length} > ${limit}`);
    if (cut !== text && cut !== "") assert.ok(cut.endsWith(CUT_MARKER));
    assert.equal(cut, cut.toWellFormed());
  }
});

Deno.test("allocate keeps the sum within the budget and gives leftovers by priority", () => {
  const random = seededRandom(11);
  for (let trial = 0; trial < 500; trial++) {
    const sections = Array.from(
      { length: 1 + Math.floor(random() * 7) },
      () => {
        const text = "x".repeat(Math.floor(random() * 20_000));
        return {
          natural: text.length,
          share: random() * 0.5,
          priority: Math.floor(random() * 5),
          // A careless section that ignores its limit: allocate still cuts it.
          render: (limit: number) =>
            random() < 0.3 ? text : cutToFit(text, limit),
        };
      },
    );
    const budget = 200 + Math.floor(random() * 16_000);
    const parts = allocate(sections, budget);
    const used = parts.reduce((sum, part) => sum + part.length + 2, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
  }
  const small = {
    natural: 100,
    share: 0.1,
    priority: 1,
    render: () => "s".repeat(100),
  };
  const big = {
    natural: 50_000,
    share: 0.1,
    priority: 0,
    render: (limit: number) => cutToFit("b".repeat(50_000), limit),
  };
  const [a, b] = allocate([small, big], 10_000);
  assert.equal(a.length, 100);
  assert.ok(b.length > 9_000, `${b.length}`);
});

// deno-lint-ignore no-control-regex
const CONTROL = new RegExp(
  "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]",
);

/** Facts as large and as hostile as a session can make them. */
function hugeFacts(random: () => number): HookFacts {
  const noise = (length: number) =>
    Array.from({ length }, () => {
      const roll = random();
      if (roll < 0.01) return "\u001b";
      if (roll < 0.02) return "\u202e";
      if (roll < 0.03) return "\n";
      if (roll < 0.035) return "\ud800";
      return "w";
    }).join("");
  return {
    source: "compact",
    now:
      "Now: 2026-01-01 00:00:00 UTC (UTC, UTC+00:00); UTC 2026-01-01T00:00:00.000Z.",
    status: {
      stdout: [
        `## ${"branch/".repeat(2_000)}...origin/x [ahead 3]`,
        ...Array.from({ length: 10_000 }, (_, index) => ` M file-${index}.ts`),
      ].join("\n"),
    },
    goal: { path: ".waypoint/WORKSPACE.md", text: noise(50_000) },
    trackers: Array.from(
      { length: 500 },
      (_, index) => `.waypoint/track/t${index}.md`,
    ),
    thread: {
      markdown: "",
      kind: "compacted",
      headline: noise(3_000),
      turns: Array.from({ length: 25 }, (_, index) => ({
        role: index % 2 ? "assistant" : "user",
        text: noise(12_000),
        timestamp: "2026-01-01T00:00:00.000Z",
      })),
    },
    commits: {
      author: "me@example.com",
      commits: Array.from({ length: 20 }, (_, index) => ({
        hash: "abc1234",
        refs: ` (${"ref".repeat(500)})`,
        subject: noise(2_000),
        when: "1 hour ago",
        author: noise(300),
        mine: index % 2 === 0,
      })),
    },
    pullRequests: noise(20_000),
    skipped: ["NESTED_REPOS.md"],
    notes: Array.from({ length: 50 }, () => noise(400)),
    bundleWritten: true,
  };
}

Deno.test("renderHookText never exceeds the budget, whatever the facts hold", () => {
  const random = seededRandom(3);
  for (const budget of [1_000, 1_001, 2_500, 6_000, 9_999, 16_000]) {
    const text = renderHookText(hugeFacts(random), budget);
    assert.ok(text.length <= budget, `${text.length} > ${budget}`);
    assert.ok(text.length > budget * 0.8, `${text.length} of ${budget}`);
    assert.ok(text.startsWith(`${HOOK_HEADING}\n`));
    assert.doesNotMatch(text, CONTROL);
    assert.equal(text, text.toWellFormed());
    const json = hookJson(text);
    assert.equal(JSON.parse(json).hookSpecificOutput.additionalContext, text);
    assert.doesNotMatch(json, /\\u[0-9a-f]{4}/i);
  }
});

Deno.test("renderHookText gives the newest turns the most room", () => {
  const facts: HookFacts = {
    now: "Now: x.",
    thread: {
      markdown: "",
      kind: "previous",
      headline: "How the previous thread ended.",
      turns: Array.from({ length: 25 }, (_, index) => ({
        role: index % 2 ? "assistant" : "user",
        text: `turn ${index} ${"y".repeat(2_000)}`,
      })),
    },
    skipped: [],
    notes: [],
    bundleWritten: true,
  };
  const text = renderHookText(facts, 6_000);
  assert.match(text, /turn 24 /);
  assert.match(text, /turn 23 /);
  assert.doesNotMatch(text, /turn 0 /);
  assert.match(text, /older turns left out here; RECENT_THREAD\.md has them/);
  assert.ok(
    text.indexOf("turn 23 ") < text.indexOf("turn 24 "),
    "oldest first",
  );
});

Deno.test("parseHookInput keeps well-shaped fields and notes the rest", () => {
  assert.deepEqual(parseHookInput(""), { notes: [] });
  assert.deepEqual(
    parseHookInput(JSON.stringify({
      session_id: "019b7c01-0400-7abc-8def-9e3779b10000",
      transcript_path: "/h/sessions/x.jsonl",
      cwd: "/repo",
      source: "compact",
      hook_event_name: "SessionStart",
      model: "m",
      permission_mode: "default",
    })),
    {
      notes: [],
      sessionId: "019b7c01-0400-7abc-8def-9e3779b10000",
      transcriptPath: "/h/sessions/x.jsonl",
      cwd: "/repo",
      source: "compact",
    },
  );
  // Codex sends transcript_path null when there is no transcript.
  assert.deepEqual(parseHookInput('{"transcript_path": null}'), { notes: [] });
  const bad = parseHookInput(JSON.stringify({
    session_id: "a b",
    transcript_path: "rel/x",
    cwd: 3,
    source: "boot",
  }));
  assert.deepEqual(Object.keys(bad), ["notes"]);
  assert.equal(bad.notes.length, 4);
  assert.equal(parseHookInput("[]").notes.length, 1);
  assert.equal(parseHookInput("{").notes.length, 1);
});

Deno.test("activeGoal takes the section's text without the template comment", () => {
  assert.equal(
    activeGoal(
      "# W\n\n## Active Goal\n\n<!-- say it -->\nShip it.\n\n## Next\n\nx\n",
    ),
    "Ship it.",
  );
  assert.equal(activeGoal("## Active Goal\n\n<!-- only a comment -->\n"), "");
  assert.equal(activeGoal("# W\n"), "");
});
