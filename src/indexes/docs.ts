/**
 * The docs index: scanning the docs roots for routable docs and rendering
 * `.waypoint/DOCS_INDEX.md` in the seed's format.
 *
 * A routable doc is kept only as the two index lines it becomes, in UTF-8
 * ({@link DocsRoot.listing}): at 50,000 docs that is about 8 MB of bytes
 * where objects and strings per doc cost several times more, and past a few
 * MB they go to a temporary file (`spool.ts`) rather than stay in memory.
 *
 * @module
 */
import { visible } from "../visible.ts";
import { type ListingBytes, SpooledBytes } from "./spool.ts";
import { cacheThreshold, isText, isTextList, RACY_WINDOW_MS } from "./cache.ts";
import { recallScan, ScanMemoWriter } from "./scan_memo.ts";
import type { IndexContent } from "./generated.ts";
import { redactEach, redactSecrets } from "../redact/mod.ts";
import {
  createReader,
  type FrontmatterReader,
  type LenientNote,
} from "./read.ts";
import { walkMarkdown, type WalkProblem, walkRoot } from "./walk.ts";
import type { RepoView } from "../fs/mod.ts";

/** A routable doc, as {@link renderDocEntry} takes it. */
export interface DocEntry {
  path: string;
  summary: string;
  lastUpdated: string;
  readWhen: string[];
}

/** A Markdown file that is not routable, and why. */
export interface InvalidDoc {
  path: string;
  reasons: string[];
}

/** A doc indexed only because the old line format reads what strict YAML refuses. */
export interface LenientDoc extends LenientNote {
  path: string;
}

/** One docs root and what it holds. */
export interface DocsRoot {
  /** Repo-relative root, e.g. `.waypoint/docs`. */
  root: string;
  /** `missing`, `not-directory` (a file, or a symlink leading outside the repo), or `ok`. */
  state: "ok" | "missing" | "not-directory";
  /** Why a root in state `not-directory` cannot be walked, when it is more than "a file". */
  problem?: string;
  /** How many routable docs the root holds. */
  count: number;
  /**
   * Their index lines ({@link renderDocEntry}), in path order, as UTF-8;
   * undefined for a root that was not walked. Closed by {@link closeDocsScan}.
   */
  listing?: ListingBytes;
}

/** Everything a docs scan found. */
export interface DocsScan {
  roots: DocsRoot[];
  invalid: InvalidDoc[];
  lenient: LenientDoc[];
  problems: WalkProblem[];
}

/** Scans each docs root below `root` (repo-relative roots, in config order). */
export async function scanDocs(
  repo: RepoView,
  docsDirs: readonly string[],
  reader: FrontmatterReader = createReader(repo),
): Promise<DocsScan> {
  const scan: DocsScan = { roots: [], invalid: [], lenient: [], problems: [] };
  try {
    await scanRoots(repo, docsDirs, reader, scan);
  } catch (error) {
    closeDocsScan(scan);
    throw error;
  }
  return scan;
}

async function scanRoots(
  repo: RepoView,
  docsDirs: readonly string[],
  reader: FrontmatterReader,
  scan: DocsScan,
): Promise<void> {
  for (const dir of docsDirs) {
    let start;
    try {
      start = walkRoot(repo, dir);
    } catch (error) {
      start = {
        state: "refused" as const,
        problem: error instanceof Error ? error.message : String(error),
      };
    }
    if (start.state !== "ok") {
      scan.roots.push({
        root: dir,
        state: start.state === "missing" ? "missing" : "not-directory",
        ...(start.state === "refused" ? { problem: start.problem } : {}),
        count: 0,
      });
      continue;
    }
    const walked = walkMarkdown(repo, start.real, dir);
    scan.problems.push(...walked.problems);
    const large = walked.files.length >= cacheThreshold();
    const recalled = large
      ? recallScan(repo.root, dir, walked.files, reader.statKey)
      : undefined;
    const known = recalled && memoOutcome(recalled.outcome);
    if (recalled && known) {
      reader.keepUnread();
      scan.roots.push({
        root: dir,
        state: "ok",
        count: known.count,
        listing: recalled.listing,
      });
      scan.invalid.push(...known.invalid);
      scan.lenient.push(...known.lenient);
      scan.problems.push(...known.problems);
      continue;
    }
    recalled?.listing.close();
    const listing = new SpooledBytes();
    // Pushed first, so a read that throws below still has it closed.
    const docsRoot: DocsRoot = { root: dir, state: "ok", count: 0, listing };
    scan.roots.push(docsRoot);
    const outcome: MemoOutcome = {
      count: 0,
      invalid: [],
      lenient: [],
      problems: [],
    };
    // The files and keys to remember, until a doc has no key (it could not
    // be opened) or a racy one (see scan_memo.ts): then none.
    let memo = large
      ? new ScanMemoWriter(repo.root, dir, walked.files.length)
      : undefined;
    const racy = Date.now() - RACY_WINDOW_MS;
    await reader.readEach(walked.files, (file, read, entry, key) => {
      if (memo && key && key.mtimeMs < racy && key.ctimeMs < racy) {
        memo.add(file, key);
      } else memo = undefined;
      if (read.kind === "unreadable") {
        const problem = { path: file.path, message: read.message };
        scan.problems.push(problem);
        outcome.problems.push(problem);
      } else if (read.kind === "invalid") {
        const invalid = { path: file.path, reasons: read.reasons };
        scan.invalid.push(invalid);
        outcome.invalid.push(invalid);
      } else {
        listing.appendText(entry);
        outcome.count++;
        if (read.lenient) {
          const lenient = { path: file.path, ...read.lenient };
          scan.lenient.push(lenient);
          outcome.lenient.push(lenient);
        }
      }
    }, {
      draft: (file, fields) => draftDocEntry({ path: file.path, ...fields }),
      finish: redactEach,
    });
    docsRoot.count = outcome.count;
    memo?.write(outcome, listing);
  }
}

/**
 * What a docs root's scan remembers beside its listing (see scan_memo.ts):
 * the read problems are those of docs read whole (binary, not UTF-8),
 * which their keys decide; the walk's own problems are found again.
 */
interface MemoOutcome {
  count: number;
  invalid: InvalidDoc[];
  lenient: LenientDoc[];
  problems: WalkProblem[];
}

/** `value` as a {@link MemoOutcome} when it has that shape exactly, else undefined. */
function memoOutcome(value: unknown): MemoOutcome | undefined {
  const outcome = value as Partial<MemoOutcome> | null;
  const fine = typeof outcome === "object" && outcome !== null &&
    Number.isSafeInteger(outcome.count) && outcome.count! >= 0 &&
    Array.isArray(outcome.invalid) &&
    outcome.invalid.every((doc) =>
      isText(doc?.path) && isTextList(doc.reasons)
    ) &&
    Array.isArray(outcome.lenient) &&
    outcome.lenient.every((doc) =>
      isText(doc?.path) && Number.isSafeInteger(doc.line) &&
      isText(doc.problem)
    ) &&
    Array.isArray(outcome.problems) &&
    outcome.problems.every((doc) => isText(doc?.path) && isText(doc.message));
  return fine ? outcome as MemoOutcome : undefined;
}

/** Releases the listings of `scan` (their temporary files, if any). */
export function closeDocsScan(scan: DocsScan): void {
  for (const docsRoot of scan.roots) docsRoot.listing?.close();
}

const DOCS_HEADER = [
  "# Docs Index",
  "",
  "Auto-generated by `waypoint sync` / `waypoint doctor`. Read matching docs before working on a task.",
  "",
];

/**
 * The two index lines of one doc, each ending in a newline, with secrets
 * in its path, summary or read-when lines redacted (the index is committed
 * and read by the agent).
 */
export function renderDocEntry(entry: DocEntry): string {
  return redactSecrets(draftDocEntry(entry));
}

/** {@link renderDocEntry} before redaction. */
function draftDocEntry(entry: DocEntry): string {
  return `- **${visible(entry.path)}** — ${
    visible(entry.summary)
  }\n  Read when: ${visible(entry.readWhen.join("; "))}\n`;
}

/**
 * Renders `.waypoint/DOCS_INDEX.md` for a scan: its UTF-8 bytes in order,
 * read from the scan's listings themselves (not copies) each time the
 * content is iterated, so it is valid until the scan is closed.
 */
export function renderDocsIndex(scan: DocsScan): IndexContent {
  const encoder = new TextEncoder();
  const parts: (Uint8Array | ListingBytes)[] = [];
  let text = DOCS_HEADER.join("\n") + "\n";
  for (const docsRoot of scan.roots) {
    text += `## ${visible(docsRoot.root)}/\n\n`;
    if (docsRoot.count === 0 || !docsRoot.listing) {
      text += "No routable docs found.\n\n";
      continue;
    }
    parts.push(encoder.encode(text), docsRoot.listing);
    text = "\n";
  }
  // The file ends with exactly one newline (a listing already ends with one).
  const tail = text.replace(/\n+$/, "");
  if (tail !== "") parts.push(encoder.encode(tail + "\n"));
  return {
    byteLength: parts.reduce((sum, part) => sum + part.byteLength, 0),
    *[Symbol.iterator]() {
      for (const part of parts) {
        if (part instanceof Uint8Array) yield part;
        else yield* part.chunks();
      }
    },
  };
}
