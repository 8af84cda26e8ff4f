/**
 * Hostile and untidy repositories: for each case the CLI runs `init`,
 * `init --force`, `doctor --fix`, `sync` and `context` in a sandbox, and
 * everything outside the repository must be byte-for-byte unchanged, every
 * user file kept, no run may hang or print a stack trace.
 */
import { sha256 as sha256Hex } from "../src/scaffold/manifest.ts";
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { type CliResult, runCli } from "./support/cli.ts";
import {
  fingerprint,
  makeSandbox,
  outsideFingerprint,
  removeSandbox,
  type Sandbox,
} from "./support/sandbox.ts";
import { posixOnly, requires } from "./support/requires.ts";

const COMMANDS: string[][] = [
  ["init"],
  ["init", "--force"],
  ["doctor", "--fix"],
  ["sync"],
  ["context"],
];

interface Case {
  name: string;
  /** Scaffold with `init` before the setup (default true). */
  init?: boolean;
  setup: (box: Sandbox) => Promise<void>;
  /** Repo paths whose entries (content, mode, link) must survive every command. */
  keep?: string[];
  check?: (
    box: Sandbox,
    results: Map<string, CliResult>,
  ) => void | Promise<void>;
}

async function addManifestEntry(
  repo: string,
  path: string,
  content: string | Uint8Array,
): Promise<void> {
  const file = join(repo, ".waypoint", "manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(file));
  manifest.files[path] = { sha256: await sha256Hex(content) };
  await Deno.writeTextFile(file, JSON.stringify(manifest, null, 2) + "\n");
}

async function replaceWithLink(
  repo: string,
  path: string,
  target: string,
): Promise<void> {
  await Deno.remove(join(repo, path), { recursive: true }).catch(() => {});
  await Deno.symlink(target, join(repo, path));
}

/** What waypoint itself may write in its cache folder during these runs. */
const WAYPOINT_CACHE_FILES: ReadonlySet<string> = new Set([
  "cache",
  "cache/time-zones.json",
]);

function env(box: Sandbox): Record<string, string> {
  return {
    HOME: box.home,
    CODEX_HOME: join(box.home, ".codex"),
    WAYPOINT_CACHE_DIR: join(box.root, "cache"),
    GIT_CONFIG_NOSYSTEM: "1",
    // Deno keeps its own cache under HOME; it is the test runner's, not waypoint's.
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
  };
}

async function entries(
  repo: string,
  paths: string[],
): Promise<Record<string, string>> {
  const all = await fingerprint(repo);
  const out: Record<string, string> = {};
  for (const path of paths) out[path] = all[path] ?? "missing";
  return out;
}

const CASES: Case[] = [
  {
    name: "a manifest entry ../victim.txt whose hash matches",
    setup: async (box) => {
      await addManifestEntry(
        box.repo,
        "../outside/victim.txt",
        "do not touch\n",
      );
      await addManifestEntry(
        box.repo,
        "../../../../../../../../tmp/../" + box.outside.slice(1) +
          "/victim.txt",
        "do not touch\n",
      );
    },
    check: (_box, results) => {
      assertMatch(
        results.get("init")!.stdout,
        /ignored the entry "\.\.\/outside\/victim\.txt": it is not a path waypoint writes/,
      );
      assert(!/Removed \.\./.test(results.get("init")!.stdout));
    },
  },
  {
    name:
      "a manifest entry for .git/HEAD and for a source file, hashes matching",
    setup: async (box) => {
      await Deno.mkdir(join(box.repo, ".git"));
      await Deno.writeTextFile(
        join(box.repo, ".git", "HEAD"),
        "ref: refs/heads/main\n",
      );
      await Deno.mkdir(join(box.repo, "src"));
      await Deno.writeTextFile(join(box.repo, "src", "app.ts"), "export {};\n");
      await addManifestEntry(box.repo, ".git/HEAD", "ref: refs/heads/main\n");
      await addManifestEntry(box.repo, "src/app.ts", "export {};\n");
      await addManifestEntry(box.repo, "./src//app.ts", "export {};\n");
    },
    keep: [".git/HEAD", "src/app.ts"],
  },
  {
    name: ".codex is a symlink to the user's global ~/.codex",
    setup: async (box) => {
      await replaceWithLink(box.repo, ".codex", join(box.home, ".codex"));
    },
    keep: [".codex"],
    check: (_box, results) => {
      assertMatch(
        results.get("doctor --fix")!.stdout,
        /\.codex\/agents\/code-reviewer\.toml is below \.codex, which is a symlink/,
      );
    },
  },
  {
    name: ".waypoint/context is a symlink to a folder outside",
    setup: async (box) => {
      await Deno.mkdir(join(box.repo, ".waypoint", "context"), {
        recursive: true,
      });
      await replaceWithLink(
        box.repo,
        ".waypoint/context",
        join(box.outside, "dir"),
      );
    },
    keep: [".waypoint/context"],
    check: (_box, results) => {
      const context = results.get("context")!;
      assertEquals(context.code, 1);
      assertMatch(
        context.stderr,
        /^waypoint: \.waypoint\/context: is a symlink; waypoint does not write through it\n$/,
      );
    },
  },
  {
    name:
      ".agents, a skill folder, .waypoint/docs and .waypoint/track are symlinks",
    setup: async (box) => {
      await Deno.mkdir(join(box.outside, "agents", "skills"), {
        recursive: true,
      });
      await replaceWithLink(
        box.repo,
        ".agents/skills/planning",
        join(box.outside, "dir"),
      );
      await replaceWithLink(
        box.repo,
        ".waypoint/docs",
        join(box.outside, "dir"),
      );
      await replaceWithLink(
        box.repo,
        ".waypoint/track",
        join(box.outside, "dir"),
      );
    },
    keep: [".agents/skills/planning", ".waypoint/docs", ".waypoint/track"],
  },
  {
    name: "the whole .agents folder is a symlink",
    setup: async (box) => {
      await replaceWithLink(box.repo, ".agents", join(box.outside, "dir"));
    },
    keep: [".agents"],
  },
  {
    name: ".waypoint/scripts is a symlink to a folder of the old scripts",
    setup: async (box) => {
      await Deno.writeTextFile(
        join(box.outside, "dir", "prepare-context.mjs"),
        "// .waypoint\n",
      );
      await replaceWithLink(
        box.repo,
        ".waypoint/scripts",
        join(box.outside, "dir"),
      );
    },
    keep: [".waypoint/scripts"],
  },
  {
    name:
      "a retired skill folder and a root DOCS_INDEX.md hold the user's work",
    setup: async (box) => {
      await Deno.mkdir(join(box.repo, ".agents/skills/error-audit"), {
        recursive: true,
      });
      await Deno.writeTextFile(
        join(box.repo, ".agents/skills/error-audit/SKILL.md"),
        "---\nname: error-audit\ndescription: ours\n---\nOur checklist.\n",
      );
      await Deno.writeTextFile(
        join(box.repo, "DOCS_INDEX.md"),
        "# Docs Index\n\nOur hand-written map of the docs.\n",
      );
      await Deno.mkdir(join(box.repo, ".waypoint/scripts"), {
        recursive: true,
      });
      await Deno.writeTextFile(
        join(box.repo, ".waypoint/scripts/prepare-context.mjs"),
        "// our edit of .waypoint's script\n",
      );
    },
    keep: [
      ".agents/skills/error-audit/SKILL.md",
      "DOCS_INDEX.md",
      ".waypoint/scripts/prepare-context.mjs",
    ],
  },
  {
    name: "AGENTS.md links to CLAUDE.md inside the repo",
    init: false,
    setup: async (box) => {
      await Deno.writeTextFile(
        join(box.repo, "CLAUDE.md"),
        "# Team rules\n\nBe kind.\n",
      );
      await Deno.symlink("CLAUDE.md", join(box.repo, "AGENTS.md"));
    },
    keep: ["AGENTS.md"],
    check: async (box) => {
      const text = await Deno.readTextFile(join(box.repo, "CLAUDE.md"));
      assert(text.startsWith("# Team rules\n\n<!-- waypoint:start -->"));
      assert(text.endsWith("<!-- waypoint:end -->\n\nBe kind.\n"));
      assertEquals(text.split("<!-- waypoint:start -->").length, 2);
    },
  },
  {
    name: "AGENTS.md, .gitignore and WORKSPACE.md link outside the repo",
    setup: async (box) => {
      await Deno.writeTextFile(join(box.outside, "AGENTS.md"), "# Elsewhere\n");
      await replaceWithLink(
        box.repo,
        "AGENTS.md",
        join(box.outside, "AGENTS.md"),
      );
      await replaceWithLink(
        box.repo,
        ".gitignore",
        join(box.outside, "victim.txt"),
      );
      await replaceWithLink(
        box.repo,
        "WORKSPACE.md",
        join(box.outside, "victim.txt"),
      );
    },
    keep: ["AGENTS.md", ".gitignore", "WORKSPACE.md"],
    check: (_box, results) => {
      assertMatch(
        results.get("init")!.stdout,
        /AGENTS\.md.*symlink to .*outside.*, outside the repository; waypoint will not write there/,
      );
      assertMatch(results.get("doctor --fix")!.stdout, /\[WARN\].*\.gitignore/);
    },
  },
  {
    name:
      "managed files are symlinks to outside files (--force must not copy them in)",
    setup: async (box) => {
      await replaceWithLink(
        box.repo,
        ".waypoint/SOUL.md",
        join(box.outside, "victim.txt"),
      );
      await replaceWithLink(
        box.repo,
        ".agents/skills/planning/SKILL.md",
        join(box.outside, "dir", "notes.md"),
      );
    },
    keep: [".waypoint/SOUL.md", ".agents/skills/planning/SKILL.md"],
    check: (box) => {
      for (const entry of Deno.readDirSync(join(box.repo, ".waypoint"))) {
        assert(!entry.name.includes("waypoint-backup"), entry.name);
      }
    },
  },
  {
    name: "endless and blocking files: /dev/zero links and a FIFO",
    setup: async (box) => {
      await replaceWithLink(box.repo, "AGENTS.md", "/dev/zero");
      await replaceWithLink(box.repo, ".gitignore", "/dev/zero");
      await replaceWithLink(box.repo, ".waypoint/SOUL.md", "/dev/zero");
      await Deno.remove(join(box.repo, ".waypoint/README.md"));
      const fifo = await new Deno.Command("mkfifo", {
        args: [join(box.repo, ".waypoint/README.md")],
      }).output();
      assert(fifo.success, "mkfifo");
      await Deno.writeTextFile(join(box.repo, ".waypoint/docs/pipe.md"), "x");
      await Deno.remove(join(box.repo, ".waypoint/docs/pipe.md"));
      await new Deno.Command("mkfifo", {
        args: [join(box.repo, ".waypoint/docs/pipe.md")],
      }).output();
      await Deno.symlink("/dev/zero", join(box.repo, ".waypoint/docs/zero.md"));
    },
    keep: [
      "AGENTS.md",
      ".gitignore",
      ".waypoint/SOUL.md",
      ".waypoint/README.md",
    ],
  },
  {
    name: "config.toml is a symlink to /dev/zero",
    setup: async (box) => {
      await replaceWithLink(box.repo, ".waypoint/config.toml", "/dev/zero");
    },
    keep: [".waypoint/config.toml"],
    check: (_box, results) => {
      const init = results.get("init")!;
      assertEquals(init.code, 1);
      assertMatch(
        init.stderr,
        /^waypoint: \.waypoint\/config\.toml: is a symlink; waypoint does not follow or replace symlinks\n$/,
      );
    },
  },
  {
    name: "a huge AGENTS.md",
    setup: async (box) => {
      const line = "x".repeat(1023) + "\n";
      await Deno.writeTextFile(
        join(box.repo, "AGENTS.md"),
        line.repeat(9 * 1024),
      );
    },
    keep: ["AGENTS.md"],
    check: (_box, results) => {
      assertMatch(
        results.get("init")!.stderr,
        /^waypoint: AGENTS\.md: is larger than 8 MiB/,
      );
    },
  },
  {
    name: "a file where a scaffold folder belongs",
    setup: async (box) => {
      await Deno.remove(join(box.repo, ".waypoint/agents"), {
        recursive: true,
      });
      await Deno.writeTextFile(join(box.repo, ".waypoint/agents"), "a file\n");
    },
    keep: [".waypoint/agents"],
    check: (_box, results) => {
      assertMatch(
        results.get("doctor --fix")!.stdout,
        /\.waypoint\/agents\/code-reviewer\.md.*\.waypoint\/agents is a file, not a folder/,
      );
    },
  },
  {
    name: "a config with [features] inside a multi-line string",
    setup: async (box) => {
      await Deno.writeTextFile(
        join(box.repo, ".waypoint/config.toml"),
        'version = 1\nnotes = """\nRemember:\n[features]\nrepo_skills = false\n"""\n',
      );
    },
    check: async (box) => {
      const first = await Deno.readTextFile(
        join(box.repo, ".waypoint/config.toml"),
      );
      assert(
        first.startsWith(
          'version = 1\nnotes = """\nRemember:\n[features]\nrepo_skills = false\n"""\n',
        ) ||
          first.includes(
            'notes = """\nRemember:\n[features]\nrepo_skills = false\n"""',
          ),
        first,
      );
      const again = await runCli(["init", box.repo]);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(
        await Deno.readTextFile(join(box.repo, ".waypoint/config.toml")),
        first,
        "a second run leaves the config byte-identical",
      );
    },
  },
  {
    name: "markers quoted in a fenced example, CRLF line endings, mode 0600",
    init: false,
    setup: async (box) => {
      const text = [
        "# Rules",
        "",
        "Example of the block:",
        "",
        "```md",
        "<!-- waypoint:start -->",
        "example content",
        "<!-- waypoint:end -->",
        "```",
        "",
      ].join("\r\n");
      await Deno.writeTextFile(join(box.repo, "AGENTS.md"), text);
      await Deno.chmod(join(box.repo, "AGENTS.md"), 0o600);
    },
    check: async (box) => {
      const text = await Deno.readTextFile(join(box.repo, "AGENTS.md"));
      assert(
        text.includes(
          "```md\r\n<!-- waypoint:start -->\r\nexample content\r\n<!-- waypoint:end -->\r\n```",
        ),
      );
      assertEquals(text.split("<!-- waypoint:start -->").length, 3);
      assert(!/[^\r]\n/.test(text), "only CRLF line endings");
      const mode = (await Deno.stat(join(box.repo, "AGENTS.md"))).mode! & 0o777;
      assertEquals(mode.toString(8), "600");
    },
  },
];

for (const testCase of CASES) {
  Deno.test({
    ...requires(`hostile repo: ${testCase.name}`, posixOnly()),
    fn: async () => {
      const box = await makeSandbox();
      try {
        if (testCase.init !== false) {
          const init = await runCli(["init", box.repo], { env: env(box) });
          assertEquals(init.code, 0, init.stderr);
        }
        await testCase.setup(box);
        const keep = testCase.keep ?? [];
        const kept = await entries(box.repo, keep);
        const before = await outsideFingerprint(box);
        const results = new Map<string, CliResult>();
        for (const command of COMMANDS) {
          const result = await runCli([...command, box.repo], {
            env: env(box),
            timeoutMs: 30_000,
          });
          const label = command.join(" ");
          results.set(label, result);
          assert(result.code !== 137, `${label} hung and was killed`);
          assert(
            !/^\s+at /m.test(result.stderr),
            `${label} printed a stack trace:\n${result.stderr}`,
          );
          // sync reports each doc it skipped on a line of its own.
          assert(
            command[0] === "sync" ||
              result.stderr.trim().split("\n").filter((line) =>
                  line.startsWith("waypoint: ") && !line.includes("warning")
                ).length <= 1,
            `${label}: one error line at most:\n${result.stderr}`,
          );
        }
        const after = await outsideFingerprint(box);
        const changed = [
          ...new Set([...Object.keys(before), ...Object.keys(after)]),
        ]
          .filter((key) => before[key] !== after[key])
          // waypoint's own per-user cache of time zone names (WAYPOINT_CACHE_DIR).
          .filter((key) => !WAYPOINT_CACHE_FILES.has(key));
        assertEquals(changed, [], "nothing outside the repository changed");
        assertEquals(await entries(box.repo, keep), kept, "user files kept");
        await testCase.check?.(box, results);
      } finally {
        await removeSandbox(box);
      }
    },
  });
}
