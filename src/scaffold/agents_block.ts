/**
 * The waypoint block inside `AGENTS.md`: finding it, judging whether its
 * markers are sound, and placing a new block where Codex reads it while
 * preserving everything outside the markers.
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

/** How {@link placeBlock} put the block in. */
export type BlockMove = "created" | "added" | "refreshed" | "moved";

/** Where the block ended up in an `AGENTS.md` text. */
export interface BlockPlacement {
  /** The whole new text. */
  text: string;
  /**
   * `created`: the file held nothing else; `added`: a new block at the top;
   * `refreshed`: rewritten where it was; `moved`: it ended past the limit, so
   * it went to the top.
   */
  how: BlockMove;
  /** UTF-8 bytes from the start of the text to the end of the block's end marker. */
  blockEnd: number;
  /** UTF-8 bytes of the whole text. */
  bytes: number;
}

/** Options of {@link placeBlock}. */
export interface PlaceOptions {
  /** Remove stray or misordered markers and add a fresh block, instead of throwing. */
  repairMarkers?: boolean;
  /**
   * The bytes Codex reads from the file (`project_doc_max_bytes`). A block
   * that would end past it is moved to the top; without it, a block stays
   * where it is.
   */
  limit?: number;
}

const utf8 = new TextEncoder();

function byteLength(text: string): number {
  return utf8.encode(text).length;
}

/**
 * Puts `block` into `AGENTS.md` text (SPEC §3). Codex reads only the first
 * `project_doc_max_bytes` of the file, so a new block goes at the top, after
 * a leading title (and front matter) if there is one; an existing block is
 * refreshed where it stands unless it would end past `options.limit`, and
 * then it moves to the top. Without `repairMarkers` a malformed block throws.
 */
export function placeBlock(
  existing: string | undefined,
  block: string,
  options: PlaceOptions = {},
): BlockPlacement {
  if (existing === undefined || existing.trim() === "") {
    return assemble([block.trim()], block.trim(), "\n", "created");
  }
  // Keep the file's line endings: a CRLF file gets a CRLF block.
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const cleanBlock = block.trim().replace(/\r?\n/g, eol);
  let text = existing;
  let state = findBlock(text);
  if (state.kind === "malformed") {
    if (!options.repairMarkers) throw new Error(`AGENTS.md ${state.reason}`);
    text = removeStrayMarkers(text);
    state = { kind: "absent" };
  }
  if (state.kind === "absent") {
    return atTop(text, cleanBlock, eol, "added", options.limit);
  }
  const before = text.slice(0, state.start).trim();
  const after = text.slice(state.end).trim();
  const refreshed = assemble(
    [before, cleanBlock, after],
    cleanBlock,
    eol,
    "refreshed",
  );
  if (options.limit === undefined || refreshed.blockEnd <= options.limit) {
    return refreshed;
  }
  const moved = atTop(
    joinParts([before, after], eol),
    cleanBlock,
    eol,
    "moved",
    options.limit,
  );
  // A block that cannot get closer to the start (a tiny limit) stays put.
  return moved.blockEnd < refreshed.blockEnd ? moved : refreshed;
}

function joinParts(parts: string[], eol: string): string {
  const kept = parts.filter((part) => part !== "");
  return kept.length ? kept.join(eol + eol) + eol : "";
}

/** Joins `parts` (one of them `block`) and measures where the block ends. */
function assemble(
  parts: string[],
  block: string,
  eol: string,
  how: BlockMove,
): BlockPlacement {
  const kept = parts.filter((part) => part !== "");
  const text = kept.join(eol + eol) + eol;
  const at = kept.indexOf(block);
  const upToBlock = kept.slice(0, at + 1).join(eol + eol);
  return {
    text,
    how,
    blockEnd: byteLength(upToBlock),
    bytes: byteLength(text),
  };
}

/** The block after the file's title; at the very start when even that ends past the limit. */
function atTop(
  text: string,
  block: string,
  eol: string,
  how: BlockMove,
  limit: number | undefined,
): BlockPlacement {
  const cut = titleEnd(text);
  const rest = text.slice(cut).replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
  const head = text.slice(0, cut).trim();
  const placed = assemble([head, block, rest], block, eol, how);
  if (head === "" || limit === undefined || placed.blockEnd <= limit) {
    return placed;
  }
  return assemble([block, text.trim()], block, eol, how);
}

/**
 * Where the file's opening ends: after YAML front matter (a first line of
 * `---` up to its closing `---` or `...`) and an H1 title (`# Title`, or a
 * line underlined with `=`) that starts the text; 0 when it has neither.
 */
export function titleEnd(text: string): number {
  const raw = text.split("\n");
  const lines = raw.map((line) => line.replace(/\r$/, ""));
  // Offset just past line `index` (its newline included when it has one).
  const after = (index: number) =>
    Math.min(
      text.length,
      raw.slice(0, index + 1).reduce((sum, line) => sum + line.length + 1, 0),
    );
  let index = 0;
  let end = 0;
  if (lines[0] === "---") {
    const close = lines.findIndex((line, at) =>
      at > 0 && (line === "---" || line === "...")
    );
    if (close > 0) {
      end = after(close);
      index = close + 1;
    }
  }
  while (index < lines.length && lines[index].trim() === "") index++;
  if (index >= lines.length) return end;
  if (/^ {0,3}#(?:[ \t]|$)/.test(lines[index])) return after(index);
  if (
    index + 1 < lines.length && lines[index].trim() !== "" &&
    /^ {0,3}=+[ \t]*$/.test(lines[index + 1])
  ) return after(index + 1);
  return end;
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
