/**
 * Agent Skills checks for `.agents/skills/<name>/` and the size of the skill
 * list Codex shows the model at session start.
 *
 * @module
 */
import { CORE_SCHEMA, load } from "js-yaml";
import { join } from "node:path";
import { parseFrontmatter } from "../indexes/frontmatter.ts";
import { textProblem } from "../fs/mod.ts";
import { describeError } from "../errors.ts";
import type { Finding, SkillBudget } from "./finding.ts";

/** Where repo skills live. */
export const SKILLS_DIR = ".agents/skills";

/** Codex's budget for the initial skill list (names plus descriptions). */
export const SKILL_LIST_BUDGET = 8000;

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What one skill folder declares, and what is wrong with it. */
export interface SkillCheck {
  folder: string;
  name?: string;
  description?: string;
  problems: string[];
}

/** Checks one skill's SKILL.md text against the Agent Skills format. */
export function checkSkillText(folder: string, text: string): SkillCheck {
  const check: SkillCheck = { folder, problems: [] };
  const parsed = parseFrontmatter(text);
  if (parsed.kind === "none") {
    check.problems.push(
      "SKILL.md must start with YAML frontmatter (a --- block)",
    );
    return check;
  }
  if (parsed.kind === "invalid") {
    check.problems.push(parsed.reason);
    return check;
  }
  const { name, description } = parsed.data;
  if (typeof name !== "string") {
    check.problems.push("frontmatter needs a name");
  } else {
    check.name = name;
    if (name.length < 1 || name.length > 64 || !NAME.test(name)) {
      check.problems.push(
        `name "${name}" must be 1-64 characters of a-z, 0-9 and single hyphens, not starting or ending with one`,
      );
    }
    if (name !== folder) {
      check.problems.push(
        `name "${name}" must equal the folder name "${folder}"`,
      );
    }
  }
  if (typeof description !== "string" || description.trim() === "") {
    check.problems.push("frontmatter needs a non-empty description");
  } else {
    check.description = description;
    if (description.length > 1024) {
      check.problems.push(
        `description is ${description.length} characters; the limit is 1024`,
      );
    }
  }
  return check;
}

/** Checks `agents/openai.yaml` text; returns the problems found. */
export function checkOpenAiYaml(text: string): string[] {
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    return [
      `agents/openai.yaml is not valid YAML: ${
        (error as Error).message.split("\n")[0]
      }`,
    ];
  }
  const iface = (data as Record<string, unknown> | null)?.interface;
  if (typeof iface !== "object" || iface === null) {
    return ["agents/openai.yaml needs an interface mapping"];
  }
  return ["display_name", "short_description", "default_prompt"]
    .filter((key) => {
      const value = (iface as Record<string, unknown>)[key];
      return typeof value !== "string" || value.trim() === "";
    })
    .map((key) => `agents/openai.yaml needs interface.${key}`);
}

function readText(path: string): { text?: string; error?: string } {
  try {
    const bytes = Deno.readFileSync(path);
    const problem = textProblem(bytes);
    return problem
      ? { error: problem }
      : { text: new TextDecoder().decode(bytes) };
  } catch (error) {
    return {
      error: error instanceof Deno.errors.NotFound
        ? "missing"
        : describeError(error),
    };
  }
}

/** Checks every skill below `root` and the skill-list budget. */
export function checkSkills(
  root: string,
  required: readonly string[],
): { findings: Finding[]; budget: SkillBudget } {
  const findings: Finding[] = [];
  const dir = join(root, ...SKILLS_DIR.split("/"));
  const folders: string[] = [];
  try {
    for (const entry of Deno.readDirSync(dir)) {
      if (entry.isDirectory) folders.push(entry.name);
    }
  } catch {
    // A missing skills folder shows up below as missing required skills.
  }
  folders.sort();
  let characters = 0;
  let count = 0;
  for (const name of required) {
    if (
      !folders.includes(name) ||
      readText(join(dir, name, "SKILL.md")).error === "missing"
    ) {
      findings.push({
        severity: "error",
        category: "skills",
        message: `Required skill "${name}" is missing its SKILL.md.`,
        remediation:
          "Run `waypoint init` (or `waypoint doctor --fix`) to restore it.",
        paths: [`${SKILLS_DIR}/${name}/SKILL.md`],
      });
    }
  }
  for (const folder of folders) {
    const skillPath = `${SKILLS_DIR}/${folder}/SKILL.md`;
    const skill = readText(join(dir, folder, "SKILL.md"));
    if (skill.error === "missing") {
      if (!required.includes(folder)) {
        findings.push({
          severity: "warn",
          category: "skills",
          message:
            `Skill folder "${folder}" has no SKILL.md, so Codex ignores it.`,
          remediation:
            "Add a SKILL.md with name and description frontmatter, or remove the folder.",
          paths: [skillPath],
        });
      }
      continue;
    }
    const problems: string[] = [];
    if (skill.error) {
      problems.push(`SKILL.md ${skill.error}`);
    } else {
      const check = checkSkillText(folder, skill.text!);
      problems.push(...check.problems);
      if (check.name !== undefined && check.description !== undefined) {
        count++;
        characters += check.name.length + check.description.length;
      }
    }
    const yamlPath = join(dir, folder, "agents", "openai.yaml");
    const yaml = readText(yamlPath);
    if (yaml.text !== undefined) problems.push(...checkOpenAiYaml(yaml.text));
    else if (yaml.error !== "missing") {
      problems.push(`agents/openai.yaml ${yaml.error}`);
    }
    for (const problem of problems) {
      findings.push({
        severity: "warn",
        category: "skills",
        message: `Skill "${folder}": ${problem}.`,
        remediation:
          "Fix the skill's frontmatter so it follows the Agent Skills format.",
        paths: [
          problem.startsWith("agents/openai.yaml")
            ? `${SKILLS_DIR}/${folder}/agents/openai.yaml`
            : skillPath,
        ],
      });
    }
  }
  if (characters > SKILL_LIST_BUDGET) {
    findings.push({
      severity: "warn",
      category: "skills",
      message:
        `Skill names and descriptions total ${characters} characters, over Codex's ${SKILL_LIST_BUDGET}-character skill list budget; some skills may not be shown to the agent.`,
      remediation: "Shorten descriptions or remove skills you do not use.",
      paths: [SKILLS_DIR],
    });
  }
  return { findings, budget: { count, characters, budget: SKILL_LIST_BUDGET } };
}
