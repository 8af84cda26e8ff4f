/**
 * A per-user cache of each doc's routing fields, keyed by the file's size,
 * inode, mtime and ctime, so `sync` and `doctor` on thousands of docs stat
 * files instead of reading them. Used only for large doc sets; small repos
 * never write one. It holds only the routing fields (a few short strings per
 * doc), never whole parsed mappings.
 *
 * The file is JSON Lines: a header line, then one line per doc, its repo path
 * first. Loading it indexes each line's path and offset; a line is parsed
 * only when its doc is looked up, and copied as bytes into the next cache,
 * so 50,000 cached docs cost their bytes plus a map of paths, not a tree
 * of parsed objects.
 *
 * Correctness over speed: the cache can only make a run faster, never
 * change its result. The header names the cache format, the waypoint
 * version and the repo root, and each line ends in a checksum of the root
 * and the rest of the line, so a line that was cut short, had a bit flipped,
 * or was written for another repo is dropped and its doc read again. An
 * entry is trusted only when its checksum is right, its fields have the
 * types and ranges waypoint writes, and every key matches; entries for files modified within two seconds of the cache being
 * opened are never stored (a later edit in the same clock tick and of the
 * same size could otherwise go unseen). Any problem with the cache file
 * means "no cache".
 *
 * Why this file is long: the cache format, its validating reader and its
 * streaming writer share one private record layout; splitting them would
 * export that layout (a split is left for issue 24).
 *
 * @module
 */
import { writeAllSync } from "../bytes.ts";
import { join, sep } from "../path.ts";
import { cacheFileKey, waypointCacheDir } from "../cache_dir.ts";
import { tempNameFor } from "../fs/atomic.ts";
import { VERSION } from "../version.ts";
import { ByteChunks } from "./bytes.ts";
import type { FileKey } from "../fs/doc_heads.ts";
import type { ReadResult } from "./read_result.ts";

/** Doc sets smaller than this are read directly; the cache would not pay for itself. */
export const CACHE_MIN_FILES = 500;

/**
 * A file modified this recently (ms) when it is read is never remembered
 * by its key: a later edit in the same clock tick, of the same size, could
 * otherwise go unseen.
 */
export const RACY_WINDOW_MS = 2000;
const FORMAT = 5;
/** A cache file larger than this is ignored (about a million docs). */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/**
 * One cached file, one JSON line: its repo path, its key (size, inode,
 * mtime, ctime), then its result packed flat, then (in the line only, see
 * {@link recordLine}) its checksum (`r` routable: summary,
 * last_updated, read_when, status, lenient line, lenient problem, and the
 * doc's index entry as rendered and redacted, or `""`; `i` invalid:
 * reasons, status, whether status is known).
 */
type Stored =
  | [
    ...StoredKey,
    "r",
    string,
    string,
    string[],
    string | null,
    number,
    string,
    string,
  ]
  | [...StoredKey, "i", string[], string | null, 0 | 1];

/** A line's doc path, then the file's size, inode, mtime and ctime. */
type StoredKey = [string, number, number, number, number];

/** What the cache holds for one unchanged doc. */
export interface CachedDoc {
  result: ReadResult;
  /**
   * The doc's index entry as it was rendered (redaction and escaping are
   * the costly part of rendering), or `""` when none was stored. When there
   * is one, the result's routing fields were not stored (they are empty):
   * only a reader that renders entries may use the record.
   */
  entry: string;
}

/** A loaded cache for one repo. */
export interface FrontmatterCache {
  /**
   * The cached result for `path` when the file is unchanged. `stat` gives
   * the key of the file as it is now (not following a symlink); it is called
   * only when an entry exists.
   */
  get(
    path: string,
    stat: () => FileKey | undefined,
  ): CachedDoc | undefined;
  /** Records a fresh result, with the index entry rendered from it (or `""`). */
  set(path: string, key: FileKey, result: ReadResult, entry: string): void;
  /**
   * Writes the cache if anything changed; failures are ignored. Lines no
   * doc was looked up for are dropped (their docs are gone), unless
   * `keepUnread`: some docs were answered without the cache (a scan memo
   * served them), and their lines must stay for when the memo no longer
   * does.
   */
  save(keepUnread?: boolean): void;
}

/** The minimum file count before the cache is used (`WAYPOINT_INDEX_CACHE_MIN` overrides, for tests). */
export function cacheThreshold(): number {
  const value = Number(Deno.env.get("WAYPOINT_INDEX_CACHE_MIN"));
  return Number.isInteger(value) && value >= 0 ? value : CACHE_MIN_FILES;
}

/**
 * A 64-bit checksum (two independent 32-bit multiplicative hashes) of the
 * repo root and a record's JSON: it catches corruption, and a record copied
 * from another repo's cache. It is not a defence against someone who can
 * write the user's cache folder; nothing here needs one.
 */
function checksum(root: string, body: string): string {
  // Every line of a cache starts from the same state, the root's: mixed once.
  if (rootState?.root !== root) {
    const [a, b] = mixCodes(0x811c9dc5, 0x9747b28c, root + "\0");
    rootState = { root, a, b };
  }
  const [a, b] = mixCodes(rootState.a, rootState.b, body);
  return (a >>> 0).toString(16).padStart(8, "0") +
    (b >>> 0).toString(16).padStart(8, "0");
}

let rootState: { root: string; a: number; b: number } | undefined;

/** The two hash states after mixing in every UTF-16 unit of `text`. */
function mixCodes(a: number, b: number, text: string): [number, number] {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a, b];
}

/** The `,"<16 hex digits>"]` a record line ends in. */
const CHECKSUM_TAIL = 20;

/**
 * The line a record is stored as, without its newline: the record's JSON
 * with a checksum of `root` and that JSON appended as its last element.
 */
export function recordLine(root: string, stored: readonly unknown[]): string {
  const body = JSON.stringify(stored);
  return `${body.slice(0, -1)},"${checksum(root, body)}"]`;
}

/** The record `line` holds when its checksum is right for `root`, else `undefined`. */
function verifiedRecord(root: string, line: string): unknown {
  if (line.length <= CHECKSUM_TAIL + 1 || !line.endsWith('"]')) {
    return undefined;
  }
  const tail = line.length - CHECKSUM_TAIL;
  if (line[tail] !== "," || line[tail + 1] !== '"') return undefined;
  const body = line.slice(0, tail) + "]";
  if (line.slice(tail + 2, -2) !== checksum(root, body)) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Whether a parsed JSON value is a string (records are checked field by field). */
export const isText = (value: unknown): value is string =>
  typeof value === "string";
/** Whether a parsed JSON value is a list of strings. */
export const isTextList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every(isText);

/** The result a well-formed line holds, or `undefined` for anything else. */
function unpack(stored: unknown): CachedDoc | undefined {
  if (!Array.isArray(stored)) return undefined;
  if (stored[5] === "r" && stored.length === 13) {
    const [
      ,
      ,
      ,
      ,
      ,
      ,
      summary,
      lastUpdated,
      readWhen,
      status,
      line,
      problem,
      entry,
    ] = stored;
    if (
      !isText(summary) || !isText(lastUpdated) || !isTextList(readWhen) ||
      !(status === null || isText(status)) || !Number.isSafeInteger(line) ||
      line < 0 || !isText(problem) || !isText(entry)
    ) return undefined;
    return {
      result: {
        kind: "routable",
        fields: { summary, lastUpdated, readWhen },
        status,
        ...(line ? { lenient: { line, problem } } : {}),
      },
      entry,
    };
  }
  if (stored[5] === "i" && stored.length === 9) {
    const [, , , , , , reasons, status, known] = stored;
    if (
      !isTextList(reasons) || !(status === null || isText(status)) ||
      (known !== 0 && known !== 1)
    ) {
      return undefined;
    }
    return {
      result: known ? { kind: "invalid", reasons, status } : {
        kind: "invalid",
        reasons,
      },
      entry: "",
    };
  }
  return undefined;
}

function keyOf(file: FileKey): [number, number, number, number] {
  return [file.size, file.ino, file.mtimeMs, file.ctimeMs];
}

function pack(
  path: string,
  file: FileKey,
  result: Exclude<ReadResult, { kind: "unreadable" }>,
  entry: string,
): Stored {
  const key = keyOf(file);
  if (result.kind === "routable") {
    // An entry holds what the index needs of the fields: they are not
    // stored twice (see CachedDoc).
    const fields = entry === ""
      ? result.fields
      : { summary: "", lastUpdated: "", readWhen: [] };
    return [
      path,
      ...key,
      "r",
      fields.summary,
      fields.lastUpdated,
      fields.readWhen,
      result.status,
      result.lenient?.line ?? 0,
      result.lenient?.problem ?? "",
      entry,
    ];
  }
  return [
    path,
    ...key,
    "i",
    result.reasons,
    result.status ?? null,
    result.status === undefined ? 0 : 1,
  ];
}

/** Whether a parsed line is `path`'s entry with the key `key`. */
function matches(
  stored: unknown,
  path: string,
  key: readonly number[],
): stored is unknown[] {
  return Array.isArray(stored) && stored[0] === path &&
    key.every((value, index) => stored[index + 1] === value);
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The doc path of the line at `start` (which ends at `end`): a line is
 * `["<path>",…`. The path is decoded straight from the bytes unless it holds
 * an escape; `undefined` for a damaged line.
 */
function pathAt(
  bytes: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  if (bytes[start] !== 0x5b || bytes[start + 1] !== 0x22) return undefined;
  let at = start + 2;
  let escaped = false;
  while (at < end && bytes[at] !== 0x22) {
    if (bytes[at] === 0x5c) {
      escaped = true;
      at++;
    }
    at++;
  }
  if (at >= end) return undefined;
  try {
    const path = escaped
      ? JSON.parse(decoder.decode(bytes.subarray(start + 1, at + 1)))
      : decoder.decode(bytes.subarray(start + 2, at));
    return isText(path) ? path : undefined;
  } catch {
    return undefined; // A damaged path only loses its own line.
  }
}

/** How much of the cache file one read brings in. */
const WINDOW_BYTES = 1024 * 1024;

/** One line of the cache file: its bytes (a view, good until the next read) and where it starts and ends in the file. */
export interface CacheLine {
  bytes: Uint8Array;
  start: number;
  /** The offset of its newline, or the file's end. */
  end: number;
}

/**
 * The cache file, read through an open descriptor a window at a time: a
 * warm run over 100,000 docs holds about 1 MB of it instead of all of its
 * 30 MB. The file is only ever replaced by a rename, so the descriptor
 * keeps reading the file as it was opened; one that shrank under it reads
 * as ending early (its lines are then missing, and the docs read afresh).
 */
export class CacheFile {
  readonly #file: Deno.FsFile;
  readonly #windowBytes: number;
  #size: number;
  #buffer = new Uint8Array(0);
  #window = new Uint8Array(0);
  /** The file offset of `#window[0]`. */
  #windowStart = 0;

  /** Reads `file`, `size` bytes long, `windowBytes` at a time (smaller only in tests). */
  constructor(file: Deno.FsFile, size: number, windowBytes = WINDOW_BYTES) {
    this.#file = file;
    this.#size = size;
    this.#windowBytes = Math.max(1, windowBytes);
  }

  /** The file's size as read so far. */
  get size(): number {
    return this.#size;
  }

  /** The line starting at offset `start`; undefined at or past the end. */
  line(start: number): CacheLine | undefined {
    let span = this.#windowBytes;
    while (start < this.#size) {
      const at = start - this.#windowStart;
      if (at >= 0 && at < this.#window.length) {
        const newline = this.#window.indexOf(0x0a, at);
        if (newline !== -1) {
          return {
            bytes: this.#window.subarray(at, newline),
            start,
            end: this.#windowStart + newline,
          };
        }
        if (this.#windowStart + this.#window.length >= this.#size) {
          return { bytes: this.#window.subarray(at), start, end: this.#size };
        }
        // The line runs past the window: read again from its start, wider
        // when the window already started there.
        if (at === 0) span = this.#window.length * 2;
      }
      this.#fill(start, span);
    }
    return undefined;
  }

  /**
   * The bytes of `[from, to)` in a buffer of their own, leaving the window
   * where it is: a doc found out of order must not cost the next doc in
   * order a read of a whole window.
   */
  read(from: number, to: number): Uint8Array {
    const buffer = new Uint8Array(Math.max(0, Math.min(to, this.#size) - from));
    return buffer.subarray(0, this.#readInto(from, buffer));
  }

  /** Calls `write` with the bytes of `[from, to)`, a window at a time. */
  copy(from: number, to: number, write: (bytes: Uint8Array) => void): void {
    for (let at = from; at < Math.min(to, this.#size);) {
      this.#fill(at, Math.min(this.#windowBytes, to - at));
      if (this.#window.length === 0) return;
      write(this.#window);
      at += this.#window.length;
    }
  }

  /** Closes the descriptor; closing twice is harmless. */
  close(): void {
    try {
      this.#file.close();
    } catch {
      // Already closed.
    }
  }

  /** Reads up to `span` bytes at `start` into the window (less at the file's end). */
  #fill(start: number, span: number): void {
    const length = Math.max(0, Math.min(span, this.#size - start));
    // One buffer serves every window (a line is a view good until the next
    // read): a fresh one per window would leave each for the collector.
    if (this.#buffer.length < length) this.#buffer = new Uint8Array(length);
    const buffer = this.#buffer.subarray(0, length);
    this.#window = buffer.subarray(0, this.#readInto(start, buffer));
    this.#windowStart = start;
  }

  /** Fills `buffer` from offset `start`; returns how much was read (less only at the end). */
  #readInto(start: number, buffer: Uint8Array): number {
    let got = 0;
    this.#file.seekSync(start, Deno.SeekMode.Start);
    while (got < buffer.length) {
      const n = this.#file.readSync(buffer.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    // A file that shrank ends where the read did.
    if (got < buffer.length) this.#size = Math.min(this.#size, start + got);
    return got;
  }
}

/** How far ahead of the last line served a doc's line is looked for before the map is built. */
const LOOK_AHEAD = 4;

/** A cache file opened for reading, see {@link load}. */
interface LoadedCache {
  /** `path`'s line, or undefined when the file has none. */
  find(path: string): CacheLine | undefined;
  /** How many lines follow the header (a read of the whole file). */
  count(): number;
  file: CacheFile;
  /** Where the first line after the header starts. */
  linesFrom: number;
}

/**
 * Opens the cache file for `root` and checks its header. Docs are looked up
 * in the order a walk meets them, which is the order a run wrote them in,
 * so lines are first looked for just after the last one served; a map of
 * every line's place by path is built only when that fails, and a line
 * found through it is read on its own.
 */
function load(file: string, root: string): LoadedCache | undefined {
  let cache: CacheFile | undefined;
  try {
    const info = Deno.statSync(file);
    if (!info.isFile || info.size > MAX_CACHE_BYTES) return undefined;
    cache = new CacheFile(Deno.openSync(file, { read: true }), info.size);
    const first = cache.line(0);
    if (first && first.end < cache.size) {
      const header = JSON.parse(decoder.decode(first.bytes));
      if (
        header?.format === FORMAT && header.waypoint === VERSION &&
        header.root === root
      ) return loadedLines(cache, first.end + 1);
    }
  } catch {
    // Missing or unreadable cache: start empty.
  }
  cache?.close();
  return undefined;
}

/** {@link load}'s answer for a cache whose doc lines start at `linesFrom`. */
function loadedLines(cache: CacheFile, linesFrom: number): LoadedCache {
  let next = linesFrom;
  let places: Map<string, [number, number]> | undefined;
  const mapLines = () => {
    const map = new Map<string, [number, number]>();
    for (
      let line = cache.line(linesFrom);
      line;
      line = cache.line(line.end + 1)
    ) {
      const path = pathAt(line.bytes, 0, line.bytes.length);
      if (path !== undefined) map.set(path, [line.start, line.end]);
    }
    return map;
  };
  return {
    file: cache,
    linesFrom,
    find(path) {
      let at = next;
      for (let ahead = 0; ahead < LOOK_AHEAD; ahead++) {
        const line = cache.line(at);
        if (!line) break;
        if (pathAt(line.bytes, 0, line.bytes.length) === path) {
          next = line.end + 1;
          return line;
        }
        at = line.end + 1;
      }
      places ??= mapLines();
      const place = places.get(path);
      if (!place) return undefined;
      const bytes = cache.read(place[0], place[1]);
      return { bytes, start: place[0], end: place[0] + bytes.length };
    },
    count() {
      let count = 0;
      for (
        let line = cache.line(linesFrom);
        line;
        line = cache.line(line.end + 1)
      ) {
        count++;
      }
      return count;
    },
  };
}

/**
 * Fresh cache lines, written to a temporary file beside the cache as they
 * pile up, so a cold run on 100,000 docs does not hold the new cache's
 * 30 MB; {@link FreshLines.commit} adds the kept lines and renames it over
 * the cache.
 */
class FreshLines {
  static readonly FLUSH_CHARS = 1024 * 1024;
  #pending = new ByteChunks();
  #pendingChars = 0;
  #temp: { path: string; file: Deno.FsFile } | undefined;
  #failed = false;
  readonly #target: string;
  readonly #header: string;

  constructor(target: string, header: string) {
    this.#target = target;
    this.#header = header;
  }

  /** Appends one line (with its newline). */
  append(line: string): void {
    this.#pending.appendText(line);
    this.#pendingChars += line.length;
    if (this.#pendingChars >= FreshLines.FLUSH_CHARS) this.#flush();
  }

  /**
   * Writes what `writeKept` hands its callback (the lines kept from the old
   * file), then every fresh line, and replaces the cache; failures only
   * cost speed.
   */
  commit(writeKept: (write: (bytes: Uint8Array) => void) => void): void {
    try {
      writeKept((bytes) => this.#write(bytes));
      this.#flush();
      if (this.#failed) throw new Error("cache not written");
      this.#open().file.close();
      Deno.renameSync(this.#temp!.path, this.#target);
      this.#temp = undefined;
    } catch {
      this.discard();
    }
  }

  /** Removes the temporary file, if one was started. */
  discard(): void {
    if (!this.#temp) return;
    try {
      this.#temp.file.close();
    } catch {
      // Already closed.
    }
    try {
      Deno.removeSync(this.#temp.path);
    } catch {
      // Already gone.
    }
    this.#temp = undefined;
  }

  #open(): { path: string; file: Deno.FsFile } {
    if (this.#temp) return this.#temp;
    const at = this.#target.lastIndexOf(sep);
    const dir = this.#target.slice(0, at);
    Deno.mkdirSync(dir, { recursive: true });
    const path = join(dir, tempNameFor(this.#target.slice(at + 1)));
    const file = Deno.openSync(path, { write: true, createNew: true });
    this.#temp = { path, file };
    this.#write(encoder.encode(this.#header));
    return this.#temp;
  }

  #write(bytes: Uint8Array): void {
    writeAllSync(this.#open().file, bytes);
  }

  #flush(): void {
    if (this.#failed) return;
    this.#pendingChars = 0;
    try {
      this.#pending.drain((chunk) => this.#write(chunk));
    } catch {
      this.#failed = true;
      this.discard();
    }
  }
}

/** Opens the cache for the repo at `root`; an empty one if none is usable. */
export function openCache(root: string): FrontmatterCache {
  const dir = waypointCacheDir();
  const file = dir
    ? join(dir, "frontmatter", `${cacheFileKey(root)}.json`)
    : undefined;
  const loaded = file ? load(file, root) : undefined;
  const header = JSON.stringify({ format: FORMAT, waypoint: VERSION, root }) +
    "\n";
  // Lines kept from the loaded file, as [start, end) ranges of its bytes
  // (neighbours merged): the next file is copied from them, a window at a
  // time, so a warm run never holds the cache's bytes whole.
  const keptRanges: number[] = [];
  const fresh = file ? new FreshLines(file, header) : undefined;
  let changed = false;
  let kept = 0;
  const startedAt = Date.now();
  return {
    get(path, stat) {
      const line = loaded?.find(path);
      if (line === undefined) return undefined;
      // Decoded before anything else reads the file: the line is a view.
      const text = decoder.decode(line.bytes);
      const info = stat();
      if (!info) return undefined;
      const stored = verifiedRecord(root, text);
      if (!matches(stored, path, keyOf(info))) return undefined;
      const cached = unpack(stored);
      if (!cached) return undefined;
      const { start } = line;
      const stop = Math.min(line.end + 1, loaded!.file.size);
      if (keptRanges[keptRanges.length - 1] === start) {
        keptRanges[keptRanges.length - 1] = stop;
      } else keptRanges.push(start, stop);
      kept++;
      return cached;
    },
    set(path, key, result, entry) {
      changed = true;
      if (result.kind === "unreadable") return;
      if (
        key.mtimeMs >= startedAt - RACY_WINDOW_MS ||
        key.ctimeMs >= startedAt - RACY_WINDOW_MS
      ) return;
      fresh?.append(recordLine(root, pack(path, key, result, entry)) + "\n");
    },
    save(keepUnread = false) {
      try {
        if (!fresh) return;
        // Kept lines that are one range from the first line to the end
        // were each served once, in order: all of them, with no count.
        const allKept = loaded !== undefined && keptRanges.length === 2 &&
          keptRanges[0] === loaded.linesFrom &&
          keptRanges[1] === loaded.file.size;
        if (
          !changed &&
          (keepUnread || allKept || kept === (loaded?.count() ?? 0))
        ) {
          fresh.discard();
          return;
        }
        if (keepUnread && loaded) {
          // Every old line, then the fresh ones: a doc read again has its
          // old line too, which its key no longer matches.
          keptRanges.length = 0;
          keptRanges.push(loaded.linesFrom, loaded.file.size);
        }
        fresh.commit((write) => {
          for (let i = 0; i < keptRanges.length; i += 2) {
            let last = 0x0a;
            loaded!.file.copy(keptRanges[i], keptRanges[i + 1], (part) => {
              write(part);
              last = part[part.length - 1];
            });
            // The loaded file's last line may lack its newline.
            if (last !== 0x0a) write(encoder.encode("\n"));
          }
        });
      } finally {
        loaded?.file.close();
      }
    },
  };
}
