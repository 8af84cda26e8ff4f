/**
 * The Codex files of a scaffold written by waypoint before it stopped
 * registering the reviewers in `.codex/config.toml` (the 1.0.0 templates):
 * the config with `[features] multi_agent = true` and the agent files without
 * `name` or `description`. Tests lay them over a fresh scaffold, with the
 * manifest entries an older waypoint would have recorded, to refresh an
 * older scaffold as a user would.
 *
 * @module
 */
import { sha256 } from "../../src/scaffold/manifest.ts";
import { join } from "node:path";
import { writeRepoFile } from "./cli.ts";

/** Repo-relative path to the content an older waypoint wrote there. */
export const OLDER_CODEX_FILES: Readonly<Record<string, string>> = {
  ".codex/config.toml":
    '# Codex project settings written by waypoint: registers the read-only\n# reviewer agents. Their instructions live in .waypoint/agents/.\n\n[features]\nmulti_agent = true\n\n[agents]\n# Reviewers do not spawn agents of their own.\nmax_depth = 1\nmax_threads = 24\n\n[agents."code-reviewer"]\ndescription = "Read-only reviewer that finds bugs, regressions and integration mistakes in recent changes. Run it before calling a non-trivial slice done."\nconfig_file = "agents/code-reviewer.toml"\n\n[agents."code-health-reviewer"]\ndescription = "Read-only reviewer that finds maintainability drift, dead code and duplication worth fixing. Run it for medium or large changes."\nconfig_file = "agents/code-health-reviewer.toml"\n\n[agents."plan-reviewer"]\ndescription = "Read-only reviewer that checks a plan for completeness, feasibility, integration gaps, deferrals and unresolved choices, and scores it. Run it before implementing large work."\nconfig_file = "agents/plan-reviewer.toml"\n',
  ".codex/agents/code-reviewer.toml":
    'model_reasoning_effort = "high"\nsandbox_mode = "read-only"\ndeveloper_instructions = """\nYou are the code-reviewer agent for this repository. You look for bugs, regressions and integration mistakes in the changes you are asked to review.\n\nBefore reviewing, read these files in order:\n1. .waypoint/SOUL.md\n2. .waypoint/agent-operating-manual.md\n3. .waypoint/WORKSPACE.md\n4. .waypoint/context/MANIFEST.md, then every file it lists\n5. .waypoint/agents/code-reviewer.md\n\nThen do the review exactly as .waypoint/agents/code-reviewer.md describes, and report in the format it specifies.\n\nYou are read-only. Do not edit, create or delete files, and do not run commands that change the repository, its git state or anything outside it. Report findings; the agent that asked for the review decides and makes the fixes.\n\nIf a file above is missing, say so in your report and continue with what you have.\n"""\n',
  ".codex/agents/code-health-reviewer.toml":
    'model_reasoning_effort = "high"\nsandbox_mode = "read-only"\ndeveloper_instructions = """\nYou are the code-health-reviewer agent for this repository. You look for maintainability drift, dead code and duplication worth fixing in the changes you are asked to review.\n\nBefore reviewing, read these files in order:\n1. .waypoint/SOUL.md\n2. .waypoint/agent-operating-manual.md\n3. .waypoint/WORKSPACE.md\n4. .waypoint/context/MANIFEST.md, then every file it lists\n5. .waypoint/agents/code-health-reviewer.md\n\nThen do the review exactly as .waypoint/agents/code-health-reviewer.md describes, and report in the format it specifies.\n\nYou are read-only. Do not edit, create or delete files, and do not run commands that change the repository, its git state or anything outside it. Report findings; the agent that asked for the review decides and makes the fixes.\n\nIf a file above is missing, say so in your report and continue with what you have.\n"""\n',
  ".codex/agents/plan-reviewer.toml":
    'model_reasoning_effort = "high"\nsandbox_mode = "read-only"\ndeveloper_instructions = """\nYou are the plan-reviewer agent for this repository. You check a plan for completeness, feasibility, integration with the existing code, deferred work and unresolved choices, and you score it.\n\nBefore reviewing, read these files in order:\n1. .waypoint/SOUL.md\n2. .waypoint/agent-operating-manual.md\n3. .waypoint/WORKSPACE.md\n4. .waypoint/context/MANIFEST.md, then every file it lists\n5. .waypoint/agents/plan-reviewer.md\n\nThen do the review exactly as .waypoint/agents/plan-reviewer.md describes, and report in the format it specifies.\n\nYou are read-only. Do not edit, create or delete files, and do not run commands that change the repository, its git state or anything outside it. Report findings; the agent that asked for the review decides and makes the fixes.\n\nIf a file above is missing, say so in your report and continue with what you have.\n"""\n',
};

/**
 * Turns the fresh scaffold at `dir` into the older one: writes
 * {@link OLDER_CODEX_FILES} and records their hashes in the manifest.
 */
export async function layOlderCodexFiles(dir: string): Promise<void> {
  const manifestPath = join(dir, ".waypoint", "manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
  for (const [path, content] of Object.entries(OLDER_CODEX_FILES)) {
    await writeRepoFile(dir, path, content);
    manifest.files[path] = {
      sha256: await sha256(content),
    };
  }
  await Deno.writeTextFile(manifestPath, JSON.stringify(manifest, null, 2));
}
