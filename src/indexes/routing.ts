/**
 * The routing fields every doc and tracker needs, validated from a parsed
 * frontmatter mapping. No YAML here, so importing it costs nothing.
 *
 * @module
 */

/** The routing fields every doc and tracker needs. */
export interface RoutingFields {
  summary: string;
  lastUpdated: string;
  readWhen: string[];
}

/**
 * Validates `summary`, `last_updated` and `read_when`; returns the fields or
 * the reasons they are unusable.
 */
export function routingFields(
  data: Record<string, unknown>,
): RoutingFields | { problems: string[] } {
  const problems: string[] = [];
  const summary = data.summary;
  const lastUpdated = data.last_updated;
  const readWhen = data.read_when;
  if (typeof summary !== "string" || summary.trim() === "") {
    problems.push("summary must be a non-empty string");
  }
  if (typeof lastUpdated !== "string" || lastUpdated.trim() === "") {
    problems.push("last_updated must be a non-empty string");
  }
  if (!Array.isArray(readWhen) || readWhen.length === 0) {
    problems.push("read_when must be a non-empty list");
  } else if (
    readWhen.some((item) => typeof item !== "string" || item.trim() === "")
  ) {
    problems.push("read_when must list only non-empty strings");
  }
  if (problems.length) return { problems };
  return {
    summary: oneLine(summary as string),
    lastUpdated: (lastUpdated as string).trim(),
    readWhen: (readWhen as string[]).map(oneLine),
  };
}

/** Collapses runs of whitespace (from folded or multi-line scalars) to one space. */
export function oneLine(text: string): string {
  if (!/\s\s|[\t\n\r\f\v]|^\s|\s$/.test(text)) return text;
  return text.replace(/\s+/g, " ").trim();
}
