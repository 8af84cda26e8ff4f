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
import { trustedCodexConfig } from "./support/codex_trust.ts";

interface JsonFinding {
  severity: string;
  category: string;
  message: string;
  remediation: string;
  paths: string[];
}

/**
 * Runs `waypoint doctor` with a throwaway Codex home that trusts `dir`, so the
 * result never depends on the machine's own ~/.codex.
 */
async function doctor(dir: string, args: string[] = [], trusted = true) {
  const home = await makeTempDir("waypoint-codex-home-");
  try {
    if (trusted) {
      await Deno.writeTextFile(
        join(home, "config.toml"),
        await trustedCodexConfig(dir),
      );
    }
    return await runCli(["doctor", dir, ...args], {
      env: { CODEX_HOME: home },
    });
  } finally {
    await removeTempDir(home);
  }
}

async function doctorJson(
  dir: string,
  trusted = true,
): Promise<
  { code: number; findings: JsonFinding[]; summary: Record<string, unknown> }
> {
  const result = await doctor(dir, ["--json"], trusted);
  const parsed = JSON.parse(result.stdout);
  return {
    code: result.code,
    findings: parsed.findings,
    summary: parsed.summary,
  };
}

Deno.test("a fresh init is clean and doctor reports what the skill list costs", async () => {
  await withTempRepo(async (dir) => {
    const result = await doctor(dir);
    assertEquals(result.code, 0, result.stdout);
    assertMatch(result.stdout, /Waypoint doctor: no findings\./);
    assertMatch(
      result.stdout,
      /Skills: 12 installed, 9 listed for the model at session start \(3 only when invoked as \$name\); their lines cost [\d,]+ characters\. Codex shortens descriptions only once its skills section passes about 2% of the model's context window \(about 22,000 characters for current models\)\./,
    );
    assertMatch(
      result.stdout,
      /Codex: this project is trusted \(.+config\.toml:1: \[projects\."[^"]+"\]\)\./,
    );
    assert(!/8,000/.test(result.stdout), "no made-up fixed budget");
    const json = await doctorJson(dir);
    assertEquals(json.findings, []);
    assertEquals(json.code, 0);
    const skills = json.summary.skills as {
      count: number;
      listed: number;
      characters: number;
      trimAt: number;
    };
    assertEquals([skills.count, skills.listed, skills.trimAt], [12, 9, 22000]);
    assert(
      skills.characters > 2000 && skills.characters < 6000,
      `listed skills cost ${skills.characters} characters`,
    );
  }, { init: true });
});

Deno.test("an untrusted project gets a note with the exact lines that trust it", async () => {
  await withTempRepo(async (dir) => {
    const json = await doctorJson(dir, false);
    assertEquals(json.code, 0);
    const note = json.findings.find((f) => /does not trust/.test(f.message));
    assert(note, JSON.stringify(json.findings));
    assertEquals(note.severity, "info");
    assertMatch(
      note.message,
      /so it ignores \.codex\/ and the reviewer agents/,
    );
    const real = await Deno.realPath(dir);
    assert(
      note.remediation.endsWith(
        `[projects.${JSON.stringify(real)}]\ntrust_level = "trusted"`,
      ),
      note.remediation,
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
    const fixed = await doctor(dir, ["--fix"]);
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
    const fixed = await doctor(dir, ["--fix"]);
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

/** Doctor's skill and roles messages, one per line, for matching. */
async function messages(dir: string, category: string): Promise<string> {
  const json = await doctorJson(dir);
  return json.findings.filter((f) => f.category === category).map((f) =>
    f.message
  ).join("\n");
}

Deno.test("skills: each rule Codex applies is reported in Codex's words", async () => {
  await withTempRepo(async (dir) => {
    const skill = (folder: string, text: string) =>
      writeRepoFile(dir, `.agents/skills/${folder}/SKILL.md`, text);
    await skill("no-front", "# nothing\n");
    await skill("no-name", "---\ndescription: Does a thing well.\n---\n");
    await skill(
      "too-long",
      `---\nname: too-long\ndescription: ${"d".repeat(1025)}\n---\n`,
    );
    await skill(
      "Bad_Case",
      "---\nname: Bad_Case\ndescription: Fine words here.\n---\n",
    );
    await skill(
      "double--dash",
      "---\nname: double--dash\ndescription: Fine words here.\n---\n",
    );
    await skill(
      "brackets",
      "---\nname: brackets\ndescription: Writes <slug>.md files.\nversion: 2\n---\n",
    );
    await writeRepoFile(
      dir,
      ".agents/skills/brackets/agents/openai.yaml",
      'interface:\n  display_name: "B"\n  short_description: "Too short"\n  default_prompt: "Do it."\npolicy:\n  allow_implicit_invocation: "no"\n',
    );
    await skill(".hidden", "---\nname: hidden\ndescription: Hidden.\n---\n");
    await Deno.symlink(
      join(dir, ".agents/skills/planning"),
      join(dir, ".agents/skills/linked"),
    );
    const found = await messages(dir, "skills");
    for (
      const expected of [
        /"no-front": Codex does not load it: missing YAML frontmatter delimited by ---\./,
        /"no-name": Codex does not load it: missing field `name`\./,
        /"too-long": Codex does not load it: invalid description: exceeds maximum length of 1024 characters\./,
        /"Bad_Case": Name 'Bad_Case' should be hyphen-case \(lowercase letters, digits, and hyphens only\)\./,
        /"double--dash": Name 'double--dash' cannot start\/end with hyphen or contain consecutive hyphens\./,
        /"brackets": Description cannot contain angle brackets \(< or >\)\./,
        /"brackets": Unexpected key\(s\) in SKILL\.md frontmatter: version\. Allowed properties are: allowed-tools, description, license, metadata, name\./,
        /"brackets": interface\.short_description is 9 characters; Codex wants 25-64\./,
        /"brackets": interface\.default_prompt should name the skill as \$brackets\./,
        /"brackets": policy\.allow_implicit_invocation must be true or false\./,
        /\.agents\/skills\/\.hidden: Codex skips skill folders whose names start with a dot\./,
        /\.agents\/skills\/linked is a symlink: Codex does not follow symlinks/,
      ]
    ) assertMatch(found, expected);
  }, { init: true });
});

Deno.test("skills: a list past Codex's trimming point is a warning in true words", async () => {
  await withTempRepo(async (dir) => {
    for (let i = 0; i < 24; i++) {
      await writeRepoFile(
        dir,
        `.agents/skills/extra-${i}/SKILL.md`,
        `---\nname: extra-${i}\ndescription: ${"d".repeat(1000)}\n---\n`,
      );
    }
    const json = await doctorJson(dir);
    const over = json.findings.find((f) =>
      /once its skills section passes about 2% of the model's context window \(about 22000 characters for current models\) Codex shortens every description/
        .test(f.message)
    );
    assert(over, JSON.stringify(json.findings.map((f) => f.message)));
    assertEquals(json.code, 1);
  }, { init: true });
});

Deno.test("roles: each agent-file fault Codex refuses is reported in its words", async () => {
  const faults: [string, (text: string) => string, RegExp][] = [
    [
      "unknown key",
      (text) => `colour = "blue"\n${text}`,
      /Ignoring malformed agent role definition: failed to deserialize agent role file at \.codex\/agents\/code-reviewer\.toml: unknown field `colour`/,
    ],
    [
      "no name",
      (text) => text.replace(/^name = .*\n/m, ""),
      /agent role file at \.codex\/agents\/code-reviewer\.toml must define a non-empty `name`/,
    ],
    [
      "blank description",
      (text) => text.replace(/^description = .*$/m, 'description = "  "'),
      /agent role file \.codex\/agents\/code-reviewer\.toml\.description cannot be blank/,
    ],
    [
      "no description",
      (text) => text.replace(/^description = .*\n/m, ""),
      /agent role `code-reviewer` must define a description/,
    ],
    [
      "no developer_instructions",
      (text) => text.slice(0, text.indexOf("developer_instructions")),
      /agent role file at \.codex\/agents\/code-reviewer\.toml must define `developer_instructions`/,
    ],
    [
      "duplicate nicknames",
      (text) => `nickname_candidates = ["Ann", "Ann"]\n${text}`,
      /\.nickname_candidates cannot contain duplicates/,
    ],
    [
      "bad nickname",
      (text) => `nickname_candidates = ["A!"]\n${text}`,
      /\.nickname_candidates may only contain ASCII letters, digits, spaces, hyphens, and underscores/,
    ],
  ];
  await withTempRepo(async (dir) => {
    const path = ".codex/agents/code-reviewer.toml";
    const original = await readRepoFile(dir, path);
    for (const [label, plant, expected] of faults) {
      await writeRepoFile(dir, path, plant(original));
      const found = await messages(dir, "roles");
      assertMatch(found, expected, label);
    }
    await writeRepoFile(dir, path, original);
    await writeRepoFile(dir, ".codex/agents/extra/copy.toml", original);
    assertMatch(
      await messages(dir, "roles"),
      /duplicate agent role name `code-reviewer` discovered in \.codex\/agents \(\.codex\/agents\/code-reviewer\.toml and \.codex\/agents\/extra\/copy\.toml\)/,
    );
  }, { init: true });
});

Deno.test("roles: the user's .codex/config.toml is checked, never rewritten", async () => {
  await withTempRepo(async (dir) => {
    const mine =
      '# my settings\nmodel = "gpt-5"\ncolour = 1\n[features]\nmulti_agent = true\n[agents.ghost]\ndescription = "x"\nconfig_file = "agents/ghost.toml"\n';
    await writeRepoFile(dir, ".codex/config.toml", mine);
    const json = await doctorJson(dir);
    const found = json.findings.filter((f) => f.category === "roles").map((
      f,
    ) => f.message).join("\n");
    assertMatch(
      found,
      /\.codex\/config\.toml: `\[features\]\.multi_agent` is deprecated\. It still controls the V1 fallback\./,
    );
    assertMatch(
      found,
      /Codex is ignoring 1 unrecognized configuration setting\(s\) in \.codex\/config\.toml: `colour` is ignored\./,
    );
    assertMatch(
      found,
      /agents\.ghost\.config_file must point to an existing file at \.codex\/agents\/ghost\.toml/,
    );
    await runCli(["init", dir]);
    await doctor(dir, ["--fix"]);
    assertEquals(await readRepoFile(dir, ".codex/config.toml"), mine);
    await writeRepoFile(dir, ".codex/config.toml", "[agents\nbroken");
    const broken = await doctorJson(dir);
    const roles = broken.findings.find((f) => f.category === "roles");
    assertMatch(roles!.message, /^\.codex\/config\.toml:1: invalid TOML/);
    assertEquals(broken.code, 2);
  }, { init: true });
});

Deno.test("AGENTS.md text past Codex's 32 KiB limit is reported for the folder it is cut in", async () => {
  await withTempRepo(async (dir) => {
    assertEquals(
      (await messages(dir, "install")).includes("project_doc_max_bytes"),
      false,
    );
    await writeRepoFile(dir, "pkg/AGENTS.md", "x".repeat(30_000));
    const found = (await doctorJson(dir)).findings.find((f) =>
      /project_doc_max_bytes/.test(f.message)
    );
    assert(found, "an over-limit chain is reported");
    assertMatch(
      found.message,
      /^Combined user instructions use \d+ bytes, above the 32768-byte `project_doc_max_bytes` setting \(the default\) for a session started in pkg: Codex cuts the text beyond 32768 bytes, so the end of pkg\/AGENTS\.md never reaches the model\.$/,
    );
    assertEquals(found.paths, ["AGENTS.md", "pkg/AGENTS.md"]);
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

Deno.test("a context section written inside the waypoint block is a warning; below it, it is the repo's", async () => {
  await withTempRepo(async (dir) => {
    const agents = await readRepoFile(dir, "AGENTS.md");
    await writeRepoFile(
      dir,
      "AGENTS.md",
      agents + "\n## Backend Context\n\n- Internal tool, 20 users.\n",
    );
    let json = await doctorJson(dir);
    assertEquals(json.code, 0, JSON.stringify(json.findings));
    await writeRepoFile(
      dir,
      "AGENTS.md",
      agents.replace(
        "<!-- waypoint:end -->",
        "## Backend Context\n\n- Internal tool.\n<!-- waypoint:end -->",
      ),
    );
    json = await doctorJson(dir);
    assertMatch(
      json.findings.map((f) => f.message).join("\n"),
      /AGENTS\.md has ## Backend Context inside the waypoint block; the next `waypoint init` rewrites the block and that text is lost\./,
    );
  }, { init: true });
});
