/**
 * Reads Markdown files for the indexes: one `open`, `fstat` and bounded read
 * per file, only up to the end of the frontmatter; strict UTF-8 for what is
 * read; the fast plain reader, then js-yaml (loaded only when a doc needs
 * it), then the old package's line format for docs strict YAML refuses.
 * Only the routing fields are kept, so a result is small enough to cache.
 *
 * @module
 */
import { problemAbout, type RepoView } from "../fs/mod.ts";
import type { DocHeads, FileKey } from "../fs/doc_heads.ts";
import { describeError } from "../errors.ts";
import { asMapping, extractFrontmatter, opensFrontmatter } from "./block.ts";
import { readLegacyLines } from "./legacy_lines.ts";
import { readPlainYaml } from "./plain_yaml.ts";
import { type RoutingFields, routingFields } from "./routing.ts";
import { loadJsYaml, parseYamlWith } from "./yaml.ts";
import { cacheThreshold, type FrontmatterCache, openCache } from "./cache.ts";
import type { WalkedFile } from "./walk.ts";

/** The most bytes read looking for the end of a frontmatter block: 1 MiB. */
export const MAX_FRONTMATTER_BYTES = 1024 * 1024;
const FIRST_READ_BYTES = 64 * 1024;

import type { LenientNote, ReadResult } from "./read_result.ts";

export type { LenientNote, ReadResult } from "./read_result.ts";

/** How to fix what {@link LenientNote} reports, in one sentence. */
export const LENIENT_FIX =
  'quote the value on that line (for example summary: "Deploys: how they work") so strict YAML reads it as text';

/** What to say about a lenient doc after its `path:line`, shared by `sync` and `doctor`. */
export function lenientMessage(note: LenientNote): string {
  return `${note.problem}; indexed as the old line format reads it`;
}

const BOM = [0xef, 0xbb, 0xbf];

function opensWithDashes(bytes: Uint8Array): boolean {
  const at = bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2]
    ? 3
    : 0;
  return bytes[at] === 0x2d && bytes[at + 1] === 0x2d && bytes[at + 2] === 0x2d;
}

/**
 * The offset just past the line that closes the frontmatter, or -1 when the
 * bytes do not hold one yet. `whole` says the bytes are the whole file (a
 * closing line may then end without a newline).
 */
export function closingLineEnd(bytes: Uint8Array, whole: boolean): number {
  let newline = bytes.indexOf(0x0a);
  while (newline !== -1) {
    const start = newline + 1;
    const c = bytes[start];
    if (
      (c === 0x2d || c === 0x2e) && bytes[start + 1] === c &&
      bytes[start + 2] === c
    ) {
      let at = start + 3;
      while (bytes[at] === 0x20 || bytes[at] === 0x09) at++;
      if (bytes[at] === 0x0d) at++;
      if (at >= bytes.length) {
        if (whole) return bytes.length;
      } else if (bytes[at] === 0x0a) return at + 1;
    }
    newline = bytes.indexOf(0x0a, start);
  }
  return -1;
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

function decodeStrict(bytes: Uint8Array, partial: boolean): string | undefined {
  try {
    return partial
      ? new TextDecoder("utf-8", { fatal: true }).decode(bytes, {
        stream: true,
      })
      : strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** What reading a file's head gave: a verdict, or YAML text still to parse. */
type Head =
  | { kind: "done"; result: ReadResult; key?: FileKey }
  | { kind: "yaml"; yaml: string; key: FileKey };

// One buffer for every first read: no allocation per doc (the bytes are decoded before the next read).
const scratch = new Uint8Array(FIRST_READ_BYTES);

function readHead(file: WalkedFile, heads: DocHeads): Head {
  let head;
  try {
    head = heads.readHead(file.real, file.path, {
      firstBytes: FIRST_READ_BYTES,
      maxBytes: MAX_FRONTMATTER_BYTES,
      scratch,
      enough: (bytes) =>
        !opensWithDashes(bytes) || closingLineEnd(bytes, false) !== -1,
    });
  } catch (error) {
    return {
      kind: "done",
      result: {
        kind: "unreadable",
        message: problemAbout(error, file.path) ??
          `cannot read: ${describeError(error)}`,
      },
    };
  }
  const { bytes, whole, key } = head;
  const end = opensWithDashes(bytes) ? closingLineEnd(bytes, whole) : -1;
  const region = end === -1 ? bytes : bytes.subarray(0, end);
  if (region.indexOf(0) !== -1) {
    return {
      kind: "done",
      result: { kind: "unreadable", message: "is a binary file, not text" },
    };
  }
  const text = decodeStrict(region, end === -1 && !whole);
  if (text === undefined) {
    return {
      kind: "done",
      result: { kind: "unreadable", message: "is not valid UTF-8 text" },
    };
  }
  if (!opensFrontmatter(text)) {
    return {
      kind: "done",
      key,
      result: {
        kind: "invalid",
        reasons: ["no YAML frontmatter (--- block at the top)"],
      },
    };
  }
  const yaml = extractFrontmatter(text);
  if (yaml === undefined) {
    return {
      kind: "done",
      key,
      result: {
        kind: "invalid",
        reasons: [
          whole
            ? "frontmatter has no closing '---' line"
            : "frontmatter has no closing '---' line within the first 1 MiB",
        ],
      },
    };
  }
  return { kind: "yaml", yaml, key };
}

function statusOf(data: Record<string, unknown>): string | null {
  return typeof data.status === "string" ? data.status : null;
}

function routableOrInvalid(data: Record<string, unknown>): ReadResult {
  const fields = routingFields(data);
  if ("problems" in fields) {
    return {
      kind: "invalid",
      reasons: fields.problems,
      status: statusOf(data),
    };
  }
  return { kind: "routable", fields, status: statusOf(data) };
}

/**
 * Judges the YAML text of one frontmatter block (`lib` is js-yaml, needed
 * only when the plain reader is unsure).
 */
export function judgeFrontmatter(
  yaml: string,
  lib: typeof import("js-yaml") | undefined,
): ReadResult | "needs-js-yaml" {
  const plain = readPlainYaml(yaml);
  if (plain.kind === "ok") return routableOrInvalid(plain.data);
  if (!lib) return "needs-js-yaml";
  const parsed = parseYamlWith(lib, yaml);
  let strict: ReadResult;
  let line = plain.line;
  if (parsed.kind === "error") {
    if (parsed.expansion) return { kind: "invalid", reasons: [parsed.reason] };
    strict = { kind: "invalid", reasons: [parsed.reason] };
    line = parsed.line ?? line;
  } else {
    const mapping = asMapping(parsed.data);
    strict = mapping.kind === "ok"
      ? routableOrInvalid(mapping.data)
      : { kind: "invalid", reasons: [mapping.reason] };
  }
  if (strict.kind !== "invalid") return strict;
  const legacy = readLegacyLines(yaml);
  const fields = routingFields(legacy);
  if ("problems" in fields) return strict;
  const problem = parsed.kind === "error"
    ? parsed.reason
    : `strict YAML does not read it as text (${strict.reasons.join("; ")})`;
  // The file's first line is the opening `---`.
  return {
    kind: "routable",
    fields,
    status: statusOf(legacy),
    lenient: { line: line + 1, problem },
  };
}

/**
 * How a reader renders routable docs' index entries: a draft per doc, then
 * drafts finished a batch at a time (redaction costs less per batch than
 * per entry, see `redactEach`).
 */
export interface EntryRenderer {
  /** The entry of one doc before {@link EntryRenderer.finish}. */
  draft(file: WalkedFile, fields: RoutingFields): string;
  /** The finished entries of `drafts`, in order. */
  finish(drafts: readonly string[]): string[];
}

/** Drafts finished at once. */
const RENDER_BATCH = 64;

/** Reads batches of files, through the frontmatter cache when a batch is large. */
export interface FrontmatterReader {
  /**
   * Reads every file of one walk, in order, handing each result to `visit`
   * as soon as it is known (so no batch's results are ever held at once).
   * With `render`, each routable doc's index entry is rendered by it, or
   * taken from the cache where that doc's entry was stored, and handed to
   * `visit` too (`""` otherwise); visits then come a batch at a time, still
   * in order.
   */
  readEach(
    files: readonly WalkedFile[],
    visit: (file: WalkedFile, result: ReadResult, entry: string) => void,
    render?: EntryRenderer,
  ): Promise<void>;
  /** Saves the cache if one was used, and lets it go. */
  finish(): void;
}

/** Creates a reader for the repo at `root`. */
export function createReader(repo: RepoView): FrontmatterReader {
  let cache: FrontmatterCache | undefined;
  let lib: typeof import("js-yaml") | undefined;
  let heads: DocHeads | undefined;
  return {
    async readEach(files, visit, render) {
      const open = files.length >= cacheThreshold()
        ? (cache ??= openCache(repo.root))
        : undefined;
      const reader = heads ??= repo.openDocHeads();
      // Docs waiting for their drafts to be finished, in order; `draft` is
      // the index in `drafts`, -1 for a doc whose entry is known.
      const queue: {
        file: WalkedFile;
        result: ReadResult;
        entry: string;
        draft: number;
        key?: FileKey;
      }[] = [];
      let drafts: string[] = [];
      const flush = () => {
        const finished = drafts.length ? render!.finish(drafts) : [];
        for (const item of queue) {
          const entry = item.draft === -1 ? item.entry : finished[item.draft];
          if (open && item.key) {
            open.set(item.file.path, item.key, item.result, entry);
          }
          visit(item.file, item.result, entry);
        }
        queue.length = 0;
        drafts = [];
      };
      const pass = (
        file: WalkedFile,
        result: ReadResult,
        known: string | undefined,
        key?: FileKey,
      ) => {
        if (!render) {
          if (open && key) open.set(file.path, key, result, "");
          visit(file, result, "");
          return;
        }
        let draft = -1;
        if (known === undefined && result.kind === "routable") {
          draft = drafts.push(render.draft(file, result.fields)) - 1;
        }
        queue.push({ file, result, entry: known ?? "", draft, key });
        if (queue.length >= RENDER_BATCH) flush();
      };
      for (const file of files) {
        const cached = open?.get(file.path, () => reader.statKey(file.real));
        // A record with an entry lacks the fields a reader without `render` needs.
        if (cached && (render || cached.entry === "")) {
          pass(file, cached.result, cached.entry || undefined);
          continue;
        }
        const head = readHead(file, reader);
        let result: ReadResult;
        if (head.kind === "done") result = head.result;
        else {
          let judged = judgeFrontmatter(head.yaml, lib);
          if (judged === "needs-js-yaml") {
            lib = await loadJsYaml();
            judged = judgeFrontmatter(head.yaml, lib) as ReadResult;
          }
          result = judged;
        }
        pass(file, result, undefined, head.key);
      }
      if (render) flush();
    },
    finish() {
      cache?.save();
      cache = undefined; // its bytes are not needed once saved
      heads?.close();
      heads = undefined;
    },
  };
}
