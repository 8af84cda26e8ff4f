/**
 * The rules the Codex CLI (0.169) applies to its TOML files, restated from
 * its source (`codex-rs`: agent role loading, config loading) and checked
 * against the real binary: the keys a `ConfigToml` may hold, what makes an
 * agent role file under `.codex/agents/` load or be refused, and the
 * warnings a project `.codex/config.toml` earns. Every message quotes
 * Codex's own wording. Pure functions: no file access.
 *
 * @module
 */
import { parseToml } from "../config.ts";

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
