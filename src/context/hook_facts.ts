/**
 * The facts the hook text is made of that come from files `context` already
 * wrote or reads: the time line, the workspace's active goal, the `git
 * status` block of UNCOMMITTED_CHANGES.md and the open list of
 * PULL_REQUESTS.md (parsed back from the Markdown this project renders, so
 * git and gh run once for both).
 *
 * @module
 */
import type { WaypointConfig } from "../config.ts";
import { describeError } from "../errors.ts";
import type { RepoView } from "../fs/mod.ts";
import { localDateTime } from "./datetime.ts";
import { localZoneNames, type ZoneNames } from "./zone_names.ts";
import type { HookFacts } from "./hook_text.ts";

/**
 * The one-line form of `now` for the text: local time, zone, UTC offset and
 * the WORKSPACE.md stamp; `names` are the local zone's names at `now`, when
 * the caller has them.
 */
export function nowLine(
  now: Date,
  names: ZoneNames = localZoneNames(now),
): string {
  const { timeZone, abbreviation: zone } = names;
  const { local, offset } = localDateTime(now);
  // WORKSPACE.md wants a 2–5 letter zone, as CURRENT_DATETIME.md explains.
  const stamp = /^[A-Z]{2,5}$/.test(zone)
    ? `${local.slice(0, 16)} ${zone}`
    : `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `Now: ${local} ${zone} (time zone ${timeZone}, UTC${offset}); timestamp WORKSPACE.md entries like [${stamp}].`;
}

/** The `## Active Goal` section of the workspace text, comments removed. */
export function activeGoal(workspace: string): string {
  const lines = workspace.split(/\r?\n/);
  const start = lines.findIndex((line) => /^##\s+Active Goal\s*$/i.test(line));
  if (start === -1) return "";
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,2}\s/.test(line));
  return (end === -1 ? rest : rest.slice(0, end)).join("\n")
    .replace(/<!--[\s\S]*?(-->|$)/g, "").trim();
}

/** The workspace file and its active goal, or why it could not be read. */
export function goalFacts(
  repo: RepoView,
  config: WaypointConfig,
): HookFacts["goal"] {
  const path = config.workspaceFile;
  try {
    const text = repo.readText(path, { maxBytes: 1024 * 1024 });
    if (text === undefined) return { problem: `${path} does not exist.` };
    return { path, text: activeGoal(text) };
  } catch (error) {
    return { problem: `${path} could not be read: ${describeError(error)}` };
  }
}

/** The "Open" list of `PULL_REQUESTS.md`, when gh gave one. */
export function openPullRequests(markdown: string): string | undefined {
  const match = markdown.match(/^## Open[^\n]*\n\n([\s\S]*?)(?=\n## |\n?$)/m);
  return match ? match[1].trim() : undefined;
}

/** The `git status` block of `UNCOMMITTED_CHANGES.md`, or the sentence standing for it. */
export function statusFacts(markdown: string): HookFacts["status"] {
  const match = markdown.match(
    /^## git status --short --branch\n\n(`{3,})text\n([\s\S]*?)\n\1$/m,
  );
  if (match) return { stdout: match[2] };
  const sentence = markdown.match(
    /^## git status --short --branch\n\n([^\n]+)/m,
  );
  return { problem: sentence?.[1] ?? "git status gave no answer." };
}
