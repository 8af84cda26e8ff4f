/**
 * The `.gitignore` snippet: appended once, never duplicated.
 *
 * @module
 */

/**
 * Returns `.gitignore` content with the snippet's lines present, or the
 * existing text unchanged when the snippet header or all its lines are there.
 */
export function applyGitignoreSnippet(
  existing: string | undefined,
  snippet: string,
): string {
  const snippetLines = snippet.split(/\r?\n/).map((line) => line.trim()).filter(
    (line) => line !== "",
  );
  if (existing === undefined) return snippetLines.join("\n") + "\n";
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const [header, ...entries] = snippetLines;
  if (present.has(header)) return existing;
  const missing = entries.filter((line) => !present.has(line));
  if (missing.length === 0) return existing;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const base = existing.replace(/\s+$/, "");
  const prefix = base === "" ? "" : base + eol + eol;
  return prefix + [header, ...missing].join(eol) + eol;
}
