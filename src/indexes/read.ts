/**
 * Reads Markdown files for the indexes: one `open`, `fstat` and bounded read
 * per file, only up to the end of the frontmatter; strict UTF-8 for what is
 * read; the fast plain reader, then js-yaml (loaded only when a doc needs
 * it), then the old package's line format for docs strict YAML refuses.
 * Only the routing fields are kept, so a result is small enough to cache.
 *
 * @module
 */
import type { RepoView } from "../fs/mod.ts";
import type { DocHeads, FileKey } from "../fs/doc_heads.ts";
import type { RoutingFields } from "./routing.ts";
import {
  type CachedDoc,
  cacheThreshold,
  type FrontmatterCache,
  openCache,
} from "./cache.ts";
import { type DocRead, readDoc, type YamlHolder } from "./read_doc.ts";
import { parallelReads, ReadPool } from "./read_parallel.ts";
import type { WalkedFile } from "./walk.ts";

import type { LenientNote, ReadResult } from "./read_result.ts";

export type { LenientNote, ReadResult } from "./read_result.ts";

/** How to fix what {@link LenientNote} reports, in one sentence. */
export const LENIENT_FIX =
  'quote the value on that line (for example summary: "Deploys: how they work") so strict YAML reads it as text';

/** What to say about a lenient doc after its `path:line`, shared by `sync` and `doctor`. */
export function lenientMessage(note: LenientNote): string {
  return `${note.problem}; indexed as the old line format reads it`;
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
   * as soon as it is known (so no batch's results are ever held at once),
   * with the key of the file as it was read or found unchanged (none for a
   * file that could not be opened or statted).
   * With `render`, each routable doc's index entry is rendered by it, or
   * taken from the cache where that doc's entry was stored, and handed to
   * `visit` too (`""` otherwise); visits then come a batch at a time, still
   * in order.
   */
  readEach(
    files: readonly WalkedFile[],
    visit: (
      file: WalkedFile,
      result: ReadResult,
      entry: string,
      key: FileKey | undefined,
    ) => void,
    render?: EntryRenderer,
  ): Promise<void>;
  /** The key of what is at `file`'s real path now, without following a symlink; `undefined` when unreadable. */
  statKey(file: WalkedFile): FileKey | undefined;
  /**
   * Says that some files were answered without this reader (a scan memo
   * served them), so the cache keeps their lines when it is saved.
   */
  keepUnread(): void;
  /** Saves the cache if one was used, and lets it go. */
  finish(): void;
}

/** Creates a reader for the repo at `root`. */
export function createReader(repo: RepoView): FrontmatterReader {
  let cache: FrontmatterCache | undefined;
  let keepUnread = false;
  const yaml: YamlHolder = {};
  let heads: DocHeads | undefined;
  // `null` once a pool was tried and none could start.
  let pool: ReadPool | null | undefined;
  const startPool = (): ReadPool | undefined => {
    if (pool === undefined) pool = ReadPool.start(repo.root) ?? null;
    return pool ?? undefined;
  };
  return {
    keepUnread() {
      keepUnread = true;
    },
    statKey(file) {
      return (heads ??= repo.openDocHeads()).statKey(file.real);
    },
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
        fresh: boolean;
      }[] = [];
      let drafts: string[] = [];
      const flush = () => {
        const finished = drafts.length ? render!.finish(drafts) : [];
        for (const item of queue) {
          const entry = item.draft === -1 ? item.entry : finished[item.draft];
          if (open && item.fresh && item.key) {
            open.set(item.file.path, item.key, item.result, entry);
          }
          visit(item.file, item.result, entry, item.key);
        }
        queue.length = 0;
        drafts = [];
      };
      const pass: Pass = (file, result, known, key, fresh) => {
        if (!render) {
          if (open && fresh && key) open.set(file.path, key, result, "");
          visit(file, result, "", key);
          return;
        }
        let draft = -1;
        if (known === undefined && result.kind === "routable") {
          draft = drafts.push(render.draft(file, result.fields)) - 1;
        }
        queue.push({ file, result, entry: known ?? "", draft, key, fresh });
        if (queue.length >= RENDER_BATCH) flush();
      };
      const lookup = (file: WalkedFile): Found | undefined => {
        let key: FileKey | undefined;
        const cached = open?.get(
          file.path,
          () => (key = reader.statKey(file.real)),
        );
        // A record with an entry lacks the fields a reader without `render` needs.
        return cached && (render || cached.entry === "")
          ? { cached, key: key! }
          : undefined;
      };
      // Files `from` to `to`, one at a time, as most scans go; how many the
      // cache did not answer. A promise per range, not per doc.
      const readRange = async (from: number, to: number): Promise<number> => {
        let misses = 0;
        for (let at = from; at < to; at++) {
          const file = files[at];
          const found = lookup(file);
          if (found) {
            const { cached, key } = found;
            pass(file, cached.result, cached.entry || undefined, key, false);
            continue;
          }
          misses++;
          let read = readDoc(file, reader, yaml);
          if (read instanceof Promise) read = await read;
          pass(file, read.result, undefined, read.key, true);
        }
        return misses;
      };
      // A large scan whose first window the cache mostly did not answer
      // (a cold cache) reads the rest through the pool, when there is one.
      const first = parallelReads(files.length)
        ? Math.min(WINDOW, files.length)
        : files.length;
      const misses = await readRange(0, first);
      const readers = first < files.length && misses >= WINDOW / 4
        ? startPool()
        : undefined;
      if (readers) {
        await readWindows(
          files.slice(first),
          lookup,
          reader,
          yaml,
          readers,
          pass,
        );
      } else await readRange(first, files.length);
      if (render) flush();
    },
    finish() {
      cache?.save(keepUnread);
      cache = undefined; // its bytes are not needed once saved
      heads?.close();
      heads = undefined;
      pool?.close();
      pool = undefined;
    },
  };
}

/** Files looked up in the cache and read a window at a time. */
const WINDOW = 1024;

/** A cache record found for an unchanged file, and the key it was found with. */
interface Found {
  cached: CachedDoc;
  key: FileKey;
}

/**
 * Hands one file's result on: `known` is its entry when the cache had it,
 * `key` the file's as read or found, `fresh` whether it was read (and so
 * belongs in the cache).
 */
type Pass = (
  file: WalkedFile,
  result: ReadResult,
  known: string | undefined,
  key: FileKey | undefined,
  fresh: boolean,
) => void;

/** How the main thread's share of a window's reads is chosen (microseconds per doc, measured as the scan goes). */
interface Rates {
  /** A read here. */
  here: number;
  /** A read on a worker (each worker reads its part side by side). */
  away: number;
  /** A cache look-up and passing one result on, here. */
  pass: number;
}

/**
 * The main thread's share of `misses` reads in a window of `size` files:
 * what keeps it as busy as the workers, which read their share while it
 * reads its own, looks the next window up and passes this one on.
 */
function localShare(
  misses: number,
  size: number,
  workers: number,
  rates: Rates,
): number {
  if (workers === 0) return misses;
  const away = rates.away / workers;
  const share = (misses * away - size * rates.pass) / (rates.here + away);
  return Math.max(0, Math.min(misses, Math.round(share)));
}

/**
 * The pooled road of {@link FrontmatterReader.readEach}: a window at a
 * time, the cache answers what it can and the docs left are read partly
 * here and partly by the pool's workers; every file is passed on in order.
 * The next window's reads are handed out before this one's results are
 * passed on, so the workers read while this thread renders. When a worker
 * fails, its share is read here.
 */
async function readWindows(
  files: readonly WalkedFile[],
  lookup: (file: WalkedFile) => Found | undefined,
  heads: DocHeads,
  yaml: YamlHolder,
  pool: ReadPool,
  pass: Pass,
): Promise<void> {
  const rates: Rates = { here: 15, away: 20, pass: 12 };
  const here = async (file: WalkedFile): Promise<DocRead> => {
    const read = readDoc(file, heads, yaml);
    return read instanceof Promise ? await read : read;
  };
  const prepare = (from: number) => {
    const started = performance.now();
    const to = Math.min(from + WINDOW, files.length);
    const cached: (Found | undefined)[] = [];
    const misses: number[] = [];
    for (let at = from; at < to; at++) {
      const found = lookup(files[at]);
      cached.push(found);
      if (!found) misses.push(at);
    }
    const mine = localShare(misses.length, to - from, pool.size(), rates);
    const away = misses.slice(mine);
    return {
      from,
      to,
      cached,
      mine: misses.slice(0, mine),
      away,
      pending: pool.read(away.map((at) => files[at])),
      lookupMs: performance.now() - started,
    };
  };
  let next: ReturnType<typeof prepare> | undefined = prepare(0);
  while (next) {
    const window: ReturnType<typeof prepare> = next;
    const reads = new Map<number, DocRead>();
    const reading = performance.now();
    for (const at of window.mine) reads.set(at, await here(files[at]));
    if (window.mine.length) {
      rates.here = (performance.now() - reading) * 1000 / window.mine.length;
    }
    next = window.to < files.length ? prepare(window.to) : undefined;
    const fromPool = await window.pending;
    if (fromPool && window.away.length) {
      rates.away = fromPool.ms * 1000 * pool.size() / window.away.length;
    }
    for (const [index, at] of window.away.entries()) {
      reads.set(at, fromPool?.reads[index] ?? await here(files[at]));
    }
    const passing = performance.now();
    for (let at = window.from; at < window.to; at++) {
      const found = window.cached[at - window.from];
      if (found) {
        const { cached, key } = found;
        pass(files[at], cached.result, cached.entry || undefined, key, false);
      } else {
        const { result, key } = reads.get(at)!;
        pass(files[at], result, undefined, key, true);
      }
    }
    rates.pass = (performance.now() - passing + window.lookupMs) * 1000 /
      (window.to - window.from);
  }
}
