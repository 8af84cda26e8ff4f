/**
 * What each command prints: init's output sized to what happened (summary,
 * lines that need the user, --quiet, --verbose, one line when nothing
 * changed), and the documented `--json` shape of init, sync, context and
 * doctor, pinned by parsing the output and checking every key and type. These
 * hand-written shapes are the keys readers relied on before the JSON Schema
 * files (tests/json_schema_test.ts checks those); a key may be added to them,
 * never renamed or dropped.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  readRepoFile,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import { VERSION } from "../src/version.ts";
import { findCommand } from "../src/cli/commands.ts";

const SKILL = ".agents/skills/planning/SKILL.md";

/** Makes the manifest say an older template was installed at `path`, so a newer one is news. */
async function recordOlderTemplate(dir: string, path: string): Promise<void> {
  const file = join(dir, ".waypoint", "manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(file));
  manifest.files[path] = { sha256: "0".repeat(64) };
  await Deno.writeTextFile(file, JSON.stringify(manifest, null, 2) + "\n");
}

/** A type description: a type name, `T|null`, a one-element array of items, or an object of keys. */
type Shape = string | Shape[] | { [key: string]: Shape };

/** Asserts `value` has exactly the keys and types `shape` describes. */
function assertShape(value: unknown, shape: Shape, at = "$"): void {
  if (typeof shape === "string") {
    const allowed = shape.split("|");
    const actual = value === null
      ? "null"
      : Array.isArray(value)
      ? "array"
      : typeof value;
    if (allowed.includes(actual)) return;
    if (
      actual === "string" &&
      allowed.some((a) => a.startsWith('"') && a === JSON.stringify(value))
    ) return;
    throw new Error(`${at}: expected ${shape}, found ${JSON.stringify(value)}`);
  }
  if (Array.isArray(shape)) {
    if (shape.length === 2 && shape[1] === "null" && value === null) return;
    assert(Array.isArray(value), `${at}: expected an array`);
    (value as unknown[]).forEach((item, index) =>
      assertShape(item, shape[0], `${at}[${index}]`)
    );
    return;
  }
  assert(
    typeof value === "object" && value !== null && !Array.isArray(value),
    `${at}: expected an object, found ${JSON.stringify(value)}`,
  );
  const object = value as Record<string, unknown>;
  assertEquals(
    Object.keys(object).sort(),
    Object.keys(shape).sort(),
    `${at}: keys`,
  );
  for (const [key, inner] of Object.entries(shape)) {
    assertShape(object[key], inner, `${at}.${key}`);
  }
}

const PATH_MESSAGE = { path: "string", message: "string" };
const INDEXES = { written: ["string"], unchanged: ["string"] };

/** The `init --json` shape documented in `waypoint init --help` and the README. */
const INIT_SHAPE = {
  schema: "number",
  command: '"init"',
  root: "string",
  rootSource: '"argument"|"waypoint"|"git"|"cwd"',
  dryRun: "boolean",
  changed: "boolean",
  version: "string",
  profile: "string",
  counts: {
    create: "number",
    update: "number",
    keep: "number",
    conflict: "number",
    remove: "number",
  },
  actions: [{
    kind: "string",
    path: "string",
    detail: "string",
    edited: "boolean",
    offer: "string|null",
    merge: "string|null",
    backup: "string|null",
  }],
  notes: [PATH_MESSAGE],
  attention: [{ kind: "string", path: "string", message: "string" }],
  indexes: "object|null",
  warnings: [PATH_MESSAGE],
};

const SYNC_SHAPE = {
  schema: "number",
  command: '"sync"',
  root: "string",
  written: ["string"],
  unchanged: ["string"],
  activeTrackers: ["string"],
  problems: [PATH_MESSAGE],
  skipped: [{ path: "string", reason: "string" }],
  lenient: [PATH_MESSAGE],
  refused: [PATH_MESSAGE],
};

const CONTEXT_SHAPE = {
  schema: "number",
  command: '"context"',
  root: "string",
  manifest: "string",
  files: ["string"],
  indexes: INDEXES,
  warnings: [PATH_MESSAGE],
};

const DOCTOR_SHAPE = {
  schema: "number",
  command: '"doctor"',
  root: "string",
  fixed: "object|null",
  findings: [{
    severity: '"error"|"warn"|"info"',
    category: "string",
    message: "string",
    remediation: "string",
    paths: ["string"],
  }],
  summary: {
    errors: "number",
    warnings: "number",
    info: "number",
    exitCode: "number",
    skills: "object|null",
    codex: "object|null",
  },
};

const SKILLS_SHAPE = {
  count: "number",
  listed: "number",
  characters: "number",
  trimAt: "number",
};

function parseJson(stdout: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(`stdout is not one JSON document: ${error}\n${stdout}`);
  }
}

Deno.test("init --json: the plan on a dry run, then the result, then an unchanged run", async () => {
  await withTempRepo(async (dir) => {
    const plan = await runCli(["init", dir, "--dry-run", "--json"]);
    assertEquals(plan.code, 0, plan.stderr);
    const planned = parseJson(plan.stdout);
    assertShape(planned, INIT_SHAPE);
    assertEquals(planned.dryRun, true);
    assertEquals(planned.changed, true);
    assertEquals(planned.indexes, null);
    assertEquals(planned.rootSource, "argument");
    const counts = planned.counts as Record<string, number>;
    assertEquals(counts.create, (planned.actions as unknown[]).length);

    const applied = parseJson((await runCli(["init", dir, "--json"])).stdout);
    assertShape(applied, INIT_SHAPE);
    assertShape(applied.indexes, INDEXES, "$.indexes");
    assertEquals(applied.dryRun, false);
    assertEquals(applied.version, VERSION);
    assertEquals(applied.root, dir);

    const again = parseJson(
      (await runCli(["init", "--json"], { cwd: join(dir, ".waypoint") }))
        .stdout,
    );
    assertShape(again, INIT_SHAPE);
    assertEquals(again.changed, false);
    assertEquals(again.rootSource, "waypoint");
    assertEquals(again.attention, []);

    await writeRepoFile(dir, SKILL, "my own planning\n");
    await recordOlderTemplate(dir, SKILL);
    const conflict = parseJson((await runCli(["init", dir, "--json"])).stdout);
    assertShape(conflict, INIT_SHAPE);
    assertEquals(conflict.attention, [{
      kind: "conflict",
      path: SKILL,
      message:
        `Conflict ${SKILL}: you edited it; kept your version and wrote waypoint's to ${SKILL}.waypoint-new`,
    }]);
    const action = (conflict.actions as { path: string; offer: string }[])
      .find((a) => a.path === SKILL)!;
    assertEquals(action.offer, `${SKILL}.waypoint-new`);
  });
});

Deno.test("sync --json and context --json print their documented shapes", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/docs/api.md",
      "---\nsummary: The API\nlast_updated: 2026-01-01\nread_when: [changing the API]\n---\n",
    );
    await writeRepoFile(
      dir,
      ".waypoint/track/auth.md",
      "---\nsummary: Auth work\nstatus: active\nlast_updated: 2026-01-01\nread_when: [auth]\n---\n",
    );
    await Deno.writeFile(
      join(dir, ".waypoint", "docs", "bad.md"),
      new Uint8Array([0xff, 0xfe, 0x00]),
    );
    const sync = await runCli(["sync", dir, "--json"]);
    assertEquals(sync.code, 0, "an unreadable doc is a warning (issue 13)");
    const synced = parseJson(sync.stdout);
    assertShape(synced, SYNC_SHAPE);
    assertEquals(synced.written, [
      ".waypoint/DOCS_INDEX.md",
      ".waypoint/TRACKS_INDEX.md",
    ]);
    assertEquals(synced.activeTrackers, [".waypoint/track/auth.md"]);
    assertEquals(
      (synced.problems as { path: string }[]).map((p) => p.path),
      [".waypoint/docs/bad.md"],
    );
    assertMatch(sync.stderr, /\.waypoint\/docs\/bad\.md/);

    const context = await runCli(["context", dir, "--json"], {
      env: {
        CODEX_HOME: join(dir, "no-codex-home"),
        CODEX_THREAD_ID: undefined,
      },
    });
    assertEquals(context.code, 0, context.stderr);
    const bundle = parseJson(context.stdout);
    assertShape(bundle, CONTEXT_SHAPE);
    assertEquals(bundle.manifest, ".waypoint/context/MANIFEST.md");
    assert(
      (bundle.files as string[]).includes(".waypoint/context/MANIFEST.md"),
    );
    assertEquals(
      (bundle.warnings as { path: string }[]).map((p) => p.path),
      [".waypoint/docs/bad.md"],
    );
    for (const path of bundle.files as string[]) {
      await readRepoFile(dir, path); // every listed file exists
    }
  }, { init: true });
});

Deno.test("doctor --json keeps its documented shape", async () => {
  await withTempRepo(async (dir) => {
    const env = { CODEX_HOME: join(dir, "no-codex-home") };
    const clean = await runCli(["doctor", dir, "--json"], { env });
    const cleanReport = parseJson(clean.stdout);
    assertShape(cleanReport, DOCTOR_SHAPE);
    const summary = cleanReport.summary as Record<string, unknown>;
    assertShape(summary.skills, SKILLS_SHAPE, "$.summary.skills");
    const codex = summary.codex as Record<string, unknown>;
    assertEquals(typeof codex.trusted, "boolean");
    assertEquals(typeof codex.config, "string");
    await Deno.remove(join(dir, ".waypoint", "SOUL.md"));
    const drift = await runCli(["doctor", dir, "--json"], { env });
    const report = parseJson(drift.stdout);
    assertShape(report, DOCTOR_SHAPE);
    assert((report.findings as unknown[]).length > 0);
  }, { init: true });
});

Deno.test("each documented JSON shape is in the command's --help", () => {
  for (
    const [name, shape] of [
      ["init", INIT_SHAPE],
      ["sync", SYNC_SHAPE],
      ["context", CONTEXT_SHAPE],
      ["doctor", DOCTOR_SHAPE],
    ] as const
  ) {
    const help = findCommand(name)!.help;
    assertMatch(help, /JSON output \(--json\)/);
    for (const key of Object.keys(shape)) {
      assert(help.includes(`"${key}"`), `${name} --help documents ${key}`);
    }
  }
});

Deno.test("init output is sized to what happened", async () => {
  await withTempRepo(async (dir) => {
    const fresh = await runCli(["init", dir]);
    assertEquals(fresh.code, 0, fresh.stderr);
    const lines = fresh.stdout.trim().split("\n");
    assertEquals(lines.length, 2, fresh.stdout);
    assertMatch(
      lines[0],
      /^Waypoint .* is set up in .* \(profile: universal\): \d+ created, 0 updated, 0 kept, 0 removed; rebuilt 2 indexes\.$/,
    );
    assertMatch(lines[1], /^Next: run 'waypoint trust' so Codex hands/);

    assertEquals((await runCli(["init", dir, "--quiet"])).stdout, "");
    const verbose = await runCli(["init", dir, "--verbose"]);
    const json = parseJson((await runCli(["init", dir, "--json"])).stdout);
    const listed = verbose.stdout.split("\n").filter((l) =>
      /^ {2}keep /.test(l)
    );
    assertEquals(listed.length, (json.actions as unknown[]).length);

    // A kept edit with a new version and a retired file: one line each, in every mode but --json.
    await writeRepoFile(dir, SKILL, "my own planning\n");
    await recordOlderTemplate(dir, SKILL);
    await writeRepoFile(dir, "DOCS_INDEX.md", "# Our own index\n");
    const edited = await runCli(["init", dir]);
    const editedLines = edited.stdout.trim().split("\n");
    assertEquals(editedLines.length, 4, edited.stdout);
    assertMatch(
      editedLines[0],
      /0 created, 0 updated, \d+ kept, 0 removed, 1 conflict\./,
    );
    assertMatch(
      editedLines[1],
      /^- Conflict \.agents\/skills\/planning\/SKILL\.md: .*waypoint-new$/,
    );
    assertMatch(editedLines[2], /^- Left DOCS_INDEX\.md: kept/);
    assertMatch(
      editedLines[3],
      /^Next: compare each of the 1 edited file with its \.waypoint-new/,
    );

    const quiet = await runCli(["init", dir, "--quiet"]);
    assertEquals(
      quiet.stdout.trim().split("\n").map((l) => l.slice(0, 12)),
      ["- Conflict .", "- Left DOCS_"],
    );
    const dry = await runCli(["init", dir, "--dry-run"]);
    assertEquals(dry.stdout.trim().split("\n").length, 3, dry.stdout);
    assertMatch(dry.stdout, /^Dry run: nothing would change in /);
  });
});

Deno.test("a removal is one line naming the file; --quiet and --verbose together are refused", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "WORKSPACE.md", "# Old workspace\n");
    await writeRepoFile(dir, ".waypoint/WORKSPACE.md", "# Old workspace\n");
    const dry = await runCli(["init", dir, "--dry-run"]);
    assertMatch(dry.stdout, /\n- Would remove WORKSPACE\.md: duplicate/);
    const result = await runCli(["init", dir]);
    assertMatch(result.stdout, /\n- Removed WORKSPACE\.md: duplicate/);
    assertMatch(result.stdout, /1 removed/);

    const both = await runCli(["init", dir, "-q", "-v"]);
    assertEquals(both.code, 2);
    assertMatch(both.stderr, /choose one of --quiet and --verbose/);
  }, { init: true });
});

Deno.test("init's next step names waypoint trust when it wrote the hook, and waypoint context when the hook is off", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      "[features]\nsession_hook = false\n",
    );
    const off = await runCli(["init", dir]);
    assertEquals(off.code, 0, off.stderr);
    assertMatch(
      off.stdout,
      /\nNext: run 'waypoint doctor' to check it, and start your agent session with 'waypoint context'\.\n$/,
    );
  });
});
