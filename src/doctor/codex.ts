/**
 * Checks of `.codex/config.toml`: it parses, and every agent's `config_file`
 * exists.
 *
 * @module
 */
import { join } from "node:path";
import { parseToml } from "../config.ts";
import { describeError } from "../errors.ts";
import { decodeText } from "../fs/mod.ts";
import { normalizeRepoPath } from "../fs/mod.ts";
import type { Finding } from "./finding.ts";

/** Repo-relative path of the Codex project config. */
export const CODEX_CONFIG = ".codex/config.toml";

/** Checks the Codex config and the agent files it names. */
export function checkCodexConfig(root: string): Finding[] {
  let text: string;
  try {
    text = decodeText(
      Deno.readFileSync(join(root, ".codex", "config.toml")),
      CODEX_CONFIG,
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return [{
        severity: "warn",
        category: "roles",
        message:
          `${CODEX_CONFIG} is missing, so the reviewer agents are not registered.`,
        remediation:
          "Run `waypoint init` (or `waypoint doctor --fix`) to restore it.",
        paths: [CODEX_CONFIG],
      }];
    }
    return [{
      severity: "error",
      category: "roles",
      message: describeError(error, CODEX_CONFIG),
      remediation: "Make the file readable UTF-8 TOML.",
      paths: [CODEX_CONFIG],
    }];
  }
  let table: Record<string, unknown>;
  try {
    table = parseToml(text, CODEX_CONFIG);
  } catch (error) {
    return [{
      severity: "error",
      category: "roles",
      message: describeError(error),
      remediation: "Fix the TOML syntax; Codex cannot load this file as it is.",
      paths: [CODEX_CONFIG],
    }];
  }
  const findings: Finding[] = [];
  const agents = table.agents;
  if (typeof agents !== "object" || agents === null) return findings;
  for (
    const [name, value] of Object.entries(agents as Record<string, unknown>)
  ) {
    if (
      typeof value !== "object" || value === null || Array.isArray(value)
    ) continue;
    const configFile = (value as Record<string, unknown>).config_file;
    if (configFile === undefined) continue;
    const relative = typeof configFile === "string"
      ? normalizeRepoPath(configFile)
      : undefined;
    if (relative === undefined) {
      findings.push({
        severity: "error",
        category: "roles",
        message:
          `Agent "${name}" has a config_file that is not a relative path.`,
        remediation:
          `Set config_file to a path relative to .codex/, e.g. "agents/${name}.toml".`,
        paths: [CODEX_CONFIG],
      });
      continue;
    }
    const path = `.codex/${relative}`;
    try {
      Deno.statSync(join(root, ...path.split("/")));
    } catch {
      findings.push({
        severity: "error",
        category: "roles",
        message:
          `Agent "${name}" names config_file "${configFile}", which does not exist.`,
        remediation: "Run `waypoint init` to restore it, or fix config_file.",
        paths: [path],
      });
    }
  }
  return findings;
}
