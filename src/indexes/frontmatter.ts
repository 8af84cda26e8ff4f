/**
 * YAML frontmatter: finding the `---` block at the top of a Markdown file and
 * parsing it as YAML. Dates stay strings (the core schema has no timestamp
 * type), so `last_updated: 2026-03-06` reads as written.
 *
 * @module
 */
import { CORE_SCHEMA, load } from "js-yaml";

/** The outcome of {@link parseFrontmatter}. */
export type Frontmatter =
  | { kind: "ok"; data: Record<string, unknown> }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*\r?$/m;

/** Returns the YAML text between the opening and closing `---` lines, if any. */
export function extractFrontmatter(text: string): string | undefined {
  const open = text.match(OPEN);
  if (!open) return undefined;
  const rest = text.slice(open[0].length);
  const close = rest.match(CLOSE);
  if (!close || close.index === undefined) return undefined;
  return rest.slice(0, close.index);
}

/** Parses the frontmatter of a Markdown document as a YAML mapping. */
export function parseFrontmatter(text: string): Frontmatter {
  if (!OPEN.test(text)) return { kind: "none" };
  const yaml = extractFrontmatter(text);
  if (yaml === undefined) {
    return { kind: "invalid", reason: "frontmatter has no closing '---' line" };
  }
  let data: unknown;
  try {
    data = load(yaml, { schema: CORE_SCHEMA });
  } catch (error) {
    const reason = error instanceof Error
      ? error.message.split("\n")[0]
      : String(error);
    return {
      kind: "invalid",
      reason: `frontmatter is not valid YAML: ${reason}`,
    };
  }
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
