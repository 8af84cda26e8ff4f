/**
 * `waypoint context --hook` driven as Codex drives it: a subprocess with the
 * hook payload piped to stdin. The hostile table feeds it everything a
 * broken or unusual session could (bad stdin, odd transcript paths, no git,
 * a broken or missing .waypoint, an unwritable bundle, a slow git) and
 * checks it never breaks the session: exit 0, stdout empty or one valid
 * JSON document of the right shape, no stack trace, text within budget.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";
import {
  MAIN_TS,
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  WAYPOINT_BIN,
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
const WORKSPACE = EMBEDDED_TEMPLATES[".waypoint/WORKSPACE.md"].content.replace(
  "## Active Goal\n",
  "## Active Goal\n\nShip the lexer rewrite; done when the parser suite passes.\n",
);
const TRACKER = `---
summary: Lexer rewrite
last_updated: "2026-03-01"
read_when:
  - working on the lexer
status: active
---

# Lexer rewrite
`;
const HEADING = "# Waypoint session context";
const DEFAULT_BUDGET = 6_000;

interface World {
  root: string;
  repo: string;
  home: string;
  /** The previous thread: ended with "previous ask 9". */
  previousId: string;
  /** The current thread at startup: a header and nothing else. */
  newId: string;
  newPath: string;
  /** A thread compacted once: "before compaction" turns, then "after compaction". */
  compactedId: string;
  compactedPath: string;
}

async function makeWorld(): Promise<World> {
  const root = await makeTempDir("waypoint-hook-");
  const repo = join(root, "repo");
  const home = join(root, "home");
  await Deno.mkdir(repo, { recursive: true });
  await writeRepoFile(repo, ".waypoint/config.toml", CONFIG);
  await writeRepoFile(repo, ".waypoint/WORKSPACE.md", WORKSPACE);
  await writeRepoFile(repo, ".waypoint/track/lexer.md", TRACKER);
  // As the scaffold does: the indexes are rebuilt alongside `git status`.
  await writeRepoFile(
    repo,
    ".gitignore",
    ".waypoint/context/\n.waypoint/DOCS_INDEX.md\n.waypoint/TRACKS_INDEX.md\n",
  );
  await initRepo(repo, "me@example.com");
  await writeRepoFile(repo, "a.txt", "one\n");
  await git(repo, "add", ".");
  await git(repo, "commit", "-q", "-m", "Add a");
  await git(
    repo,
    "-c",
    "user.email=other@example.com",
    "-c",
    "user.name=Other Person",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "A colleague's commit",
  );
  await writeRepoFile(repo, "a.txt", "one\ntwo\n");
  const previousId = uuidV7(Date.UTC(2026, 0, 2), 1);
  const previousTurns = Array.from({ length: 10 }, (_, index) => [
    message("user", `previous ask ${index}`),
    message("assistant", `previous answer ${index}`),
  ]).flat();
  await writeTranscript(home, {
    id: previousId,
    cwd: repo,
    timestamp: "2026-01-02T00:00:00.000Z",
    lines: previousTurns,
  });
  const compactedId = uuidV7(Date.UTC(2026, 0, 1), 2);
  const compactedPath = await writeTranscript(home, {
    id: compactedId,
    cwd: repo,
    timestamp: "2026-01-01T00:00:00.000Z",
    lines: [
      message("user", "before compaction ask"),
      message("assistant", "before compaction answer"),
      compacted(),
      message("user", "after compaction ask"),
    ],
  });
  const newId = uuidV7(Date.UTC(2026, 0, 3), 3);
  const newPath = await writeTranscript(home, {
    id: newId,
    cwd: repo,
    timestamp: "2026-01-03T00:00:00.000Z",
  });
  return {
    root,
    repo,
    home,
    previousId,
    newId,
    newPath,
    compactedId,
    compactedPath,
  };
}

/** What one hook run gave. */
interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Stdin for a run: text or bytes, or `open` to keep it open until the run ends. */
type Stdin = string | Uint8Array | "open" | undefined;

/**
 * Runs `waypoint context --hook …` with `stdin` written while the process
 * runs (a writer the hook stops reading from must not hang the test).
 */
async function hook(
  world: World,
  stdin: Stdin,
  options: {
    args?: string[];
    env?: Record<string, string | undefined>;
    cwd?: string;
  } = {},
): Promise<HookRun> {
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    ...GIT_ISOLATION,
    NO_COLOR: "1",
    WAYPOINT_NO_UPDATE_CHECK: "1",
    CODEX_HOME: world.home,
  };
  delete env.CODEX_THREAD_ID;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const args = ["context", "--hook", ...(options.args ?? [])];
  const [program, programArgs] = WAYPOINT_BIN
    ? [WAYPOINT_BIN, args]
    : [Deno.execPath(), ["run", "-A", "--quiet", MAIN_TS, ...args]];
  const started = performance.now();
  const child = new Deno.Command(program, {
    args: programArgs,
    cwd: options.cwd ?? world.repo,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let writing: Promise<void> = Promise.resolve();
  const writer = stdin === undefined ? undefined : child.stdin.getWriter();
  if (writer && stdin !== "open") {
    const bytes = typeof stdin === "string"
      ? new TextEncoder().encode(stdin)
      : stdin;
    writing = writer.write(bytes).then(() => writer.close()).catch(() => {});
  }
  const output = await child.output();
  const ms = performance.now() - started;
  if (stdin === "open") await writer?.close().catch(() => {});
  await writing;
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    ms,
  };
}

/**
 * Asserts the run could not have broken a Codex session and returns the
 * additionalContext text (undefined when stdout was empty).
 */
function assertSafe(run: HookRun, budget = DEFAULT_BUDGET): string | undefined {
  const where = `stdout: ${run.stdout.slice(0, 300)}\nstderr: ${run.stderr}`;
  assert.equal(run.code, 0, where);
  assert.doesNotMatch(run.stderr, /^\s+at /m, where);
  assert.doesNotMatch(run.stdout, /^\s+at /m, where);
  for (const line of run.stderr.split("\n").filter((line) => line !== "")) {
    assert.match(line, /^waypoint: /, where);
  }
  if (run.stdout === "") return undefined;
  // One JSON document on one line, exactly the shape Codex reads.
  assert.ok(run.stdout.endsWith("\n"), where);
  assert.equal(run.stdout.trimEnd().split("\n").length, 1, where);
  const parsed = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(parsed), ["hookSpecificOutput"]);
  assert.deepEqual(Object.keys(parsed.hookSpecificOutput), [
    "hookEventName",
    "additionalContext",
  ]);
  assert.equal(parsed.hookSpecificOutput.hookEventName, "SessionStart");
  const text = parsed.hookSpecificOutput.additionalContext;
  assert.equal(typeof text, "string");
  assert.ok(text.startsWith(`${HEADING}\n`), text.slice(0, 200));
  assert.ok(text.length <= budget, `${text.length} > ${budget}`);
  const control =
    // deno-lint-ignore no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  assert.doesNotMatch(text, control);
  assert.doesNotMatch(run.stdout, /\\u00[01][0-9a-f]|\\u007f/i);
  assert.equal(text, text.toWellFormed());
  return text;
}

function payload(fields: Record<string, unknown>): string {
  return JSON.stringify({
    hook_event_name: "SessionStart",
    model: "gpt-test",
    permission_mode: "default",
    ...fields,
  });
}

async function withWorld(test: (world: World) => Promise<void>) {
  const world = await makeWorld();
  try {
    await test(world);
  } finally {
    await removeTempDir(world.root);
  }
}

/** The payload of a new session's start, its transcript named. */
function startupPayload(world: World): string {
  return payload({
    session_id: world.newId,
    transcript_path: world.newPath,
    cwd: world.repo,
    source: "startup",
  });
}

Deno.test("startup: the text is the condensed context and restores the previous thread", async () => {
  await withWorld(async (world) => {
    const run = await hook(world, startupPayload(world));
    const text = assertSafe(run)!;
    assert.equal(run.stderr, "");
    assert.match(text, /^Now: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /m);
    assert.match(text, /^Branch: main$/m);
    assert.match(
      text,
      /Uncommitted changes in 1 file \(1 with unstaged edits\):\n- {2}M a\.txt/,
    );
    assert.match(
      text,
      /Ship the lexer rewrite; done when the parser suite passes\./,
    );
    assert.match(text, /- \.waypoint\/track\/lexer\.md/);
    assert.match(text, new RegExp(`previous thread \`${world.previousId}\``));
    assert.match(
      text,
      /previous ask 9\n\n### Assistant[^\n]*\nprevious answer 9/,
    );
    assert.doesNotMatch(text, /before compaction/);
    assert.match(text, /A colleague's commit — Other Person, .* ago\n/);
    assert.match(text, /Add a — Test Author, .* ago \(yours\)/);
    assert.match(
      text,
      /\.waypoint\/context\/MANIFEST\.md lists them/,
    );
    // The bundle is written exactly as `context` writes it.
    const thread = await readRepoFile(
      world.repo,
      ".waypoint/context/RECENT_THREAD.md",
    );
    assert.match(thread, new RegExp(`- Previous thread: ${world.previousId}`));
    const commits = await readRepoFile(
      world.repo,
      ".waypoint/context/RECENT_COMMITS.md",
    );
    assert.match(commits, /A colleague's commit/);
    assert.match(
      await readRepoFile(world.repo, ".waypoint/context/MANIFEST.md"),
      /\.waypoint\/track\/lexer\.md/,
    );
  });
});

Deno.test("startup without transcript_path finds the thread by session_id's file name, else takes it as new", async () => {
  await withWorld(async (world) => {
    const unknown = uuidV7(Date.UTC(2026, 0, 4), 9);
    const text = assertSafe(
      await hook(world, payload({ session_id: unknown, source: "startup" })),
    )!;
    // Not written yet: a new session, so the newest thread with a conversation is restored.
    assert.match(text, new RegExp(`previous thread \`${world.previousId}\``));
    assert.match(text, /previous ask 9/);
    const byId = assertSafe(
      await hook(
        world,
        payload({ session_id: world.compactedId, source: "startup" }),
      ),
    )!;
    assert.match(byId, /before compaction ask/);
    assert.doesNotMatch(byId, /after compaction ask/);
  });
});

Deno.test("compact: the turns the compaction dropped; resume: no thread at all", async () => {
  await withWorld(async (world) => {
    const compact = assertSafe(
      await hook(
        world,
        payload({
          session_id: world.compactedId,
          transcript_path: world.compactedPath,
          cwd: world.repo,
          source: "compact",
        }),
      ),
    )!;
    assert.match(compact, /\(compact\)/);
    assert.match(
      compact,
      /was compacted once; these are its last turns before/,
    );
    assert.match(
      compact,
      /before compaction ask\n\n### Assistant[^\n]*\nbefore compaction answer/,
    );
    assert.doesNotMatch(compact, /after compaction ask/);

    // A compaction Codex has not recorded yet: everything so far was dropped.
    const pending = join(world.root, "pending.jsonl");
    await Deno.writeTextFile(
      pending,
      (await Deno.readTextFile(world.compactedPath)).split("\n").filter((
        line,
      ) => !line.includes('"compacted"')).join("\n"),
    );
    const early = assertSafe(
      await hook(
        world,
        payload({ transcript_path: pending, source: "compact" }),
      ),
    )!;
    assert.match(early, /was just compacted/);
    assert.match(early, /after compaction ask/);

    const resume = assertSafe(
      await hook(
        world,
        payload({ transcript_path: world.compactedPath, source: "resume" }),
      ),
    )!;
    assert.doesNotMatch(resume, /## Restored thread/);
    assert.match(resume, /## Git/);
  });
});

Deno.test("hostile input: exit 0, valid JSON or nothing, no stack trace, within budget", async () => {
  await withWorld(async (world) => {
    const fifo = join(world.root, "fifo");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    const zeroLink = join(world.root, "zero-link");
    await Deno.symlink("/dev/zero", zeroLink);
    const goodLink = join(world.root, "good-link");
    await Deno.symlink(world.compactedPath, goodLink);
    const blob = new Uint8Array(5 * 1024 * 1024).fill(0x7b);
    const cases: {
      name: string;
      stdin: Stdin;
      expect?: RegExp;
      note?: RegExp;
    }[] = [
      { name: "no stdin", stdin: undefined },
      { name: "empty", stdin: "" },
      { name: "{", stdin: "{", note: /not JSON/ },
      { name: "5 MB blob", stdin: blob, note: /larger than 1 MiB/ },
      { name: "JSON array", stdin: "[1,2,3]", note: /not a JSON object/ },
      { name: "null", stdin: "null", note: /not a JSON object/ },
      {
        name: "wrong types",
        stdin: JSON.stringify({
          session_id: 5,
          transcript_path: [],
          cwd: {},
          source: 7,
        }),
        note: /session_id is not a string/,
      },
      {
        name: "relative and control-character paths",
        stdin: payload({
          transcript_path: "relative.jsonl",
          cwd: "/tmp/\u0000x",
          session_id: "../../etc/passwd",
        }),
        note: /transcript_path is not an absolute path/,
      },
      {
        name: "transcript_path /dev/zero",
        stdin: payload({ transcript_path: "/dev/zero", source: "startup" }),
        note: /not a regular file/,
      },
      {
        name: "transcript_path a FIFO",
        stdin: payload({ transcript_path: fifo, source: "startup" }),
        note: /not a regular file/,
      },
      {
        name: "transcript_path a directory",
        stdin: payload({ transcript_path: world.root, source: "compact" }),
        note: /not a regular file/,
      },
      {
        name: "transcript_path missing",
        stdin: payload({
          transcript_path: join(world.root, "missing.jsonl"),
          source: "startup",
        }),
      },
      {
        name: "transcript_path a symlink to /dev/zero",
        stdin: payload({ transcript_path: zeroLink, source: "startup" }),
        note: /not a regular file/,
      },
      {
        name: "transcript_path a symlink to a transcript",
        stdin: payload({ transcript_path: goodLink, source: "compact" }),
        expect: /before compaction ask/,
      },
      {
        name: "cwd not a folder",
        stdin: payload({ cwd: join(world.root, "nowhere"), source: "clear" }),
        note: /cwd is not a folder/,
      },
      {
        name: "unknown source",
        stdin: payload({ source: "reboot" }),
        note: /source is not one of/,
      },
    ];
    for (const item of cases) {
      const run = await hook(world, item.stdin);
      const text = assertSafe(run);
      assert.ok(text !== undefined, `${item.name}: no output\n${run.stderr}`);
      if (item.expect) assert.match(text, item.expect, item.name);
      if (item.note) {
        assert.match(text, item.note, `${item.name}: ${text.slice(-600)}`);
        assert.match(run.stderr, item.note, item.name);
      }
    }
  });
});

Deno.test("stdin that is never closed is waited for 2 s at most", async () => {
  await withWorld(async (world) => {
    const run = await hook(world, "open");
    const text = assertSafe(run)!;
    assert.match(text, /not closed within 2 s/);
    assert.ok(run.ms < 8_000, `${run.ms} ms`);
  });
});

Deno.test("a broken environment still gives valid JSON or nothing", async () => {
  await withWorld(async (world) => {
    const input = payload({
      session_id: world.newId,
      transcript_path: world.newPath,
      cwd: world.repo,
      source: "startup",
    });
    // No git on PATH (deno is run by absolute path).
    const empty = join(world.root, "empty-bin");
    await Deno.mkdir(empty);
    const noGit = assertSafe(
      await hook(world, input, { env: { PATH: empty } }),
    )!;
    assert.match(noGit, /git is not installed/);
    assert.match(noGit, /previous ask 9/);

    // A cwd outside any waypoint repository: nothing is sent.
    const outside = join(world.root, "outside");
    await Deno.mkdir(outside);
    const none = await hook(world, payload({ cwd: outside }), { cwd: outside });
    assert.equal(assertSafe(none), undefined);
    assert.match(none.stderr, /no \.waypoint\/config\.toml at or above/);

    // The bundle cannot be written: .waypoint/context is a file.
    await Deno.remove(join(world.repo, ".waypoint", "context"), {
      recursive: true,
    });
    await Deno.writeTextFile(join(world.repo, ".waypoint", "context"), "x");
    const blocked = assertSafe(await hook(world, input))!;
    assert.match(blocked, /the bundle could not be written/);
    assert.match(blocked, /were not written this time/);
    assert.match(blocked, /previous ask 9/);
    await Deno.remove(join(world.repo, ".waypoint", "context"));

    // An invalid config: the same file:line error as everywhere, as a note.
    await writeRepoFile(
      world.repo,
      ".waypoint/config.toml",
      `${CONFIG}\n[context]\nhook_budget = "big"\n`,
    );
    const badConfig = await hook(world, input);
    const text = assertSafe(badConfig)!;
    assert.match(
      text,
      /\.waypoint\/config\.toml:\d+: context\.hook_budget must be an integer from 1000 to 16000 \(characters\), found string "big"/,
    );
    assert.match(text, /previous ask 9/);
    await writeRepoFile(world.repo, ".waypoint/config.toml", "version = [\n");
    assertSafe(await hook(world, input));
  });
});

Deno.test("a slow section is skipped at the deadline, the rest is sent", async () => {
  await withWorld(async (world) => {
    const bin = join(world.root, "slow-bin");
    await Deno.mkdir(bin);
    // A git that hangs: every git section misses the deadline.
    await Deno.writeTextFile(join(bin, "git"), "#!/bin/sh\nexec sleep 30\n");
    await Deno.chmod(join(bin, "git"), 0o755);
    const run = await hook(
      world,
      payload({ transcript_path: world.compactedPath, source: "compact" }),
      {
        env: {
          PATH: `${bin}:${Deno.env.get("PATH")}`,
          WAYPOINT_HOOK_DEADLINE_MS: "1500",
        },
      },
    );
    const text = assertSafe(run)!;
    assert.ok(run.ms < 9_000, `${run.ms} ms`);
    assert.match(
      text,
      /Skipped: .*UNCOMMITTED_CHANGES\.md \(not ready within 1\.5 s\)/,
    );
    assert.match(text, /before compaction ask/);
    assert.match(
      run.stderr,
      /skipped: .*RECENT_COMMITS\.md \(not ready within 1\.5 s\)/,
    );
    assert.match(
      await readRepoFile(
        world.repo,
        ".waypoint/context/UNCOMMITTED_CHANGES.md",
      ),
      /Skipped by `waypoint context --hook`: not ready within 1\.5 s/,
    );
  });
});

Deno.test("the budget holds against huge turns, 10,000 changed files and a long branch name", async () => {
  await withWorld(async (world) => {
    const files = join(world.repo, "many");
    await Deno.mkdir(files);
    await Promise.all(
      Array.from(
        { length: 10_000 },
        (_, index) => Deno.writeTextFile(join(files, `file-${index}.txt`), ""),
      ),
    );
    await git(world.repo, "add", "many");
    const branch = Array.from(
      { length: 12 },
      (_, index) => `very-long-branch-part-${index}-${"x".repeat(180)}`,
    ).join("/");
    await git(world.repo, "checkout", "-q", "-b", branch);
    const huge = "word ".repeat(400_000);
    const id = uuidV7(Date.UTC(2026, 0, 5), 5);
    const path = await writeTranscript(world.home, {
      id,
      cwd: world.repo,
      timestamp: "2026-01-05T00:00:00.000Z",
      lines: [
        ...Array.from({ length: 30 }, (_, index) => [
          message("user", `huge ask ${index} ${huge}`),
          message("assistant", `huge answer ${index} ${huge}`),
        ]).flat(),
        compacted(),
      ],
    });
    const input = payload({ transcript_path: path, source: "compact" });
    const text = assertSafe(await hook(world, input))!;
    assert.ok(text.length > DEFAULT_BUDGET * 0.9, `${text.length}`);
    assert.match(text, /huge answer 29/);
    assert.match(
      text,
      /\[… cut to fit the hook budget …\]|long text shortened/,
    );
    assert.match(
      text,
      /Uncommitted changes in 10001 files \(10000 staged, 1 with unstaged edits\)/,
    );
    assert.match(text, /… and 9993 more/);
    for (const budget of [1_000, 16_000]) {
      await writeRepoFile(
        world.repo,
        ".waypoint/config.toml",
        `${CONFIG}\n[context]\nhook_budget = ${budget}\n`,
      );
      const small = assertSafe(await hook(world, input), budget)!;
      assert.ok(small.length > budget * 0.8, `${small.length} of ${budget}`);
      assert.match(small, /## Full files/);
    }
  });
});

Deno.test("secrets are redacted and control characters made visible", async () => {
  await withWorld(async (world) => {
    const token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    await git(
      world.repo,
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      `Rotate ${token} \u001b[31mred\u001b[0m`,
    );
    const id = uuidV7(Date.UTC(2026, 0, 6), 6);
    const path = await writeTranscript(world.home, {
      id,
      cwd: world.repo,
      timestamp: "2026-01-06T00:00:00.000Z",
      lines: [
        message(
          "user",
          `use ${token} then \u202eevil\u202c and \u0007 bell \ud800 lone`,
        ),
        message("assistant", "done\r\nnext line \u0085 nel"),
        compacted(),
      ],
    });
    const run = await hook(
      world,
      payload({ transcript_path: path, source: "compact" }),
    );
    const text = assertSafe(run)!;
    assert.ok(!run.stdout.includes(token));
    assert.match(
      text,
      /use \[REDACTED\] then <U\+202E>evil<U\+202C> and \u2407 bell \ufffd lone/,
    );
    assert.match(text, /done\nnext line <U\+0085> nel/);
    assert.match(text, /Rotate \[REDACTED\] \u241b\[31mred/);
  });
});

Deno.test("--hook with --json is a usage error; --thread-id wins over session_id", async () => {
  await withWorld(async (world) => {
    const both = await runCli(["context", "--hook", "--json", world.repo]);
    assert.equal(both.code, 2);
    assert.equal(both.stdout, "");
    assert.match(both.stderr, /--hook and --json cannot be used together/);
    const pinned = assertSafe(
      await hook(world, payload({ session_id: world.newId }), {
        args: ["--thread-id", world.compactedId],
      }),
    )!;
    assert.match(pinned, /before compaction ask/);
    const help = await runCli(["context", "--help"]);
    assert.match(help.stdout, /--hook/);
  });
});

Deno.test("hook_budget is validated like every other key", async () => {
  await withWorld(async (world) => {
    for (
      const [value, found] of [["500", "integer 500"], [
        "16001",
        "integer 16001",
      ], ["2.5", "float 2.5"]]
    ) {
      await writeRepoFile(
        world.repo,
        ".waypoint/config.toml",
        `${CONFIG}\n[context]\nhook_budget = ${value}\n`,
      );
      const line = `${CONFIG}\n[context]\n`.split("\n").length;
      const run = await runCli(["context", world.repo], {
        env: { CODEX_HOME: world.home },
      });
      assert.equal(run.code, 1);
      assert.equal(
        run.stderr.trim(),
        `waypoint: .waypoint/config.toml:${line}: context.hook_budget must be an integer from 1000 to 16000 (characters), found ${found}`,
      );
    }
  });
});

Deno.test("without a git author, everyone's commits are listed and none is marked", async () => {
  await withWorld(async (world) => {
    await git(world.repo, "config", "--unset", "user.email");
    await git(world.repo, "config", "--unset", "user.name");
    const text = assertSafe(await hook(world, payload({ source: "startup" })))!;
    assert.match(text, /No git author is configured/);
    assert.match(text, /Add a — Test Author, [^\n]* ago\n/);
    assert.doesNotMatch(text, /\(yours\)\n/);
    const commits = await readRepoFile(
      world.repo,
      ".waypoint/context/RECENT_COMMITS.md",
    );
    assert.match(commits, /A colleague's commit/);
  });
});

Deno.test("a doc only js-yaml reads is indexed by the hook (the bundle imports js-yaml on its own)", async () => {
  await withWorld(async (world) => {
    // A comment after a value is beyond the fast frontmatter reader.
    await writeRepoFile(
      world.repo,
      ".waypoint/docs/lexer-notes.md",
      '---\nsummary: How the lexer splits tokens # kept short\nlast_updated: "2026-03-01"\nread_when:\n  - changing the lexer\n---\n\n# Lexer notes\n',
    );
    const run = await hook(world, startupPayload(world));
    assertSafe(run);
    assert.equal(run.stderr, "");
    const index = await readRepoFile(world.repo, ".waypoint/DOCS_INDEX.md");
    assert.match(index, /How the lexer splits tokens/);
    assert.doesNotMatch(index, /kept short/);
  });
});
