/**
 * YAML frontmatter: finding the `---` block at the top of a Markdown file and
 * parsing it as YAML. Dates stay strings (the core schema has no timestamp
 * type), so `last_updated: 2026-03-06` reads as written.
 *
 * This module loads js-yaml eagerly, for callers that parse one file at a
 * time (skills); the indexes use `read.ts`, which loads it only when a doc
 * needs it.
 *
 * @module
 */
import * as jsYaml from "js-yaml";
import { parsePlain, parseYamlWith } from "./yaml.ts";

export { oneLine, type RoutingFields, routingFields } from "./routing.ts";

/** The outcome of {@link parseFrontmatter}. */
export type Frontmatter =
  | { kind: "ok"; data: Record<string, unknown> }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

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

/** Parses the frontmatter of a Markdown document as a YAML mapping. */
export function parseFrontmatter(text: string): Frontmatter {
  if (!OPEN.test(text)) return { kind: "none" };
  const yaml = extractFrontmatter(text);
  if (yaml === undefined) {
    return { kind: "invalid", reason: "frontmatter has no closing '---' line" };
  }
  const plain = parsePlain(yaml);
  if (plain.kind === "ok") return plain;
  const parsed = parseYamlWith(jsYaml, yaml);
  if (parsed.kind === "error") {
    return { kind: "invalid", reason: parsed.reason };
  }
  return asMapping(parsed.data);
}
