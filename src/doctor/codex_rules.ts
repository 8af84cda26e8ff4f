/**
 * The rules the Codex CLI (0.169) applies to what waypoint writes, restated
 * from its source (`codex-rs`: the skills loader, the skill-creator
 * validator, agent role loading, config loading) and checked against the
 * real binary. Every message quotes Codex's own wording, so a doctor finding
 * reads like the warning Codex would print. Pure functions: no file access.
 *
 * @module
 */
import { CORE_SCHEMA, load } from "js-yaml";
import { parseToml } from "../config.ts";

export {
  findTrustEntry,
  PROJECT_DOC_MAX_BYTES,
  type TrustEntry,
} from "./codex_trust.ts";

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
): SkillFrontmatterCheck {
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
  let data: unknown;
  try {
    data = load(frontmatter, { schema: CORE_SCHEMA });
  } catch (error) {
    return refuse(
      `invalid YAML: ${(error as Error).message.split("\n")[0]}`,
    );
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
): OpenAiYamlCheck {
  const result: OpenAiYamlCheck = { implicit: true, problems: [] };
  const invalid = (message: string) =>
    result.problems.push({ severity: "invalid", message });
  let data: unknown;
  try {
    data = load(text, { schema: CORE_SCHEMA });
  } catch (error) {
    invalid(
      `agents/openai.yaml is not valid YAML: ${
        (error as Error).message.split("\n")[0]
      }`,
    );
    return result;
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

/**
 * Top-level keys an agent role file may hold besides `name`, `description`
 * and `nickname_candidates`: Codex 0.169's `ConfigToml` fields. Anything else
 * makes Codex refuse the file (`deny_unknown_fields`). Each key was checked
 * against the 0.169 binary: these load, others are reported as unknown.
 */
export const CONFIG_TOML_KEYS: ReadonlySet<string> = new Set([
  "agents",
  "allow_login_shell",
  "analytics",
  "approval_policy",
  "approvals_reviewer",
  "apps",
  "apps_mcp_product_sku",
  "audio",
  "auto_review",
  "background_terminal_max_timeout",
  "chatgpt_base_url",
  "check_for_update_on_startup",
  "cli_auth_credentials_store",
  "compact_prompt",
  "default_permissions",
  "desktop",
  "developer_instructions",
  "disable_paste_burst",
  "experimental_compact_prompt_file",
  "experimental_realtime_start_instructions",
  "experimental_realtime_ws_backend_prompt",
  "experimental_realtime_ws_base_url",
  "experimental_realtime_ws_model",
  "experimental_realtime_ws_startup_context",
  "experimental_thread_store",
  "experimental_use_unified_exec_tool",
  "features",
  "feedback",
  "file_opener",
  "forced_chatgpt_workspace_id",
  "forced_login_method",
  "ghost_snapshot",
  "hide_agent_reasoning",
  "history",
  "hooks",
  "include_apps_instructions",
  "include_collaboration_mode_instructions",
  "include_environment_context",
  "include_permissions_instructions",
  "instructions",
  "js_repl_node_path",
  "log_dir",
  "marketplaces",
  "mcp_oauth_callback_port",
  "mcp_oauth_callback_url",
  "mcp_oauth_credentials_store",
  "mcp_servers",
  "memories",
  "model",
  "model_auto_compact_token_limit",
  "model_auto_compact_token_limit_scope",
  "model_catalog_json",
  "model_context_window",
  "model_instructions_file",
  "model_provider",
  "model_providers",
  "model_reasoning_effort",
  "model_reasoning_summary",
  "model_verbosity",
  "notice",
  "notify",
  "openai_base_url",
  "oss_provider",
  "otel",
  "permissions",
  "personality",
  "plan_mode_reasoning_effort",
  "plugins",
  "profile",
  "profiles",
  "project_doc_fallback_filenames",
  "project_doc_max_bytes",
  "project_root_markers",
  "projects",
  "realtime",
  "review_model",
  "sandbox_mode",
  "sandbox_workspace_write",
  "service_tier",
  "shell_environment_policy",
  "show_raw_agent_reasoning",
  "skills",
  "sqlite_home",
  "suppress_unstable_features_warning",
  "tool_output_token_limit",
  "tool_suggest",
  "tools",
  "tui",
  "web_search",
  "windows",
]);

/** The prefix Codex puts before every agent role problem at startup. */
export const AGENT_ROLE_WARNING = "Ignoring malformed agent role definition: ";

/** What Codex makes of one agent role file. */
export interface AgentRoleCheck {
  /** The role name it registers under, when it loads. */
  roleName?: string;
  /** Codex's startup warning, without the common prefix, when it is refused. */
  problem?: string;
}

function blank(value: unknown): boolean {
  return typeof value === "string" && value.trim() === "";
}

/**
 * Checks an agent role file found under `.codex/agents/` as Codex does when
 * it discovers one (no registration in `.codex/config.toml`). `label` is the
 * path Codex would print.
 */
export function checkAgentRoleText(
  label: string,
  text: string,
): AgentRoleCheck {
  let table: Record<string, unknown>;
  try {
    table = parseToml(text, label);
  } catch (error) {
    return {
      problem: `failed to parse agent role file at ${label}: ${
        (error as Error).message
      }`,
    };
  }
  const unknown = Object.keys(table).find((key) =>
    !["name", "description", "nickname_candidates"].includes(key) &&
    !CONFIG_TOML_KEYS.has(key)
  );
  if (unknown !== undefined) {
    return {
      problem:
        `failed to deserialize agent role file at ${label}: unknown field \`${unknown}\``,
    };
  }
  for (const key of ["name", "description", "developer_instructions"]) {
    const value = table[key];
    if (value !== undefined && typeof value !== "string") {
      return {
        problem:
          `failed to deserialize agent role file at ${label}: invalid type: ${
            tomlType(value)
          }, expected a string in \`${key}\``,
      };
    }
  }
  if (blank(table.description)) {
    return {
      problem: `agent role file ${label}.description cannot be blank`,
    };
  }
  if (table.developer_instructions === undefined) {
    return {
      problem:
        `agent role file at ${label} must define \`developer_instructions\``,
    };
  }
  if (blank(table.developer_instructions)) {
    return {
      problem:
        `agent role file at ${label}.developer_instructions cannot be blank`,
    };
  }
  const name = typeof table.name === "string" ? table.name.trim() : "";
  if (name === "") {
    return {
      problem: `agent role file at ${label} must define a non-empty \`name\``,
    };
  }
  const nicknames = nicknameProblem(
    `agent role file ${label}.nickname_candidates`,
    table.nickname_candidates,
  );
  if (nicknames) return { problem: nicknames };
  if (table.description === undefined) {
    return { problem: `agent role \`${name}\` must define a description` };
  }
  return { roleName: name };
}

/** How serde names a TOML value in a type error: integer `1`, boolean `true`, a sequence, a map. */
function tomlType(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") {
    return Number.isInteger(Number(value))
      ? `integer \`${value}\``
      : `floating point \`${value}\``;
  }
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (Array.isArray(value)) return "sequence";
  return "map";
}

function nicknameProblem(label: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    return `${label} must be a list of strings`;
  }
  if (value.length === 0) return `${label} must contain at least one name`;
  const seen = new Set<string>();
  for (const raw of value as string[]) {
    const nickname = raw.trim();
    if (nickname === "") return `${label} cannot contain blank names`;
    if (seen.has(nickname)) return `${label} cannot contain duplicates`;
    seen.add(nickname);
    if (!/^[A-Za-z0-9 _-]+$/.test(nickname)) {
      return `${label} may only contain ASCII letters, digits, spaces, hyphens, and underscores`;
    }
  }
  return undefined;
}

/** Codex's warning for two files that register the same role name. */
export function duplicateRoleProblem(role: string, agentsDir: string): string {
  return `duplicate agent role name \`${role}\` discovered in ${agentsDir}`;
}

/** Codex's startup warning for `[features] multi_agent`. */
export const MULTI_AGENT_DEPRECATED =
  "`[features].multi_agent` is deprecated. It still controls the V1 fallback. `[agents].enabled = false` disables subagent tools even when the model selects a subagent version, unless `[features].multi_agent_v2` is enabled.";

/** Keys of a project `.codex/config.toml` Codex does not recognise and ignores. */
export function unrecognizedConfigKeys(
  table: Record<string, unknown>,
): string[] {
  return Object.keys(table).filter((key) => !CONFIG_TOML_KEYS.has(key));
}

/**
 * Codex's wording for bytes of AGENTS.md beyond `project_doc_max_bytes`
 * (Codex cuts the rest without a startup warning).
 */
export function projectDocOverLimit(bytes: number, limit: number): string {
  return `Combined user instructions use ${bytes} bytes, above the ${limit}-byte \`project_doc_max_bytes\` setting`;
}

/** The two lines that make Codex trust the project at `path`. */
export function trustLines(path: string): string {
  return `[projects.${JSON.stringify(path)}]\ntrust_level = "trusted"`;
}
