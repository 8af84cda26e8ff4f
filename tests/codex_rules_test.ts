import { assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { makeTempDir, removeTempDir } from "./support/cli.ts";
import { checkTrust } from "../src/doctor/codex.ts";
import { readCodexSettings } from "../src/doctor/codex_settings.ts";
import { trustRoot } from "../src/doctor/codex_user_config.ts";
import { checkAgentRoleText } from "../src/doctor/codex_config_rules.ts";
import { findTrustEntry } from "../src/doctor/codex_project_rules.ts";
import { checkSkillFrontmatter } from "../src/doctor/codex_skill_rules.ts";
import { Repo } from "../src/fs/mod.ts";

Deno.test("trust is looked up where Codex keys it: the main checkout of a linked worktree", async () => {
  const dir = await makeTempDir();
  try {
    const main = join(dir, "main");
    const linked = join(dir, "linked");
    await Deno.mkdir(join(main, ".git", "worktrees", "linked"), {
      recursive: true,
    });
    await Deno.mkdir(linked);
    await Deno.writeTextFile(
      join(linked, ".git"),
      `gitdir: ${main}/.git/worktrees/linked\n`,
    );
    assertEquals(trustRoot(linked), main);
    assertEquals(trustRoot(main), main);
    const config = join(dir, "config.toml");
    await Deno.writeTextFile(
      config,
      `model = "x"\n\n[projects.${
        JSON.stringify(await Deno.realPath(main))
      }]\ntrust_level = "trusted"\n`,
    );
    const env = (name: string) => name === "CODEX_HOME" ? dir : undefined;
    const settingsOf = (root: string) =>
      readCodexSettings(Repo.open(root), env);
    const { trust, findings } = checkTrust(settingsOf(linked));
    assertEquals([trust.trusted, trust.line, findings.length], [true, 3, 0]);
    await Deno.writeTextFile(
      config,
      `[projects.${
        JSON.stringify(await Deno.realPath(main))
      }]\ntrust_level = "untrusted"\n`,
    );
    const untrusted = checkTrust(settingsOf(main));
    assertEquals(untrusted.trust.trusted, false);
    assertEquals(
      untrusted.findings[0].message.includes(
        `config.toml:1 sets trust_level = "untrusted"`,
      ),
      true,
    );
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test("a malformed Codex user config trusts nothing", () => {
  assertEquals(findTrustEntry("[projects", ["/r"]), undefined);
  assertEquals(
    findTrustEntry("[projects.'/r']\ntrust_level = 'trusted'\n", ["/r"])
      ?.level,
    "trusted",
  );
});

Deno.test("agent role files: Codex's checks in Codex's order", () => {
  const ok =
    'name = "r"\ndescription = "d"\ndeveloper_instructions = "i"\nmodel = "m"\n';
  assertEquals(checkAgentRoleText("a.toml", ok), { roleName: "r" });
  assertEquals(
    checkAgentRoleText("a.toml", ok.replace(`name = "r"`, "name = 1")).problem,
    "failed to deserialize agent role file at a.toml: invalid type: integer `1`, expected a string in `name`",
  );
  assertEquals(
    checkAgentRoleText("a.toml", ok + "sandbox = 1\n").problem,
    "failed to deserialize agent role file at a.toml: unknown field `sandbox`",
  );
  assertEquals(
    checkAgentRoleText("a.toml", ok + "nickname_candidates = []\n").problem,
    "agent role file a.toml.nickname_candidates must contain at least one name",
  );
  assertEquals(
    checkAgentRoleText("a.toml", ok + 'nickname_candidates = [" "]\n')
      .problem,
    "agent role file a.toml.nickname_candidates cannot contain blank names",
  );
});

Deno.test("skill frontmatter: whitespace collapses and lengths count characters, as in Codex", () => {
  const long = "é".repeat(1024);
  const ok = checkSkillFrontmatter(
    "s",
    `---\nname: s\ndescription: |\n  two\n  lines ${long.slice(10)}\n---\n`,
  );
  assertEquals(ok.problems, []);
  assertEquals(ok.description?.startsWith("two lines é"), true);
  const over = checkSkillFrontmatter(
    "s",
    `---\nname: s\ndescription: ${long}x\n---\n`,
  );
  assertEquals(
    over.problems[0].message,
    "invalid description: exceeds maximum length of 1024 characters",
  );
  assertEquals(
    checkSkillFrontmatter("s", "---\nname: s\ndescription: '  '\n---\n")
      .problems[0].message,
    "missing field `description`",
  );
  assertEquals(
    checkSkillFrontmatter(
      "s",
      "---\nname: s\ndescription: d\nmetadata:\n  short-description: " +
        "x".repeat(501) + "\n---\n",
    ).problems[0].message,
    "invalid metadata.short-description: exceeds maximum length of 500 characters",
  );
});
