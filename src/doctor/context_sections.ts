/**
 * The project context sections (`## Project Context`, `## Frontend Context`,
 * `## Backend Context`) belong to the repo: the AGENTS block tells the agent
 * to keep them below the waypoint markers, and the context-interview skills
 * add them there. One written inside the markers is lost on the next
 * `waypoint init`, which rewrites the block.
 *
 * @module
 */
import { currentBlock } from "../scaffold/agents_block.ts";
import type { Finding } from "./finding.ts";

/** The headings of the repo's own context sections. */
export const CONTEXT_SECTIONS: readonly string[] = [
  "## Project Context",
  "## Frontend Context",
  "## Backend Context",
];

/** Warns about context sections written inside the waypoint block of `agentsText`. */
export function checkContextSections(agentsText: string): Finding[] {
  const block = currentBlock(agentsText);
  if (block === undefined) return [];
  const lines = new Set(block.split(/\r?\n/).map((line) => line.trimEnd()));
  const inside = CONTEXT_SECTIONS.filter((heading) => lines.has(heading));
  if (inside.length === 0) return [];
  return [{
    severity: "warn",
    category: "install",
    message: `AGENTS.md has ${
      inside.join(", ")
    } inside the waypoint block; the next \`waypoint init\` rewrites the block and that text is lost.`,
    remediation:
      "Move the section(s) below the `<!-- waypoint:end -->` marker, where they are yours.",
    paths: ["AGENTS.md"],
  }];
}
