/**
 * Checks of `.waypoint/WORKSPACE.md`: the standard sections and timestamp
 * discipline on every entry outside Active Goal.
 *
 * @module
 */
import type { Finding } from "./finding.ts";

/** The sections every workspace has, in order. */
export const WORKSPACE_SECTIONS: readonly string[] = [
  "Active Goal",
  "Active Trackers",
  "Current State",
  "In Progress",
  "Next",
  "Parked",
  "Done Recently",
];

const LIST_ITEM = /^(?:[-*]|\d+[.)])\s+/;
const TIMESTAMP = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z]{2,5}\]/;

/**
 * Returns the sections (other than Active Goal) holding top-level list items
 * that do not start with `[YYYY-MM-DD HH:MM TZ]`. Code fences and HTML
 * comments are ignored; nested items may elaborate without a timestamp.
 */
export function untimestampedSections(text: string): string[] {
  const offenders = new Set<string>();
  let section: string | undefined;
  let inFence = false;
  let inComment = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (inComment) {
      if (line.includes("-->")) inComment = false;
      continue;
    }
    if (line.trimStart().startsWith("<!--")) {
      inComment = !line.includes("-->");
      continue;
    }
    const heading = line.match(/^##\s+(.+?)\s*#*$/);
    if (heading) {
      section = heading[1];
      continue;
    }
    if (!section || section === "Active Goal") continue;
    const item = line.match(LIST_ITEM);
    if (item && !TIMESTAMP.test(line.slice(item[0].length))) {
      offenders.add(section);
    }
  }
  return [...offenders];
}

/** Checks the workspace text found at `path`. */
export function checkWorkspace(path: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const headings = new Set(
    text.split(/\r?\n/).map((line) => line.match(/^##\s+(.+?)\s*#*$/)?.[1])
      .filter((h): h is string => !!h),
  );
  for (const section of WORKSPACE_SECTIONS) {
    if (!headings.has(section)) {
      findings.push({
        severity: "warn",
        category: "workspace",
        message: `Workspace is missing the "## ${section}" section.`,
        remediation: `Add a "## ${section}" heading (sections in order: ${
          WORKSPACE_SECTIONS.join(", ")
        }).`,
        paths: [path],
      });
    }
  }
  const sections = untimestampedSections(text);
  if (sections.length) {
    findings.push({
      severity: "warn",
      category: "workspace",
      message: `Workspace entries without a timestamp in: ${
        sections.join(", ")
      }.`,
      remediation:
        "Start each entry with [YYYY-MM-DD HH:MM TZ], e.g. `- [2026-03-06 20:10 PST] Ran verification.`",
      paths: [path],
    });
  }
  return findings;
}
