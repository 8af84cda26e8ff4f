/**
 * The README's claims that can be checked are checked: every `waypoint`
 * command line it shows uses only options that command takes, every
 * `WAYPOINT_*` variable it names is one the code reads (and every one the
 * code reads for users is in it), the install script's needs are all listed,
 * and the copy-paste lines for a checkout wrapper and bash completion work
 * in a fresh `HOME`.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  PROJECT_ROOT,
  removeTempDir,
  runCommand,
} from "./support/cli.ts";
import { needsDenoRun, needsTool, requires } from "./support/requires.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { HELP_OPTION } from "../src/cli/command_spec.ts";
import { VERSION } from "../src/version.ts";

const README = await Deno.readTextFile(join(PROJECT_ROOT, "README.md"));

/** Variables only tests set: not for users, so not in the README. */
const TEST_KNOBS = new Set([
  "WAYPOINT_DOC_HEADS",
  "WAYPOINT_HOOK_DEADLINE_MS",
  "WAYPOINT_INDEX_CACHE_MIN",
  "WAYPOINT_INDEX_SPOOL_BYTES",
  "WAYPOINT_INDEX_PARALLEL_MIN",
  "WAYPOINT_TEST_LEGACY_TABLE",
]);

/** Code spans and indented or fenced code lines of the README. */
function codeTexts(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
  const lines = markdown.split("\n").filter((line) => /^ {4}\S/.test(line));
  return [...spans, ...lines];
}

/** The one README line that starts with `start` (trimmed). */
function readmeLine(start: string): string {
  const found = README.split("\n").map((line) => line.trim()).filter((
    line,
  ) => line.startsWith(start));
  assertEquals(found.length, 1, `one README line starts with ${start}`);
  return found[0];
}

function sourcesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...sourcesBelow(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

Deno.test("every waypoint command line in the README uses options its command takes", () => {
  const byName = new Map(COMMANDS.map((command) => [command.name, command]));
  let checked = 0;
  for (const text of codeTexts(README)) {
    for (
      const match of text.matchAll(/\bwaypoint ([a-z]+)((?: +[^\s|#`]+)*)/g)
    ) {
      const command = byName.get(match[1]);
      if (!command) continue;
      checked++;
      const known = new Set(
        [...command.options, HELP_OPTION].flatMap((option) => [
          `--${option.name}`,
          ...(option.short ? [`-${option.short}`] : []),
        ]),
      );
      for (const word of match[2].trim().split(/ +/)) {
        const option = word.replace(/[;,.)]+$/, "").split("=")[0];
        if (!option.startsWith("-") || option === "-") continue;
        assert(
          known.has(option),
          `README: \`${match[0]}\`: ${match[1]} takes no ${word}`,
        );
      }
    }
  }
  assert(checked > 20, `the README's command lines were found (${checked})`);
});

Deno.test("the WAYPOINT_ variables the README names are the ones the code reads for users", async () => {
  const named = new Set(README.match(/\bWAYPOINT_[A-Z0-9_]+/g) ?? []);
  const code = [
    ...sourcesBelow(join(PROJECT_ROOT, "src")).map((path) =>
      Deno.readTextFileSync(path)
    ),
    await Deno.readTextFile(join(PROJECT_ROOT, "main.ts")),
  ].join("\n");
  // Environment variables appear as string literals (`env.get("WAYPOINT_…")`).
  const read = new Set(
    [...code.matchAll(/"(WAYPOINT_[A-Z0-9_]+)"/g)].map((match) => match[1]),
  );
  const script = new Set(
    (await Deno.readTextFile(join(PROJECT_ROOT, "install.sh"))).match(
      /\bWAYPOINT_[A-Z0-9_]+/g,
    ) ?? [],
  );
  const tests = new Set(["WAYPOINT_BIN", "WAYPOINT_EXPECT_NATIVE"]);
  for (const name of named) {
    assert(
      read.has(name) || script.has(name) || tests.has(name),
      `the README names ${name}, which nothing reads`,
    );
  }
  for (const name of read) {
    if (TEST_KNOBS.has(name)) continue;
    assert(named.has(name), `the code reads ${name}, which the README omits`);
  }
});

Deno.test("the README's install table lists everything install.sh needs", async () => {
  const script = await Deno.readTextFile(join(PROJECT_ROOT, "install.sh"));
  const needs = script.match(/^# Needs: ([^\n]*(?:\n#  ?[^\n]*)*)/m)?.[1];
  assert(needs, "install.sh states what it needs");
  const row = readmeLine("| script         | `sh`");
  for (const tool of ["curl", "wget", "tar", "awk", "od"]) {
    if (tool !== "od") assertMatch(needs, new RegExp(`\\b${tool}\\b`));
    assert(row.includes(`\`${tool}\``), `the script row names ${tool}`);
  }
  assert(row.includes("sha512"), "the script row names a sha512 tool");
});

Deno.test({
  ...requires(
    "the README's checkout wrapper and bash completion lines work in a fresh HOME",
    needsDenoRun(),
    needsTool("bash", "apt-get install bash"),
  ),
  async fn() {
    const home = await makeTempDir("waypoint-readme-home-");
    try {
      const env = {
        HOME: home,
        PATH: `${join(home, ".local", "bin")}:${Deno.env.get("PATH")}`,
        WAYPOINT_NO_UPDATE_CHECK: "1",
      };
      const wrapper = readmeLine("mkdir -p ~/.local/bin && printf");
      const made = await runCommand("sh", ["-c", wrapper], {
        cwd: PROJECT_ROOT,
        env,
      });
      assertEquals(made.code, 0, made.stderr);
      const version = await runCommand("waypoint", ["--version"], {
        cwd: home,
        env,
      });
      assertEquals(version.stdout.trim(), VERSION, version.stderr);

      const start = README.indexOf(
        "mkdir -p ~/.local/share/bash-completion/completions &&",
      );
      assert(start !== -1, "the README has the bash completion line");
      const completion = README.slice(start, README.indexOf("\n", start + 60))
        .replace(/\n\s+/g, " ");
      const installed = await runCommand("sh", ["-c", completion], {
        cwd: home,
        env,
      });
      assertEquals(installed.code, 0, installed.stderr);
      const script = join(
        home,
        ".local/share/bash-completion/completions/waypoint",
      );
      const parsed = await runCommand("bash", ["-n", script], { env });
      assertEquals(parsed.code, 0, parsed.stderr);
      assertMatch(await Deno.readTextFile(script), /complete /);
    } finally {
      await removeTempDir(home);
    }
  },
});
