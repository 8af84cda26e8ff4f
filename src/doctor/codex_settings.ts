/**
 * The Codex settings in effect for a repo, resolved the way Codex layers
 * them: the project's `.codex/config.toml` when Codex trusts the project,
 * over the user's `$CODEX_HOME/config.toml`, over Codex's default. Each value
 * says where it was set, so a finding can name the file and line to change.
 * Command-line overrides (`-c`, `--profile`) are invisible here.
 *
 * @module
 */
import { findKeyLine, parseToml } from "../config.ts";
import type { RepoView } from "../fs/mod.ts";
import type { EnvLookup } from "../cache_dir.ts";
import type { AgentsLimit } from "../scaffold/action.ts";
import {
  codexUserConfigPath,
  readCodexUserConfig,
  realRoot,
  trustRoot,
} from "./codex_user_config.ts";
import {
  findTrustEntry,
  PROJECT_DOC_MAX_BYTES,
  type TrustEntry,
} from "./codex_project_rules.ts";

/** Repo-relative path of the Codex project config. */
export const PROJECT_CONFIG = ".codex/config.toml";

/** A setting's value and where it was set; no `file` means Codex's default. */
export interface CodexSetting<T> {
  value: T;
  /** The user config's absolute path, or {@link PROJECT_CONFIG}. */
  file?: string;
  /** 1-based line of the key in `file`. */
  line?: number;
}

/** What doctor and init need to know of the user's Codex for one repo. */
export interface CodexSettings {
  /** The user config path, read or not. */
  userConfig: string;
  /** The user config's text, read once for every check; `undefined` when missing or unreadable. */
  userText?: string;
  /** The real path Codex keys the project's trust on (the main checkout of a linked worktree). */
  trustRoot: string;
  /** The `[projects."…"]` entry for the repo, when there is one. */
  trust?: TrustEntry;
  /** Whether Codex loads the project's `.codex/` layer. */
  trusted: boolean;
  /** Bytes of AGENTS.md text Codex injects. */
  projectDocMaxBytes: CodexSetting<number>;
  /** The model; `undefined` value means the CLI's default model. */
  model: CodexSetting<string | undefined>;
  /** `project_doc_fallback_filenames`: names read where a folder has no AGENTS.md. */
  fallbackFilenames: string[];
}

/** One config layer: its top-level table and text, or nothing when unusable. */
interface Layer {
  file: string;
  text: string;
  table: Record<string, unknown>;
}

function layer(file: string, text: string | undefined): Layer | undefined {
  if (text === undefined) return undefined;
  try {
    return { file, text, table: parseToml(text, file) };
  } catch {
    return undefined; // Codex refuses a broken layer too; other checks report it.
  }
}

function pick<T>(
  layers: (Layer | undefined)[],
  key: string,
  valid: (value: unknown) => value is T,
): CodexSetting<T> | undefined {
  for (const found of layers) {
    if (!found || !valid(found.table[key])) continue;
    return {
      value: found.table[key] as T,
      file: found.file,
      line: findKeyLine(found.text, key, undefined),
    };
  }
  return undefined;
}

const isByteCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

const isNames = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((name) => typeof name === "string");

const isModel = (value: unknown): value is string =>
  typeof value === "string" && value.trim() !== "";

/** Resolves the Codex settings in effect for the repo at `root`. */
export function readCodexSettings(
  repo: RepoView,
  env?: EnvLookup,
): CodexSettings {
  const userPath = codexUserConfigPath(env);
  const user = readCodexUserConfig(userPath);
  const real = realRoot(trustRoot(repo.root));
  const trust = user.text === undefined
    ? undefined
    : findTrustEntry(user.text, [...new Set([real, repo.root])]);
  const trusted = trust?.level === "trusted";
  let projectText: string | undefined;
  if (trusted) {
    try {
      projectText = repo.readText(PROJECT_CONFIG, { followInside: true });
    } catch {
      projectText = undefined; // unreadable: the project checks report it
    }
  }
  const layers = [
    layer(PROJECT_CONFIG, projectText),
    layer(userPath, user.text),
  ];
  return {
    userConfig: userPath,
    ...(user.text === undefined ? {} : { userText: user.text }),
    trustRoot: real,
    ...(trust ? { trust } : {}),
    trusted,
    projectDocMaxBytes: pick(layers, "project_doc_max_bytes", isByteCount) ??
      { value: PROJECT_DOC_MAX_BYTES },
    model: pick(layers, "model", isModel) ?? { value: undefined },
    fallbackFilenames:
      pick(layers, "project_doc_fallback_filenames", isNames)?.value ?? [],
  };
}

/** `the default` or `<file>:<line>`, for messages. */
export function settingSource(setting: CodexSetting<unknown>): string {
  if (!setting.file) return "the default";
  return setting.line ? `${setting.file}:${setting.line}` : setting.file;
}

/** The AGENTS.md byte limit in effect, as the scaffold plan takes it. */
export function agentsLimit(settings: CodexSettings): AgentsLimit {
  return {
    bytes: settings.projectDocMaxBytes.value,
    from: settingSource(settings.projectDocMaxBytes),
  };
}
