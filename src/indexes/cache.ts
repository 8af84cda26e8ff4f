/**
 * A per-user cache of each doc's routing fields, keyed by the file's size,
 * inode, mtime and ctime, so `sync` and `doctor` on thousands of docs stat
 * files instead of reading them. Used only for large doc sets; small repos
 * never write one. It holds only the routing fields (a few short strings per
 * doc), never whole parsed mappings.
 *
 * Correctness over speed: an entry is trusted only when every key matches,
 * and entries for files modified within two seconds of the cache being
 * opened are never stored (a later edit in the same clock tick and of the
 * same size could otherwise go unseen). Any problem with the cache file
 * means "no cache".
 *
 * @module
 */
import { join } from "node:path";
import { waypointCacheDir } from "../cache_dir.ts";
import { writeOutsideFileAtomic } from "../fs/atomic.ts";
import { VERSION } from "../version.ts";
import type { ReadResult } from "./read.ts";

/** Doc sets smaller than this are read directly; the cache would not pay for itself. */
export const CACHE_MIN_FILES = 500;

const RACY_WINDOW_MS = 2000;
const FORMAT = 2;

/**
 * One cached file: its key, then its result packed flat (`r` routable:
 * summary, last_updated, read_when, status, lenient line, lenient problem;
 * `i` invalid: reasons, status, whether status is known).
 */
type Stored =
  | [
    number,
    number,
    number,
    number,
    "r",
    string,
    string,
    string[],
    string | null,
    number,
    string,
  ]
  | [number, number, number, number, "i", string[], string | null, 0 | 1];

/** A loaded cache for one repo. */
export interface FrontmatterCache {
  /** Whether the cache holds an entry for `path` (worth a stat to check). */
  has(path: string): boolean;
  /** Returns the cached result for `path` if the file is unchanged. */
  get(path: string, info: Deno.FileInfo): ReadResult | undefined;
  /** Records a fresh result. */
  set(path: string, info: Deno.FileInfo, result: ReadResult): void;
  /** Writes the cache if anything changed; failures are ignored. */
  save(): void;
}

/** A short stable name for a repo path; a collision only costs a cache miss (the root is checked). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The minimum file count before the cache is used (`WAYPOINT_INDEX_CACHE_MIN` overrides, for tests). */
export function cacheThreshold(): number {
  const value = Number(Deno.env.get("WAYPOINT_INDEX_CACHE_MIN"));
  return Number.isInteger(value) && value >= 0 ? value : CACHE_MIN_FILES;
}

function unpack(stored: Stored): ReadResult {
  if (stored[4] === "r") {
    return {
      kind: "routable",
      fields: {
        summary: stored[5],
        lastUpdated: stored[6],
        readWhen: stored[7],
      },
      status: stored[8],
      ...(stored[9]
        ? { lenient: { line: stored[9], problem: stored[10] } }
        : {}),
    };
  }
  return stored[7]
    ? { kind: "invalid", reasons: stored[5], status: stored[6] }
    : { kind: "invalid", reasons: stored[5] };
}

/** Opens the cache for the repo at `root`; an empty one if none is usable. */
export function openCache(root: string): FrontmatterCache {
  const dir = waypointCacheDir();
  const file = dir
    ? join(dir, "frontmatter", `${fnv1a(root)}.json`)
    : undefined;
  let entries: Record<string, Stored> = {};
  if (file) {
    try {
      const data = JSON.parse(Deno.readTextFileSync(file));
      if (
        data.format === FORMAT && data.waypoint === VERSION &&
        data.root === root && data.entries && typeof data.entries === "object"
      ) entries = data.entries;
    } catch {
      // Missing or unreadable cache: start empty.
    }
  }
  const next: Record<string, Stored> = {};
  let changed = false;
  let kept = 0;
  const startedAt = Date.now();
  return {
    has(path) {
      return Object.hasOwn(entries, path);
    },
    get(path, info) {
      const stored = entries[path];
      if (
        !Array.isArray(stored) || stored[0] !== info.size ||
        stored[1] !== (info.ino ?? 0) ||
        stored[2] !== (info.mtime?.getTime() ?? 0) ||
        stored[3] !== (info.ctime?.getTime() ?? 0)
      ) return undefined;
      next[path] = stored;
      kept++;
      return unpack(stored);
    },
    set(path, info, result) {
      changed = true;
      if (result.kind === "unreadable") return;
      const mtime = info.mtime?.getTime() ?? 0;
      const ctime = info.ctime?.getTime() ?? 0;
      if (
        mtime >= startedAt - RACY_WINDOW_MS ||
        ctime >= startedAt - RACY_WINDOW_MS
      ) return;
      const key = [info.size, info.ino ?? 0, mtime, ctime] as const;
      next[path] = result.kind === "routable"
        ? [
          ...key,
          "r",
          result.fields.summary,
          result.fields.lastUpdated,
          result.fields.readWhen,
          result.status,
          result.lenient?.line ?? 0,
          result.lenient?.problem ?? "",
        ]
        : [
          ...key,
          "i",
          result.reasons,
          result.status ?? null,
          result.status === undefined ? 0 : 1,
        ];
    },
    save() {
      if (!file) return;
      if (!changed && kept === Object.keys(entries).length) return;
      try {
        writeOutsideFileAtomic(
          file,
          JSON.stringify({
            format: FORMAT,
            waypoint: VERSION,
            root,
            entries: next,
          }),
        );
      } catch {
        // A cache that cannot be written only costs speed.
      }
    },
  };
}
