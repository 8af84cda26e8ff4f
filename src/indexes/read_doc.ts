/**
 * Reading one doc for the indexes: one `open`, `fstat` and bounded read,
 * only up to the end of the frontmatter; strict UTF-8 for what is read; the
 * fast plain reader, then js-yaml (when the caller has loaded it), then the
 * old package's line format for docs strict YAML refuses. Shared by the
 * reader on the main thread (`read.ts`) and its workers (`read_worker.ts`),
 * so it imports nothing else of the indexes.
 *
 * @module
 */
import { problemAbout } from "../fs/mod.ts";
import type { DocHeads, FileKey } from "../fs/doc_heads.ts";
import { describeError } from "../errors.ts";
import { asMapping, extractFrontmatter, opensFrontmatter } from "./block.ts";
import { readLegacyLines } from "./legacy_lines.ts";
import { readPlainYaml } from "./plain_yaml.ts";
import { routingFields } from "./routing.ts";
import { loadJsYaml, parseYamlWith } from "./yaml.ts";
import type { ReadResult } from "./read_result.ts";
import type { WalkedFile } from "./walk.ts";

/** The most bytes read looking for the end of a frontmatter block: 1 MiB. */
export const MAX_FRONTMATTER_BYTES = 1024 * 1024;
const FIRST_READ_BYTES = 64 * 1024;

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

/** Reads the head of `file` and judges what it can without YAML. */
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
    // The key goes with the verdict: it follows from the bytes read, so a
    // scan memo may keep it (the frontmatter cache keeps no unreadable doc).
    return {
      kind: "done",
      key,
      result: { kind: "unreadable", message: "is a binary file, not text" },
    };
  }
  const text = decodeStrict(region, end === -1 && !whole);
  if (text === undefined) {
    return {
      kind: "done",
      key,
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

/** What reading one doc gave: its verdict, and the key of what was read once it was opened. */
export interface DocRead {
  result: ReadResult;
  key?: FileKey;
}

/** js-yaml, once a doc has needed it. */
export interface YamlHolder {
  lib?: typeof import("js-yaml");
}

/**
 * Reads and judges one doc. The first doc the plain reader leaves loads
 * js-yaml into `yaml` (the only wait: the result is a promise then, so a
 * scan of plain docs makes none).
 */
export function readDoc(
  file: WalkedFile,
  heads: DocHeads,
  yaml: YamlHolder,
): DocRead | Promise<DocRead> {
  const head = readHead(file, heads);
  if (head.kind === "done") return { result: head.result, key: head.key };
  const judged = judgeFrontmatter(head.yaml, yaml.lib);
  if (judged !== "needs-js-yaml") return { result: judged, key: head.key };
  return loadJsYaml().then((lib) => {
    yaml.lib = lib;
    return {
      result: judgeFrontmatter(head.yaml, lib) as ReadResult,
      key: head.key,
    };
  });
}
