/**
 * Whether the AGENTS.md text reaches the model, measured the way Codex
 * gathers it: in each folder from the repo root down to where a session
 * starts, the first of `AGENTS.override.md`, `AGENTS.md` and the configured
 * fallback names that exists (a file or a link, even an empty one) is read,
 * and the files together are cut at `project_doc_max_bytes`. An override at
 * the root hides the root AGENTS.md, waypoint block and all; a project the
 * user marked untrusted gets no AGENTS.md at all.
 *
 * @module
 */
import type { ListedEntry, RepoView, WalkedDirs } from "../fs/mod.ts";
import { findBlock } from "../scaffold/agents_block.ts";
import {
  PROJECT_DOC_MAX_BYTES,
  projectDocOverLimit,
} from "./codex_project_rules.ts";
import { type CodexSettings, settingSource } from "./codex_settings.ts";
import type { Finding } from "./finding.ts";

/** Codex's local override, read instead of AGENTS.md in the same folder. */
export const OVERRIDE_NAME = "AGENTS.override.md";

/** Folders never searched for nested AGENTS.md files: tooling state and waypoint's own docs, not places sessions start. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  ".waypoint",
  "node_modules",
  "vendor",
  "dist",
  "build",
]);

/** At most this many folders are visited, so doctor stays fast on huge repos. */
const MAX_DIRS = 5000;

/** The file Codex reads in one folder, and its size (0 when a link cannot be measured). */
function instructionFile(
  repo: RepoView,
  entries: readonly ListedEntry[],
  names: readonly string[],
): { path: string; bytes: number } | undefined {
  for (const name of names) {
    const listed = entries.find((entry) =>
      entry.name === name && (entry.kind === "file" || entry.kind === "symlink")
    );
    if (!listed) continue;
    let path = listed.path;
    if (listed.kind === "symlink") {
      const link = repo.resolveLinkInside(listed.path);
      if (!link.inside) return { path, bytes: 0 };
      path = link.path;
    }
    const entry = repo.inspect(path);
    return {
      path: listed.path,
      bytes: entry.kind === "file" ? entry.size : 0,
    };
  }
  return undefined;
}

/** The byte where the waypoint block of the root AGENTS.md ends, when it has one. */
function blockEnd(repo: RepoView): number | undefined {
  let text: string | undefined;
  try {
    text = repo.readText("AGENTS.md", { followInside: true });
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  const block = findBlock(text);
  return block.kind === "present"
    ? new TextEncoder().encode(text.slice(0, block.end)).length
    : undefined;
}

/**
 * What to do about a chain over the limit: move text out, unless a limit
 * someone set is smaller than waypoint's block itself, which no move can fix.
 */
function overLimitFix(
  repo: RepoView,
  settings: CodexSettings,
  total: number,
): string {
  const limit = settings.projectDocMaxBytes.value;
  const end = settings.projectDocMaxBytes.file ? blockEnd(repo) : undefined;
  if (end === undefined || end <= limit) {
    return "Move detail out of AGENTS.md into routed docs under .waypoint/docs/; the waypoint block sits at the top of the root AGENTS.md, where it is read first.";
  }
  return `Raise project_doc_max_bytes at ${
    settingSource(settings.projectDocMaxBytes)
  } to at least ${total}${
    total <= PROJECT_DOC_MAX_BYTES
      ? ` (or delete it: Codex's default is ${PROJECT_DOC_MAX_BYTES})`
      : ""
  }; waypoint's block alone ends at byte ${end}, so moving text out of AGENTS.md cannot make room.`;
}

/** Folders whose instruction chain (root down to there) passes the limit. */
function overLimit(
  repo: RepoView,
  settings: CodexSettings,
  names: readonly string[],
): Finding[] {
  const limit = settings.projectDocMaxBytes.value;
  const from = settingSource(settings.projectDocMaxBytes);
  const findings: Finding[] = [];
  let walked: WalkedDirs;
  try {
    walked = repo.walkDirs("", { skip: SKIPPED_DIRS, maxDirs: MAX_DIRS });
  } catch {
    return findings;
  }
  const chains = new Map<string, { path: string; bytes: number }[]>();
  const reported = new Set<string>();
  for (const dir of walked.dirs) {
    const parent = dir.path.includes("/")
      ? dir.path.slice(0, dir.path.lastIndexOf("/"))
      : "";
    if (dir.path !== "" && reported.has(parent)) {
      reported.add(dir.path); // Deeper folders only add to a chain already cut.
      continue;
    }
    const inherited = dir.path === "" ? [] : chains.get(parent) ?? [];
    const own = instructionFile(repo, dir.entries, names);
    const chain = own ? [...inherited, own] : inherited;
    chains.set(dir.path, chain);
    const total = chain.reduce((sum, file) => sum + file.bytes, 0);
    if (own && total > limit) {
      reported.add(dir.path);
      findings.push({
        severity: "warn",
        category: "install",
        message: `${
          projectDocOverLimit(total, limit)
        } (${from}) for a session started in ${
          dir.path || "the repo root"
        }: Codex cuts the text beyond ${limit} bytes, so the end of ${own.path} never reaches the model.`,
        remediation: overLimitFix(repo, settings, total),
        paths: chain.map((file) => file.path),
      });
    }
  }
  return findings;
}

/** Every finding about the AGENTS.md text Codex injects for this repo. */
export function checkAgentsSize(
  repo: RepoView,
  settings: CodexSettings,
): Finding[] {
  const findings: Finding[] = [];
  if (settings.trust?.level === "untrusted") {
    findings.push({
      severity: "warn",
      category: "install",
      message:
        `Codex is told not to trust this project (${settings.userConfig}:${settings.trust.line} sets trust_level = "untrusted"), and then reads no AGENTS.md at all: the waypoint block never reaches the model.`,
      remediation:
        `Set trust_level = "trusted" there (or delete the entry so Codex asks again).`,
      paths: ["AGENTS.md"],
    });
  }
  const override = repo.inspect(OVERRIDE_NAME).kind;
  if (override === "file" || override === "symlink") {
    findings.push({
      severity: "warn",
      category: "install",
      message:
        `${OVERRIDE_NAME} at the repo root hides AGENTS.md: Codex reads the override instead (even an empty one), so the waypoint block never reaches the model.`,
      remediation:
        `Move what you need from ${OVERRIDE_NAME} into AGENTS.md, outside the waypoint markers, and delete ${OVERRIDE_NAME}.`,
      paths: [OVERRIDE_NAME, "AGENTS.md"],
    });
  }
  if (settings.projectDocMaxBytes.value === 0) {
    findings.push({
      severity: "warn",
      category: "install",
      message: `project_doc_max_bytes is 0 (${
        settingSource(settings.projectDocMaxBytes)
      }): Codex reads no AGENTS.md at all, so the waypoint block never reaches the model.`,
      remediation:
        "Delete that setting (Codex's default is 32768) or give it room for AGENTS.md.",
      paths: ["AGENTS.md"],
    });
    return findings;
  }
  const names = [
    OVERRIDE_NAME,
    "AGENTS.md",
    ...settings.fallbackFilenames.filter((name) =>
      name !== "" && name !== OVERRIDE_NAME && name !== "AGENTS.md"
    ),
  ];
  findings.push(...overLimit(repo, settings, names));
  return findings;
}
