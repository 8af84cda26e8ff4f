/**
 * Every doctor finding's fix text works for the state that produced it: for
 * each row, an initialised repo is put in the state, doctor must report the
 * finding with the expected advice, the advice is applied as written (its
 * backticked commands are run, or the file change it describes is made),
 * and doctor must no longer report it. Each row gets an empty `CODEX_HOME`
 * of its own (`Repo.home`), and a Codex user config a fix leaves behind
 * must still parse: Codex refuses the whole file otherwise.
 *
 * To add a finding: add a row to ADVICE with the state (`setup`), how to
 * recognise the finding (`message`, and `category` when the message is
 * shared), what the fix must say (`fix`) and how to follow it (`apply`:
 * "first command", "all commands", or a function doing what the text says);
 * `after` when a broken fix could turn the finding into a sibling one.
 * `ADVICE_ROWS=<regex>` runs only the matching rows.
 *
 * Coverage, by the module that raises the finding:
 * - run.ts: config.toml missing, a directory, a bad value; the plan failing
 *   on a file it names (AGENTS.md too large, binary); docs folder missing or
 *   a file; doc without frontmatter, read leniently, a FIFO; indexes stale,
 *   missing or the user's; tracker folder missing or a file; tracker
 *   invalid; active tracker not in the workspace; workspace missing, a
 *   directory, binary.
 * - scaffold.ts: config lacking keys; managed file missing, a directory, a
 *   symlink, under a file; temp file; manifest missing, older, with a foreign
 *   entry; retired files (waypoint's, changed, a kept folder); notes (root
 *   WORKSPACE.md a folder or different, root DOCS_INDEX.md, the user's
 *   .codex/config.toml with waypoint's old keys, a [hooks] table);
 *   outdated, edited and offered managed files (a waiting offer both ways, a
 *   foreign `.waypoint-new` in the way); AGENTS.md missing, unusable (seven
 *   kinds), stray marker, no block, block differing, block beyond the limit;
 *   .gitignore without waypoint lines, with broken markers, a directory;
 *   .codex/hooks.json missing, unparsable (both fixes), wrong shape, a
 *   symlink, waypoint's hook changed.
 * - stale_instructions.ts, context_sections.ts, workspace.ts: one row each
 *   per finding.
 * - agents_size.ts: override, untrusted project (both fixes), zero limit
 *   (user and project config), root text over the limit, root plus nested
 *   over it, a set limit smaller than waypoint's block.
 * - subagent_models.ts: model without subagents (user config, both fixes;
 *   trusted project config), unknown model.
 * - skills.ts: dot folder, symlink, required SKILL.md missing, folder
 *   without SKILL.md, bad or binary SKILL.md, bad agents/openai.yaml, list
 *   over the budget.
 * - codex.ts: config unreadable, bad TOML, multi_agent, unknown key,
 *   config_file outside or missing, agent file unreadable, waypoint's or the
 *   user's agent file broken, duplicate names, project not trusted (no entry,
 *   entry saying untrusted).
 * - hook_trust.ts: hook not trusted, in hooks.json or .codex/config.toml
 *   (`waypoint trust`, pasted lines; in a project marked untrusted);
 *   trusted for another command (`waypoint trust`, changed lines).
 *
 * Left out, and why:
 * - subagent_models.ts, a model only newer Codex releases give subagents
 *   (info, "Use Codex X or newer"): doctor judges from the catalogs bundled
 *   with it and never runs Codex, so no upgrade of the user's Codex can
 *   clear it; it is a note about the releases the user may run.
 * - subagent_models.ts, Codex's default model without subagents: no bundled
 *   catalog has such a default, so no state reaches it; its fix is the
 *   "Set model" text the rows above follow.
 * - run.ts, a plan failure naming no file that exists ("Fix the file named
 *   above"), and scaffold.ts's move-aside fix for a conflict neither edited
 *   nor left alone: no repo state reaches either today.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseToml } from "../src/config.ts";
import { hookTomlLines } from "../src/scaffold/hooks_json.ts";
import { sha256 } from "../src/scaffold/manifest.ts";
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
  /** This row's throwaway `CODEX_HOME`, and its `config.toml`. */
  home: string;
  homeConfig: string;
  writeHome(text: string): Promise<void>;
  /** Replaces `from` with `to` in the Codex user config; the text must be there. */
  editHome(from: string | RegExp, to: string): Promise<void>;
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
  /**
   * The findings that must be gone after the fix, when more than the one
   * reported (e.g. a warning a broken fix would only turn into a note).
   */
  after?: RegExp;
}

const MANAGED = ".codex/agents/code-reviewer.toml";
const DOC =
  "---\nsummary: A doc\nlast_updated: 2026-01-01\nread_when: [always]\n---\n";
const TRACKER = (status: string) =>
  `---\nsummary: Work\nstatus: ${status}\nlast_updated: 2026-01-01\nread_when: [resume]\n---\n`;
const STALE_LINE =
  "Before work, run node .waypoint/scripts/prepare-context.mjs.";

/** Any finding about waypoint's hook trust (a broken fix could turn the warning into the note). */
const HOOK_TRUST =
  /trust waypoint's SessionStart hook|trusts waypoint's SessionStart hook/;

/** The interface part of a skill's agents/openai.yaml that Codex accepts. */
const OPENAI_YAML =
  'interface:\n  display_name: "Mine"\n  short_description: "Does my own thing in this repo"\n  default_prompt: "Use $mine here."\n';

/** AGENTS.md prose long enough to pass Codex's 32 KiB default on its own. */
const LONG_NOTES = `## Notes\n\n${
  "Keep the build green and the docs current. ".repeat(900)
}\n`;

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
    apply: (_r, fix) => pasteLines(fix),
  },
  {
    name: "Codex told to distrust the project, by its own trust finding",
    setup: (r) => r.writeHome(trustEntry(r, "untrusted")),
    message: /Codex does not trust this project \(.*untrusted/,
    fix: /^Set trust_level = "trusted" at \S+config\.toml:1/,
    apply: (r) =>
      r.editHome('trust_level = "untrusted"', 'trust_level = "trusted"'),
    after: /Codex does not trust this project/,
  },
  {
    name: "Codex told to distrust the project, by the AGENTS.md finding",
    setup: (r) => r.writeHome(trustEntry(r, "untrusted")),
    message: /Codex is told not to trust this project/,
    fix: /Set trust_level = "trusted" there/,
    apply: (r) =>
      r.editHome('trust_level = "untrusted"', 'trust_level = "trusted"'),
  },
  // Codex hook trust.
  {
    name: "hook not trusted, by running waypoint trust",
    setup: () => Promise.resolve(),
    message: /does not trust waypoint's SessionStart hook/,
    fix: /`waypoint trust`/,
    apply: "first command",
  },
  {
    name: "hook not trusted, by pasting the lines",
    setup: () => Promise.resolve(),
    message: /does not trust waypoint's SessionStart hook/,
    fix: /put these lines in \S+:\n\[hooks\.state\."/,
    apply: (_r, fix) => pasteLines(fix),
  },
  {
    name: "hook in .codex/config.toml not trusted, by running waypoint trust",
    setup: async (r) => {
      await r.remove(".codex/hooks.json");
      await r.write(".codex/config.toml", `${hookTomlLines()}\n`);
    },
    message:
      /does not trust waypoint's SessionStart hook in \.codex\/config\.toml/,
    fix: /`waypoint trust`/,
    apply: "first command",
  },
  {
    name: "hook in .codex/config.toml not trusted, by pasting the lines",
    setup: async (r) => {
      await r.remove(".codex/hooks.json");
      await r.write(".codex/config.toml", `${hookTomlLines()}\n`);
    },
    message:
      /does not trust waypoint's SessionStart hook in \.codex\/config\.toml/,
    fix:
      /put these lines in \S+:\n\[hooks\.state\."[^"]+config\.toml:session_start:0:0"\]/,
    apply: (_r, fix) => pasteLines(fix),
  },
  {
    name: "hook not trusted in a project marked untrusted",
    setup: (r) => r.writeHome(trustEntry(r, "untrusted")),
    message: /does not trust waypoint's SessionStart hook/,
    fix:
      /^Set trust_level = "trusted" at \S+config\.toml:1 first .*; then run `waypoint trust`/,
    apply: async (r, fix) => {
      await r.editHome('trust_level = "untrusted"', 'trust_level = "trusted"');
      await runCommand(r, commandsIn(fix)[0]);
    },
  },
  {
    name: "hook trusted for another command, by running waypoint trust",
    setup: trustOtherHook,
    message: /trusts waypoint's SessionStart hook .* for another command/,
    fix: /`waypoint trust`/,
    apply: "first command",
    after: HOOK_TRUST,
  },
  {
    name: "hook trusted for another command, by changing the lines",
    setup: trustOtherHook,
    message: /trusts waypoint's SessionStart hook .* for another command/,
    fix:
      /set trusted_hash under this hook's table to its current hash:\n\[hooks\.state\."[^"]+"\]\ntrusted_hash = "sha256:[0-9a-f]+"$/,
    apply: async (r, fix) => {
      const [header, hash] = fix.slice(fix.indexOf("[hooks.state.")).split(
        "\n",
      );
      const text = await Deno.readTextFile(r.homeConfig);
      const at = text.indexOf(header);
      assert.ok(at >= 0, `${r.homeConfig} holds ${header}`);
      const below = text.slice(at).replace(/^trusted_hash = .*$/m, hash);
      await Deno.writeTextFile(r.homeConfig, text.slice(0, at) + below);
    },
    after: HOOK_TRUST,
  },
  // AGENTS.md as Codex reads it.
  {
    name: "AGENTS.override.md hides AGENTS.md",
    setup: (r) => r.write("AGENTS.override.md", "Local rule: be brief.\n"),
    message: /AGENTS\.override\.md at the repo root hides AGENTS\.md/,
    fix:
      /Move what you need from AGENTS\.override\.md into AGENTS\.md, outside the waypoint markers, and delete AGENTS\.override\.md/,
    apply: async (r) => {
      const mine = await r.read("AGENTS.override.md");
      await r.write("AGENTS.md", `${await r.read("AGENTS.md")}\n${mine}`);
      await r.remove("AGENTS.override.md");
    },
  },
  {
    name: "project_doc_max_bytes = 0 in the user config",
    setup: (r) => r.writeHome("project_doc_max_bytes = 0\n"),
    message: /project_doc_max_bytes is 0/,
    fix: /Delete that setting/,
    apply: (r) => r.editHome("project_doc_max_bytes = 0\n", ""),
  },
  {
    name: "project_doc_max_bytes = 0 in a trusted project's config",
    setup: async (r) => {
      await r.writeHome(trustEntry(r, "trusted"));
      await r.write(".codex/config.toml", "project_doc_max_bytes = 0\n");
    },
    message: /project_doc_max_bytes is 0 \(\.codex\/config\.toml/,
    fix: /Delete that setting/,
    apply: (r) => r.write(".codex/config.toml", ""),
  },
  {
    name: "AGENTS.md text beyond the limit",
    setup: async (r) =>
      r.write("AGENTS.md", `${await r.read("AGENTS.md")}\n${LONG_NOTES}`),
    message: /Codex cuts the text beyond 32768 bytes, so the end of AGENTS\.md/,
    fix:
      /Move detail out of AGENTS\.md into routed docs under \.waypoint\/docs\//,
    apply: async (r) => {
      await r.edit("AGENTS.md", `\n${LONG_NOTES}`, "");
      await r.write(".waypoint/docs/notes.md", `${DOC}${LONG_NOTES}`);
    },
  },
  {
    name: "limit in the user config smaller than waypoint's block",
    setup: (r) => r.writeHome("project_doc_max_bytes = 1000\n"),
    message: /Codex cuts the text beyond 1000 bytes/,
    fix:
      /^Raise project_doc_max_bytes at \S+config\.toml:1 to at least (\d+) \(or delete it/,
    apply: (r, fix) =>
      r.editHome(
        "project_doc_max_bytes = 1000",
        `project_doc_max_bytes = ${fix.match(/at least (\d+)/)![1]}`,
      ),
  },
  {
    name: "Codex told to distrust the project, entry deleted",
    setup: (r) => r.writeHome(trustEntry(r, "untrusted")),
    message: /Codex is told not to trust this project/,
    fix: /or delete the entry so Codex asks again/,
    apply: (r) => r.editHome(trustEntry(r, "untrusted"), ""),
  },
  {
    name: "root and nested AGENTS.md together beyond the limit",
    setup: (r) => r.write("app/AGENTS.md", `# App\n\n${LONG_NOTES}`),
    message: /for a session started in app: .* the end of app\/AGENTS\.md/,
    fix:
      /Move detail out of AGENTS\.md into routed docs under \.waypoint\/docs\//,
    apply: async (r) => {
      await r.write("app/AGENTS.md", "# App\n\nSee .waypoint/docs/app.md.\n");
      await r.write(".waypoint/docs/app.md", `${DOC}${LONG_NOTES}`);
    },
  },
  {
    name: "waypoint block pushed beyond the limit",
    setup: async (r) =>
      r.write("AGENTS.md", `${LONG_NOTES}\n${await r.read("AGENTS.md")}`),
    message: /The waypoint block in AGENTS\.md is out of Codex's reach/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  // The model the reviewer agents run on.
  {
    name: "model without subagents in the user config, set to the suggestion",
    setup: (r) => r.writeHome('model = "gpt-5.5"\n'),
    message:
      /gives model "gpt-5\.5" \(set at .*config\.toml:1\) no spawn_agent/,
    fix: /Set model = "[^"]+" in \S+config\.toml:1, or delete that line/,
    apply: (r, fix) => r.editHome('model = "gpt-5.5"', suggestedModel(fix)),
  },
  {
    name: "model without subagents in the user config, line deleted",
    setup: (r) => r.writeHome('model = "gpt-5.5"\n'),
    message: /gives model "gpt-5\.5" .* no spawn_agent/,
    fix: /or delete that line to use Codex's default model/,
    apply: (r) => r.editHome('model = "gpt-5.5"\n', ""),
  },
  {
    name: "model without subagents in a trusted project's config",
    setup: async (r) => {
      await r.writeHome(trustEntry(r, "trusted"));
      await r.write(".codex/config.toml", 'model = "gpt-5.6-luna"\n');
    },
    message: /gives model "gpt-5\.6-luna" \(set at \.codex\/config\.toml:1\)/,
    fix: /Set model = "[^"]+" in \.codex\/config\.toml:1/,
    apply: (r, fix) =>
      r.edit(
        ".codex/config.toml",
        'model = "gpt-5.6-luna"',
        suggestedModel(fix),
      ),
  },
  {
    name: "model no catalog knows",
    setup: (r) => r.writeHome('model = "gpt-nonesuch"\n'),
    message: /Model "gpt-nonesuch" .* is not in the model catalog/,
    fix: /Set model = "[^"]+" in \S+config\.toml:1/,
    apply: (r, fix) =>
      r.editHome('model = "gpt-nonesuch"', suggestedModel(fix)),
  },
  // More of the scaffold.
  {
    name: ".gitignore with two start markers",
    setup: async (r) =>
      r.write(".gitignore", `# waypoint:start\n${await r.read(".gitignore")}`),
    message: /^\.gitignore: /,
    fix:
      /Edit \.gitignore so it holds one `# waypoint:start` line and, below it, one `# waypoint:end` line.*then run `waypoint doctor --fix`/,
    apply: async (r, fix) => {
      await r.edit(".gitignore", /^# waypoint:start\n/, "");
      await runCommand(r, commandsIn(fix)[0]);
    },
  },
  {
    name: ".gitignore with the end marker above the start",
    setup: (r) =>
      r.write(
        ".gitignore",
        "# waypoint:end\nnode_modules/\n# waypoint:start\n",
      ),
    message: /^\.gitignore: /,
    fix: /\(or delete both\), then run `waypoint doctor --fix`/,
    apply: async (r, fix) => {
      await r.write(".gitignore", "node_modules/\n");
      await runCommand(r, commandsIn(fix)[0]);
    },
  },
  {
    name: ".gitignore that is a directory",
    setup: async (r) => {
      await r.remove(".gitignore");
      await Deno.mkdir(r.at(".gitignore"));
    },
    message: /^\.gitignore: left alone: it is a directory/,
    fix: /`mv \.gitignore \.gitignore\.old`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "old root WORKSPACE.md that differs",
    setup: (r) => r.write("WORKSPACE.md", "# Workspace\n\nMy old notes.\n"),
    message: /^WORKSPACE\.md: kept: it differs/,
    fix: /Keep or merge what you need as the note says, then delete the file/,
    apply: async (r) => {
      await r.write(
        ".waypoint/WORKSPACE.md",
        `${await r.read(".waypoint/WORKSPACE.md")}\nMy old notes.\n`,
      );
      await r.remove("WORKSPACE.md");
    },
  },
  {
    name: "old root DOCS_INDEX.md with text of the user's",
    setup: (r) => r.write("DOCS_INDEX.md", "# My index\n\nHand-kept.\n"),
    message: /^DOCS_INDEX\.md: kept: it is not a generated waypoint index/,
    fix: /delete the file if you no longer need it/,
    apply: (r) => r.remove("DOCS_INDEX.md"),
  },
  {
    name: "retired folder holding a file waypoint did not write",
    setup: (r) => r.write(".waypoint/rules/mine.md", "# My rule\n"),
    message: /is not a file waypoint wrote: the folder is kept/,
    fix: /delete the file if you no longer need it/,
    apply: (r) => r.remove(".waypoint/rules"),
  },
  {
    name: "user's .codex/config.toml still holding waypoint's old keys",
    setup: (r) =>
      r.write(
        ".codex/config.toml",
        `model = "gpt-6.1-sol"\n\n[features]\nmulti_agent = true\n\n[agents."code-reviewer"]\ndescription = "Reviews."\nconfig_file = "agents/code-reviewer.toml"\n`,
      ),
    message: /^\.codex\/config\.toml: kept as yours/,
    fix:
      /Delete `multi_agent` from \[features\] and the \[agents\."code-reviewer"\], .* tables from it/,
    apply: (r) => r.write(".codex/config.toml", 'model = "gpt-6.1-sol"\n'),
  },
  {
    name: "managed file from an older waypoint",
    setup: (r) => olderManaged(r, MANAGED, 'name = "code-reviewer"\n# old\n'),
    message:
      /1 managed file\(s\) differ from this waypoint version's templates/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  {
    name: "managed file edited locally, taken back",
    setup: (r) => r.edit(MANAGED, /^# .*$/m, "# my own note"),
    message: /1 managed file\(s\) were edited locally/,
    fix: /delete it and run `waypoint doctor --fix`/,
    apply: async (r, fix) => {
      await r.remove(MANAGED);
      await runCommand(r, commandsIn(fix).at(-1)!);
    },
  },
  {
    name: "new version waiting beside an edited file, kept mine",
    setup: offerWaiting,
    message: /A new waypoint version of .*code-reviewer\.toml is waiting/,
    fix: /to keep yours, delete the \.waypoint-new file/,
    apply: (r) => r.remove(`${MANAGED}.waypoint-new`),
  },
  {
    name: "new version waiting beside an edited file, took waypoint's",
    setup: offerWaiting,
    message: /A new waypoint version of .*code-reviewer\.toml is waiting/,
    fix: /to take waypoint's, move it over yours/,
    apply: (r) => r.sh(`mv ${MANAGED}.waypoint-new ${MANAGED}`),
  },
  {
    name: "a .waypoint-new waypoint did not write blocks the new version",
    setup: async (r) => {
      await olderManaged(r, MANAGED, 'name = "code-reviewer"\n# old\n');
      await r.edit(MANAGED, /^# old$/m, "# mine");
      await r.write(`${MANAGED}.waypoint-new`, "# my own scratch file\n");
    },
    message: /code-reviewer\.toml\.waypoint-new is in its way/,
    fix: /`mv [^`]+\.waypoint-new [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "retired file waypoint wrote",
    setup: async (r) => {
      const text = "# Docs\n\nFrom an older waypoint.\n";
      await r.write("docs/README.md", text);
      await record(r, "docs/README.md", text);
    },
    message: /Files from an earlier waypoint layout are still present/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  // .codex/hooks.json.
  {
    name: "hooks.json missing",
    setup: (r) => r.remove(".codex/hooks.json"),
    message: /Managed file \.codex\/hooks\.json is missing/,
    fix: /`waypoint doctor --fix`/,
    apply: "first command",
  },
  {
    name: "hooks.json that does not parse, moved aside",
    setup: (r) => r.write(".codex/hooks.json", "{ not json\n"),
    message: /hooks\.json is not valid JSON/,
    fix: /`mv \.codex\/hooks\.json [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "hooks.json that does not parse, fixed by hand",
    setup: (r) => r.write(".codex/hooks.json", '{"hooks": {},}\n'),
    message: /hooks\.json is not valid JSON/,
    fix: /^Fix it by hand \(the message says what is wrong\), or move/,
    apply: (r) => r.write(".codex/hooks.json", '{"hooks": {}}\n'),
  },
  {
    name: "hooks.json of the wrong shape",
    setup: (r) => r.write(".codex/hooks.json", '{"hooks": []}\n'),
    message: /hooks\.json does not have the shape Codex reads/,
    fix: /`mv \.codex\/hooks\.json [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "hooks.json that is a symlink",
    setup: async (r) => {
      await r.remove(".codex/hooks.json");
      await Deno.symlink("/dev/null", r.at(".codex/hooks.json"));
    },
    message: /hooks\.json is a symbolic link/,
    fix: /`mv \.codex\/hooks\.json [^`]+`.*`waypoint init`/,
    apply: "all commands",
  },
  {
    name: "hooks.json with waypoint's hook changed",
    setup: (r) => r.edit(".codex/hooks.json", '"timeout": 60', '"timeout": 5'),
    message:
      /1 managed file\(s\) differ from this waypoint version's templates/,
    fix: /`waypoint init`/,
    apply: "first command",
  },
  {
    name: "[hooks] in .codex/config.toml instead of hooks.json",
    setup: async (r) => {
      await r.remove(".codex/hooks.json");
      await r.write(
        ".codex/config.toml",
        '[[hooks.Stop]]\n\n[[hooks.Stop.hooks]]\ntype = "command"\ncommand = "echo done"\n',
      );
    },
    message: /^\.codex\/config\.toml: it has a \[hooks\] table[^\n]*\.$/,
    fix:
      /^Add these lines to \.codex\/config\.toml:\n\[\[hooks\.SessionStart\]\]/,
    apply: async (r, fix) => {
      const lines = fix.slice(fix.indexOf("[[hooks.SessionStart]]"));
      await r.write(
        ".codex/config.toml",
        `${await r.read(".codex/config.toml")}\n${lines.trim()}\n`,
      );
    },
  },
  // More Codex files.
  {
    name: ".codex/config.toml that is binary",
    setup: (r) =>
      Deno.writeFile(r.at(".codex/config.toml"), new Uint8Array([0xff, 0, 1])),
    message: /\.codex\/config\.toml/,
    category: "roles",
    fix: /Make the file readable UTF-8 TOML/,
    apply: (r) => r.write(".codex/config.toml", 'model = "gpt-6.1-sol"\n'),
  },
  {
    name: "agent file that is binary",
    setup: (r) =>
      Deno.writeFile(
        r.at(".codex/agents/mine.toml"),
        new Uint8Array([0xff, 0]),
      ),
    message: /mine\.toml/,
    category: "roles",
    fix: /Make the file readable UTF-8 TOML/,
    apply: (r) =>
      r.write(
        ".codex/agents/mine.toml",
        'name = "mine"\ndescription = "Mine."\ndeveloper_instructions = "Do it."\n',
      ),
  },
  // More skills.
  {
    name: "skill whose SKILL.md is binary",
    setup: (r) =>
      Deno.mkdir(r.at(".agents/skills/mine"), { recursive: true }).then(() =>
        Deno.writeFile(
          r.at(".agents/skills/mine/SKILL.md"),
          new Uint8Array([0xff, 0, 1]),
        )
      ),
    message: /Skill "mine": SKILL\.md /,
    fix: /Fix the SKILL\.md frontmatter/,
    apply: (r) =>
      r.write(
        ".agents/skills/mine/SKILL.md",
        "---\nname: mine\ndescription: Does my thing.\n---\n",
      ),
  },
  {
    name: "skill with a broken agents/openai.yaml",
    setup: async (r) => {
      await r.write(
        ".agents/skills/mine/SKILL.md",
        "---\nname: mine\ndescription: Does my thing.\n---\n",
      );
      await r.write(
        ".agents/skills/mine/agents/openai.yaml",
        `${OPENAI_YAML}policy:\n  allow_implicit_invocation: maybe\n`,
      );
    },
    message: /Skill "mine": /,
    fix: /Fix agents\/openai\.yaml/,
    apply: (r) =>
      r.write(
        ".agents/skills/mine/agents/openai.yaml",
        `${OPENAI_YAML}policy:\n  allow_implicit_invocation: false\n`,
      ),
  },
  {
    name: "skill list beyond Codex's budget",
    setup: async (r) => {
      for (let i = 0; i < 25; i++) {
        await r.write(
          `.agents/skills/bulk-${i}/SKILL.md`,
          `---\nname: bulk-${i}\ndescription: ${
            "Does bulk work. ".repeat(60)
          }\n---\n`,
        );
      }
    },
    message: /The skills Codex lists for the model cost/,
    fix: /remove skills you do not use/,
    apply: (r) => r.sh("rm -r .agents/skills/bulk-*"),
  },
  // Indexes.
  {
    name: "docs index missing",
    setup: (r) => r.remove(".waypoint/DOCS_INDEX.md"),
    message: /DOCS_INDEX\.md is missing/,
    fix: /`waypoint sync`/,
    apply: "first command",
  },
  {
    name: "tracks index stale",
    setup: (r) => r.write(".waypoint/track/done.md", TRACKER("done")),
    message: /TRACKS_INDEX\.md is stale/,
    fix: /`waypoint sync`/,
    apply: "first command",
  },
];

/** A `[projects."…"]` entry for the repo in the Codex user config. */
function trustEntry(r: Repo, level: string): string {
  return `[projects.${
    JSON.stringify(Deno.realPathSync(r.root))
  }]\ntrust_level = "${level}"\n`;
}

/** Appends the lines a fix gives after "put these lines in <file>:" to that file. */
async function pasteLines(fix: string) {
  const [, file, lines] = fix.match(/put these lines in (\S+):\n([\s\S]*)$/)!;
  await Deno.writeTextFile(file, lines.trim() + "\n", { append: true });
}

/** The `model = "…"` line a subagent fix suggests. */
function suggestedModel(fix: string): string {
  return fix.match(/Set (model = "[^"]+")/)![1];
}

/** Records `text` as what waypoint last wrote at `path`, as an older waypoint's manifest would. */
async function record(r: Repo, path: string, text: string) {
  const manifest = JSON.parse(await r.read(".waypoint/manifest.json"));
  manifest.files[path] = { sha256: await sha256(text) };
  await r.write(".waypoint/manifest.json", JSON.stringify(manifest, null, 2));
}

/** A managed file as an older waypoint wrote it, and never edited since. */
async function olderManaged(r: Repo, path: string, text: string) {
  await r.write(path, text);
  await record(r, path, text);
}

/** An edited managed file with waypoint's version waiting beside it. */
async function offerWaiting(r: Repo) {
  await r.write(`${MANAGED}.waypoint-new`, await r.read(MANAGED));
  await r.edit(MANAGED, /^# .*$/m, "# my own note");
}

/** Codex trusts the repo, and waypoint's hook for a command it no longer runs. */
async function trustOtherHook(r: Repo) {
  await runCommand(r, "waypoint trust");
  const text = await Deno.readTextFile(r.homeConfig);
  const next = text.replace(
    /trusted_hash = "sha256:[0-9a-f]+"/,
    `trusted_hash = "sha256:${"0".repeat(64)}"`,
  );
  assert.notEqual(next, text, "waypoint trust wrote a hook hash");
  await Deno.writeTextFile(r.homeConfig, next);
}

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

/** The running row's CODEX_HOME: every row starts from an empty one. */
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

function makeRepo(root: string, home: string): Repo {
  const at = (path: string) => join(root, path);
  const repo: Repo = {
    root,
    home,
    homeConfig: join(home, "config.toml"),
    writeHome: (text) => Deno.writeTextFile(join(home, "config.toml"), text),
    async editHome(from, to) {
      const path = join(home, "config.toml");
      const text = await Deno.readTextFile(path);
      const next = text.replace(from, to);
      assert.notEqual(next, text, `${path} holds ${from}`);
      await Deno.writeTextFile(path, next);
    },
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

/** `ADVICE_ROWS=<regex>` runs only the rows whose name matches, while adding one. */
const only = Deno.env.get("ADVICE_ROWS")
  ? new RegExp(Deno.env.get("ADVICE_ROWS")!)
  : undefined;

Deno.test("every doctor fix text, followed as written, clears its finding", async () => {
  const base = await makeTempDir("waypoint-advice-");
  codexHome = join(base, "codex-home");
  await Deno.mkdir(codexHome);
  const template = join(base, "template");
  const failures: string[] = [];
  let ran = 0;
  try {
    const init = await runCli(["init", template], {
      env: { CODEX_HOME: codexHome },
    });
    assert.equal(init.code, 0, init.stderr);
    for (const [index, row] of ADVICE.entries()) {
      if (only && !only.test(row.name)) continue;
      ran++;
      const root = join(base, `case-${index}`);
      const copied = await new Deno.Command("cp", {
        args: ["-a", template, root],
      }).output();
      assert.ok(copied.success);
      codexHome = join(base, `home-${index}`);
      await Deno.mkdir(codexHome);
      const repo = makeRepo(root, codexHome);
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
        // Codex refuses a user config that does not parse: a fix must leave it valid.
        const home = await Deno.readTextFile(repo.homeConfig).catch(() =>
          undefined
        );
        if (home !== undefined) parseToml(home, repo.homeConfig);
        const gone = row.after ?? row.message;
        const after = (await findingsOf(repo)).find((f) =>
          gone.test(f.message) &&
          (!row.category || f.category === row.category)
        );
        if (after) {
          failures.push(
            `${row.name}: "${after.message}" still reported after "${found.remediation}"`,
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
        await Deno.remove(codexHome, { recursive: true }).catch(() => {});
      }
    }
  } finally {
    await removeTempDir(base);
  }
  assert.ok(ran > 0, `ADVICE_ROWS=${only} matches no row`);
  assert.deepEqual(
    failures,
    [],
    `${failures.length} of ${ran} fix texts did not work`,
  );
});
