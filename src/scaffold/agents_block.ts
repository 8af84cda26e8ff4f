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

/**
 * Offsets of `marker` in `text` outside fenced code blocks: a marker quoted
 * in a ``` or ~~~ example is the user's text, not a marker.
 */
function markerOffsets(text: string, marker: string): number[] {
  const found: number[] = [];
  let fence: { char: string; length: number } | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    const opener = line.match(/^ {0,3}(`{3,}|~{3,})/);
    if (fence) {
      const closer = line.match(/^ {0,3}(`{3,}|~{3,})[ \t\r]*$/);
      if (
        closer && closer[1][0] === fence.char &&
        closer[1].length >= fence.length
      ) fence = undefined;
    } else if (
      opener &&
      !(opener[1][0] === "`" && line.slice(opener[0].length).includes("`"))
    ) {
      fence = { char: opener[1][0], length: opener[1].length };
    } else {
      let at = line.indexOf(marker);
      while (at !== -1) {
        found.push(offset + at);
        at = line.indexOf(marker, at + marker.length);
      }
    }
    offset += line.length + 1;
  }
  return found;
}

/** Locates the managed block; markers (outside fenced code) must appear once each, start before end. */
export function findBlock(text: string): BlockState {
  const startOffsets = markerOffsets(text, START_MARKER);
  const endOffsets = markerOffsets(text, END_MARKER);
  const starts = startOffsets.length;
  const ends = endOffsets.length;
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
  const start = startOffsets[0];
  const end = endOffsets[0];
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
  if (existing === undefined || existing.trim() === "") {
    return block.trim() + "\n";
  }
  // Keep the file's line endings: a CRLF file gets a CRLF block.
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const cleanBlock = block.trim().replace(/\r?\n/g, eol);
  let text = existing;
  let state = findBlock(text);
  if (state.kind === "malformed") {
    if (!repairMarkers) throw new Error(`AGENTS.md ${state.reason}`);
    text = removeStrayMarkers(text);
    state = { kind: "absent" };
  }
  if (state.kind === "absent") {
    return `${text.trimEnd()}${eol}${eol}${cleanBlock}${eol}`;
  }
  const before = text.slice(0, state.start).trim();
  const after = text.slice(state.end).trim();
  return [before, cleanBlock, after].filter((part) => part !== "").join(
    eol + eol,
  ) + eol;
}

/** Drops every marker outside fenced code, last first so offsets stay valid. */
function removeStrayMarkers(text: string): string {
  const spans = [
    ...markerOffsets(text, START_MARKER).map((at) => [at, START_MARKER.length]),
    ...markerOffsets(text, END_MARKER).map((at) => [at, END_MARKER.length]),
  ].sort((a, b) => b[0] - a[0]);
  for (const [at, length] of spans) {
    text = text.slice(0, at) + text.slice(at + length);
  }
  return text;
}
