/**
 * The waypoint block inside `AGENTS.md`: finding it, judging whether its
 * markers are sound, and upserting a new block while preserving everything
 * outside the markers.
 *
 * @module
 */

/** Opening marker of the managed block. */
export const START_MARKER = "<!-- waypoint:start -->";

/** Closing marker of the managed block. */
export const END_MARKER = "<!-- waypoint:end -->";

/** The state of the markers in an `AGENTS.md` text. */
export type BlockState =
  | { kind: "present"; start: number; end: number }
  | { kind: "absent" }
  | { kind: "malformed"; reason: string };

function countOf(text: string, marker: string): number {
  return text.split(marker).length - 1;
}

/** Locates the managed block; markers must appear once each, start before end. */
export function findBlock(text: string): BlockState {
  const starts = countOf(text, START_MARKER);
  const ends = countOf(text, END_MARKER);
  if (starts === 0 && ends === 0) return { kind: "absent" };
  if (starts === 1 && ends === 0) {
    return {
      kind: "malformed",
      reason: `has ${START_MARKER} but no ${END_MARKER}`,
    };
  }
  if (starts === 0 && ends === 1) {
    return {
      kind: "malformed",
      reason: `has ${END_MARKER} but no ${START_MARKER}`,
    };
  }
  if (starts > 1 || ends > 1) {
    return {
      kind: "malformed",
      reason:
        `has ${starts} start and ${ends} end markers; expected one of each`,
    };
  }
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (end < start) {
    return {
      kind: "malformed",
      reason: `has ${END_MARKER} before ${START_MARKER}`,
    };
  }
  return { kind: "present", start, end: end + END_MARKER.length };
}

/** Returns the current block text (markers included), if the markers are sound. */
export function currentBlock(text: string): string | undefined {
  const state = findBlock(text);
  return state.kind === "present"
    ? text.slice(state.start, state.end)
    : undefined;
}

/**
 * Returns `AGENTS.md` content with `block` in place (SPEC §3). With
 * `repairMarkers`, stray or misordered markers are removed first and the block
 * is appended; without it a malformed block throws.
 */
export function upsertBlock(
  existing: string | undefined,
  block: string,
  repairMarkers = false,
): string {
  const cleanBlock = block.trim();
  if (existing === undefined || existing.trim() === "") {
    return cleanBlock + "\n";
  }
  let text = existing;
  let state = findBlock(text);
  if (state.kind === "malformed") {
    if (!repairMarkers) throw new Error(`AGENTS.md ${state.reason}`);
    text = text.split(START_MARKER).join("").split(END_MARKER).join("");
    state = { kind: "absent" };
  }
  if (state.kind === "absent") return `${text.trimEnd()}\n\n${cleanBlock}\n`;
  const before = text.slice(0, state.start).trim();
  const after = text.slice(state.end).trim();
  return [before, cleanBlock, after].filter((part) => part !== "").join(
    "\n\n",
  ) + "\n";
}
