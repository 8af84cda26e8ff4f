import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";

interface JsonFinding {
  severity: string;
  category: string;
  message: string;
  remediation: string;
  paths: string[];
}

async function doctorJson(
  dir: string,
): Promise<
  { code: number; findings: JsonFinding[]; summary: Record<string, unknown> }
> {
  const result = await runCli(["doctor", dir, "--json"]);
  const parsed = JSON.parse(result.stdout);
  return {
    code: result.code,
    findings: parsed.findings,
    summary: parsed.summary,
  };
}

Deno.test("a fresh init is clean and doctor reports the skill budget", async () => {
  await withTempRepo(async (dir) => {
    const result = await runCli(["doctor", dir]);
    assertEquals(result.code, 0, result.stdout);
    assertMatch(result.stdout, /Waypoint doctor: no findings\./);
    assertMatch(
      result.stdout,
      /Skills: 12 installed; their names and descriptions use [\d,]+ of the 8,000 characters/,
    );
    const json = await doctorJson(dir);
    assertEquals(json.findings, []);
    assertEquals(json.code, 0);
    const skills = json.summary.skills as {
      count: number;
      characters: number;
      budget: number;
    };
    assertEquals(skills.count, 12);
    assert(
      skills.characters < 6000,
      `skill pack uses ${skills.characters} characters`,
    );
  }, { init: true });
});

Deno.test("a missing managed file is an error that --fix restores", async () => {
  await withTempRepo(async (dir) => {
    await Deno.remove(join(dir, ".waypoint", "SOUL.md"));
    await Deno.remove(join(dir, ".waypoint", "WORKSPACE.md"));
    const broken = await doctorJson(dir);
    assertEquals(broken.code, 2);
    assert(
      broken.findings.some((f) =>
        f.severity === "error" && f.paths.includes(".waypoint/SOUL.md")
      ),
    );
    assert(
      broken.findings.some((f) =>
        f.category === "workspace" && f.severity === "error"
      ),
    );
    const fixed = await runCli(["doctor", dir, "--fix"]);
    assertEquals(fixed.code, 0, fixed.stdout);
    assertMatch(fixed.stdout, /- Fixed: restored \.waypoint\/SOUL\.md/);
    assertMatch(fixed.stdout, /no findings/);
  }, { init: true });
});

Deno.test("--fix repairs a missing AGENTS block and stale indexes, never an edit", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "AGENTS.md", "# Mine\n");
    await writeRepoFile(
      dir,
      ".waypoint/docs/new.md",
      '---\nsummary: New\nlast_updated: "2026-11-01"\nread_when: [x]\n---\n',
    );
    const skill = ".agents/skills/pr-review/SKILL.md";
    const edit =
      "---\nname: pr-review\ndescription: Our own PR loop.\n---\nlocal edit\n";
    await writeRepoFile(dir, skill, edit);
    const before = await doctorJson(dir);
    assert(
      before.findings.some((f) =>
        f.message === "AGENTS.md has no waypoint block."
      ),
    );
    assert(
      before.findings.some((f) =>
        f.message === ".waypoint/DOCS_INDEX.md is stale."
      ),
    );
    const fixed = await runCli(["doctor", dir, "--fix"]);
    assertEquals(await readRepoFile(dir, skill), edit);
    assert(
      (await readRepoFile(dir, "AGENTS.md")).startsWith(
        "# Mine\n\n<!-- waypoint:start -->",
      ),
    );
    assertMatch(
      await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"),
      /\.waypoint\/docs\/new\.md/,
    );
    assertEquals(fixed.code, 0, fixed.stdout);
    assertMatch(
      fixed.stdout,
      /\[INFO\] install: 1 managed file\(s\) were edited locally/,
    );
  }, { init: true });
});

Deno.test("docs: invalid frontmatter and stale index are warnings", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/docs/no-frontmatter.md",
      "# Just text\n",
    );
    await writeRepoFile(
      dir,
      ".waypoint/docs/partial.md",
      "---\nsummary: Partial\n---\n",
    );
    const json = await doctorJson(dir);
    assertEquals(json.code, 1);
    const messages = json.findings.map((f) => f.message).join("\n");
    assertMatch(
      messages,
      /no-frontmatter\.md is not routable: no YAML frontmatter/,
    );
    assertMatch(
      messages,
      /partial\.md is not routable: last_updated must be a non-empty string; read_when must be a non-empty list/,
    );
  }, { init: true });
});

Deno.test("workspace: missing sections and untimestamped entries are warnings", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/WORKSPACE.md",
      "# Workspace\n\n## Active Goal\n\n- no timestamp needed here\n\n## Current State\n\n- [2026-03-06 20:10 PST] fine\n  - nested detail\n- missing stamp\n\n## Next\n\n1. also missing\n\n```\n- code is ignored\n```\n",
    );
    const json = await doctorJson(dir);
    const messages = json.findings.filter((f) => f.category === "workspace")
      .map((f) => f.message);
    assert(
      messages.includes(
        'Workspace is missing the "## Active Trackers" section.',
      ),
    );
    assert(
      messages.includes(
        "Workspace entries without a timestamp in: Current State, Next.",
      ),
      messages.join("\n"),
    );
    assertEquals(json.code, 1);
  }, { init: true });
});

Deno.test("track: active tracker not mentioned in the workspace, and an invalid status", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/track/importer.md",
      '---\nsummary: Importer rewrite\nlast_updated: "2026-11-20"\nread_when: [touching the importer]\nstatus: Active\n---\n',
    );
    await writeRepoFile(
      dir,
      ".waypoint/track/bad.md",
      '---\nsummary: x\nlast_updated: "1"\nread_when: [y]\nstatus: someday\n---\n',
    );
    await runCli(["sync", dir]);
    const json = await doctorJson(dir);
    const messages = json.findings.map((f) => f.message);
    assert(
      messages.includes(
        "Active trackers exist, but the workspace mentions none of them.",
      ),
      messages.join("\n"),
    );
    assert(
      messages.some((m) => /bad\.md is invalid: status must be one of/.test(m)),
    );
    const index = await readRepoFile(dir, ".waypoint/TRACKS_INDEX.md");
    assertMatch(
      index,
      /- \*\*\.waypoint\/track\/importer\.md\*\* — \[active\] Importer rewrite\n {2}Read when: touching the importer/,
    );
    const workspace = await readRepoFile(dir, ".waypoint/WORKSPACE.md");
    await writeRepoFile(
      dir,
      ".waypoint/WORKSPACE.md",
      workspace.replace(
        "## Active Trackers",
        "## Active Trackers\n\n- [2026-11-20 10:00 UTC] .waypoint/track/importer.md",
      ),
    );
    const after = await doctorJson(dir);
    assert(
      !after.findings.some((f) =>
        f.message.startsWith("Active trackers exist")
      ),
    );
  }, { init: true });
});

Deno.test("skills: Agent Skills format problems are reported", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".agents/skills/my-skill/SKILL.md",
      "---\nname: My_Skill\ndescription: ''\n---\n",
    );
    await writeRepoFile(
      dir,
      ".agents/skills/my-skill/agents/openai.yaml",
      "interface:\n  display_name: X\n",
    );
    await writeRepoFile(dir, ".agents/skills/no-front/SKILL.md", "# nothing\n");
    const json = await doctorJson(dir);
    const messages = json.findings.filter((f) => f.category === "skills").map((
      f,
    ) => f.message).join("\n");
    assertMatch(
      messages,
      /"my-skill": name "My_Skill" must be 1-64 characters/,
    );
    assertMatch(
      messages,
      /"my-skill": name "My_Skill" must equal the folder name "my-skill"/,
    );
    assertMatch(
      messages,
      /"my-skill": frontmatter needs a non-empty description/,
    );
    assertMatch(
      messages,
      /"my-skill": agents\/openai\.yaml needs interface\.short_description/,
    );
    assertMatch(
      messages,
      /"no-front": SKILL\.md must start with YAML frontmatter/,
    );
  }, { init: true });
});

Deno.test("skills: a pack over Codex's budget is a warning with the total", async () => {
  await withTempRepo(async (dir) => {
    for (let i = 0; i < 8; i++) {
      await writeRepoFile(
        dir,
        `.agents/skills/extra-${i}/SKILL.md`,
        `---\nname: extra-${i}\ndescription: ${"d".repeat(1000)}\n---\n`,
      );
    }
    const json = await doctorJson(dir);
    const over = json.findings.find((f) =>
      /over Codex's 8000-character skill list budget/.test(f.message)
    );
    assert(over, "budget warning");
    assertEquals(json.code, 1);
  }, { init: true });
});

Deno.test("roles: .codex/config.toml must parse and name existing files", async () => {
  await withTempRepo(async (dir) => {
    await Deno.remove(join(dir, ".codex", "agents", "plan-reviewer.toml"));
    let json = await doctorJson(dir);
    assert(
      json.findings.some((f) =>
        f.category === "roles" &&
        /names config_file "agents\/plan-reviewer\.toml", which does not exist/
          .test(f.message)
      ),
    );
    await writeRepoFile(dir, ".codex/config.toml", "[agents\nbroken");
    json = await doctorJson(dir);
    const roles = json.findings.find((f) => f.category === "roles");
    assertMatch(roles!.message, /^\.codex\/config\.toml:1: invalid TOML/);
    assertEquals(json.code, 2);
  }, { init: true });
});

Deno.test("doctor on a repo without waypoint reports only the missing config", async () => {
  const dir = await makeTempDir();
  try {
    const json = await doctorJson(dir);
    assertEquals(json.code, 2);
    assertEquals(json.findings.length, 1);
    assertEquals(json.findings[0].paths, [".waypoint/config.toml"]);
  } finally {
    await removeTempDir(dir);
  }
});
