/**
 * The `.gitignore` block: waypoint's lines sit between a start and an end
 * marker and are rewritten in place there, so a refresh never duplicates a
 * line and never touches the user's own lines around them.
 *
 * @module
 */

/** A line starting with this opens waypoint's block. */
export const GITIGNORE_START = "# waypoint:start";

/** The line that closes waypoint's block. */
export const GITIGNORE_END = "# waypoint:end";

/** The header earlier versions wrote above their lines (no end marker). */
const LEGACY_HEADER = "# Waypoint state";

/** Lines earlier versions wrote under {@link LEGACY_HEADER}. */
const LEGACY_LINES: ReadonlySet<string> = new Set([
  ".waypoint/DOCS_INDEX.md",
  ".waypoint/TRACKS_INDEX.md",
  ".waypoint/state/",
  ".waypoint/context/",
]);

/** Where waypoint's lines are in a `.gitignore`, as line numbers. */
export type GitignoreBlock =
  | { kind: "marked"; start: number; end: number }
  | { kind: "legacy"; start: number; end: number }
  | { kind: "absent" }
  | { kind: "malformed"; reason: string };

/** Finds waypoint's block (or the older, unmarked one) in `lines`. */
export function findGitignoreBlock(lines: string[]): GitignoreBlock {
  const trimmed = lines.map((line) => line.trim());
  const starts = trimmed.flatMap((line, at) =>
    line.startsWith(GITIGNORE_START) ? [at] : []
  );
  const ends = trimmed.flatMap((line, at) =>
    line === GITIGNORE_END ? [at] : []
  );
  if (starts.length > 0 || ends.length > 0) {
    if (starts.length !== 1 || ends.length !== 1 || ends[0] < starts[0]) {
      return {
        kind: "malformed",
        reason:
          `expected one "${GITIGNORE_START}" line followed by one "${GITIGNORE_END}" line`,
      };
    }
    return { kind: "marked", start: starts[0], end: ends[0] };
  }
  const header = trimmed.indexOf(LEGACY_HEADER);
  if (header === -1) return { kind: "absent" };
  let end = header;
  while (end + 1 < lines.length && LEGACY_LINES.has(trimmed[end + 1])) end++;
  return { kind: "legacy", start: header, end };
}

/** Why waypoint's block in `text` cannot be rewritten, if it cannot. */
export function gitignoreBlockProblem(text: string): string | undefined {
  const found = findGitignoreBlock(text.split(/\r?\n/));
  return found.kind === "malformed" ? found.reason : undefined;
}

/**
 * Returns `.gitignore` content with waypoint's block as `block` says, or
 * the existing text unchanged when it already is (or when its markers are
 * broken: then nothing is safe to rewrite). An older unmarked block is
 * replaced where it stands. Entries the user already ignores outside the
 * block are not repeated inside it.
 */
export function applyGitignoreBlock(
  existing: string | undefined,
  block: string,
): string {
  const blockLines = block.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (existing === undefined) return blockLines.join("\n") + "\n";
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const lines = existing.split(/\r?\n/);
  const found = findGitignoreBlock(lines);
  if (found.kind === "malformed") return existing;
  const [before, after] = found.kind === "absent"
    ? [lines, []]
    : [lines.slice(0, found.start), lines.slice(found.end + 1)];
  const outside = new Set([...before, ...after].map((line) => line.trim()));
  const [open, ...rest] = blockLines;
  const close = rest.pop()!;
  const mine = [
    open,
    ...rest.filter((line) => !outside.has(line.trim())),
    close,
  ];
  if (found.kind === "absent") {
    const base = existing.replace(/\s+$/, "");
    return (base === "" ? "" : base + eol + eol) + mine.join(eol) + eol;
  }
  const next = [...before, ...mine, ...after].join(eol);
  return next === existing ? existing : next;
}
