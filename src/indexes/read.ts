/**
 * Reads one Markdown file for an index: strict text, then frontmatter.
 *
 * @module
 */
import { parseFrontmatter } from "./frontmatter.ts";
import { describeError } from "../errors.ts";
import { cacheThreshold, type FrontmatterCache, openCache } from "./cache.ts";
import type { WalkedFile } from "./walk.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

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
  if (bytes.indexOf(0) !== -1) {
    return { kind: "unreadable", message: "is a binary file, not text" };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { kind: "unreadable", message: "is not valid UTF-8 text" };
  }
  const parsed = parseFrontmatter(text);
  if (parsed.kind === "ok") return { kind: "frontmatter", data: parsed.data };
  if (parsed.kind === "none") {
    return {
      kind: "invalid",
      reason: "no YAML frontmatter (--- block at the top)",
    };
  }
  return { kind: "invalid", reason: parsed.reason };
}

/** Reads batches of files, through the frontmatter cache when a batch is large. */
export interface FrontmatterReader {
  /** Reads every file of one walk, in order. */
  readAll(files: readonly WalkedFile[]): ReadResult[];
  /** Saves the cache if one was used. */
  finish(): void;
}

/** Creates a reader for the repo at `root`. */
export function createReader(root: string): FrontmatterReader {
  let cache: FrontmatterCache | undefined;
  return {
    readAll(files) {
      if (files.length < cacheThreshold()) {
        return files.map((file) => readFrontmatterFile(file.absolute));
      }
      cache ??= openCache(root);
      const open = cache;
      return files.map((file) => {
        let info: Deno.FileInfo;
        try {
          info = Deno.statSync(file.absolute);
        } catch {
          return readFrontmatterFile(file.absolute);
        }
        const cached = open.get(file.path, info);
        if (cached) return cached;
        const result = readFrontmatterFile(file.absolute);
        open.set(file.path, info, result);
        return result;
      });
    },
    finish() {
      cache?.save();
    },
  };
}
