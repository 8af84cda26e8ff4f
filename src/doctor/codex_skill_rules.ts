/**
 * The Codex skill rules of `skill_rules.ts` with js-yaml always at hand, for
 * callers that check one text at a time and need no fast start (doctor's
 * scan, `skill_scan.ts`, loads js-yaml only when a skill needs it).
 *
 * @module
 */
import * as jsYaml from "js-yaml";
import {
  checkOpenAiYamlText as checkOpenAiYamlWith,
  checkSkillFrontmatter as checkSkillFrontmatterWith,
  type OpenAiYamlCheck,
  type SkillFrontmatterCheck,
} from "./skill_rules.ts";

export {
  ALLOWED_SKILL_KEYS,
  type OpenAiYamlCheck,
  type RuleProblem,
  type RuleSeverity,
  SHORT_DESCRIPTION_RANGE,
  singleLine,
  SKILL_LIMITS,
  SKILL_LIST_TRIM_CHARACTERS,
  type SkillFrontmatterCheck,
  skillListLine,
} from "./skill_rules.ts";

/**
 * Checks SKILL.md text the way Codex's loader does (a `refused` problem means
 * the skill is not loaded) and then as its skill validator does (`invalid`).
 */
export function checkSkillFrontmatter(
  folder: string,
  text: string,
): SkillFrontmatterCheck {
  // With js-yaml given, the check never asks for it.
  return checkSkillFrontmatterWith(
    folder,
    text,
    jsYaml,
  ) as SkillFrontmatterCheck;
}

/** Checks `agents/openai.yaml` against Codex's skill guide. */
export function checkOpenAiYamlText(
  skillName: string,
  text: string,
): OpenAiYamlCheck {
  return checkOpenAiYamlWith(skillName, text, jsYaml) as OpenAiYamlCheck;
}
