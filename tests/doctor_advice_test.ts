/**
 * Every doctor finding's fix text works for the state that produced it: for
 * each row, an initialised repo is put in the state, doctor must report the
 * finding with the expected advice, the advice is applied as written (its
 * backticked commands are run, or the file change it describes is made),
 * and doctor must no longer report it.
 *
 * To add a finding: add a row to ADVICE with the state (`setup`), how to
 * recognise the finding (`message`, and `category` when the message is
 * shared), what the fix must say (`fix`) and how to follow it (`apply`:
 * "first command", "all commands", or a function doing what the text says).
 *
 * Findings left out (their fix is advice to read, not a state change), kept
 * here so the list stays honest: managed files edited locally (info: "nothing
 * to do"), outdated managed files and a waiting `.waypoint-new` offer (need
 * an older waypoint's scaffold), and the skill list budget.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempDir, removeTempDir, runCli } from "./support/cli.ts";

/** A repo under test, with small helpers for its files. */
interface Repo {
  root: string;
  /** Absolute path of a repo-relative path. */
  at(path: string): string;
  read(path: string): Promise<string>;
  write(path: string, text: string): Promise<void>;
  /** Replaces `from` with `to` in a file; the text must be there. */
  edit(path: string, from: string | RegExp, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Runs a shell command in the repo root; it must succeed. */
  sh(command: string): Promise<void>;
}

/** How a row follows its fix text. */
type Apply =
  | "first command"
  | "all commands"
  | ((repo: Repo, fix: string) => Promise<void>);

/** One finding doctor can produce, and how to get rid of it by its own advice. */
interface AdviceCase {
  name: string;
  setup: (repo: Repo) => Promise<void>;
  /** Recognises the finding by its message (and category, when given). */
  message: RegExp;
  category?: string;
  /** What the fix text must say. */
  fix: RegExp;
  apply: Apply;
}

const MANAGED = ".codex/agents/code-reviewer.toml";
const DOC =
  "---\nsummary: A doc\nlast_updated: 2026-01-01\nread_when: [always]\n---\n";
const TRACKER = (status: string) =>
  `---\nsummary: Work\nstatus: ${status}\nlast_updated: 2026-01-01\nread_when: [resume]\n---\n`;
const STALE_LINE =
  "Before work, run node .waypoint/scripts/prepare-context.mjs.";

const ADVICE: AdviceCase[] = [
  // Setup and config.
  {
    name: "config.toml missing",
    setup: (r) => r.remove(".waypoint/config.toml"),
    message: /config\.toml is missing: waypoint is not set up/,
    fix: /`waypoint init \S+`/,
    apply: "first command",
  },
  {
    name: "config.toml is a directory",
    setup: async (r) => {
      await r.remove(".waypoint/config.toml");
      await Deno.mkdir(r.at(".waypoint/config.toml"));
    },
    message: /config\.toml: is a directory/,
    fix: /`mv \.waypoint\/config\.toml [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "config.toml has a bad value",
    setup: (r) =>
      r.edit(".waypoint/config.toml", /^profile = .*$/m, 'profile = "bogus"'),
    message: /profile must be one of/,
    fix: /Fix the value named above/,
    apply: (r) =>
      r.edit(
        ".waypoint/config.toml",
        'profile = "bogus"',
        'profile = "universal"',
      ),
  },
  {
    name: "config.toml lacks keys",
    setup: (r) =>
      r.edit(".waypoint/config.toml", /^docs_index_file = .*$/m, ""),
    message: /config lacks keys/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  // Scaffold.
  {
    name: "managed file missing",
    setup: (r) => r.remove(MANAGED),
    message: /Managed file .* is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "managed file is a directory",
    setup: async (r) => {
      await r.remove(MANAGED);
      await Deno.mkdir(r.at(MANAGED));
    },
    message:
      /code-reviewer\.toml is a directory, not a file; waypoint leaves it alone/,
    fix: /`mv [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "managed file is a symlink",
    setup: async (r) => {
      await r.remove(MANAGED);
      await Deno.symlink("/dev/null", r.at(MANAGED));
    },
    message: /code-reviewer\.toml is a symlink/,
    fix: /`mv [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "a managed file's folder is a file",
    setup: async (r) => {
      await r.remove(".codex/agents");
      await r.write(".codex/agents", "not a folder\n");
    },
    message: /code-reviewer\.toml cannot exist: \.codex\/agents is a file/,
    fix: /`mv \.codex\/agents \.codex\/agents\.old`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "temp file left by a killed run",
    setup: (r) =>
      r.write(".codex/agents/.code-reviewer.toml.waypoint-tmp-0123abcd", "x"),
    message: /temp file left by an interrupted waypoint run/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  {
    name: "manifest missing",
    setup: (r) => r.remove(".waypoint/manifest.json"),
    message: /No \.waypoint\/manifest\.json/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  {
    name: "scaffolded by an older waypoint",
    setup: (r) =>
      r.edit(
        ".waypoint/manifest.json",
        /"waypoint": "[^"]+"/,
        '"waypoint": "0.1.0"',
      ),
    message: /scaffolded by waypoint 0\.1\.0/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  {
    name: "retired file the user changed",
    setup: (r) =>
      r.write(
        ".waypoint/scripts/prepare-context.mjs",
        "// old waypoint script\n",
      ),
    message: /prepare-context\.mjs: retired by waypoint, but you changed it/,
    fix: /delete the file if you no longer need it/,
    apply: (r) => r.remove(".waypoint/scripts/prepare-context.mjs"),
  },
  {
    name: "old root WORKSPACE.md that is a folder",
    setup: (r) => Deno.mkdir(r.at("WORKSPACE.md")),
    message: /^WORKSPACE\.md: left alone: it is a directory/,
    fix: /`mv WORKSPACE\.md WORKSPACE\.md\.old`/,
    apply: "first command",
  },
  {
    name: "manifest entry that is not a waypoint path",
    setup: async (r) => {
      const manifest = JSON.parse(await r.read(".waypoint/manifest.json"));
      manifest.files["../outside"] = { sha256: "00" };
      await r.write(
        ".waypoint/manifest.json",
        JSON.stringify(manifest, null, 2),
      );
    },
    message: /ignored the entry "\.\.\/outside"/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  // AGENTS.md.
  {
    name: "AGENTS.md missing",
    setup: (r) => r.remove("AGENTS.md"),
    message: /^AGENTS\.md is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  ...agentsEntryCases(),
  {
    name: "AGENTS.md with a stray start marker",
    setup: (r) =>
      r.edit(
        "AGENTS.md",
        "<!-- waypoint:end -->",
        "<!-- waypoint:start -->\n<!-- waypoint:end -->",
      ),
    message: /waypoint block cannot be located/,
    fix: /`waypoint init --force`/,
    apply: "first command",
  },
  {
    name: "AGENTS.md without a block",
    setup: (r) => r.write("AGENTS.md", "# My rules\n"),
    message: /AGENTS\.md has no waypoint block/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "AGENTS.md block edited",
    setup: (r) =>
      r.edit(
        "AGENTS.md",
        "<!-- waypoint:end -->",
        "extra line\n<!-- waypoint:end -->",
      ),
    message: /block in AGENTS\.md holds edits of yours/,
    fix:
      /delete it \(both marker lines and everything between them\), then run `waypoint init`/,
    apply: async (r) => {
      await r.edit(
        "AGENTS.md",
        /<!-- waypoint:start -->[^]*<!-- waypoint:end -->\n*/,
        "",
      );
      await runCommand(r, "waypoint init");
    },
  },
  {
    name: "AGENTS.md larger than waypoint reads",
    setup: (r) => r.write("AGENTS.md", "a".repeat(9 * 1024 * 1024)),
    message: /AGENTS\.md: is larger than 8 MiB/,
    fix: /`mv AGENTS\.md [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "AGENTS.md binary",
    setup: (r) =>
      Deno.writeFile(r.at("AGENTS.md"), new Uint8Array([0xff, 0xfe, 0, 0x41])),
    message: /AGENTS\.md is a binary file/,
    fix: /`mv AGENTS\.md [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: ".gitignore without waypoint lines",
    setup: (r) => r.remove(".gitignore"),
    message: /\.gitignore does not ignore/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "instructions still name .waypoint/scripts",
    setup: async (r) =>
      r.write("AGENTS.md", `${await r.read("AGENTS.md")}\n${STALE_LINE}\n`),
    message: /still points at \.waypoint\/scripts/,
    fix: /Replace it with `waypoint context`/,
    apply: (r) =>
      r.edit("AGENTS.md", STALE_LINE, "Before work, run `waypoint context`."),
  },
  {
    name: "context section inside the block",
    setup: (r) =>
      r.edit(
        "AGENTS.md",
        "<!-- waypoint:end -->",
        "## Project Context\n\nFacts.\n<!-- waypoint:end -->",
      ),
    message: /## Project Context inside the waypoint block/,
    fix: /below the `<!-- waypoint:end -->` marker/,
    apply: async (r) => {
      await r.edit(
        "AGENTS.md",
        "## Project Context\n\nFacts.\n<!-- waypoint:end -->",
        "<!-- waypoint:end -->",
      );
      await r.write(
        "AGENTS.md",
        `${await r.read("AGENTS.md")}\n## Project Context\n\nFacts.\n`,
      );
    },
  },
  // Workspace.
  {
    name: "workspace missing",
    setup: (r) => r.remove(".waypoint/WORKSPACE.md"),
    message: /Workspace file .* is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "workspace is a directory",
    setup: async (r) => {
      await r.remove(".waypoint/WORKSPACE.md");
      await Deno.mkdir(r.at(".waypoint/WORKSPACE.md"));
    },
    message: /WORKSPACE\.md: is a directory/,
    fix: /`mv \.waypoint\/WORKSPACE\.md [^`]+`.*`waypoint doctor --fix`/,
    apply: "all commands",
  },
  {
    name: "workspace binary",
    setup: (r) =>
      Deno.writeFile(
        r.at(".waypoint/WORKSPACE.md"),
        new Uint8Array([0xff, 0, 1]),
      ),
    message: /WORKSPACE\.md is a binary file|WORKSPACE\.md .*UTF-8/,
    category: "workspace",
    fix: /`mv \.waypoint\/WORKSPACE\.md [^`]+`.*`waypoint doctor --fix`/,
    apply: "all commands",
  },
  {
    name: "workspace section missing",
    setup: (r) => r.edit(".waypoint/WORKSPACE.md", "## Parked", "## Later"),
    message: /missing the "## Parked" section/,
    fix: /Add a "## Parked" heading/,
    apply: (r) => r.edit(".waypoint/WORKSPACE.md", "## Later", "## Parked"),
  },
  {
    name: "workspace entry without a timestamp",
    setup: (r) =>
      r.edit(
        ".waypoint/WORKSPACE.md",
        "## Next\n",
        "## Next\n\n- do the thing\n",
      ),
    message: /entries without a timestamp in: Next/,
    fix: /\[YYYY-MM-DD HH:MM TZ\]/,
    apply: (r) =>
      r.edit(
        ".waypoint/WORKSPACE.md",
        "- do the thing",
        "- [2026-03-06 20:10 PST] do the thing",
      ),
  },
  // Docs and trackers.
  {
    name: "docs folder missing",
    setup: (r) => r.remove(".waypoint/docs"),
    message: /Docs folder .* is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "docs root is a file",
    setup: async (r) => {
      await r.remove(".waypoint/docs");
      await r.write(".waypoint/docs", "not a folder\n");
    },
    message: /Docs root .* is a file/,
    fix: /`mv \.waypoint\/docs [^`]+`.*`waypoint doctor --fix`/,
    apply: "all commands",
  },
  {
    name: "doc without frontmatter",
    setup: (r) => r.write(".waypoint/docs/plain.md", "# Plain\n"),
    message: /plain\.md is not routable/,
    fix: /frontmatter with summary, last_updated and a read_when list/,
    apply: (r) => r.write(".waypoint/docs/plain.md", `${DOC}# Plain\n`),
  },
  {
    name: "doc read leniently",
    setup: (r) =>
      r.write(
        ".waypoint/docs/colon.md",
        "---\nsummary: Deploys: how they work\nlast_updated: 2026-01-01\nread_when:\n  - deploying\n---\n",
      ),
    message: /colon\.md/,
    category: "docs",
    fix: /Quote the value on that line/,
    apply: (r) =>
      r.edit(
        ".waypoint/docs/colon.md",
        "summary: Deploys: how they work",
        'summary: "Deploys: how they work"',
      ),
  },
  {
    name: "doc that is a FIFO",
    setup: (r) => r.sh("mkfifo .waypoint/docs/pipe.md"),
    message: /pipe\.md/,
    category: "docs",
    fix: /Fix or remove the file/,
    apply: (r) => r.remove(".waypoint/docs/pipe.md"),
  },
  {
    name: "docs index stale",
    setup: (r) => r.write(".waypoint/docs/new.md", DOC),
    message: /DOCS_INDEX\.md is stale/,
    fix: /`waypoint sync`/,
    apply: "first command",
  },
  {
    name: "docs index is the user's file",
    setup: (r) =>
      r.write(".waypoint/DOCS_INDEX.md", "# My own index\n\nHand-written.\n"),
    message: /DOCS_INDEX\.md: /,
    category: "docs",
    fix: /`mv \.waypoint\/DOCS_INDEX\.md [^`]+`.*`waypoint sync`/,
    apply: "all commands",
  },
  {
    name: "tracks index is the user's file",
    setup: (r) => r.write(".waypoint/TRACKS_INDEX.md", "# My own tracks\n"),
    message: /TRACKS_INDEX\.md: /,
    category: "track",
    fix: /`mv \.waypoint\/TRACKS_INDEX\.md [^`]+`.*`waypoint sync`/,
    apply: "all commands",
  },
  {
    name: "tracker folder missing",
    setup: (r) => r.remove(".waypoint/track"),
    message: /Tracker folder .* is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "tracker folder is a file",
    setup: async (r) => {
      await r.remove(".waypoint/track");
      await r.write(".waypoint/track", "not a folder\n");
    },
    message: /\.waypoint\/track is a file, not a directory/,
    fix: /`mv \.waypoint\/track [^`]+`.*`waypoint doctor --fix`/,
    apply: "all commands",
  },
  {
    name: "tracker invalid",
    setup: (r) =>
      r.write(".waypoint/track/broken.md", "---\nsummary: x\n---\n"),
    message: /Tracker .*broken\.md is invalid/,
    fix: /Fix its frontmatter/,
    apply: (r) => r.write(".waypoint/track/broken.md", TRACKER("done")),
  },
  {
    name: "active tracker not in the workspace",
    setup: (r) => r.write(".waypoint/track/live.md", TRACKER("active")),
    message: /Active trackers exist, but the workspace mentions none/,
    fix: /under "## Active Trackers" in \.waypoint\/WORKSPACE\.md/,
    apply: (r) =>
      r.edit(
        ".waypoint/WORKSPACE.md",
        "## Active Trackers\n",
        "## Active Trackers\n\n- [2026-03-06 20:10 PST] .waypoint/track/live.md\n",
      ),
  },
  // Skills.
  {
    name: "skill folder starting with a dot",
    setup: (r) =>
      r.write(
        ".agents/skills/.hidden/SKILL.md",
        "---\nname: hidden\ndescription: x\n---\n",
      ),
    message: /\.hidden: Codex skips skill folders/,
    fix: /Rename the folder without the leading dot, or remove it/,
    apply: (r) => r.remove(".agents/skills/.hidden"),
  },
  {
    name: "skill folder that is a symlink",
    setup: async (r) => {
      await r.write(
        "elsewhere/mine/SKILL.md",
        "---\nname: mine\ndescription: Mine.\n---\n",
      );
      await Deno.symlink("../../elsewhere/mine", r.at(".agents/skills/mine"));
    },
    message: /skills\/mine is a symlink/,
    fix: /Replace the link with the skill folder itself/,
    apply: (r) =>
      r.sh(
        "rm .agents/skills/mine && cp -R elsewhere/mine .agents/skills/mine",
      ),
  },
  {
    name: "required skill's SKILL.md missing",
    setup: (r) => r.remove(".agents/skills/planning/SKILL.md"),
    message: /planning\/SKILL\.md is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "skill folder without SKILL.md",
    setup: (r) => r.write(".agents/skills/empty/notes.txt", "x\n"),
    message: /Skill folder "empty" has no SKILL\.md/,
    fix: /or remove the folder/,
    apply: (r) => r.remove(".agents/skills/empty"),
  },
  {
    name: "skill with bad frontmatter",
    setup: (r) =>
      r.write(".agents/skills/mine/SKILL.md", "---\nname: mine\n---\n"),
    message: /Skill "mine": /,
    fix: /Fix the SKILL\.md frontmatter/,
    apply: (r) =>
      r.write(
        ".agents/skills/mine/SKILL.md",
        "---\nname: mine\ndescription: Does my thing.\n---\n",
      ),
  },
  // Codex project config and agents.
  {
    name: ".codex/config.toml with a syntax error",
    setup: (r) => r.write(".codex/config.toml", "model = \n"),
    message: /\.codex\/config\.toml/,
    category: "roles",
    fix: /Fix the TOML syntax/,
    apply: (r) => r.write(".codex/config.toml", 'model = "gpt-5"\n'),
  },
  {
    name: "multi_agent feature flag",
    setup: (r) =>
      r.write(".codex/config.toml", "[features]\nmulti_agent = true\n"),
    message: /multi_agent/,
    category: "roles",
    fix:
      /Delete `multi_agent` from \[features\] \(and the table if it is left empty\)/,
    apply: (r) => r.write(".codex/config.toml", ""),
  },
  {
    name: "unknown Codex setting",
    setup: (r) => r.write(".codex/config.toml", 'modle = "gpt-5"\n'),
    message: /unrecognized configuration setting/,
    fix: /Check for typos/,
    apply: (r) => r.write(".codex/config.toml", 'model = "gpt-5"\n'),
  },
  {
    name: "agent config_file outside .codex",
    setup: (r) =>
      r.write(
        ".codex/config.toml",
        '[agents.x]\ndescription = "x"\nconfig_file = "/etc/passwd"\n',
      ),
    message: /agents\.x\.config_file is not a path inside \.codex/,
    fix: /remove the \[agents\.x\] table/,
    apply: (r) => r.write(".codex/config.toml", ""),
  },
  {
    name: "agent config_file missing",
    setup: (r) =>
      r.write(
        ".codex/config.toml",
        '[agents.x]\ndescription = "x"\nconfig_file = "agents/x.toml"\n',
      ),
    message: /agents\.x\.config_file must point to an existing file/,
    fix: /remove the \[agents\.x\] table/,
    apply: (r) => r.write(".codex/config.toml", ""),
  },
  {
    name: "waypoint's reviewer agent file broken",
    setup: (r) => r.write(MANAGED, 'name = "code-reviewer"\n'),
    message: /code-reviewer\.toml/,
    category: "roles",
    fix: /`mv \.codex\/agents\/code-reviewer\.toml [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "user's agent file broken",
    setup: (r) => r.write(".codex/agents/mine.toml", 'name = "mine"\n'),
    message: /mine\.toml/,
    category: "roles",
    fix: /Fix the agent file/,
    apply: (r) =>
      r.write(
        ".codex/agents/mine.toml",
        'name = "mine"\ndescription = "Mine."\ndeveloper_instructions = "Do it."\n',
      ),
  },
  {
    name: "two agent files with one name",
    setup: async (r) =>
      r.write(
        ".codex/agents/copy.toml",
        await r.read(MANAGED),
      ),
    message: /copy\.toml/,
    category: "roles",
    fix: /remove one of them/,
    apply: (r) => r.remove(".codex/agents/copy.toml"),
  },
  {
    name: "Codex does not trust the project",
    setup: () => Promise.resolve(),
    message: /Codex does not trust this project yet/,
    fix: /put these lines in/,
    apply: async (r, fix) => {
      const [, file, lines] = fix.match(
        /put these lines in (\S+):\n([\s\S]*)$/,
      )!;
      await Deno.writeTextFile(file, lines.trim() + "\n", { append: true });
      void r;
    },
  },
];

/** AGENTS.md as something waypoint cannot put its block in. */
function agentsEntryCases(): AdviceCase[] {
  const states: [string, (r: Repo) => Promise<void>][] = [
    ["a directory", (r) => Deno.mkdir(r.at("AGENTS.md"))],
    [
      "a symlink to /dev/zero",
      (r) => Deno.symlink("/dev/zero", r.at("AGENTS.md")),
    ],
    ["a FIFO", (r) => r.sh("mkfifo AGENTS.md")],
    [
      "a dangling symlink",
      (r) => Deno.symlink("nowhere.md", r.at("AGENTS.md")),
    ],
    [
      "a symlink to itself",
      (r) => Deno.symlink("AGENTS.md", r.at("AGENTS.md")),
    ],
    ["a symlink to a folder in the repo", async (r) => {
      await Deno.mkdir(r.at("sub"));
      await Deno.symlink("sub", r.at("AGENTS.md"));
    }],
    ["a symlink to a FIFO in the repo", async (r) => {
      await r.sh("mkfifo pipe");
      await Deno.symlink("pipe", r.at("AGENTS.md"));
    }],
  ];
  return states.map(([what, make]) => ({
    name: `AGENTS.md is ${what}`,
    setup: async (r) => {
      await r.remove("AGENTS.md");
      await make(r);
    },
    message: /^AGENTS\.md .*waypoint cannot put its block/,
    fix: /`mv AGENTS\.md [^`]+`.*`waypoint init`/,
    apply: "all commands",
  }));
}

let codexHome = "";

async function runIn(repo: Repo, args: string[]) {
  const result = await runCli(args, {
    cwd: repo.root,
    env: { CODEX_HOME: codexHome },
  });
  assert.ok(
    result.code === 0 || args[0] === "doctor",
    `${args.join(" ")}: ${result.stderr}`,
  );
}

/** The backticked shell or waypoint commands in a fix text, in order. */
function commandsIn(fix: string): string[] {
  return [...fix.matchAll(/`((?:waypoint|mv) [^`]+|waypoint)`/g)].map((m) =>
    m[1]
  );
}

async function runCommand(repo: Repo, command: string) {
  if (command.startsWith("waypoint")) {
    await runIn(repo, command.split(" ").slice(1));
  } else await repo.sh(command);
}

function makeRepo(root: string): Repo {
  const at = (path: string) => join(root, path);
  const repo: Repo = {
    root,
    at,
    read: (path) => Deno.readTextFile(at(path)),
    async write(path, text) {
      await Deno.mkdir(join(at(path), ".."), { recursive: true });
      await Deno.writeTextFile(at(path), text);
    },
    async edit(path, from, to) {
      const text = await Deno.readTextFile(at(path));
      const next = text.replace(from, to);
      assert.notEqual(next, text, `${path} holds ${from}`);
      await Deno.writeTextFile(at(path), next);
    },
    remove: (path) => Deno.remove(at(path), { recursive: true }),
    async sh(command) {
      const out = await new Deno.Command("sh", {
        args: ["-c", command],
        cwd: root,
        stderr: "piped",
      })
        .output();
      assert.ok(
        out.success,
        `${command}: ${new TextDecoder().decode(out.stderr)}`,
      );
    },
  };
  return repo;
}

interface JsonFinding {
  category: string;
  message: string;
  remediation: string;
}

async function findingsOf(repo: Repo): Promise<JsonFinding[]> {
  const result = await runCli(["doctor", "--json", repo.root], {
    env: { CODEX_HOME: codexHome },
    timeoutMs: 60_000,
  });
  assert.ok(result.stdout.startsWith("{"), `doctor --json: ${result.stderr}`);
  return JSON.parse(result.stdout).findings;
}

Deno.test("every doctor fix text, followed as written, clears its finding", async () => {
  const base = await makeTempDir("waypoint-advice-");
  codexHome = join(base, "codex-home");
  await Deno.mkdir(codexHome);
  const template = join(base, "template");
  const failures: string[] = [];
  try {
    const init = await runCli(["init", template], {
      env: { CODEX_HOME: codexHome },
    });
    assert.equal(init.code, 0, init.stderr);
    for (const [index, row] of ADVICE.entries()) {
      const root = join(base, `case-${index}`);
      const copied = await new Deno.Command("cp", {
        args: ["-a", template, root],
      }).output();
      assert.ok(copied.success);
      const repo = makeRepo(root);
      const matches = (f: JsonFinding) =>
        row.message.test(f.message) &&
        (!row.category || f.category === row.category);
      try {
        await row.setup(repo);
        const found = (await findingsOf(repo)).find(matches);
        if (!found) {
          failures.push(`${row.name}: doctor did not report it`);
          continue;
        }
        if (!row.fix.test(found.remediation)) {
          failures.push(`${row.name}: fix text is "${found.remediation}"`);
          continue;
        }
        if (typeof row.apply === "function") {
          await row.apply(repo, found.remediation);
        } else {
          const commands = commandsIn(found.remediation);
          assert.ok(
            commands.length,
            `${row.name}: no command in "${found.remediation}"`,
          );
          for (
            const command of row.apply === "first command"
              ? commands.slice(0, 1)
              : commands
          ) {
            await runCommand(repo, command);
          }
        }
        const after = (await findingsOf(repo)).find(matches);
        if (after) {
          failures.push(
            `${row.name}: still reported after "${found.remediation}"`,
          );
        }
      } catch (error) {
        failures.push(
          `${row.name}: ${
            error instanceof Error ? error.message.split("\n")[0] : error
          }`,
        );
      } finally {
        await Deno.remove(root, { recursive: true }).catch(() => {});
      }
    }
  } finally {
    await removeTempDir(base);
  }
  assert.deepEqual(
    failures,
    [],
    `${failures.length} of ${ADVICE.length} fix texts did not work`,
  );
});
