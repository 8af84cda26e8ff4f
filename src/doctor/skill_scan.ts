/**
 * Doctor's scan of `.agents/skills/<name>/`: each skill checked with Codex's
 * loader and validator rules, and the size of the skill list Codex shows the
 * model at session start. js-yaml is loaded only when a skill's YAML is past
 * the fast readers (never for the shipped skills).
 *
 * @module
 */
import { type RepoView, textProblem } from "../fs/mod.ts";
import { describeError } from "../errors.ts";
import { loadJsYaml } from "../indexes/yaml.ts";
import {
  checkOpenAiYamlText,
  checkSkillFrontmatter,
  type JsYaml,
  NEEDS_JS_YAML,
  type RuleProblem,
  SKILL_LIST_TRIM_CHARACTERS,
  type SkillFrontmatterCheck,
  skillListLine,
} from "./skill_rules.ts";
import type { Finding, SkillBudget } from "./finding.ts";

/** Where repo skills live. */
export const SKILLS_DIR = ".agents/skills";

/** What one skill folder declares, and what Codex objects to. */
export interface SkillCheck {
  folder: string;
  name?: string;
  description?: string;
  problems: string[];
}

/** A SKILL.md check as doctor reports it. */
export function skillCheckOf(
  folder: string,
  check: SkillFrontmatterCheck,
): SkillCheck {
  return {
    folder,
    name: check.name,
    description: check.description,
    problems: check.problems.map(problemText),
  };
}

/** A rule problem as one line of a finding. */
export function problemText(problem: RuleProblem): string {
  return problem.severity === "refused"
    ? `Codex does not load it: ${problem.message}`
    : problem.message;
}

/** Reads a skill file through src/fs: its text, "missing", or why it is unusable. */
function readText(
  repo: RepoView,
  path: string,
): { text?: string; error?: string } {
  try {
    const bytes = repo.readFile(path);
    if (bytes === undefined) return { error: "missing" };
    const problem = textProblem(bytes);
    return problem
      ? { error: problem }
      : { text: new TextDecoder().decode(bytes) };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/**
 * Checks every skill below `root` and what the skill list costs. js-yaml is
 * loaded only for a skill file the fast readers leave.
 */
export async function checkSkills(
  repo: RepoView,
  required: readonly string[],
): Promise<{ findings: Finding[]; budget: SkillBudget }> {
  let lib: JsYaml | undefined;
  const judge = async <T>(
    check: (lib: JsYaml | undefined) => T | typeof NEEDS_JS_YAML,
  ): Promise<T> => {
    const first = check(lib);
    if (first !== NEEDS_JS_YAML) return first;
    lib = await loadJsYaml();
    return check(lib) as T;
  };
  const findings: Finding[] = [];
  const folders: string[] = [];
  try {
    for (const entry of repo.listDir(SKILLS_DIR) ?? []) {
      const path = `${SKILLS_DIR}/${entry.name}`;
      if (entry.name.startsWith(".")) {
        findings.push({
          severity: "warn",
          category: "skills",
          message:
            `${path}: Codex skips skill folders whose names start with a dot.`,
          remediation:
            "Rename the folder without the leading dot, or remove it.",
          paths: [path],
        });
      } else if (entry.kind === "symlink") {
        findings.push({
          severity: "warn",
          category: "skills",
          message:
            `${path} is a symlink: Codex does not follow symlinks when it looks for skills.`,
          remediation: "Replace the link with the skill folder itself.",
          paths: [path],
        });
      } else if (entry.kind === "directory") folders.push(entry.name);
    }
  } catch {
    // A missing skills folder shows up below as missing required skills.
  }
  folders.sort();
  let characters = 0;
  let count = 0;
  let listed = 0;
  for (const name of required) {
    if (
      !folders.includes(name) ||
      readText(repo, `${SKILLS_DIR}/${name}/SKILL.md`).error === "missing"
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
    const skill = readText(repo, skillPath);
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
    const problems: { text: string; path: string }[] = [];
    const yamlPath = `${SKILLS_DIR}/${folder}/agents/openai.yaml`;
    let loaded: { name: string; description: string } | undefined;
    if (skill.error) {
      problems.push({ text: `SKILL.md ${skill.error}`, path: skillPath });
    } else {
      const check = skillCheckOf(
        folder,
        await judge((lib) => checkSkillFrontmatter(folder, skill.text!, lib)),
      );
      problems.push(
        ...check.problems.map((text) => ({ text, path: skillPath })),
      );
      if (check.name !== undefined && check.description !== undefined) {
        loaded = { name: check.name, description: check.description };
      }
    }
    let implicit = true;
    const yaml = readText(repo, yamlPath);
    if (yaml.text !== undefined) {
      const text = yaml.text;
      const result = await judge((lib) =>
        checkOpenAiYamlText(loaded?.name ?? folder, text, lib)
      );
      implicit = result.implicit;
      problems.push(
        ...result.problems.map((problem) => ({
          text: problemText(problem),
          path: yamlPath,
        })),
      );
    } else if (yaml.error !== "missing") {
      problems.push({
        text: `agents/openai.yaml ${yaml.error}`,
        path: yamlPath,
      });
    }
    if (loaded) {
      count++;
      if (implicit) {
        listed++;
        characters +=
          skillListLine(loaded.name, loaded.description, folder).length;
      }
    }
    for (const problem of problems) {
      findings.push({
        severity: "warn",
        category: "skills",
        message: `Skill "${folder}": ${problem.text}.`,
        remediation: problem.path === yamlPath
          ? "Fix agents/openai.yaml as Codex's skill guide describes (see the message)."
          : "Fix the SKILL.md frontmatter so Codex accepts it (see the message).",
        paths: [problem.path],
      });
    }
  }
  if (characters > SKILL_LIST_TRIM_CHARACTERS) {
    findings.push({
      severity: "warn",
      category: "skills",
      message:
        `The skills Codex lists for the model cost ${characters} characters; once its skills section passes about 2% of the model's context window (about ${SKILL_LIST_TRIM_CHARACTERS} characters for current models) Codex shortens every description.`,
      remediation:
        "Shorten descriptions, remove skills you do not use, or set `policy.allow_implicit_invocation: false` in agents/openai.yaml for skills only used as $name.",
      paths: [SKILLS_DIR],
    });
  }
  return {
    findings,
    budget: { count, listed, characters, trimAt: SKILL_LIST_TRIM_CHARACTERS },
  };
}
