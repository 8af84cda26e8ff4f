/**
 * `.waypoint/config.toml`: reading, validating with file/line/key errors, and
 * merging a template into a user's file without losing anything they set.
 *
 * @module
 */
import { parse, TomlError } from "smol-toml";
import { WaypointError } from "./errors.ts";
import { sameJson } from "./same_json.ts";
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

type TomlTable = Record<string, unknown>;

/**
 * Parses and validates config text. Errors name `CONFIG_PATH`, the line and
 * the key: `.waypoint/config.toml:4: docs_dir must be a string, found integer`.
 */
export function parseConfig(text: string): WaypointConfig {
  const table = parseToml(text, CONFIG_PATH);
  return validateConfig(table, text);
}

/** Parses TOML text, turning syntax errors into a one-line {@link WaypointError}. */
export function parseToml(text: string, displayPath: string): TomlTable {
  try {
    return parse(text) as TomlTable;
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

function validateConfig(table: TomlTable, text: string): WaypointConfig {
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

/**
 * Merges the template into the user's config text. Keys the user set are
 * kept byte for byte (comments too); only missing keys are inserted, using the
 * template's lines. `profile`, when given, replaces the saved profile.
 * Returns the template (with `profile`) when there is no user file.
 *
 * Where a key goes is decided by the TOML parser, not by the look of a line:
 * each candidate place is tried and kept only when the parsed result is the
 * user's table plus exactly that key. A `[features]` line inside a multi-line
 * string is therefore never taken for a header, and a second run finds every
 * key present and returns the text unchanged.
 */
export function mergeConfigText(
  existing: string | undefined,
  template: string,
  profile?: string,
): string {
  const base = existing ?? template;
  const user = parseToml(base, CONFIG_PATH);
  validateConfig(user, base);
  const templateTable = parseToml(template, "templates/.waypoint/config.toml");
  const templateLines = template.split("\n");
  const eol = base.includes("\r\n") ? "\r\n" : "\n";
  let lines = base.split(/\r?\n/);
  let parsed = user;

  const templateLine = (key: string, section?: string): string => {
    const line = findKeyLine(template, key, section);
    if (!line) throw new Error(`internal: template config lacks ${key}`);
    return templateLines[line - 1].trimEnd();
  };
  /** Takes `next` as the text when it parses to exactly `expected`. */
  const acceptIfParsed = (next: string[], expected: TomlTable): boolean => {
    const table = tryParse(next.join("\n"));
    if (!table || !sameTable(table, expected)) return false;
    lines = next;
    parsed = table;
    return true;
  };
  /** Inserts `inserted` at the first candidate index whose parse is exactly `expected`. */
  const insertWhereParsed = (
    candidates: number[],
    inserted: string[],
    expected: TomlTable,
  ): boolean =>
    candidates.some((at) =>
      acceptIfParsed(
        [...lines.slice(0, at), ...inserted, ...lines.slice(at)],
        expected,
      )
    );

  const topMissing = Object.keys(templateTable).filter((key) => {
    if (typeof templateTable[key] === "object") return false;
    if (key === "docs_dir" && user.docs_dirs !== undefined) return false;
    return user[key] === undefined;
  });
  if (topMissing.length) {
    const expected = { ...parsed };
    for (const key of topMissing) expected[key] = templateTable[key];
    const firstHeader = lines.findIndex((line) => /^\s*\[/.test(line));
    const candidates = [
      firstHeader === -1 ? trimmedLength(lines) : firstHeader,
      0,
    ];
    insertWhereParsed(
      candidates,
      topMissing.map((key) => templateLine(key)),
      expected,
    );
  }

  for (const [section, value] of Object.entries(templateTable)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      continue;
    }
    const userSection = parsed[section];
    if (
      userSection !== undefined &&
      (typeof userSection !== "object" || userSection === null ||
        Array.isArray(userSection))
    ) continue;
    const missing = Object.keys(value).filter((key) =>
      (userSection as TomlTable | undefined)?.[key] === undefined
    );
    if (!missing.length) continue;
    const inserted = missing.map((key) => templateLine(key, section));
    const expectedSection = { ...(userSection as TomlTable | undefined) };
    for (const key of missing) {
      expectedSection[key] = (value as TomlTable)[key];
    }
    const expected = { ...parsed, [section]: expectedSection };
    const header = new RegExp(`^\\s*\\[\\s*${section}\\s*\\]`);
    const candidates = lines.flatMap((line, index) =>
      header.test(line) ? [index + 1] : []
    );
    if (insertWhereParsed(candidates, inserted, expected)) continue;
    if (userSection === undefined) {
      const end = trimmedLength(lines);
      const appended = [
        ...lines.slice(0, end),
        "",
        `[${section}]`,
        ...inserted,
        ...lines.slice(end),
      ];
      acceptIfParsed(appended, expected);
    }
    // A dotted or inline `features` table the user wrote stays as it is; defaults cover the rest.
  }

  if (profile !== undefined && parsed.profile !== profile) {
    const expected = { ...parsed, profile };
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*profile\s*=/.test(lines[i])) continue;
      const replaced = lines[i].replace(
        /^(\s*profile\s*=\s*)("[^"]*"|'[^']*')/,
        `$1"${profile}"`,
      );
      const next = [...lines.slice(0, i), replaced, ...lines.slice(i + 1)];
      if (acceptIfParsed(next, expected)) break;
    }
  }
  let merged = lines.join(eol);
  if (!merged.endsWith(eol)) merged += eol;
  if (
    existing !== undefined &&
    merged.replace(/\s+$/, "") === existing.replace(/\s+$/, "")
  ) return existing;
  validateConfig(parseToml(merged, CONFIG_PATH), merged);
  return merged;
}

/** Deep equality of parsed TOML, ignoring key order and prototypes. */
function sameTable(a: TomlTable, b: TomlTable): boolean {
  return sameJson(a, b);
}

function tryParse(text: string): TomlTable | undefined {
  try {
    return parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

function trimmedLength(lines: string[]): number {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  return end;
}
