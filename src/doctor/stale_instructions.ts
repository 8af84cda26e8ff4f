/**
 * Kept files that still tell the agent to use machinery waypoint removed:
 * the published package's `node .waypoint/scripts/…` helpers, replaced by
 * `waypoint context` and `waypoint sync`.
 *
 * @module
 */
import type { RepoView } from "../fs/mod.ts";
import type { Finding } from "./finding.ts";

const REMOVED_MACHINERY = /\.waypoint\/scripts\//;

/** Lines of `paths` (repo files) that point at `.waypoint/scripts/`; unreadable files are skipped. */
export function staleInstructionFindings(
  repo: RepoView,
  paths: Iterable<string>,
): Finding[] {
  const findings: Finding[] = [];
  for (const path of new Set(paths)) {
    if (path.startsWith(".waypoint/scripts/")) continue;
    let text: string | undefined;
    try {
      text = repo.readText(path, { followInside: true });
    } catch {
      continue;
    }
    if (text === undefined || !REMOVED_MACHINERY.test(text)) continue;
    text.split("\n").forEach((line, index) => {
      if (!REMOVED_MACHINERY.test(line)) return;
      const command = /node\s+\S*prepare-context/.test(line)
        ? "`waypoint context`"
        : /node\s+\S*build-(docs|track)-index/.test(line)
        ? "`waypoint sync`"
        : "`waypoint context` or `waypoint sync`";
      findings.push({
        severity: "warn",
        category: "install",
        message: `${path}:${
          index + 1
        } still points at .waypoint/scripts/, which waypoint no longer uses: ${line.trim()}`,
        remediation: `Replace it with ${command}.`,
        paths: [path],
      });
    });
  }
  return findings;
}
