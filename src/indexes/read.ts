/**
 * Reads one Markdown file for an index: strict text, then frontmatter.
 *
 * @module
 */
import { parseFrontmatter } from "./frontmatter.ts";
import { textProblem } from "../scaffold/fs.ts";
import { describeError } from "../errors.ts";

const decoder = new TextDecoder();

/** A file's parsed frontmatter, or why it could not be read. */
export type ReadResult =
  | { kind: "frontmatter"; data: Record<string, unknown> }
  | { kind: "invalid"; reason: string }
  | { kind: "unreadable"; message: string };

/** Reads `absolute` and parses its frontmatter. Never throws. */
export function readFrontmatterFile(absolute: string): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(absolute);
  } catch (error) {
    return {
      kind: "unreadable",
      message: `cannot read: ${describeError(error)}`,
    };
  }
  const problem = textProblem(bytes);
  if (problem) return { kind: "unreadable", message: problem };
  const parsed = parseFrontmatter(decoder.decode(bytes));
  if (parsed.kind === "ok") return { kind: "frontmatter", data: parsed.data };
  if (parsed.kind === "none") {
    return {
      kind: "invalid",
      reason: "no YAML frontmatter (--- block at the top)",
    };
  }
  return { kind: "invalid", reason: parsed.reason };
}
