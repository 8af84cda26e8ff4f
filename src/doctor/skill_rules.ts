/**
 * The rules the Codex CLI (0.169) applies to a repo skill, restated from its
 * source (`codex-rs`: the skills loader, the skill-creator validator and its
 * guide) and checked against the real binary: SKILL.md frontmatter,
 * `agents/openai.yaml`, and the line the model sees for each skill. Every
 * message quotes Codex's own wording, so a doctor finding reads like the
 * warning Codex would print. Pure functions: no file access.
 *
 * js-yaml is passed in, not imported: the fast readers take every shipped
 * skill's YAML, so doctor loads js-yaml (about 10 ms of start-up) only for
 * a skill they leave; `codex_skill_rules.ts` gives the same checks with
 * js-yaml always at hand.
 *
 * @module
 */
import { readPlainYaml } from "../indexes/plain_yaml.ts";
import { readPlainMappings } from "./plain_mappings.ts";

/** js-yaml, for the YAML the fast readers leave. */
export type JsYaml = typeof import("js-yaml");

/** What a check returns when the fast readers left the text and no js-yaml was given. */
export const NEEDS_JS_YAML = "needs-js-yaml";

/** Codex's limits on skill frontmatter, in characters after whitespace is collapsed. */
export const SKILL_LIMITS = {
  name: 64,
  description: 1024,
  shortDescription: 500,
} as const;

/** The frontmatter keys Codex's skill validator allows. */
export const ALLOWED_SKILL_KEYS: readonly string[] = [
  "allowed-tools",
  "description",
  "license",
  "metadata",
  "name",
];

/** Length bounds Codex's skill guide sets for `interface.short_description`. */
export const SHORT_DESCRIPTION_RANGE = { min: 25, max: 64 } as const;

/**
 * About where Codex starts trimming skill descriptions: once the whole skills
 * section passes roughly 2% of the model's context window, which is about
 * 22,000 characters for current models (measured with Codex 0.169).
 */
export const SKILL_LIST_TRIM_CHARACTERS = 22_000;
/** How serious a rule break is for Codex. */
export type RuleSeverity =
  /** Codex refuses the file: the skill or agent is not loaded. */
  | "refused"
  /** Codex loads it, but its own validator or guide rejects it. */
  | "invalid";

/** One broken rule, in Codex's words. */
export interface RuleProblem {
  severity: RuleSeverity;
  message: string;
}

/** Collapses whitespace to single spaces, as Codex does for skill fields. */
export function singleLine(value: string): string {
  return value.split(/\s+/).filter(Boolean).join(" ");
}

/** What Codex reads from a SKILL.md, and what it objects to. */
export interface SkillFrontmatterCheck {
  name?: string;
  description?: string;
  problems: RuleProblem[];
}

/** Codex's frontmatter extraction: `---` on the first line, up to the next `---` line. */
function extractFrontmatter(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== "---") return undefined;
  const body: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === "---") return body.length ? body.join("\n") : undefined;
    body.push(line);
  }
  return undefined;
}

function charCount(value: string): number {
  return [...value].length;
}

/**
 * Checks SKILL.md text the way Codex's loader does (a `refused` problem means
 * the skill is not loaded) and then as its skill validator does (`invalid`).
 */
export function checkSkillFrontmatter(
  folder: string,
  text: string,
  lib: JsYaml | undefined,
): SkillFrontmatterCheck | typeof NEEDS_JS_YAML {
  const check: SkillFrontmatterCheck = { problems: [] };
  const refuse = (message: string) => {
    check.problems.push({ severity: "refused", message });
    return check;
  };
  const invalid = (message: string) =>
    check.problems.push({ severity: "invalid", message });
  const frontmatter = extractFrontmatter(text);
  if (frontmatter === undefined) {
    return refuse("missing YAML frontmatter delimited by ---");
  }
  // The plain reader gives exactly what js-yaml's core schema would for the
  // frontmatter it accepts (tests/plain_yaml_test.ts), and skips js-yaml's
  // JIT-cold parse: most SKILL.md files are plain `key: value` lines.
  const plain = readPlainYaml(frontmatter);
  let data: unknown;
  if (plain.kind === "ok") data = plain.data;
  else if (!lib) return NEEDS_JS_YAML;
  else {
    try {
      data = lib.load(frontmatter, { schema: lib.CORE_SCHEMA });
    } catch (error) {
      return refuse(
        `invalid YAML: ${(error as Error).message.split("\n")[0]}`,
      );
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return refuse("invalid YAML: frontmatter is not a mapping");
  }
  const fields = data as Record<string, unknown>;
  for (const field of ["name", "description"]) {
    const value = fields[field];
    if (value === undefined || value === null) {
      return refuse(`missing field \`${field}\``);
    }
    if (typeof value !== "string") {
      return refuse(`invalid YAML: ${field}: expected a string`);
    }
  }
  const name = singleLine(fields.name as string);
  const description = singleLine(fields.description as string);
  const metadata = fields.metadata;
  const shortRaw = typeof metadata === "object" && metadata !== null
    ? (metadata as Record<string, unknown>)["short-description"] ??
      (metadata as Record<string, unknown>).shortDescription ??
      (metadata as Record<string, unknown>).short_description
    : undefined;
  const short = typeof shortRaw === "string" ? singleLine(shortRaw) : "";
  for (
    const [field, value, max] of [
      ["name", name, SKILL_LIMITS.name],
      ["description", description, SKILL_LIMITS.description],
      ["metadata.short-description", short, SKILL_LIMITS.shortDescription],
    ] as const
  ) {
    if (value === "" && field !== "metadata.short-description") {
      return refuse(`missing field \`${field}\``);
    }
    if (charCount(value) > max) {
      return refuse(
        `invalid ${field}: exceeds maximum length of ${max} characters`,
      );
    }
  }
  check.name = name;
  check.description = description;

  const unexpected = Object.keys(fields).filter((key) =>
    !ALLOWED_SKILL_KEYS.includes(key)
  ).sort();
  if (unexpected.length) {
    invalid(
      `Unexpected key(s) in SKILL.md frontmatter: ${
        unexpected.join(", ")
      }. Allowed properties are: ${ALLOWED_SKILL_KEYS.join(", ")}`,
    );
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    invalid(
      `Name '${name}' should be hyphen-case (lowercase letters, digits, and hyphens only)`,
    );
  } else if (
    name.startsWith("-") || name.endsWith("-") || name.includes("--")
  ) {
    invalid(
      `Name '${name}' cannot start/end with hyphen or contain consecutive hyphens`,
    );
  }
  if (name !== folder) {
    invalid(`name '${name}' differs from its folder name '${folder}'`);
  }
  if (/[<>]/.test(description)) {
    invalid("Description cannot contain angle brackets (< or >)");
  }
  return check;
}

/** What `agents/openai.yaml` declares, and what is wrong with it. */
export interface OpenAiYamlCheck {
  /** `policy.allow_implicit_invocation`; Codex lists the skill for the model unless it is `false`. */
  implicit: boolean;
  problems: RuleProblem[];
}

/** Checks `agents/openai.yaml` against Codex's skill guide. */
export function checkOpenAiYamlText(
  skillName: string,
  text: string,
  lib: JsYaml | undefined,
): OpenAiYamlCheck | typeof NEEDS_JS_YAML {
  const result: OpenAiYamlCheck = { implicit: true, problems: [] };
  const invalid = (message: string) =>
    result.problems.push({ severity: "invalid", message });
  // Exactly js-yaml's result where the plain reader is sure, without its
  // JIT-cold parse (see plain_mappings.ts).
  let data: unknown = readPlainMappings(text);
  if (data === undefined) {
    if (!lib) return NEEDS_JS_YAML;
    try {
      data = lib.load(text, { schema: lib.CORE_SCHEMA });
    } catch (error) {
      invalid(
        `agents/openai.yaml is not valid YAML: ${
          (error as Error).message.split("\n")[0]
        }`,
      );
      return result;
    }
  }
  const root =
    (typeof data === "object" && data !== null ? data : {}) as Record<
      string,
      unknown
    >;
  const policy = root.policy as Record<string, unknown> | undefined;
  if (policy !== undefined) {
    const allow = typeof policy === "object" && policy !== null
      ? policy.allow_implicit_invocation
      : undefined;
    if (allow === false) result.implicit = false;
    else if (allow !== undefined && allow !== true) {
      invalid("policy.allow_implicit_invocation must be true or false");
    }
  }
  const iface = root.interface;
  if (typeof iface !== "object" || iface === null) {
    invalid("agents/openai.yaml needs an interface mapping");
    return result;
  }
  const fields = iface as Record<string, unknown>;
  for (const key of ["display_name", "short_description", "default_prompt"]) {
    const value = fields[key];
    if (typeof value !== "string" || value.trim() === "") {
      invalid(`agents/openai.yaml needs interface.${key}`);
    }
  }
  const short = fields.short_description;
  if (typeof short === "string" && short.trim() !== "") {
    const length = charCount(short.trim());
    if (
      length < SHORT_DESCRIPTION_RANGE.min ||
      length > SHORT_DESCRIPTION_RANGE.max
    ) {
      invalid(
        `interface.short_description is ${length} characters; Codex wants ${SHORT_DESCRIPTION_RANGE.min}-${SHORT_DESCRIPTION_RANGE.max}`,
      );
    }
  }
  const prompt = fields.default_prompt;
  if (
    typeof prompt === "string" && prompt.trim() !== "" &&
    !prompt.includes(`$${skillName}`)
  ) {
    invalid(
      `interface.default_prompt should name the skill as $${skillName}`,
    );
  }
  return result;
}

/** The line Codex shows the model for one skill, and what it costs in characters. */
export function skillListLine(
  name: string,
  description: string,
  folder: string,
): string {
  return `- ${name}: ${description} (file: r1/${folder}/SKILL.md)\n`;
}
