/**
 * Benchmark of `waypoint context` against generated Codex histories.
 *
 * Generates (once, reused afterwards) histories of 100, 1,000 and 5,000
 * transcripts under `bench/.work/`, laid out like Codex does
 * (`sessions/YYYY/MM/DD/rollout-<time>-<uuid>.jsonl`, a large session_meta
 * line, many response items, compactions; every other transcript also in
 * Codex 0.169's shape: each message repeated as an `item_completed` event and
 * a local compaction summary marked `compaction_output`), scaffolds a
 * repository, then runs
 * the whole CLI (`deno run -A main.ts context`) several times per history and
 * prints a Markdown table of medians: wall time and peak RSS.
 *
 * Then times `context --hook` (stdin piped, as Codex runs it) against bulk
 * histories of 1,000 and 10,000 transcripts (about 1 GB), next to an empty
 * `deno run` in the same project, the floor no Deno program beats.
 *
 * Usage: deno run -A bench/context.ts [--runs N] [--sizes 100,1000,5000]
 *        [--hook-sizes 1000,10000] [--hook-only]
 *        [--main other/checkout/main.ts]   (time another version on the same histories)
 *
 * @module
 */
import { seededRandom } from "../tests/support/random.ts";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median, timeProcess } from "./timing.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { hookBundleIsCurrent } from "../src/cli/hook_bundle.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = join(PROJECT_ROOT, "bench", ".work");
const MAIN_TS = join(PROJECT_ROOT, "main.ts");
/** The CLI timed: this checkout's, or `--main` to compare another version. */
let timedMain = MAIN_TS;
const REPO = join(WORK, "context-repo");
/** Bump when the generated layout changes so old histories are rebuilt. */
const GENERATOR_VERSION = 6;
const NEWEST = Date.UTC(2026, 9, 31, 18, 0, 0);
const SPACING_MS = 4.8 * 60 * 60 * 1000;

/** Secrets planted in user messages; none may survive into RECENT_THREAD.md. */
const SECRETS = [
  "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
  "npm_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa",
  "sk-proj-" + "4f9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O",
  "AIza" + "SyD4f8a0b1c2d3e4f5g6h7i8j9k0l1m2n3o",
];

const WORDS =
  "the of and to in is for on with as by at from that this it be are was were or an which will can we you they function value module config test index error file path build render parse stream header session thread compaction turn message summary"
    .split(
      " ",
    );

function prose(random: () => number, words: number): string {
  const out: string[] = [];
  for (let index = 0; index < words; index++) {
    out.push(WORDS[Math.floor(random() * WORDS.length)]);
  }
  return out.join(" ");
}

/** A UUID version 7 (time-ordered, as Codex uses for thread ids) made at `time`. */
function uuid(random: () => number, time: number): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  const part = (length: number) => Array.from({ length }, hex).join("");
  const stamp = time.toString(16).padStart(12, "0");
  return `${stamp.slice(0, 8)}-${stamp.slice(8)}-7${part(3)}-a${part(3)}-${
    part(12)
  }`;
}

/** A repo session without compaction (index % 5 === 4): its predecessor is restored. */
const UNCOMPACTED = 14;

/** Which sessions belong to the benchmark repo: every third, from index 2. */
function sessionCwd(index: number): string {
  if (index % 3 === 2) return index % 9 === 5 ? join(REPO, "src") : REPO;
  return `/home/dev/projects/other-${index % 7}`;
}

/** Codex 0.169 repeats each message as an `item_completed` event. */
function itemCompleted(role: string, text: string, time: string): string {
  const user = role === "user";
  return JSON.stringify({
    timestamp: time,
    type: "event_msg",
    payload: {
      type: "item_completed",
      item: {
        type: user ? "UserMessage" : "AgentMessage",
        content: [{ type: user ? "text" : "Text", text }],
      },
    },
  });
}

function message(role: string, text: string, time: string): string {
  const type = role === "user" ? "input_text" : "output_text";
  return JSON.stringify({
    timestamp: time,
    type: "response_item",
    payload: { type: "message", role, content: [{ type, text }] },
  });
}

/** Generates transcript `index` (0 = newest) of about 200–250 KB. */
function transcript(
  index: number,
): { path: string; text: string; id: string } {
  const random = seededRandom(index + 1);
  const start = NEWEST - index * SPACING_MS;
  const id = uuid(random, start);
  const iso = new Date(start).toISOString();
  const stamp = iso.slice(0, 19).replaceAll(":", "-");
  const [year, month, day] = iso.slice(0, 10).split("-");
  const cwd = sessionCwd(index);
  const at = (offset: number) => new Date(start + offset * 1000).toISOString();
  const lines: string[] = [JSON.stringify({
    timestamp: iso,
    type: "session_meta",
    payload: {
      id,
      timestamp: iso,
      cwd,
      originator: "codex_cli_rs",
      cli_version: "0.50.0",
      instructions: prose(random, 2500 + Math.floor(random() * 3000)),
      git: {
        branch: "main",
        commit_hash: uuid(random, start).replaceAll("-", ""),
      },
    },
  })];
  lines.push(
    message(
      "user",
      `# AGENTS.md instructions for ${cwd}\n\n${prose(random, 600)}`,
      at(1),
    ),
  );
  lines.push(
    message(
      "user",
      `<environment_context>\n  <cwd>${cwd}</cwd>\n</environment_context>`,
      at(1),
    ),
  );
  const target = 200_000 + Math.floor(random() * 50_000);
  const compactAt = [0.55, 0.9].map((share) => target * share);
  const compacts = index % 5 !== 4;
  const newStyle = index % 2 === 0;
  const said = (role: string, text: string, time: string) =>
    newStyle
      ? [message(role, text, time), itemCompleted(role, text, time)]
      : [message(role, text, time)];
  let size = lines.reduce((sum, line) => sum + line.length + 1, 0);
  let turn = 0;
  while (size < target) {
    turn++;
    const secret = turn % 3 === 0
      ? ` token ${SECRETS[(index + turn) % SECRETS.length]} please`
      : "";
    const batch = [
      ...said(
        "user",
        `Turn ${turn} of session ${index}: ${prose(random, 30)}${secret}`,
        at(turn * 60),
      ),
      JSON.stringify({
        timestamp: at(turn * 60 + 1),
        type: "turn_context",
        payload: { cwd, approval_policy: "on-request", model: "gpt-5-codex" },
      }),
      JSON.stringify({
        timestamp: at(turn * 60 + 2),
        type: "response_item",
        payload: {
          type: "reasoning",
          summary: [{ type: "summary_text", text: prose(random, 60) }],
        },
      }),
      JSON.stringify({
        timestamp: at(turn * 60 + 3),
        type: "response_item",
        payload: {
          type: "function_call",
          name: "shell",
          arguments: JSON.stringify({ command: ["rg", "-n", "parse"] }),
          call_id: `call_${turn}`,
        },
      }),
      JSON.stringify({
        timestamp: at(turn * 60 + 4),
        type: "response_item",
        payload: {
          type: "function_call_output",
          call_id: `call_${turn}`,
          output: prose(random, 300 + Math.floor(random() * 900)),
        },
      }),
      ...said(
        "assistant",
        `Answer ${turn}: ${prose(random, 80)}`,
        at(turn * 60 + 5),
      ),
      ...said(
        "assistant",
        `Follow-up ${turn}: ${prose(random, 20)}`,
        at(turn * 60 + 6),
      ),
      JSON.stringify({
        timestamp: at(turn * 60 + 7),
        type: "event_msg",
        payload: { type: "token_count", info: { total_tokens: turn * 1000 } },
      }),
    ];
    for (const line of batch) {
      lines.push(line);
      size += line.length + 1;
    }
    if (compacts && compactAt.length > 0 && size >= compactAt[0]) {
      compactAt.shift();
      if (newStyle) {
        // The local compaction summary, which is not a turn.
        const summary = JSON.stringify({
          timestamp: at(turn * 60 + 8),
          type: "response_item",
          payload: {
            type: "message",
            role: "assistant",
            content: [{
              type: "output_text",
              text: `Compaction summary after turn ${turn}.`,
            }],
          },
          metadata: { compaction_output: true },
        });
        lines.push(summary);
        size += summary.length + 1;
      }
      const line = JSON.stringify({
        timestamp: at(turn * 60 + 8),
        type: "compacted",
        payload: { message: prose(random, 400) },
      });
      lines.push(line);
      size += line.length + 1;
    }
  }
  return {
    path: join("sessions", year, month, day, `rollout-${stamp}-${id}.jsonl`),
    text: lines.join("\n") + "\n",
    id,
  };
}

async function ensureHistory(count: number): Promise<string> {
  const home = join(WORK, `codex-${count}`);
  const marker = join(home, ".complete.json");
  const expected = JSON.stringify({ count, repo: REPO, GENERATOR_VERSION });
  const existing = await Deno.readTextFile(marker).catch(() => "");
  if (existing === expected) return home;
  await Deno.remove(home, { recursive: true }).catch(() => {});
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const { path, text } = transcript(index);
    const absolute = join(home, path);
    await Deno.mkdir(join(absolute, ".."), { recursive: true });
    await Deno.writeTextFile(absolute, text);
  }
  await Deno.writeTextFile(marker, expected);
  console.error(
    `generated ${count} transcripts in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
  return home;
}

async function git(args: string[]): Promise<void> {
  const output = await new Deno.Command("git", {
    args,
    cwd: REPO,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
}

/** The scaffold's own config template, so the hand-built repo stays in step with `init`. */
const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;

/** Scaffolds the benchmark repo with `waypoint init`, or by hand when init is unavailable. */
async function ensureRepo(): Promise<void> {
  try {
    await Deno.stat(join(REPO, ".waypoint", "config.toml"));
    return;
  } catch {
    // Not scaffolded yet.
  }
  await Deno.mkdir(join(REPO, "src"), { recursive: true });
  await git(["init", "-q"]);
  await git(["config", "user.email", "bench@example.com"]);
  await git(["config", "user.name", "Bench"]);
  await Deno.writeTextFile(join(REPO, "src", "main.ts"), "console.log(1);\n");
  await git(["add", "."]);
  await git(["commit", "-q", "-m", "Initial commit"]);
  const init = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN_TS, "init", REPO],
    env: { WAYPOINT_NO_UPDATE_CHECK: "1" },
    stdout: "null",
    stderr: "null",
  }).output();
  if (!init.success) {
    await Deno.mkdir(join(REPO, ".waypoint", "docs"), { recursive: true });
    await Deno.mkdir(join(REPO, ".waypoint", "track"), { recursive: true });
    await Deno.writeTextFile(join(REPO, ".waypoint", "config.toml"), CONFIG);
  }
  await Deno.writeTextFile(join(REPO, "src", "main.ts"), "console.log(2);\n");
}

interface Sample {
  ms: number;
  rssMb?: number;
}

async function runOnce(
  home: string,
  extra: string[] = [],
  peakRss = true,
): Promise<Sample> {
  const run = await timeProcess(
    Deno.execPath(),
    ["run", "-A", "--quiet", timedMain, "context", REPO, ...extra],
    { env: { CODEX_HOME: home, WAYPOINT_NO_UPDATE_CHECK: "1" }, peakRss },
  );
  return {
    ms: run.ms,
    rssMb: run.rssKiB === undefined ? undefined : run.rssKiB / 1024,
  };
}

async function historyMb(home: string): Promise<number> {
  let bytes = 0;
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".jsonl")) {
        bytes += (await Deno.stat(path)).size;
      }
    }
  };
  await walk(home);
  return bytes / 1024 / 1024;
}

/**
 * The turns RECENT_THREAD.md should hold, computed the slow, obvious way:
 * parse every line of the expected transcript (index 2, the repo's newest),
 * cut at the last compaction, drop noise, merge, keep 25, redact.
 */
function expectedTurns(): { role: string; text: string }[] {
  const records = transcript(2).text.split("\n").filter((line) => line !== "")
    .map((line) => JSON.parse(line));
  const last = records.findLastIndex((record) => record.type === "compacted");
  const turns: { role: string; text: string }[] = [];
  for (const record of records.slice(0, last)) {
    const payload = record.payload;
    if (record.type !== "response_item" || payload.type !== "message") continue;
    if (record.metadata?.compaction_output === true) continue;
    const text: string = payload.content.map((part: { text: string }) =>
      part.text
    ).join("\n\n");
    if (
      payload.role === "user" &&
      (text.startsWith("# AGENTS.md instructions for ") ||
        text.startsWith("<environment_context>"))
    ) continue;
    const redacted = SECRETS.reduce(
      (result, secret) => result.replaceAll(secret, "[REDACTED]"),
      text,
    );
    const previous = turns.at(-1);
    if (previous && previous.role === payload.role) {
      previous.text += `\n\n${redacted}`;
    } else turns.push({ role: payload.role, text: redacted });
  }
  return turns.slice(-25);
}

/** Checks the bundle the last run wrote against {@link expectedTurns}. */
async function checkThread(): Promise<string> {
  const text = await Deno.readTextFile(
    join(REPO, ".waypoint", "context", "RECENT_THREAD.md"),
  );
  const parts = text.split(/^## \d+\. (User|Assistant)[^\n]*\n\n/m);
  const actual: { role: string; text: string }[] = [];
  for (let index = 1; index + 1 < parts.length; index += 2) {
    actual.push({
      role: parts[index].toLowerCase(),
      text: parts[index + 1].trimEnd(),
    });
  }
  const expected = expectedTurns();
  const same = actual.length === expected.length &&
    actual.every((turn, index) =>
      turn.role === expected[index].role && turn.text === expected[index].text
    );
  const leaked = SECRETS.filter((secret) => text.includes(secret)).length;
  const redactions = text.split("[REDACTED]").length - 1;
  if (!same || leaked > 0) Deno.exitCode = 1;
  return `${actual.length} turns, ${
    same ? "equal to a full reparse" : "DIFFERENT from a full reparse"
  }; ${redactions} secrets redacted, ${leaked} leaked`;
}

/** After the uncompacted-thread run: the thread before it is the one restored. */
async function checkPrevious(): Promise<string> {
  const text = await Deno.readTextFile(
    join(REPO, ".waypoint", "context", "RECENT_THREAD.md"),
  );
  // Repo sessions are every third index; the next older one is 3 further.
  const expected = transcript(UNCOMPACTED + 3).id;
  const turns = text.match(/^## \d+\. /gm)?.length ?? 0;
  const right = text.includes(`- Previous thread: ${expected}\n`) &&
    turns === 25;
  if (!right) Deno.exitCode = 1;
  return right
    ? "previous thread restored (25 turns)"
    : "WRONG thread restored after an uncompacted one";
}

interface Scenario {
  label: string;
  args: (size: number) => string[];
  runs: number;
}

async function measure(
  home: string,
  scenario: Scenario,
  size: number,
): Promise<{ ms: number; rssMb?: number }> {
  await runOnce(home, scenario.args(size), false); // warm-up, untimed
  const samples: Sample[] = [];
  for (let run = 0; run < scenario.runs; run++) {
    samples.push(await runOnce(home, scenario.args(size)));
  }
  const rss = samples.map((s) => s.rssMb).filter((v): v is number =>
    v !== undefined
  );
  return {
    ms: median(samples.map((s) => s.ms)),
    rssMb: rss.length ? Math.max(...rss) : undefined,
  };
}

/**
 * A large history made quickly for the hook figure: one transcript body
 * (about 100 KB, compacted once) shared by every file, each with its own
 * header line, so 10,000 files (about 1 GB) are written in seconds. The
 * headers give each file its own id, time and folder, so the walk, the
 * name lookup and the header reads see a real history.
 */
async function ensureBulkHistory(count: number): Promise<string> {
  const home = join(WORK, `codex-hook-${count}`);
  const marker = join(home, ".complete.json");
  const expected = JSON.stringify({ count, repo: REPO, GENERATOR_VERSION });
  if ((await Deno.readTextFile(marker).catch(() => "")) === expected) {
    return home;
  }
  await Deno.remove(home, { recursive: true }).catch(() => {});
  const started = performance.now();
  const body = new TextEncoder().encode(bulkBody());
  for (let index = 0; index < count; index++) {
    const { path, header } = bulkHeader(index);
    const absolute = join(home, path);
    await Deno.mkdir(join(absolute, ".."), { recursive: true });
    const head = new TextEncoder().encode(header + "\n");
    const bytes = new Uint8Array(head.length + body.length);
    bytes.set(head);
    bytes.set(body, head.length);
    await Deno.writeFile(absolute, bytes);
  }
  await Deno.writeTextFile(marker, expected);
  console.error(
    `generated ${count} bulk transcripts in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
  return home;
}

/** The shared body: the start of transcript 2 up to ~90 KB, a compaction, then a few turns. */
function bulkBody(): string {
  const lines = transcript(2).text.split("\n").slice(1).filter((line) =>
    line !== "" && !line.includes('"compacted"') &&
    !line.includes("compaction_output")
  );
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size > 90_000) break;
    kept.push(line);
    size += line.length + 1;
  }
  const after = lines.slice(-12);
  return [
    ...kept,
    JSON.stringify({
      timestamp: new Date(NEWEST).toISOString(),
      type: "compacted",
      payload: { message: "Summary of the bulk session." },
    }),
    ...after,
  ].join("\n") + "\n";
}

function bulkHeader(
  index: number,
): { path: string; header: string; id: string } {
  const random = seededRandom(index + 1);
  const start = NEWEST - index * SPACING_MS / 2;
  const id = uuid(random, start);
  const iso = new Date(start).toISOString();
  const stamp = iso.slice(0, 19).replaceAll(":", "-");
  const [year, month, day] = iso.slice(0, 10).split("-");
  const header = JSON.stringify({
    timestamp: iso,
    type: "session_meta",
    payload: {
      id,
      timestamp: iso,
      cwd: sessionCwd(index),
      originator: "codex_cli_rs",
      cli_version: "0.169.0",
      instructions: prose(random, 200),
    },
  });
  return {
    path: join("sessions", year, month, day, `rollout-${stamp}-${id}.jsonl`),
    header,
    id,
  };
}

/** Runs one process with `stdin` piped in; wall milliseconds and stdout. */
async function timeWithStdin(
  args: string[],
  stdin: string,
  env: Record<string, string>,
): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  const ms = performance.now() - start;
  if (!output.success) {
    throw new Error(
      `${args.join(" ")} exited ${output.code}: ${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  return { ms, stdout: new TextDecoder().decode(output.stdout) };
}

interface HookScenario {
  label: string;
  payload: (home: string) => string;
  /** What the additionalContext must show. */
  check: RegExp;
}

/** The hook's text, checked for the shape Codex reads and for `check`. */
function checkHook(stdout: string, check: RegExp): string {
  try {
    const text: string =
      JSON.parse(stdout).hookSpecificOutput.additionalContext;
    const ok = text.startsWith("# Waypoint session context\n") &&
      text.length <= 16_000 && check.test(text);
    if (!ok) Deno.exitCode = 1;
    return ok ? `${text.length} chars, ok` : "WRONG TEXT";
  } catch {
    Deno.exitCode = 1;
    return "INVALID JSON";
  }
}

/**
 * The hook figure: `context --hook` against 1,000 and 10,000 bulk
 * transcripts, next to an empty `deno run` of the same project (the floor
 * no Deno program beats), with the ratio.
 */
async function hookBench(runs: number, sizes: number[]): Promise<void> {
  const empty = join(WORK, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const fresh = join(WORK, "new-session.jsonl");
  const newId = uuid(seededRandom(99), NEWEST + 3_600_000);
  await Deno.writeTextFile(
    fresh,
    JSON.stringify({
      timestamp: new Date(NEWEST + 3_600_000).toISOString(),
      type: "session_meta",
      payload: {
        id: newId,
        timestamp: new Date(NEWEST + 3_600_000).toISOString(),
        cwd: REPO,
      },
    }) + "\n",
  );
  const scenarios: HookScenario[] = [
    {
      label: "compact, transcript_path given",
      payload: (home) =>
        JSON.stringify({
          session_id: bulkHeader(2).id,
          transcript_path: join(home, bulkHeader(2).path),
          cwd: REPO,
          source: "compact",
        }),
      check: /was compacted once; these are its last turns before/,
    },
    {
      label: "startup, new session's transcript_path given",
      payload: () =>
        JSON.stringify({
          session_id: newId,
          transcript_path: fresh,
          cwd: REPO,
          source: "startup",
        }),
      check: new RegExp(`previous thread \`${bulkHeader(2).id}\``),
    },
    {
      label: "startup, no transcript_path",
      payload: () =>
        JSON.stringify({ session_id: newId, cwd: REPO, source: "startup" }),
      check: new RegExp(`previous thread \`${bulkHeader(2).id}\``),
    },
  ];
  // Every size is timed in each round, the order flipped every round, so
  // a busy stretch of the machine hits each size alike and the change from
  // the smallest to the largest history is the hook's own, not the
  // machine's.
  const hookArgs = ["run", "-A", "--quiet", timedMain, "context", "--hook"];
  const floorArgs = ["run", "-A", "--quiet", empty];
  const cells = [];
  for (const size of sizes) {
    const home = await ensureBulkHistory(size);
    const env = { CODEX_HOME: home, WAYPOINT_NO_UPDATE_CHECK: "1" };
    cells.push({
      size,
      home,
      env,
      floor: [] as number[],
      times: scenarios.map(() => [] as number[]),
      checks: scenarios.map(() => ""),
    });
    // Warm-up, untimed.
    await timeWithStdin(floorArgs, "", env);
    await timeWithStdin(hookArgs, scenarios[0].payload(home), env);
  }
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? cells : [...cells].reverse();
    for (const cell of order) {
      cell.floor.push((await timeWithStdin(floorArgs, "", cell.env)).ms);
      for (const [index, scenario] of scenarios.entries()) {
        const result = await timeWithStdin(
          hookArgs,
          scenario.payload(cell.home),
          cell.env,
        );
        cell.times[index].push(result.ms);
        cell.checks[index] = checkHook(result.stdout, scenario.check);
      }
    }
  }
  const rows: string[] = [];
  // The floor program is the same at every size (only CODEX_HOME differs),
  // so its samples are pooled: one floor for every ratio, not a noisier
  // one per size that would move the ratios apart.
  const floorMs = median(cells.flatMap((cell) => cell.floor));
  // Per scenario, the median hook time over the floor, by size.
  const ratios = new Map<string, number[]>();
  for (const cell of cells) {
    const texts = cell.times.map((series, index) => {
      const ms = median(series);
      const label = scenarios[index].label;
      ratios.set(label, [...(ratios.get(label) ?? []), ms / floorMs]);
      return `${ms.toFixed(0)} (${(ms / floorMs).toFixed(1)}×)`;
    });
    rows.push(
      `| ${cell.size} | ${(await historyMb(cell.home)).toFixed(0)} | ${
        floorMs.toFixed(0)
      } | ${texts.join(" | ")} | ${cell.checks.join("; ")} |`,
    );
  }
  console.log(
    `\n### waypoint context --hook — whole CLI via \`deno run\`, stdin piped, median of ${runs} runs; ratio to an empty \`deno run\` in this project, timed in the same rounds (pooled over all sizes)\n`,
  );
  console.log(
    `| transcripts | history MB | empty deno run ms | ${
      scenarios.map((s) => `hook ms: ${s.label}`).join(" | ")
    } | additionalContext |`,
  );
  console.log(
    `| ---: | ---: | ---: | ${scenarios.map(() => "---:").join(" | ")} | --- |`,
  );
  for (const row of rows) console.log(row);
  const bundled = await hookBundleIsCurrent(
    new URL("./", pathToFileURL(timedMain)),
  );
  console.log(
    bundled
      ? "\nThe hook ran from src/cli/hook_bundle.js (current)."
      : "\nThe hook loaded its modules one by one: no current src/cli/hook_bundle.js (run 'deno task bundle:hook').",
  );
  if (sizes.length >= 2) {
    for (const [label, series] of ratios) {
      console.log(
        `\n${sizes[0]} → ${sizes.at(-1)} transcripts, ${label}: ${
          series[0].toFixed(2)
        }× → ${series.at(-1)!.toFixed(2)}× the floor (${
          ((series.at(-1)! / series[0] - 1) * 100).toFixed(0)
        }% change).`,
      );
    }
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      runs: { type: "string", default: "9" },
      sizes: { type: "string", default: "100,1000,5000" },
      main: { type: "string" },
      "hook-sizes": { type: "string", default: "1000,10000" },
      "hook-only": { type: "boolean", default: false },
    },
  });
  if (values.main) timedMain = values.main;
  const runs = Number(values.runs);
  const sizes = values["hook-only"]
    ? []
    : String(values.sizes).split(",").map(Number);
  await Deno.mkdir(WORK, { recursive: true });
  await ensureRepo();
  const scenarios: Scenario[] = [
    { label: "repo's newest thread", args: () => [], runs },
    {
      label: "--thread-id (time-ordered id)",
      args: () => ["--thread-id", transcript(2).id],
      runs,
    },
    {
      label: "--thread-id of an uncompacted thread (restores the previous)",
      args: () => ["--thread-id", transcript(UNCOMPACTED).id],
      runs,
    },
    {
      label: "unknown --thread-id (reads every header)",
      args: () => ["--thread-id", "00000000-0000-4000-8000-000000000000"],
      runs: Math.max(1, Math.floor(runs / 3)),
    },
  ];
  const rows: string[] = [];
  const mainMs = new Map<number, number>();
  for (const size of sizes) {
    const home = await ensureHistory(size);
    const main = await measure(home, scenarios[0], size);
    const check = await checkThread();
    mainMs.set(size, main.ms);
    const byId = await measure(home, scenarios[1], size);
    const previous = await measure(home, scenarios[2], size);
    const previousCheck = await checkPrevious();
    const unknown = await measure(home, scenarios[3], size);
    const peak = Math.max(
      ...[main, byId, previous, unknown].map((r) => r.rssMb ?? NaN),
    );
    rows.push(
      `| ${size} | ${(await historyMb(home)).toFixed(0)} | ${
        main.ms.toFixed(0)
      } | ${byId.ms.toFixed(0)} | ${previous.ms.toFixed(0)} | ${
        unknown.ms.toFixed(0)
      } | ${
        Number.isFinite(peak) ? peak.toFixed(0) : "n/a"
      } | ${check}; ${previousCheck} |`,
    );
  }
  if (rows.length > 0) {
    console.log(
      `### waypoint context — whole CLI via \`deno run\`, median of ${runs} runs (${
        scenarios[3].runs
      } for the unknown id)\n`,
    );
    console.log(
      "| transcripts | history MB | wall ms: repo's newest thread | wall ms: --thread-id | wall ms: uncompacted thread → previous | wall ms: unknown id (every header) | peak RSS MB (any run) | RECENT_THREAD.md |",
    );
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const row of rows) console.log(row);
    const [from, to] = [mainMs.get(1000), mainMs.get(5000)];
    if (from && to) {
      console.log(
        `\n1,000 → 5,000 transcripts: ${
          ((to / from - 1) * 100).toFixed(0)
        }% change in the repo's-newest-thread run time.`,
      );
    }
  }
  const hookSizes = String(values["hook-sizes"]).split(",").filter(Boolean)
    .map(Number);
  if (hookSizes.length > 0) await hookBench(runs, hookSizes);
}
