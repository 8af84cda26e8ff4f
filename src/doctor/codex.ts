/**
 * What Codex itself will say about this repo at startup: the project's
 * `.codex/config.toml` (deprecated or unknown keys, registrations pointing at
 * missing files), the custom agent files in `.codex/agents/`, and whether
 * the user's Codex trusts the project at all (`agents_size.ts` measures the
 * AGENTS.md text). The rules live in `codex_config_rules.ts` and
 * `codex_project_rules.ts`; this module reads the files and turns rule
 * breaks into findings.
 *
 * @module
 */
import { parseToml } from "../config.ts";
import { describeError } from "../errors.ts";
import { normalizeRepoPath, type RepoView } from "../fs/mod.ts";
import {
  AGENT_ROLE_WARNING,
  checkAgentRoleText,
  duplicateRoleProblem,
  MULTI_AGENT_DEPRECATED,
  unrecognizedConfigKeys,
} from "./codex_config_rules.ts";
import { trustLines } from "./codex_project_rules.ts";
import type { CodexSettings } from "./codex_settings.ts";
import { type CodexTrust, type Finding, moveAsideCommand } from "./finding.ts";
import { templatePaths } from "../templates/mod.ts";

/** Repo-relative path of the Codex project config. */
export const CODEX_CONFIG = ".codex/config.toml";

/** Repo-relative folder Codex discovers custom agents in. */
export const CODEX_AGENTS_DIR = ".codex/agents";

function roles(
  severity: Finding["severity"],
  message: string,
  remediation: string,
  paths: string[],
): Finding {
  return { severity, category: "roles", message, remediation, paths };
}

/** Every `*.toml` below `.codex/agents/`, as Codex collects them (regular files, recursively, no links). */
function agentFiles(repo: RepoView): string[] {
  let walked;
  try {
    walked = repo.walkDirs(CODEX_AGENTS_DIR);
  } catch {
    return []; // a link or a file where the folder belongs: no agents
  }
  return walked.dirs.flatMap((dir) =>
    dir.entries.filter((entry) =>
      entry.kind === "file" && entry.name.endsWith(".toml")
    ).map((entry) => entry.path)
  ).sort();
}

/** Findings about `.codex/config.toml`, plus what the agent checks need from it. */
function checkProjectConfig(
  repo: RepoView,
): {
  findings: Finding[];
  declared: Set<string>;
} {
  const declared = new Set<string>();
  let text: string | undefined;
  try {
    text = repo.readText(CODEX_CONFIG, { followInside: true });
  } catch (error) {
    // A config linked from elsewhere (dotfiles) is the user's business, not a fault.
    if (repo.inspect(CODEX_CONFIG).kind === "symlink") {
      return {
        findings: [],
        declared,
      };
    }
    return {
      findings: [
        roles(
          "error",
          describeError(error, CODEX_CONFIG),
          "Make the file readable UTF-8 TOML.",
          [CODEX_CONFIG],
        ),
      ],
      declared,
    };
  }
  if (text === undefined) {
    return {
      findings: [],
      declared,
    };
  }
  let table: Record<string, unknown>;
  try {
    table = parseToml(text, CODEX_CONFIG);
  } catch (error) {
    return {
      findings: [
        roles(
          "error",
          describeError(error),
          "Fix the TOML syntax; Codex cannot load this file as it is.",
          [CODEX_CONFIG],
        ),
      ],
      declared,
    };
  }
  const findings: Finding[] = [];
  const features = table.features;
  if (
    typeof features === "object" && features !== null &&
    "multi_agent" in features
  ) {
    findings.push(roles(
      "warn",
      `${CODEX_CONFIG}: ${MULTI_AGENT_DEPRECATED}`,
      "Delete `multi_agent` from [features] (and the table if it is left empty): subagents are on by default, and waypoint's reviewers need no flag.",
      [CODEX_CONFIG],
    ));
  }
  const unknown = unrecognizedConfigKeys(table);
  if (unknown.length) {
    findings.push(roles(
      "warn",
      `Codex is ignoring ${unknown.length} unrecognized configuration setting(s) in ${CODEX_CONFIG}: ${
        unknown.map((key) => `\`${key}\` is ignored`).join("; ")
      }.`,
      "Check for typos or deprecated settings.",
      [CODEX_CONFIG],
    ));
  }
  const agents = table.agents;
  if (typeof agents === "object" && agents !== null) {
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
        findings.push(roles(
          "warn",
          `${AGENT_ROLE_WARNING}agents.${name}.config_file is not a path inside .codex/ (${
            JSON.stringify(configFile)
          }).`,
          `Set config_file to a path relative to .codex/, e.g. "agents/${name}.toml", or remove the [agents.${name}] table.`,
          [CODEX_CONFIG],
        ));
        continue;
      }
      const path = `.codex/${relative}`;
      declared.add(path);
      // Codex follows a symlinked config_file; only a missing path or a folder is its error.
      let kind: string;
      try {
        kind = repo.inspect(path).kind;
      } catch {
        kind = "missing";
      }
      if (kind !== "file" && kind !== "symlink") {
        findings.push(roles(
          "warn",
          `${AGENT_ROLE_WARNING}agents.${name}.config_file must point to an existing file at ${path}.`,
          `Restore ${path}, or remove the [agents.${name}] table from ${CODEX_CONFIG}.`,
          [CODEX_CONFIG, path],
        ));
      }
    }
  }
  return { findings, declared };
}

/** Findings about the custom agent files Codex discovers in `.codex/agents/`. */
function checkAgentFiles(repo: RepoView, declared: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const owners = new Map<string, string>();
  for (const path of agentFiles(repo)) {
    let text: string | undefined;
    try {
      text = repo.readText(path);
    } catch (error) {
      findings.push(roles(
        "warn",
        describeError(error, path),
        "Make the file readable UTF-8 TOML.",
        [path],
      ));
      continue;
    }
    if (text === undefined) continue;
    const check = checkAgentRoleText(path, text);
    if (check.problem) {
      // A file registered in .codex/config.toml may take its name from the registration.
      if (declared.has(path) && check.problem.includes("non-empty `name`")) {
        continue;
      }
      findings.push(roles(
        "warn",
        `${AGENT_ROLE_WARNING}${check.problem}`,
        agentFileFix(path),
        [path],
      ));
      continue;
    }
    const role = check.roleName!;
    const first = owners.get(role);
    if (first !== undefined) {
      findings.push(roles(
        "warn",
        `${AGENT_ROLE_WARNING}${
          duplicateRoleProblem(role, CODEX_AGENTS_DIR)
        } (${first} and ${path}).`,
        "Give each agent file its own `name`, or remove one of them.",
        [first, path],
      ));
    } else owners.set(role, path);
  }
  return findings;
}

/**
 * How to repair an agent file Codex cannot load. `init` never overwrites a
 * reviewer the user edited, so restoring waypoint's one means moving the
 * edited copy away first; a file of the user's own can only be fixed.
 */
function agentFileFix(path: string): string {
  const fix =
    "Fix the agent file so Codex can load it (name, description and developer_instructions, and only keys Codex knows)";
  if (!templatePaths().includes(path)) return `${fix}.`;
  return `${fix}, or restore waypoint's reviewer: move yours away (\`${
    moveAsideCommand(path)
  }\`), then run \`waypoint init\`.`;
}

/**
 * Whether the user's Codex trusts the repo, and the line that says so, from
 * `settings` (the user config as {@link readCodexSettings} read it once).
 */
export function checkTrust(
  settings: CodexSettings,
): { trust: CodexTrust; findings: Finding[] } {
  const real = settings.trustRoot;
  const entry = settings.trust;
  const trust: CodexTrust = {
    trusted: entry?.level === "trusted",
    config: settings.userConfig,
    ...(entry ? { line: entry.line, text: entry.text } : {}),
  };
  if (trust.trusted) return { trust, findings: [] };
  const where = settings.userConfig;
  return {
    trust,
    findings: [{
      severity: "info",
      category: "roles",
      message: entry
        ? `Codex does not trust this project (${where}:${entry.line} sets trust_level = "${entry.level}"), so it ignores .codex/ and the reviewer agents in it.`
        : `Codex does not trust this project yet (${where} has no [projects] entry for ${real}), so it ignores .codex/ and the reviewer agents in it.`,
      // A second [projects."…"] table for the same folder would make Codex refuse the whole file.
      remediation: entry
        ? `Set trust_level = "trusted" at ${where}:${entry.line}, if Codex should load .codex/.`
        : `Trust the folder when Codex asks, or put these lines in ${where}:\n${
          trustLines(real)
        }`,
      paths: [CODEX_AGENTS_DIR],
    }],
  };
}

/** Runs every Codex check on the repo, with the user's Codex `settings` read once. */
export function checkCodex(
  repo: RepoView,
  settings: CodexSettings,
): { findings: Finding[]; trust: CodexTrust } {
  const project = checkProjectConfig(repo);
  const trust = checkTrust(settings);
  return {
    findings: [
      ...project.findings,
      ...checkAgentFiles(repo, project.declared),
      ...trust.findings,
    ],
    trust: trust.trust,
  };
}
