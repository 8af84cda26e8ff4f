/**
 * What the scaffold consists of: each embedded template mapped to the path it
 * is written to and how it is written, plus the paths earlier versions used.
 *
 * @module
 */
import { getTemplate, templatePaths } from "../templates/mod.ts";

/**
 * How a scaffolded path is written:
 * - `managed`: owned by waypoint, refreshed unless the user edited it;
 * - `seeded`: created once if missing, then the user's;
 * - `config`: merged key by key into the user's config;
 * - `agents-block`: the managed block upserted into `AGENTS.md`;
 * - `gitignore`: a snippet appended once to `.gitignore`.
 */
export type ScaffoldKind =
  | "managed"
  | "seeded"
  | "config"
  | "agents-block"
  | "gitignore";

/** One file of the scaffold. */
export interface ScaffoldFile {
  /** Repo-relative target path. */
  target: string;
  /** Path of the embedded template it comes from. */
  template: string;
  kind: ScaffoldKind;
  /** Template text. */
  content: string;
  /** Hex SHA-256 of the template text (embedded at build time). */
  sha256: string;
  /** Whether the target is made executable. */
  executable: boolean;
}

/** Template holding the `AGENTS.md` managed block, markers included. */
export const AGENTS_BLOCK_TEMPLATE = "agents-block.md";

/** Template holding the `.gitignore` snippet. */
export const GITIGNORE_TEMPLATE = "gitignore-snippet.txt";

/** Repo-relative path of the config file. */
export const CONFIG_TARGET = ".waypoint/config.toml";

/** Files created only when missing: after that they belong to the user. */
export const SEEDED_TARGETS: ReadonlySet<string> = new Set([
  ".waypoint/WORKSPACE.md",
  ".waypoint/docs/README.md",
  ".waypoint/docs/code-guide.md",
]);

/** Skills whose SKILL.md doctor requires (the seed's required set). */
export const REQUIRED_SKILLS: readonly string[] = [
  "planning",
  "work-tracker",
  "docs-sync",
  "code-guide-audit",
  "break-it-qa",
  "workspace-compress",
  "pre-pr-hygiene",
  "pr-review",
];

/** Directories every scaffold has, even when empty. */
export const SCAFFOLD_DIRS: readonly string[] = [
  ".waypoint/docs",
  ".waypoint/track",
];

/** Paths earlier waypoint versions wrote that are retired now (SPEC §2.2). */
export const RETIRED_PATHS: readonly string[] = [
  "docs/README.md",
  "docs/code-guide.md",
  "docs/legacy-import",
  "WAYPOINT_MIGRATION.md",
  ".waypoint/automations",
  ".waypoint/rules",
  ".waypoint/state",
  ...["error-audit", "observability-audit", "ux-states-audit"].map((name) =>
    `.agents/skills/${name}`
  ),
  ...[
    "planning",
    "docs",
    "review",
    "maintain",
    "error-audit",
    "observability-audit",
    "ux-states-audit",
    "frontmatter",
    "explore",
    "research",
  ].map((name) => `.agents/skills/waypoint-${name}`),
  ...["explorer", "reviewer", "architect", "implementer"].map((name) =>
    `.codex/agents/${name}.toml`
  ),
];

/** Paths earlier waypoint versions managed that the current scaffold no longer writes. */
export const FORMER_TARGETS: readonly string[] = [".codex/config.toml"];

/** The template of the live-state file; it is written wherever `workspace_file` points. */
export const WORKSPACE_TEMPLATE = ".waypoint/WORKSPACE.md";

/** Returns every file of the scaffold, in a stable order. */
export function scaffoldFiles(): ScaffoldFile[] {
  return templatePaths().map((template) => {
    const { content, executable, sha256 } = getTemplate(template);
    if (template === AGENTS_BLOCK_TEMPLATE) {
      return {
        target: "AGENTS.md",
        template,
        kind: "agents-block",
        content,
        sha256,
        executable,
      };
    }
    if (template === GITIGNORE_TEMPLATE) {
      return {
        target: ".gitignore",
        template,
        kind: "gitignore",
        content,
        sha256,
        executable,
      };
    }
    const kind: ScaffoldKind = template === CONFIG_TARGET
      ? "config"
      : SEEDED_TARGETS.has(template)
      ? "seeded"
      : "managed";
    return { target: template, template, kind, content, sha256, executable };
  });
}
