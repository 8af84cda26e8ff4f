/**
 * Retiring `.codex/config.toml`. Earlier waypoint versions and the published
 * `waypoint-codex` package wrote that file to register the reviewer agents and
 * to set `[features] multi_agent = true`, which Codex 0.169 reports as
 * deprecated on every start. The agent files are self-describing now, so the
 * registration is not needed. A file waypoint wrote and nobody edited is
 * removed; anything else is the user's and is never rewritten (doctor reports
 * what Codex would complain about).
 *
 * @module
 */
import { parseToml } from "../config.ts";
import { type RepoView, textProblem } from "../fs/mod.ts";
import { isLegacyTemplate } from "./legacy.ts";
import { sha256 } from "./manifest.ts";
import type { PlanAction, PlanNote } from "./action.ts";

/** Repo-relative path of the Codex project config. */
export const CODEX_CONFIG_PATH = ".codex/config.toml";

/** The reviewer agents waypoint registered in `.codex/config.toml`. */
export const REVIEWER_AGENTS: readonly string[] = [
  "code-reviewer",
  "code-health-reviewer",
  "plan-reviewer",
];

/**
 * SHA-256 of the `.codex/config.toml` this project's own templates wrote
 * before it stopped writing the file. (What the published package wrote is
 * in the embedded legacy table.)
 */
export const OWN_CODEX_CONFIG_HASHES: ReadonlySet<string> = new Set([
  "ca17285e6987f4aa566856a0aa233d7168b8b0aa4775d303a84934e9d2964e35",
]);

/** The comment lines waypoint's own template carried; any other comment is the user's. */
const WAYPOINT_COMMENTS: ReadonlySet<string> = new Set([
  "# Codex project settings written by waypoint: registers the read-only",
  "# reviewer agents. Their instructions live in .waypoint/agents/.",
  "# Reviewers do not spawn agents of their own.",
]);

/** The `[agents]` limits waypoint wrote, with the values it wrote. */
const WAYPOINT_LIMITS: Readonly<Record<string, unknown>> = {
  max_depth: 1,
  max_threads: 24,
};

/** The registration descriptions waypoint wrote for each reviewer. */
const WAYPOINT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "code-reviewer":
    "Read-only reviewer that finds bugs, regressions and integration mistakes in recent changes. Run it before calling a non-trivial slice done.",
  "code-health-reviewer":
    "Read-only reviewer that finds maintainability drift, dead code and duplication worth fixing. Run it for medium or large changes.",
  "plan-reviewer":
    "Read-only reviewer that checks a plan for completeness, feasibility, integration gaps, deferrals and unresolved choices, and scores it. Run it before implementing large work.",
};

/** What the migration decided about an existing `.codex/config.toml`. */
export type CodexConfigVerdict =
  /** Waypoint wrote it and nobody changed it: safe to remove. */
  | "waypoint"
  /** The user's file (or one they edited) that still carries waypoint's keys. */
  | "user-with-waypoint-keys"
  /** The user's own file, with nothing of waypoint's in it. */
  | "user";

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether the parsed table holds only keys and values waypoint itself wrote. */
function onlyWaypointKeys(table: Record<string, unknown>): boolean {
  for (const [key, value] of Object.entries(table)) {
    if (key === "features") {
      if (!isTable(value)) return false;
      const entries = Object.entries(value);
      if (
        entries.length !== 1 || entries[0][0] !== "multi_agent" ||
        entries[0][1] !== true
      ) return false;
    } else if (key === "agents") {
      if (!isTable(value)) return false;
      for (const [name, entry] of Object.entries(value)) {
        if (name in WAYPOINT_LIMITS) {
          if (entry !== WAYPOINT_LIMITS[name]) return false;
          continue;
        }
        if (!REVIEWER_AGENTS.includes(name) || !isTable(entry)) return false;
        const keys = Object.keys(entry).sort();
        if (keys.join(",") !== "config_file,description") return false;
        if (entry.config_file !== `agents/${name}.toml`) return false;
        if (entry.description !== WAYPOINT_DESCRIPTIONS[name]) return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

/** Whether the table still carries anything waypoint wrote. */
function hasWaypointKeys(table: Record<string, unknown>): boolean {
  const features = table.features;
  if (isTable(features) && "multi_agent" in features) return true;
  const agents = table.agents;
  return isTable(agents) &&
    REVIEWER_AGENTS.some((name) => isTable(agents[name]));
}

/**
 * Decides whose `.codex/config.toml` this is. `waypoint` only when proven:
 * its hash is one waypoint wrote, or it parses to nothing but waypoint's keys
 * and values and every comment in it is waypoint's.
 */
export async function classifyCodexConfig(
  bytes: Uint8Array,
  recorded: readonly string[] = [],
): Promise<CodexConfigVerdict> {
  const hash = await sha256(bytes);
  if (
    OWN_CODEX_CONFIG_HASHES.has(hash) || recorded.includes(hash) ||
    isLegacyTemplate(CODEX_CONFIG_PATH, hash)
  ) return "waypoint";
  if (textProblem(bytes) !== undefined) return "user";
  const text = new TextDecoder().decode(bytes);
  let table: Record<string, unknown>;
  try {
    table = parseToml(text, CODEX_CONFIG_PATH);
  } catch {
    return "user";
  }
  const foreignComment = text.split(/\r?\n/).some((line) => {
    const trimmed = line.trim();
    return trimmed.startsWith("#") && !WAYPOINT_COMMENTS.has(trimmed);
  });
  if (!foreignComment && onlyWaypointKeys(table)) return "waypoint";
  return hasWaypointKeys(table) ? "user-with-waypoint-keys" : "user";
}

/**
 * Plans the migration of `.codex/config.toml`: a remove action (with the
 * hash that proves it) for a file waypoint wrote and nobody edited, a note
 * when the user's file still carries waypoint's old registration, nothing
 * otherwise. `recorded` holds the hashes the manifest recorded for the path.
 * A symlink or anything but a regular file is never touched.
 */
export async function planCodexConfigMigration(
  repo: RepoView,
  recorded: readonly string[] = [],
): Promise<{ actions: PlanAction[]; notes: PlanNote[] }> {
  const none = { actions: [], notes: [] };
  const entry = repo.inspect(CODEX_CONFIG_PATH);
  if (entry.kind !== "file") return none;
  let bytes: Uint8Array;
  try {
    bytes = repo.readInspected(entry);
  } catch {
    return none;
  }
  const verdict = await classifyCodexConfig(bytes, recorded);
  if (verdict === "waypoint") {
    return {
      actions: [{
        kind: "remove",
        path: CODEX_CONFIG_PATH,
        detail:
          "waypoint's old agent registration; Codex finds the reviewers in .codex/agents/ now",
        remove: "file",
        proof: [await sha256(bytes)],
      }],
      notes: [],
    };
  }
  if (verdict === "user-with-waypoint-keys") {
    return {
      actions: [],
      notes: [{
        path: CODEX_CONFIG_PATH,
        message:
          "kept as yours; it still has waypoint's old reviewer registration or [features] multi_agent, which waypoint no longer needs (`waypoint doctor` names what Codex warns about)",
        fix: `Delete \`multi_agent\` from [features] and the ${
          REVIEWER_AGENTS.map((name) => `[agents.${JSON.stringify(name)}]`)
            .join(", ")
        } tables from it (empty tables too); keep the rest, it is yours.`,
      }],
    };
  }
  return none;
}
