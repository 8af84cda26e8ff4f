/**
 * Conformance with the real Codex CLI, every pinned version in
 * {@link CODEX_VERSIONS}:
 * what waypoint scaffolds is what Codex loads, with no startup warning. Runs
 * Codex offline against a throwaway `CODEX_HOME` that trusts the repo. When
 * Codex cannot be installed these tests fail; they never skip.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { CODEX_VERSIONS, codexEnv, ensureCodex } from "./support/codex_cli.ts";
import { layOlderCodexFiles } from "./support/older_scaffold.ts";
import {
  checkOpenAiYamlText,
  checkSkillFrontmatter,
} from "../src/doctor/codex_skill_rules.ts";
import { parseToml } from "../src/config.ts";

const REVIEWERS = ["code-reviewer", "code-health-reviewer", "plan-reviewer"];

/** A repo inside a throwaway Codex home that trusts it. */
interface Sandbox {
  /** The Codex CLI version run in it. */
  version: string;
  repo: string;
  home: string;
  cleanup: () => Promise<void>;
}

async function sandbox(version: string): Promise<Sandbox> {
  const base = await makeTempDir("waypoint-codex-conformance-");
  const repo = join(base, "repo");
  const home = join(base, "codex-home");
  await Deno.mkdir(repo);
  await Deno.mkdir(home);
  const git = await new Deno.Command("git", {
    args: ["init", "-q", repo],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(git.success, new TextDecoder().decode(git.stderr));
  await Deno.writeTextFile(
    join(home, "config.toml"),
    `[projects.${
      JSON.stringify(await Deno.realPath(repo))
    }]\ntrust_level = "trusted"\n`,
  );
  return { version, repo, home, cleanup: () => removeTempDir(base) };
}

async function codex(box: Sandbox, args: string[]): Promise<string> {
  const launcher = await ensureCodex(box.version);
  const out = await new Deno.Command(launcher, {
    args,
    cwd: box.repo,
    env: codexEnv(box.home),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert(
    out.success || args[0] === "doctor",
    `codex ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`,
  );
  return stdout;
}

/** Every string inside a JSON value, so the prompt can be searched as text. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).flatMap(strings);
  }
  return [];
}

async function init(repo: string): Promise<void> {
  const result = await runCli(["init", repo]);
  assertEquals(result.code, 0, result.stderr);
}

/** The startup warnings `codex doctor --json` reports under `config.load`. */
async function startupWarnings(box: Sandbox): Promise<string[]> {
  const report = JSON.parse(await codex(box, ["doctor", "--json"]));
  const details = report.checks["config.load"].details as Record<
    string,
    string
  >;
  return Object.entries(details)
    .filter(([key, value]) =>
      key.startsWith("startup warning") && value !== "0"
    )
    .map(([key, value]) => `${key}: ${value}`);
}

/** Asserts what the model sees at session start matches the scaffold on disk. */
async function assertPromptConforms(box: Sandbox): Promise<void> {
  const texts = strings(
    JSON.parse(await codex(box, ["debug", "prompt-input"])),
  );
  const skillsText = texts.find((text) =>
    text.startsWith("<skills_instructions>")
  );
  assert(skillsText, "Codex lists skills");
  const skillLines = skillsText.split("\n").filter((line) =>
    line.startsWith("- ")
  );
  const folders = [...Deno.readDirSync(join(box.repo, ".agents", "skills"))]
    .map((entry) => entry.name).sort();
  assertEquals(folders.length, 12);
  for (const folder of folders) {
    const skill = checkSkillFrontmatter(
      folder,
      await readRepoFile(box.repo, `.agents/skills/${folder}/SKILL.md`),
    );
    assertEquals(skill.problems, [], folder);
    const implicit = checkOpenAiYamlText(
      folder,
      await readRepoFile(
        box.repo,
        `.agents/skills/${folder}/agents/openai.yaml`,
      ),
    ).implicit;
    const line = skillLines.find((text) => text.startsWith(`- ${folder}: `));
    if (implicit) {
      assert(line, `${folder} is listed for the model`);
      assert(
        line.startsWith(`- ${folder}: ${skill.description} (file: `),
        `${folder} is listed with its full description: ${line}`,
      );
    } else {
      assertEquals(line, undefined, `${folder} is left to $${folder}`);
    }
  }
  assertEquals(
    folders.filter((folder) =>
      skillLines.some((text) => text.startsWith(`- ${folder}: `))
    ).length,
    9,
  );

  const roles = texts.find((text) => text.includes("Available roles:"));
  assert(roles, "Codex offers custom agent roles");
  for (const name of REVIEWERS) {
    const agent = parseToml(
      await readRepoFile(box.repo, `.codex/agents/${name}.toml`),
      name,
    );
    assert(
      roles.includes(`${name}: {\n${agent.description}\n`),
      `role ${name} is registered with its description`,
    );
  }

  const agentsMd = texts.find((text) =>
    text.startsWith("# AGENTS.md instructions for ")
  );
  assert(agentsMd, "Codex injects AGENTS.md");
  assert(
    agentsMd.includes("<!-- waypoint:start -->") &&
      agentsMd.includes("<!-- waypoint:end -->"),
    "the whole waypoint block reaches the model",
  );
}

for (const version of CODEX_VERSIONS) {
  Deno.test(`Codex ${version} loads a fresh scaffold cleanly`, async () => {
    const box = await sandbox(version);
    try {
      await init(box.repo);
      await assertPromptConforms(box);
      assertEquals(await startupWarnings(box), []);
    } finally {
      await box.cleanup();
    }
  });

  Deno.test(`Codex ${version} loads a refreshed older scaffold cleanly, and warned before`, async () => {
    const box = await sandbox(version);
    try {
      await init(box.repo);
      await layOlderCodexFiles(box.repo);
      const before = await startupWarnings(box);
      assert(
        before.some((warning) =>
          warning.includes("multi_agent` is deprecated")
        ),
        `the older scaffold made Codex warn: ${before}`,
      );
      await init(box.repo);
      await init(box.repo);
      await assertPromptConforms(box);
      assertEquals(await startupWarnings(box), []);
    } finally {
      await box.cleanup();
    }
  });

  Deno.test(`Codex ${version}: a repo with its own .codex/config.toml keeps it byte for byte and gets the reviewers`, async () => {
    const box = await sandbox(version);
    try {
      // A model from Codex's offline catalog that offers subagents (some, like
      // gpt-5.5, do not, and then Codex shows no roles whatever the scaffold).
      const mine =
        '# our team settings\nmodel = "gpt-5.6-sol"\n\n[mcp_servers.docs]\ncommand = "docs-server"\nargs = ["--stdio"]\n';
      await writeRepoFile(box.repo, ".codex/config.toml", mine);
      await init(box.repo);
      assertEquals(await readRepoFile(box.repo, ".codex/config.toml"), mine);
      await assertPromptConforms(box);
      assertEquals(await startupWarnings(box), []);
    } finally {
      await box.cleanup();
    }
  });
}
