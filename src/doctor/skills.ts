/**
 * Agent Skills checks of one text at a time, with js-yaml at hand; doctor's
 * scan of the skills folder is `skill_scan.ts`.
 *
 * @module
 */
import {
  checkOpenAiYamlText,
  checkSkillFrontmatter,
} from "./codex_skill_rules.ts";
import { problemText, type SkillCheck, skillCheckOf } from "./skill_scan.ts";

export { type SkillCheck, SKILLS_DIR } from "./skill_scan.ts";

/** Checks one skill's SKILL.md text with Codex's loader and validator rules. */
export function checkSkillText(folder: string, text: string): SkillCheck {
  return skillCheckOf(folder, checkSkillFrontmatter(folder, text));
}

/** Checks `agents/openai.yaml` text for the skill `name`; returns the problems found. */
export function checkOpenAiYaml(name: string, text: string): string[] {
  return checkOpenAiYamlText(name, text).problems.map(problemText);
}
