/**
 * The `.gitignore` snippet: appended once, never duplicated.
 *
 * @module
 */

/**
 * Returns `.gitignore` content with the snippet's lines present, or the
 * existing text unchanged when they all are. When the `# Waypoint state`
 * header is there but some of its lines were deleted, the missing lines go
 * back right under the header; otherwise header and lines are appended.
 */
export function applyGitignoreSnippet(
  existing: string | undefined,
  snippet: string,
): string {
  const snippetLines = snippet.split(/\r?\n/).map((line) => line.trim()).filter(
    (line) => line !== "",
  );
  if (existing === undefined) return snippetLines.join("\n") + "\n";
  const lines = existing.split(/\r?\n/);
  const present = new Set(lines.map((line) => line.trim()));
  const [header, ...entries] = snippetLines;
  const missing = entries.filter((line) => !present.has(line));
  if (missing.length === 0) return existing;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const headerAt = lines.findIndex((line) => line.trim() === header);
  if (headerAt !== -1) {
    return [
      ...lines.slice(0, headerAt + 1),
      ...missing,
      ...lines.slice(headerAt + 1),
    ].join(eol);
  }
  const base = existing.replace(/\s+$/, "");
  const prefix = base === "" ? "" : base + eol + eol;
  return prefix + [header, ...missing].join(eol) + eol;
}
