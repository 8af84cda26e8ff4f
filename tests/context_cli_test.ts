import assert from "node:assert/strict";
import { join } from "node:path";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import {
  compacted,
  message,
  toolCall,
  uuidV7,
  writeTranscript,
} from "./support/codex_transcripts.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

/** The scaffold's own config template, so the hand-built repo stays in step with `init`. */
const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;

const TRACKER = (status: string) =>
  `---
summary: Port the parser
last_updated: "2026-03-01"
read_when:
  - working on the parser
status: ${status}
---

# Parser port
`;

const CONTEXT_FILES = [
  "CURRENT_DATETIME.md",
  "UNCOMMITTED_CHANGES.md",
  "RECENT_COMMITS.md",
  "NESTED_REPOS.md",
  "PULL_REQUESTS.md",
  "RECENT_THREAD.md",
  "ACTIVE_TRACKERS.md",
  "MANIFEST.md",
];

const GIT_ENV = { ...GIT_ISOLATION, CODEX_THREAD_ID: undefined };

/** A scaffolded repo (config, docs, trackers) with git history and a nested repo. */
async function scaffold(root: string): Promise<string> {
  const repo = join(root, "repo");
  await Deno.mkdir(repo, { recursive: true });
  await writeRepoFile(repo, ".waypoint/config.toml", CONFIG);
  await writeRepoFile(repo, ".waypoint/track/parser.md", TRACKER("active"));
  await writeRepoFile(repo, ".waypoint/track/old.md", TRACKER("done"));
  await writeRepoFile(
    repo,
    ".waypoint/docs/guide.md",
    "---\nsummary: Guide\nlast_updated: x\nread_when: [coding]\n---\n",
  );
  await writeRepoFile(repo, ".gitignore", ".waypoint/context/\n");
  await initRepo(repo, "me@example.com");
  await writeRepoFile(repo, "a.txt", "one\n");
  await git(repo, "add", ".");
  await git(repo, "commit", "-q", "-m", "Add a");
  await git(
    repo,
    "-c",
    "user.email=other@example.com",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "Someone else's commit",
  );
  await writeRepoFile(repo, "a.txt", "one\ntwo\n");
  await writeRepoFile(repo, "staged.txt", "new\n");
  await git(repo, "add", "staged.txt");
  const nested = join(repo, "packages", "lib");
  await Deno.mkdir(nested, { recursive: true });
  await initRepo(nested, "me@example.com");
  await git(
    nested,
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "Nested first commit",
  );
  await Deno.mkdir(join(repo, "node_modules", "dep", ".git"), {
    recursive: true,
  });
  return repo;
}

async function which(program: string): Promise<string> {
  const output = await new Deno.Command("sh", {
    args: ["-c", `command -v ${program}`],
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

/** A directory for PATH holding `git` (when wanted) and a fake `gh` script. */
async function binDir(
  root: string,
  options: { git: boolean; gh?: string },
): Promise<string> {
  const bin = join(root, "bin");
  await Deno.mkdir(bin, { recursive: true });
  if (options.git) await Deno.symlink(await which("git"), join(bin, "git"));
  if (options.gh !== undefined) {
    await Deno.writeTextFile(join(bin, "gh"), `#!/bin/sh\n${options.gh}\n`);
    await Deno.chmod(join(bin, "gh"), 0o755);
  }
  return bin;
}

const FAKE_GH = `case "$*" in
  *"--state open"*) echo '[{"number":12,"title":"Add parser","url":"https://example.test/pr/12","headRefName":"parser","updatedAt":"2026-03-01T10:00:00Z"}]' ;;
  *"--state merged"*) echo '[{"number":9,"title":"Fix lexer","url":"https://example.test/pr/9","headRefName":"lexer","mergedAt":"2026-02-20T10:00:00Z"}]' ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac`;

interface World {
  root: string;
  repo: string;
  home: string;
}

async function withWorld(fn: (world: World) => Promise<void>): Promise<void> {
  const root = await Deno.realPath(await makeTempDir("waypoint-ctx-cli-"));
  try {
    const repo = await scaffold(root);
    const home = join(root, "codex");
    await Deno.mkdir(home);
    await fn({ root, repo, home });
  } finally {
    await removeTempDir(root);
  }
}

const secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

/** A thread with 40 user/assistant exchanges, noise, tool calls and two compactions. */
function threadLines() {
  const lines = [
    message("user", "# AGENTS.md instructions for /repo\n\nrules"),
  ];
  for (let n = 1; n <= 40; n++) {
    lines.push(
      message(
        "user",
        `question ${n}${n === 30 ? ` with token ${secret}` : ""}`,
      ),
    );
    lines.push(toolCall(`tool output ${n}`));
    lines.push(message("assistant", `answer ${n}a`));
    lines.push(message("assistant", `answer ${n}b`));
    if (n === 10 || n === 35) lines.push(compacted());
  }
  return lines;
}

Deno.test("context writes the full bundle, rebuilds indexes and restores the right turns", async () => {
  await withWorld(async ({ root, repo, home }) => {
    const threadId = uuidV7(Date.UTC(2026, 2, 2, 9), 7);
    await writeTranscript(home, {
      id: threadId,
      cwd: repo,
      timestamp: "2026-03-02T09:00:00.000Z",
      lines: threadLines(),
    });
    await writeTranscript(home, {
      id: uuidV7(Date.UTC(2026, 2, 1), 1),
      cwd: repo,
      timestamp: "2026-03-01T00:00:00.000Z",
      lines: [message("user", "older thread"), compacted()],
    });
    await writeTranscript(home, {
      id: uuidV7(Date.UTC(2026, 2, 3), 2),
      cwd: "/another/project",
      timestamp: "2026-03-03T00:00:00.000Z",
      lines: [message("user", "elsewhere"), compacted()],
    });
    const bin = await binDir(root, { git: true, gh: FAKE_GH });
    const result = await runCli(["context", repo], {
      env: { ...GIT_ENV, CODEX_HOME: home, PATH: bin },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    for (const name of CONTEXT_FILES) {
      assert.match(
        result.stdout,
        new RegExp(`- Wrote \\.waypoint/context/${name}`),
      );
      assert.ok(
        (await readRepoFile(repo, `.waypoint/context/${name}`)).endsWith("\n"),
      );
    }
    assert.match(
      await readRepoFile(repo, ".waypoint/DOCS_INDEX.md"),
      /guide\.md/,
    );
    assert.match(
      await readRepoFile(repo, ".waypoint/TRACKS_INDEX.md"),
      /\[active\] Port the parser/,
    );

    const thread = await readRepoFile(
      repo,
      ".waypoint/context/RECENT_THREAD.md",
    );
    assert.match(thread, new RegExp(`Current thread: ${threadId}`));
    const headings = [...thread.matchAll(/^## (\d+)\. (User|Assistant)/gm)];
    assert.equal(headings.length, 25);
    // 35 exchanges precede the last compaction: the last 25 turns are 23b..35.
    assert.match(
      thread,
      /## 1\. Assistant[^\n]*\n\nanswer 23a\n\nanswer 23b\n/,
    );
    assert.match(thread, /## 2\. User[^\n]*\n\nquestion 24\n/);
    assert.match(
      thread,
      /## 25\. Assistant[^\n]*\n\nanswer 35a\n\nanswer 35b\n/,
    );
    assert.ok(!thread.includes("question 36"));
    assert.ok(!thread.includes("tool output"));
    assert.ok(!thread.includes("AGENTS.md instructions"));
    assert.ok(!thread.includes(secret));
    assert.match(thread, /question 30 with token \[REDACTED\]/);

    const changes = await readRepoFile(
      repo,
      ".waypoint/context/UNCOMMITTED_CHANGES.md",
    );
    assert.match(changes, /## main/);
    assert.match(changes, /## git diff --stat\n\n```text\n a\.txt \| 1 \+/);
    assert.match(
      changes,
      /## git diff --stat --cached\n\n```text\n staged\.txt/,
    );
    const commits = await readRepoFile(
      repo,
      ".waypoint/context/RECENT_COMMITS.md",
    );
    assert.match(commits, /yours \(me@example\.com\)/);
    // Everyone's commits are listed (a fresh clone has only others'); the user's are marked.
    assert.match(commits, /Add a — Test Author, [^\n]* ago \(yours\)\n/);
    assert.match(commits, /Someone else's commit — [^\n]* ago\n/);
    const nested = await readRepoFile(
      repo,
      ".waypoint/context/NESTED_REPOS.md",
    );
    assert.match(nested, /## packages\/lib\n\nBranch: main\n/);
    assert.match(nested, /Nested first commit/);
    assert.ok(!nested.includes("node_modules"));
    const prs = await readRepoFile(repo, ".waypoint/context/PULL_REQUESTS.md");
    assert.match(
      prs,
      /#12 Add parser — branch `parser` — updated 2026-03-01T10:00:00Z — https:\/\/example\.test\/pr\/12/,
    );
    assert.match(prs, /#9 Fix lexer .*merged 2026-02-20/);
    const trackers = await readRepoFile(
      repo,
      ".waypoint/context/ACTIVE_TRACKERS.md",
    );
    assert.match(trackers, /- \.waypoint\/track\/parser\.md/);
    assert.ok(!trackers.includes("old.md"));
    const manifest = await readRepoFile(repo, ".waypoint/context/MANIFEST.md");
    for (
      const path of [
        ".waypoint/SOUL.md",
        ".waypoint/agent-operating-manual.md",
        ".waypoint/WORKSPACE.md",
        ".waypoint/DOCS_INDEX.md",
        ".waypoint/TRACKS_INDEX.md",
        ".waypoint/track/parser.md",
      ]
    ) {
      assert.ok(manifest.includes(`- ${path}\n`), path);
    }
    for (const name of CONTEXT_FILES.filter((name) => name !== "MANIFEST.md")) {
      assert.ok(manifest.includes(`- .waypoint/context/${name}\n`), name);
    }
    assert.match(
      await readRepoFile(repo, ".waypoint/context/CURRENT_DATETIME.md"),
      /Local date-time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/,
    );
  });
});

Deno.test("--thread-id and CODEX_THREAD_ID choose the thread; an unknown id says so", async () => {
  await withWorld(async ({ root, repo, home }) => {
    const chosen = uuidV7(Date.UTC(2025, 5, 1), 3);
    await writeTranscript(home, {
      id: chosen,
      cwd: "/elsewhere",
      timestamp: "2025-06-01T00:00:00.000Z",
      lines: [message("user", "pinned thread"), compacted()],
    });
    await writeTranscript(home, {
      id: uuidV7(Date.UTC(2026, 0, 1), 4),
      cwd: repo,
      timestamp: "2026-01-01T00:00:00.000Z",
      lines: [message("user", "repo thread")],
    });
    const bin = await binDir(root, { git: true });
    const env = { ...GIT_ENV, CODEX_HOME: home, PATH: bin };
    const read = () => readRepoFile(repo, ".waypoint/context/RECENT_THREAD.md");

    assert.equal((await runCli(["context", repo], { env })).code, 0);
    // The repo's only thread is whole and has no predecessor.
    assert.match(
      await read(),
      /has not been compacted, so its conversation is still in your context\. No earlier Codex thread with any conversation was started in this repository, so there is nothing to restore\./,
    );

    assert.equal(
      (await runCli(["context", repo, "--thread-id", chosen], { env })).code,
      0,
    );
    assert.match(await read(), /## 1\. User[^\n]*\n\npinned thread/);

    assert.equal(
      (await runCli(["context"], {
        cwd: repo,
        env: { ...env, CODEX_THREAD_ID: chosen },
      })).code,
      0,
    );
    assert.match(await read(), /pinned thread/);

    const unknown = "0199aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
    assert.equal(
      (await runCli(["context", repo, "--thread-id", unknown], { env })).code,
      0,
    );
    // An id without a transcript is taken to be a new session: the repo's
    // newest thread is the previous one.
    const fallback = await read();
    assert.match(
      fallback,
      new RegExp(`No Codex transcript for thread \`${unknown}\` was found`),
    );
    assert.match(fallback, /## 1\. User[^\n]*\n\nrepo thread/);
  });
});

Deno.test("without git, gh or Codex history every section says so plainly", async () => {
  await withWorld(async ({ root, repo }) => {
    const empty = join(root, "empty-bin");
    await Deno.mkdir(empty);
    const result = await runCli(["context", repo], {
      env: { ...GIT_ENV, CODEX_HOME: join(root, "no-codex"), PATH: empty },
    });
    assert.equal(result.code, 0, result.stderr);
    const read = (name: string) =>
      readRepoFile(repo, `.waypoint/context/${name}`);
    assert.equal(
      (await read("UNCOMMITTED_CHANGES.md")).split(
        "git is not installed (not found on PATH).",
      ).length - 1,
      3,
    );
    assert.match(await read("RECENT_COMMITS.md"), /git is not installed/);
    assert.match(
      await read("NESTED_REPOS.md"),
      /## packages\/lib\n\nBranch: git is not installed/,
    );
    assert.match(
      await read("PULL_REQUESTS.md"),
      /^# Pull Requests\n\nThe GitHub CLI \(gh\) is not installed, so pull requests are not listed\.\n$/,
    );
    assert.match(await read("RECENT_THREAD.md"), /No Codex transcripts found/);
  });
});

Deno.test("gh signed out, failing or hanging gives one line, within the timeout", async () => {
  await withWorld(async ({ root, repo, home }) => {
    const cases: [string, RegExp][] = [
      [
        'echo "To get started with GitHub CLI, please run:  gh auth login" >&2; exit 4',
        /gh is not signed in \(run 'gh auth login'\)/,
      ],
      [
        'echo "no git remotes found" >&2; exit 1',
        /gh could not list pull requests: no git remotes found/,
      ],
      ["echo 'not json'", /not a JSON list/],
      [`exec ${await which("sleep")} 30`, /gh did not answer within 3 s/],
    ];
    for (const [index, [script, expected]] of cases.entries()) {
      const bin = await binDir(join(root, `case-${index}`), {
        git: true,
        gh: script,
      });
      const started = Date.now();
      const result = await runCli(["context", repo], {
        env: { ...GIT_ENV, CODEX_HOME: home, PATH: bin },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(Date.now() - started < 15_000);
      const prs = await readRepoFile(
        repo,
        ".waypoint/context/PULL_REQUESTS.md",
      );
      assert.match(prs, expected);
      assert.equal(prs.trim().split("\n").length, 3, prs);
    }
  });
});

Deno.test("context fails in one line without a config and rejects bad options", async () => {
  const dir = await makeTempDir("waypoint-ctx-noconfig-");
  try {
    const missing = await runCli(["context", dir], {
      env: { CODEX_HOME: join(dir, "codex") },
    });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^waypoint: .*config\.toml.*waypoint init/);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
    const unknown = await runCli(["context", dir, "--thread"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option --thread/);
    const empty = await runCli(["context", dir, "--thread-id", " "]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--thread-id needs a thread id/);
  } finally {
    await removeTempDir(dir);
  }
});
