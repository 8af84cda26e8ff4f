import { assert, assertEquals } from "./support/assert.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { checkOpenAiYaml, checkSkillText } from "../src/doctor/skills.ts";
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
      checkOpenAiYaml(template(`.agents/skills/${name}/agents/openai.yaml`)),
      [],
      name,
    );
  }
});

Deno.test("the pack's names and descriptions fit well inside Codex's skill list budget", () => {
  let total = 0;
  for (const name of SKILLS) {
    const check = checkSkillText(
      name,
      template(`.agents/skills/${name}/SKILL.md`),
    );
    total += check.name!.length + check.description!.length;
    assert(
      check.description!.length >= 120,
      `${name}: a description this short cannot say when to use it`,
    );
  }
  assert(total < 6000, `pack uses ${total} characters`);
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

Deno.test("reviewer agents: instructions, Codex config and registration agree", () => {
  const codex = parseToml(template(".codex/config.toml"), ".codex/config.toml");
  const registered = codex.agents as Record<
    string,
    { config_file?: string; description?: string }
  >;
  for (const name of AGENTS) {
    assert(
      template(`.waypoint/agents/${name}.md`).length > 500,
      `${name} instructions are substantial`,
    );
    assertEquals(registered[name]?.config_file, `agents/${name}.toml`);
    assert(registered[name]?.description, `${name} has a description`);
    const agent = parseToml(template(`.codex/agents/${name}.toml`), name);
    assertEquals(agent.sandbox_mode, "read-only");
    assert(
      String(agent.developer_instructions).includes(
        `.waypoint/agents/${name}.md`,
      ),
      `${name} reads its own file`,
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
