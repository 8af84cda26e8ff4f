/**
 * Finding the frontmatter block: the `---` line that opens a Markdown file,
 * the `---` (or `...`) line that closes it, and whether what YAML made of
 * it is a mapping. No YAML parser here, so importing it costs nothing.
 *
 * @module
 */

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*\r?$/m;

/** Whether `text` opens with a `---` line. */
export function opensFrontmatter(text: string): boolean {
  return OPEN.test(text);
}

/** Returns the YAML text between the opening and closing `---` lines, if any. */
export function extractFrontmatter(text: string): string | undefined {
  const open = text.match(OPEN);
  if (!open) return undefined;
  const rest = text.slice(open[0].length);
  const close = rest.match(CLOSE);
  if (!close || close.index === undefined) return undefined;
  return rest.slice(0, close.index);
}

/** Judges a parsed YAML value as frontmatter: it must be a mapping. */
export function asMapping(
  data: unknown,
): { kind: "ok"; data: Record<string, unknown> } | {
  kind: "invalid";
  reason: string;
} {
  if (data === null || data === undefined) {
    return { kind: "invalid", reason: "frontmatter is empty" };
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    return {
      kind: "invalid",
      reason: "frontmatter is not a mapping of keys to values",
    };
  }
  return { kind: "ok", data: data as Record<string, unknown> };
}
