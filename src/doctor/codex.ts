/**
 * What Codex itself will say about this repo at startup: the project's
 * `.codex/config.toml` (deprecated or unknown keys, registrations pointing at
 * missing files), the custom agent files in `.codex/agents/`, the size of the
 * `AGENTS.md` text it injects, and whether the user's Codex trusts the
 * project at all. The rules live in `codex_rules.ts`; this module reads the
 * files and turns rule breaks into findings.
 *
 * @module
 */
import { join } from "node:path";
import { parseToml } from "../config.ts";
import { describeError } from "../errors.ts";
import { decodeText, normalizeRepoPath } from "../fs/mod.ts";
import {
  AGENT_ROLE_WARNING,
  checkAgentRoleText,
  duplicateRoleProblem,
  findTrustEntry,
  MULTI_AGENT_DEPRECATED,
  PROJECT_DOC_MAX_BYTES,
  projectDocOverLimit,
  trustLines,
  unrecognizedConfigKeys,
} from "./codex_rules.ts";
import type { CodexTrust, Finding } from "./finding.ts";

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

/** Reads a repo file as text; `undefined` when missing. (Direct read: to route through `src/fs/`.) */
function readRepoText(root: string, path: string): string | undefined {
  try {
    return decodeText(Deno.readFileSync(join(root, ...path.split("/"))), path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Every `*.toml` below `.codex/agents/`, as Codex collects them (regular files, recursively). */
function agentFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(join(root, ...relative.split("/")))];
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory) visit(path);
      else if (entry.isFile && entry.name.endsWith(".toml")) found.push(path);
    }
  };
  visit(CODEX_AGENTS_DIR);
  return found.sort();
}

/** Findings about `.codex/config.toml`, plus what the agent checks need from it. */
function checkProjectConfig(
  root: string,
): {
  findings: Finding[];
  declared: Set<string>;
  projectDocMaxBytes: number;
} {
  const declared = new Set<string>();
  let text: string | undefined;
  try {
    text = readRepoText(root, CODEX_CONFIG);
  } catch (error) {
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
      projectDocMaxBytes: PROJECT_DOC_MAX_BYTES,
    };
  }
  if (text === undefined) {
    return {
      findings: [],
      declared,
      projectDocMaxBytes: PROJECT_DOC_MAX_BYTES,
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
      projectDocMaxBytes: PROJECT_DOC_MAX_BYTES,
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
      let isFile = false;
      try {
        isFile = Deno.statSync(join(root, ...path.split("/"))).isFile;
      } catch {
        isFile = false;
      }
      if (!isFile) {
        findings.push(roles(
          "warn",
          `${AGENT_ROLE_WARNING}agents.${name}.config_file must point to an existing file at ${path}.`,
          `Restore ${path}, or remove the [agents.${name}] table from ${CODEX_CONFIG}.`,
          [CODEX_CONFIG, path],
        ));
      }
    }
  }
  const limit = table.project_doc_max_bytes;
  return {
    findings,
    declared,
    projectDocMaxBytes: typeof limit === "number" && limit >= 0
      ? limit
      : PROJECT_DOC_MAX_BYTES,
  };
}

/** Findings about the custom agent files Codex discovers in `.codex/agents/`. */
function checkAgentFiles(root: string, declared: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const owners = new Map<string, string>();
  for (const path of agentFiles(root)) {
    let text: string | undefined;
    try {
      text = readRepoText(root, path);
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
        "Fix the agent file so Codex can load it (name, description and developer_instructions, and only keys Codex knows), or run `waypoint init` to restore waypoint's reviewers.",
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

/** Names of the instruction file Codex reads in one folder: the override wins when it has text. */
function instructionFile(root: string, relative: string): {
  path: string;
  bytes: number;
} | undefined {
  for (const name of ["AGENTS.override.md", "AGENTS.md"]) {
    const path = relative ? `${relative}/${name}` : name;
    try {
      const info = Deno.statSync(join(root, ...path.split("/")));
      if (info.isFile && info.size > 0) return { path, bytes: info.size };
    } catch {
      // Not there: try the next name.
    }
  }
  return undefined;
}

/** Folders never searched for nested AGENTS.md files: tooling state, not project guidance. */
const SKIPPED_DIRS = new Set(["node_modules", "vendor", "dist", "build"]);

/** At most this many folders are visited, so doctor stays fast on huge repos. */
const MAX_DIRS = 5000;

/**
 * Finds folders whose AGENTS.md chain (root down to that folder) passes
 * Codex's byte limit: Codex silently cuts the text beyond it.
 */
function checkAgentsMdSize(root: string, limit: number): Finding[] {
  const findings: Finding[] = [];
  let visited = 0;
  const visit = (
    relative: string,
    chain: { path: string; bytes: number }[],
  ) => {
    if (++visited > MAX_DIRS) return;
    const own = instructionFile(root, relative);
    const current = own ? [...chain, own] : chain;
    const total = current.reduce((sum, file) => sum + file.bytes, 0);
    if (own && total > limit) {
      findings.push({
        severity: "warn",
        category: "install",
        message: `${
          projectDocOverLimit(total, limit)
        } for a session started in ${
          relative || "the repo root"
        }: Codex cuts the text beyond ${limit} bytes, so the end of ${own.path} never reaches the model.`,
        remediation:
          "Move detail out of AGENTS.md into routed docs under .waypoint/docs/, or raise project_doc_max_bytes in your Codex config.",
        paths: current.map((file) => file.path),
      });
      return; // Deeper folders only add to a chain that is already cut.
    }
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(join(root, ...relative.split("/")))];
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (
        !entry.isDirectory || entry.name.startsWith(".") ||
        SKIPPED_DIRS.has(entry.name)
      ) continue;
      visit(relative ? `${relative}/${entry.name}` : entry.name, current);
    }
  };
  visit("", []);
  return findings;
}

/** The Codex user config doctor reads for trust: `$CODEX_HOME/config.toml`, else `~/.codex/config.toml`. */
export function codexUserConfigPath(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): string | undefined {
  const home = env("CODEX_HOME");
  if (home) return join(home, "config.toml");
  const user = env("HOME") ?? env("USERPROFILE");
  return user ? join(user, ".codex", "config.toml") : undefined;
}

/**
 * The folder Codex keys trust on: the repo root, or for a linked git worktree
 * (`.git` is a file naming `<main>/.git/worktrees/<name>`) the main checkout.
 */
export function trustRoot(root: string): string {
  try {
    const pointer = Deno.readTextFileSync(join(root, ".git")).trim();
    const match = pointer.match(
      /^gitdir:\s*(.+?)[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/,
    );
    if (match) return match[1];
  } catch {
    // Not a linked worktree: the root itself.
  }
  return root;
}

/** Whether the user's Codex trusts the repo at `root`, and the line that says so. */
export function checkTrust(
  root: string,
  configPath: string | undefined = codexUserConfigPath(),
): { trust: CodexTrust; findings: Finding[] } {
  let real = trustRoot(root);
  try {
    real = Deno.realPathSync(real);
  } catch {
    // Keep the path as given.
  }
  let text: string | undefined;
  try {
    text = configPath ? Deno.readTextFileSync(configPath) : undefined;
  } catch {
    text = undefined;
  }
  const entry = text === undefined
    ? undefined
    : findTrustEntry(text, [...new Set([real, root])]);
  const trust: CodexTrust = {
    trusted: entry?.level === "trusted",
    config: configPath ?? "",
    ...(entry ? { line: entry.line, text: entry.text } : {}),
  };
  if (trust.trusted) return { trust, findings: [] };
  const where = configPath ?? "$CODEX_HOME/config.toml";
  return {
    trust,
    findings: [{
      severity: "info",
      category: "roles",
      message: entry
        ? `Codex does not trust this project (${where}:${entry.line} sets trust_level = "${entry.level}"), so it ignores .codex/ and the reviewer agents in it.`
        : `Codex does not trust this project yet (${where} has no [projects] entry for ${real}), so it ignores .codex/ and the reviewer agents in it.`,
      remediation:
        `Trust the folder when Codex asks, or put these lines in ${where}:\n${
          trustLines(real)
        }`,
      paths: [CODEX_AGENTS_DIR],
    }],
  };
}

/** Runs every Codex check on the repo at `root`. */
export function checkCodex(
  root: string,
): { findings: Finding[]; trust: CodexTrust } {
  const project = checkProjectConfig(root);
  const trust = checkTrust(root);
  return {
    findings: [
      ...project.findings,
      ...checkAgentFiles(root, project.declared),
      ...checkAgentsMdSize(root, project.projectDocMaxBytes),
      ...trust.findings,
    ],
    trust: trust.trust,
  };
}
