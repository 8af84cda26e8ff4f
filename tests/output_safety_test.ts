/**
 * Hostile names and values never reach the terminal or a generated markdown
 * file as raw control characters: doc and tracker file names, frontmatter,
 * config values, the repository path, a commit subject and a registry's
 * version string, through init, sync, doctor, context and upgrade --check.
 *
 * Each case collects every leak it sees and the test fails listing them all,
 * so a run shows how many (case, output) pairs leak.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempDir, removeTempDir, runCli } from "./support/cli.ts";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";
import { hasHidden, visible, visibleJson } from "../src/visible.ts";

/** Hostile strings, each safe to use inside a file name. */
const HOSTILE: Record<string, string> = {
  "CSI colour": "\x1b[31mred\x1b[0m",
  "OSC 8 hyperlink": "\x1b]8;;https:evil.example\x07click\x1b]8;;\x07",
  "carriage return": "ok\rFAKE",
  "RLO override": "a\u202egpj",
  "C1 CSI": "c1\u009b31m",
  "newline starting a fake line": "n\n[ERROR] fake",
};

/** A line some hostile text tried to start (a newline in a name must not start one). */
const FAKE_LINE = /^\[ERROR\] fake/m;

/** Raw characters that must not be printed or written (`\n` and `\t` may be). */
function leaks(text: string): string[] {
  const found = text.match(
    // deno-lint-ignore no-control-regex
    /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g,
  );
  const shown = [...new Set(found ?? [])].map((c) =>
    `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
  return FAKE_LINE.test(text) ? [...shown, "a fake line"] : shown;
}

const DOC = (summary: string) =>
  `---\nsummary: "${summary}"\nlast_updated: 2026-01-01\nread_when: ["${summary}"]\n---\n# Doc\n`;

const TRACKER = (summary: string) =>
  `---\nsummary: "${summary}"\nstatus: active\nlast_updated: 2026-01-01\nread_when: [resume]\n---\n`;

/** YAML and TOML double-quoted escape of `text` (both read `\uXXXX`). */
function quotedEscape(text: string): string {
  return [...text].map((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code >= 0x7f
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : c === '"' || c === "\\"
      ? `\\${c}`
      : c;
  }).join("");
}

async function collectMarkdown(dir: string, out: Map<string, string>) {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) await collectMarkdown(path, out);
    else if (entry.isFile && entry.name.endsWith(".md")) {
      out.set(path, await Deno.readTextFile(path));
    }
  }
}

Deno.test("hostile repository content is printed and indexed visibly", async () => {
  const problems: string[] = [];
  let runs = 0;
  for (const [label, hostile] of Object.entries(HOSTILE)) {
    const base = await makeTempDir("waypoint-visible-");
    try {
      const root = join(base, `repo-${hostile}`);
      await Deno.mkdir(root);
      await initRepo(root);
      const codexHome = join(base, "codex-home");
      await Deno.mkdir(codexHome);
      const env = { ...GIT_ISOLATION, CODEX_HOME: codexHome };
      const init = await runCli(["init", root], { env });
      runs++;
      assert.equal(init.code, 0, init.stderr);
      const docs = join(root, ".waypoint", "docs");
      await Deno.writeTextFile(
        join(docs, `doc-${hostile}.md`),
        DOC(quotedEscape(`summary ${hostile}`)),
      );
      await Deno.writeTextFile(
        join(docs, `bad-${hostile}.md`),
        "no frontmatter\n",
      );
      await Deno.writeTextFile(
        join(root, ".waypoint", "track", `t-${hostile}.md`),
        TRACKER(quotedEscape(`tracker ${hostile}`)),
      );
      await git(root, "add", "-A");
      await git(root, "commit", "-q", "-m", `subject ${hostile}`);
      // An untracked hostile name shows in the uncommitted changes section.
      await Deno.writeTextFile(join(root, `new-${hostile}.txt`), "x\n");
      const commands: string[][] = [
        ["init", root],
        ["sync", root],
        ["sync", "--json", root],
        ["doctor", root],
        ["doctor", "--json", root],
        ["context", root],
        ["context", "--json", root],
      ];
      for (const args of commands) {
        const result = await runCli(args, { env });
        runs++;
        for (
          const [stream, text] of [["stdout", result.stdout], [
            "stderr",
            result.stderr,
          ]]
        ) {
          const raw = leaks(text);
          if (raw.length) {
            problems.push(
              `${label}: ${args[0]} ${args.slice(1, -1).join(" ")} ${stream}: ${
                raw.join(" ")
              }`,
            );
          }
        }
        if (args.includes("--json")) {
          // JSON stays lossless: the hostile path parses back to itself.
          const parsed = JSON.stringify(JSON.parse(result.stdout));
          if (!parsed.includes(JSON.stringify(hostile).slice(1, -1))) {
            problems.push(
              `${label}: ${args.join(" ")}: JSON lost the original text`,
            );
          }
        }
      }
      const markdown = new Map<string, string>();
      await collectMarkdown(join(root, ".waypoint"), markdown);
      for (const [path, text] of markdown) {
        if (!/INDEX\.md$|context/.test(path)) continue;
        const raw = leaks(text);
        if (raw.length) {
          problems.push(
            `${label}: ${path.slice(root.length + 1)}: ${raw.join(" ")}`,
          );
        }
      }
      const index = await Deno.readTextFile(
        join(root, ".waypoint", "DOCS_INDEX.md"),
      );
      if (!index.includes(visible(`doc-${hostile}.md`))) {
        problems.push(
          `${label}: DOCS_INDEX.md does not show the doc's escaped name`,
        );
      }
    } finally {
      await removeTempDir(base);
    }
  }
  assert.deepEqual(problems, [], `${problems.length} leaks in ${runs} runs`);
});

Deno.test("hostile config.toml values are reported visibly", async () => {
  const problems: string[] = [];
  for (const [label, hostile] of Object.entries(HOSTILE)) {
    const root = await makeTempDir("waypoint-visible-config-");
    try {
      const init = await runCli(["init", root]);
      assert.equal(init.code, 0, init.stderr);
      const config = join(root, ".waypoint", "config.toml");
      const original = await Deno.readTextFile(config);
      const cases: [string, string][] = [
        ["profile", `profile = "${quotedEscape(`universal${hostile}`)}"`],
        ["docs_dir", `docs_dir = "${quotedEscape(`docs-${hostile}`)}"`],
        [
          "workspace_file",
          `workspace_file = "${quotedEscape(`W-${hostile}.md`)}"`,
        ],
      ];
      for (const [key, line] of cases) {
        const text = original.replace(new RegExp(`^${key} = .*$`, "m"), line);
        assert.notEqual(text, original, key);
        await Deno.writeTextFile(config, text);
        for (const command of ["sync", "doctor"]) {
          const result = await runCli([command, root]);
          for (
            const [stream, output] of [["stdout", result.stdout], [
              "stderr",
              result.stderr,
            ]]
          ) {
            const raw = leaks(output);
            if (raw.length) {
              problems.push(
                `${label}: ${key}: ${command} ${stream}: ${raw.join(" ")}`,
              );
            }
          }
        }
        const index = join(root, ".waypoint", "DOCS_INDEX.md");
        const raw = leaks(await Deno.readTextFile(index).catch(() => ""));
        if (raw.length) {
          problems.push(`${label}: ${key}: DOCS_INDEX.md: ${raw.join(" ")}`);
        }
      }
    } finally {
      await removeTempDir(root);
    }
  }
  assert.deepEqual(problems, [], `${problems.length} leaks`);
});

Deno.test("a registry's hostile version string is reported visibly by upgrade --check", async () => {
  const problems: string[] = [];
  for (const [label, hostile] of Object.entries(HOSTILE)) {
    const base = await makeTempDir("waypoint-visible-upgrade-");
    const body = JSON.stringify({
      name: "waypoint-codex",
      "dist-tags": { latest: `9.9.9-${hostile}` },
      versions: {},
    });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(body, { headers: { "content-type": "application/json" } }),
    );
    try {
      const result = await runCli(["upgrade", "--check"], {
        env: {
          WAYPOINT_REGISTRY: `http://127.0.0.1:${server.addr.port}/`,
          HOME: base,
          XDG_CACHE_HOME: join(base, "cache"),
          NO_PROXY: "127.0.0.1",
          no_proxy: "127.0.0.1",
          NPM_CONFIG_REGISTRY: undefined,
          npm_config_registry: undefined,
          npm_config_userconfig: undefined,
          NPM_CONFIG_USERCONFIG: undefined,
        },
      });
      assert.notEqual(result.code, 0, result.stdout);
      assert.match(result.stderr, /9\.9\.9-/);
      for (
        const [stream, output] of [["stdout", result.stdout], [
          "stderr",
          result.stderr,
        ]]
      ) {
        const raw = leaks(output);
        if (raw.length) {
          problems.push(
            `${label}: upgrade --check ${stream}: ${raw.join(" ")}`,
          );
        }
      }
    } finally {
      await server.shutdown();
      await removeTempDir(base);
    }
  }
  assert.deepEqual(problems, [], `${problems.length} leaks`);
});

Deno.test("visible escapes controls, bidi, invisibles and lone surrogates, and keeps backslashes unambiguous", () => {
  const table: [string, string, boolean?][] = [
    ["plain text", "plain text"],
    ["\x1b[31mred", "\\x1b[31mred"],
    ["a\rb", "a\\x0db"],
    ["a\nb\tc", "a\\x0ab\\x09c"],
    ["a\nb\tc", "a\nb\tc", true],
    ["del\x7f c1\u009b", "del\\x7f c1\\x9b"],
    ["\u202eabc\u2066\u200f\u061c", "\\u202eabc\\u2066\\u200f\\u061c"],
    ["zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"],
    ["tag\udb40\udc41", "tag\\u{e0041}"],
    ["lone \ud800 and \udc00", "lone \\ud800 and \\udc00"],
    ["emoji 👍🏽 and \u200d join", "emoji 👍🏽 and \u200d join"],
    ["C:\\Users\\me", "C:\\Users\\me"],
    ["literal \\x1b", "literal \\\\x1b"],
    ["literal \\u202e", "literal \\\\u202e"],
    ["two \\\\", "two \\\\\\"],
    ["slash then ESC \\\x1b", "slash then ESC \\\\\\x1b"],
  ];
  for (const [input, expected, lines] of table) {
    assert.equal(visible(input, { lines }), expected, JSON.stringify(input));
    assert.equal(hasHidden(visible(input, { lines }), { lines }), false);
  }
  assert.equal(hasHidden("a\u202eb"), true);
  assert.equal(hasHidden("a\nb", { lines: true }), false);
});

Deno.test("visibleJson escapes what JSON.stringify leaves raw, and parses back unchanged", () => {
  const value = { name: "a\u202eb\u009b\x7f\u2028\x1b", list: ["\u200b"] };
  const json = visibleJson(JSON.stringify(value, null, 2));
  assert.deepEqual(leaks(json), []);
  assert.deepEqual(JSON.parse(json), value);
});
