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
import { asMapping, extractFrontmatter, opensFrontmatter } from "./block.ts";

export { oneLine, type RoutingFields, routingFields } from "./routing.ts";
export { asMapping, extractFrontmatter, opensFrontmatter } from "./block.ts";

/** The outcome of {@link parseFrontmatter}. */
export type Frontmatter =
  | { kind: "ok"; data: Record<string, unknown> }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

/** Parses the frontmatter of a Markdown document as a YAML mapping. */
export function parseFrontmatter(text: string): Frontmatter {
  if (!opensFrontmatter(text)) return { kind: "none" };
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
