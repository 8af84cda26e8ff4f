/**
 * `.waypoint/config.toml`: reading and validating, with file/line/key
 * errors. Merging the template into a user's file is `config_merge.ts`.
 *
 * @module
 */
import { parse, TomlError } from "smol-toml";
import { parseSimpleToml } from "./toml_simple.ts";
import { WaypointError } from "./errors.ts";
import { normalizeRepoPath, repoPathProblem, type RepoView } from "./fs/mod.ts";

/** Repo-relative path of the config file. */
export const CONFIG_PATH = ".waypoint/config.toml";

/** The profiles `init` accepts. */
export const PROFILES = ["universal", "app-friendly"] as const;

/** A validated waypoint configuration, with defaults filled in. */
export interface WaypointConfig {
  version: number;
  profile: string;
  workspaceFile: string;
  docsDirs: string[];
  docsIndexFile: string;
  features: { repoSkills: boolean; docsIndex: boolean; sessionHook: boolean };
  /** `[context]`: how the session context is built. */
  context: {
    /** Most characters `context --hook` sends the model (`hook_budget`). */
    hookBudget: number;
  };
}

/** The bounds `[context] hook_budget` must stay within. */
export const HOOK_BUDGET_BOUNDS = { min: 1_000, max: 16_000 } as const;

/** Defaults used for keys a config leaves out. */
export const DEFAULT_CONFIG: WaypointConfig = {
  version: 1,
  profile: "universal",
  workspaceFile: ".waypoint/WORKSPACE.md",
  docsDirs: [".waypoint/docs"],
  docsIndexFile: ".waypoint/DOCS_INDEX.md",
  features: { repoSkills: true, docsIndex: true, sessionHook: true },
  context: { hookBudget: 6_000 },
};

/** A parsed TOML table. */
export type TomlTable = Record<string, unknown>;

/**
 * Parses and validates config text. Errors name `CONFIG_PATH`, the line and
 * the key: `.waypoint/config.toml:4: docs_dir must be a string, found integer`.
 */
export function parseConfig(text: string): WaypointConfig {
  const table = parseToml(text, CONFIG_PATH);
  return validateConfig(table, text);
}

/**
 * Parses TOML text, turning syntax errors into a one-line
 * {@link WaypointError}. Plain text takes the fast path of `toml_simple.ts`,
 * which agrees with smol-toml wherever it answers.
 */
export function parseToml(text: string, displayPath: string): TomlTable {
  try {
    return parseSimpleToml(text) ?? parse(text) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const lineText = text.split(/\r?\n/)[error.line - 1] ?? "";
      const key = lineText.match(/^\s*([A-Za-z0-9_."'-]+)\s*=/)?.[1];
      const reason = error.message.split("\n")[0].replace(
        /^Invalid TOML document:\s*/,
        "",
      );
      const where = key ? ` (key ${key})` : "";
      throw new WaypointError(
        `${displayPath}:${error.line}: invalid TOML${where}: ${reason}`,
      );
    }
    throw error;
  }
}

/**
 * Checks a parsed config table and fills in defaults; `text` is what it was
 * parsed from, for the line numbers of errors.
 */
export function validateConfig(table: TomlTable, text: string): WaypointConfig {
  const fail = (
    key: string,
    section: string | undefined,
    expected: string,
    value: unknown,
  ): never => {
    const line = findKeyLine(text, key, section);
    const name = section ? `${section}.${key}` : key;
    throw new WaypointError(
      `${CONFIG_PATH}${
        line ? `:${line}` : ""
      }: ${name} must be ${expected}, found ${describeValue(value)}`,
    );
  };
  const str = (
    key: string,
    fallback: string,
    section?: string,
    source: TomlTable = table,
  ): string => {
    const value = source[key];
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value.trim() === "") {
      fail(key, section, "a non-empty string", value);
    }
    return value as string;
  };
  const bool = (
    key: string,
    fallback: boolean,
    section: string,
    source: TomlTable,
  ): boolean => {
    const value = source[key];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") fail(key, section, "true or false", value);
    return value as boolean;
  };

  const version = table.version;
  if (
    version !== undefined &&
    (typeof version !== "number" || !Number.isInteger(version))
  ) {
    fail("version", undefined, "an integer", version);
  }
  const profile = str("profile", DEFAULT_CONFIG.profile);
  if (!(PROFILES as readonly string[]).includes(profile)) {
    fail(
      "profile",
      undefined,
      `one of ${PROFILES.map((p) => `"${p}"`).join(", ")}`,
      profile,
    );
  }
  let docsDirs = DEFAULT_CONFIG.docsDirs;
  if (table.docs_dirs !== undefined) {
    const list = table.docs_dirs;
    if (
      !Array.isArray(list) || list.length === 0 ||
      list.some((d) => typeof d !== "string" || d.trim() === "")
    ) {
      fail("docs_dirs", undefined, "a non-empty list of strings", list);
    }
    docsDirs = list as string[];
  } else if (table.docs_dir !== undefined) {
    docsDirs = [str("docs_dir", DEFAULT_CONFIG.docsDirs[0])];
  }
  const features = table.features ?? {};
  if (
    typeof features !== "object" || Array.isArray(features) || features === null
  ) {
    fail("features", undefined, "a table", features);
  }
  const featureTable = features as TomlTable;
  const contextSection = table.context ?? {};
  if (
    typeof contextSection !== "object" || Array.isArray(contextSection) ||
    contextSection === null
  ) {
    fail("context", undefined, "a table", contextSection);
  }
  const hookBudget = (contextSection as TomlTable).hook_budget ??
    DEFAULT_CONFIG.context.hookBudget;
  const { min, max } = HOOK_BUDGET_BOUNDS;
  if (
    typeof hookBudget !== "number" || !Number.isInteger(hookBudget) ||
    hookBudget < min || hookBudget > max
  ) {
    fail(
      "hook_budget",
      "context",
      `an integer from ${min} to ${max} (characters)`,
      hookBudget,
    );
  }
  const config: WaypointConfig = {
    version: (version as number | undefined) ?? DEFAULT_CONFIG.version,
    profile,
    workspaceFile: str("workspace_file", DEFAULT_CONFIG.workspaceFile),
    docsDirs,
    docsIndexFile: str("docs_index_file", DEFAULT_CONFIG.docsIndexFile),
    features: {
      repoSkills: bool(
        "repo_skills",
        DEFAULT_CONFIG.features.repoSkills,
        "features",
        featureTable,
      ),
      docsIndex: bool(
        "docs_index",
        DEFAULT_CONFIG.features.docsIndex,
        "features",
        featureTable,
      ),
      sessionHook: bool(
        "session_hook",
        DEFAULT_CONFIG.features.sessionHook,
        "features",
        featureTable,
      ),
    },
    context: { hookBudget: hookBudget as number },
  };
  const paths: [string, string][] = [
    ["workspace_file", config.workspaceFile],
    ["docs_index_file", config.docsIndexFile],
    ...config.docsDirs.map((
      dir,
    ): [string, string] => [table.docs_dirs ? "docs_dirs" : "docs_dir", dir]),
  ];
  for (const [key, value] of paths) {
    const normalized = normalizeRepoPath(value);
    if (normalized === undefined) {
      const line = findKeyLine(text, key, undefined);
      throw new WaypointError(
        `${CONFIG_PATH}${
          line ? `:${line}` : ""
        }: ${key} must be a path inside the repository, found "${value}" (it ${
          repoPathProblem(value)
        })`,
      );
    }
  }
  config.workspaceFile = normalizeRepoPath(config.workspaceFile)!;
  config.docsIndexFile = normalizeRepoPath(config.docsIndexFile)!;
  config.docsDirs = config.docsDirs.map((dir) => normalizeRepoPath(dir)!);
  return config;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a table";
  if (typeof value === "number") {
    return Number.isInteger(value) ? `integer ${value}` : `float ${value}`;
  }
  if (typeof value === "string") {
    return value === "" ? "an empty string" : `string "${value}"`;
  }
  return `${typeof value} ${String(value)}`;
}

/** Finds the 1-based line where `key` is assigned, inside `[section]` when given. */
export function findKeyLine(
  text: string,
  key: string,
  section: string | undefined,
): number | undefined {
  let current: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i].match(/^\s*\[\s*([^\]]+?)\s*\]/);
    if (header) {
      current = header[1].replace(/["']/g, "");
      continue;
    }
    const assigned = lines[i].match(/^\s*["']?([A-Za-z0-9_-]+)["']?\s*=/)?.[1];
    if (assigned === key && current === section) return i + 1;
    if (
      section && current === undefined &&
      lines[i].match(new RegExp(`^\\s*${section}\\.${key}\\s*=`))
    ) return i + 1;
  }
  return undefined;
}

/** Loads and validates `.waypoint/config.toml` below `root`. */
export function loadConfig(repo: RepoView): WaypointConfig {
  const text = readConfigText(repo);
  if (text === undefined) {
    throw new WaypointError(
      `${CONFIG_PATH} not found in ${repo.root}: run 'waypoint init' first`,
    );
  }
  return parseConfig(text);
}

/** Reads the config text strictly; `undefined` when the file does not exist. */
export function readConfigText(repo: RepoView): string | undefined {
  return repo.readText(CONFIG_PATH);
}
