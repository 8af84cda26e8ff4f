/**
 * The two Codex rules `init` needs as well as doctor: the default
 * `project_doc_max_bytes`, and where a Codex user config trusts a project.
 * Apart from `codex_rules.ts` (which re-exports them) so that `init` does not
 * load js-yaml, which only doctor's skill checks use.
 *
 * @module
 */
import { parseToml } from "../config.ts";

/** Codex's default `project_doc_max_bytes`: AGENTS.md text beyond it is cut. */
export const PROJECT_DOC_MAX_BYTES = 32_768;

/** Where a project is trusted in a Codex user config, if it is. */
export interface TrustEntry {
  /** `trusted`, `untrusted`, or another value Codex does not treat as trusted. */
  level: string;
  /** 1-based line of the `[projects."…"]` header. */
  line: number;
  /** The header line as written. */
  text: string;
}

/**
 * Finds the `[projects."<path>"]` entry for one of `paths` in the text of a
 * Codex user config (`$CODEX_HOME/config.toml`). Malformed TOML yields
 * `undefined`: Codex would not load it either.
 */
export function findTrustEntry(
  configText: string,
  paths: readonly string[],
): TrustEntry | undefined {
  let table: Record<string, unknown>;
  try {
    table = parseToml(configText, "config.toml");
  } catch {
    return undefined;
  }
  const projects = table.projects;
  if (typeof projects !== "object" || projects === null) return undefined;
  for (const path of paths) {
    const entry = (projects as Record<string, unknown>)[path];
    if (typeof entry !== "object" || entry === null) continue;
    const level = String((entry as Record<string, unknown>).trust_level ?? "");
    const lines = configText.split(/\r?\n/);
    const index = lines.findIndex((line) =>
      line.includes(JSON.stringify(path)) || line.includes(`'${path}'`)
    );
    return {
      level,
      line: index + 1,
      text: index >= 0
        ? lines[index].trim()
        : `[projects.${JSON.stringify(path)}]`,
    };
  }
  return undefined;
}
