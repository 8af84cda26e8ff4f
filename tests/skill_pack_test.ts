import { assert, assertEquals } from "./support/assert.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { checkOpenAiYaml, checkSkillText } from "../src/doctor/skills.ts";
import { checkAgentRoleText } from "../src/doctor/codex_config_rules.ts";
import {
  checkOpenAiYamlText,
  SKILL_LIST_TRIM_CHARACTERS,
  skillListLine,
} from "../src/doctor/codex_skill_rules.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { parseToml } from "../src/config.ts";

const SKILLS = [
  "planning",
  "work-tracker",
  "docs-sync",
  "code-guide-audit",
  "break-it-qa",
  "frontend-context-interview",
  "frontend-ship-audit",
  "backend-context-interview",
  "backend-ship-audit",
  "workspace-compress",
  "pre-pr-hygiene",
  "pr-review",
];
const AGENTS = ["code-reviewer", "code-health-reviewer", "plan-reviewer"];

function template(path: string): string {
  const file = EMBEDDED_TEMPLATES[path];
  assert(file, `${path} is embedded`);
  return file.content;
}

const skillFolders = [
  ...new Set(
    Object.keys(EMBEDDED_TEMPLATES).filter((p) =>
      p.startsWith(".agents/skills/")
    ).map((p) => p.split("/")[2]),
  ),
].sort();

Deno.test("the pack holds exactly the twelve skills, each passing the Agent Skills checks", () => {
  assertEquals(skillFolders, [...SKILLS].sort());
  for (const name of SKILLS) {
    const check = checkSkillText(
      name,
      template(`.agents/skills/${name}/SKILL.md`),
    );
    assertEquals(check.problems, [], name);
    assertEquals(
      checkOpenAiYaml(
        name,
        template(`.agents/skills/${name}/agents/openai.yaml`),
      ),
      [],
      name,
    );
  }
});

/** The audits the AGENTS block says run only when the user asks for them. */
const USER_INVOKED = [
  "break-it-qa",
  "frontend-ship-audit",
  "backend-ship-audit",
];

Deno.test("only the user-invoked audits opt out of implicit use, and the block names them as $name", () => {
  const block = template("agents-block.md");
  for (const name of SKILLS) {
    const yaml = checkOpenAiYamlText(
      name,
      template(`.agents/skills/${name}/agents/openai.yaml`),
    );
    assertEquals(yaml.implicit, !USER_INVOKED.includes(name), name);
    if (!yaml.implicit) {
      assert(block.includes(`\`$${name}\``), `the block names $${name}`);
    }
  }
});

Deno.test("the listed skills cost a small share of the point where Codex trims descriptions", () => {
  let total = 0;
  for (const name of SKILLS) {
    const check = checkSkillText(
      name,
      template(`.agents/skills/${name}/SKILL.md`),
    );
    assert(
      check.description!.length >= 120,
      `${name}: a description this short cannot say when to use it`,
    );
    if (USER_INVOKED.includes(name)) continue;
    total += skillListLine(check.name!, check.description!, name).length;
  }
  assert(
    total < SKILL_LIST_TRIM_CHARACTERS / 4,
    `pack's listed skills cost ${total} characters`,
  );
});

Deno.test("every skill and agent named in the AGENTS block and the manual exists, and all are named", () => {
  const known = new Set([...SKILLS, ...AGENTS]);
  for (
    const path of ["agents-block.md", ".waypoint/agent-operating-manual.md"]
  ) {
    const text = template(path);
    const referenced = [...text.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((
      m,
    ) => m[1]);
    for (const name of referenced) {
      assert(
        known.has(name),
        `${path} names \`${name}\`, which is not in the pack`,
      );
    }
  }
  const both = template("agents-block.md") +
    template(".waypoint/agent-operating-manual.md");
  for (const name of known) {
    assert(both.includes(`\`${name}\``), `${name} is never mentioned`);
  }
});

Deno.test("reviewer agents stand on their own: Codex loads each file without any registration", () => {
  assert(
    !(".codex/config.toml" in EMBEDDED_TEMPLATES),
    "waypoint no longer writes .codex/config.toml",
  );
  for (const name of AGENTS) {
    assert(
      template(`.waypoint/agents/${name}.md`).length > 500,
      `${name} instructions are substantial`,
    );
    const path = `.codex/agents/${name}.toml`;
    const text = template(path);
    assertEquals(checkAgentRoleText(path, text), { roleName: name });
    const agent = parseToml(text, name);
    assertEquals(agent.sandbox_mode, "read-only");
    assertEquals(agent.model_reasoning_effort, "high");
    assert(String(agent.description).length > 60, `${name} describes itself`);
    const instructions = String(agent.developer_instructions);
    assert(
      instructions.includes(`.waypoint/agents/${name}.md`),
      `${name} reads its own file`,
    );
    assert(
      /If that file is missing, work from this summary/.test(instructions) &&
        instructions.length > 1200,
      `${name} can work from its own instructions when spawned alone`,
    );
  }
});

Deno.test("templates mention only real waypoint commands and never ask for Node", () => {
  const commands = new Set(COMMANDS.map((command) => command.name));
  for (const [path, file] of Object.entries(EMBEDDED_TEMPLATES)) {
    for (const match of file.content.matchAll(/`waypoint ([a-z-]+)/g)) {
      assert(
        commands.has(match[1]),
        `${path} mentions \`waypoint ${match[1]}\``,
      );
    }
    assert(
      !/\bnode\s+\S+\.m?js\b|\bnpx\b|\bnpm (run|install|exec)\b|\.mjs\b/.test(
        file.content,
      ),
      `${path} asks for Node`,
    );
  }
});

Deno.test("the bootstrap's first step is `waypoint context`", () => {
  const block = template("agents-block.md");
  const firstStep = block.split("\n").find((line) => /^1\.\s/.test(line));
  assert(firstStep?.includes("`waypoint context`"), firstStep);
});

Deno.test("the bootstrap defers to the session-start hook's context and keeps the manual steps without it", () => {
  const block = template("agents-block.md");
  const bootstrap = block.slice(
    block.indexOf("### Bootstrap"),
    block.indexOf("### Project context"),
  );
  // The SessionStart hook's developer message opens with exactly this line.
  assert(bootstrap.includes("`# Waypoint session context`"), bootstrap);
  assert(
    /do not run `waypoint context` again/.test(bootstrap),
    "with the hook's context in the input, the model skips the manual run",
  );
  const steps = bootstrap.split("\n").filter((line) => /^\d\.\s/.test(line));
  assertEquals(steps.length, 5, "the manual bootstrap stays as it was");
  assert(
    bootstrap.indexOf("# Waypoint session context") <
      bootstrap.indexOf("1. Run `waypoint context`"),
    "the hook case is read before the manual steps",
  );
});
