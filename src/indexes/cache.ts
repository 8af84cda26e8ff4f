/**
 * A per-repo cache of parsed frontmatter, keyed by each file's size, inode,
 * mtime and ctime, so `sync` and `doctor` on thousands of docs stat files
 * instead of reading and parsing them. Used only for large doc sets; small
 * repos never write one.
 *
 * Correctness over speed: an entry is trusted only when every key matches,
 * and entries for files modified within two seconds of the cache being
 * written are never stored (a later edit in the same clock tick and of the
 * same size could otherwise go unseen). Any problem with the cache file
 * means "no cache".
 *
 * @module
 */
import { join } from "node:path";
import { waypointCacheDir } from "../cache_dir.ts";
import { writeOutsideFileAtomic } from "../fs/mod.ts";
import { VERSION } from "../version.ts";
import type { ReadResult } from "./read.ts";

/** Doc sets smaller than this are read directly; the cache would not pay for itself. */
export const CACHE_MIN_FILES = 500;

const RACY_WINDOW_MS = 2000;
const FORMAT = 1;

type Key = [size: number, ino: number, mtime: number, ctime: number];
type Stored = [...Key, result: ReadResult];

/** A loaded cache for one repo. */
export interface FrontmatterCache {
  /** Returns the cached result for `path` if the file is unchanged. */
  get(path: string, info: Deno.FileInfo): ReadResult | undefined;
  /** Records a fresh result. */
  set(path: string, info: Deno.FileInfo, result: ReadResult): void;
  /** Writes the cache if anything changed; failures are ignored. */
  save(): void;
}

function keyOf(info: Deno.FileInfo): Key {
  return [
    info.size,
    info.ino ?? 0,
    info.mtime?.getTime() ?? 0,
    info.ctime?.getTime() ?? 0,
  ];
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

/** Opens the cache for the repo at `root`; an empty one if none is usable. */
export function openCache(root: string): FrontmatterCache {
  const dir = waypointCacheDir();
  const file = dir
    ? join(
      dir,
      "frontmatter",
      `${fnv1a(root)}.json`,
    )
    : undefined;
  let entries: Record<string, Stored> = {};
  if (file) {
    try {
      const data = JSON.parse(Deno.readTextFileSync(file));
      if (
        data.format === FORMAT && data.waypoint === VERSION &&
        data.root === root
      ) entries = data.entries;
    } catch {
      // Missing or unreadable cache: start empty.
    }
  }
  const next: Record<string, Stored> = {};
  let changed = false;
  const startedAt = Date.now();
  return {
    get(path, info) {
      const stored = entries[path];
      if (!stored) return undefined;
      const key = keyOf(info);
      for (let i = 0; i < 4; i++) if (stored[i] !== key[i]) return undefined;
      next[path] = stored;
      return stored[4];
    },
    set(path, info, result) {
      changed = true;
      if (result.kind === "unreadable") return;
      const key = keyOf(info);
      if (
        key[2] >= startedAt - RACY_WINDOW_MS ||
        key[3] >= startedAt - RACY_WINDOW_MS
      ) return;
      next[path] = [...key, result];
    },
    save() {
      if (!file) return;
      if (
        !changed && Object.keys(next).length === Object.keys(entries).length
      ) return;
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
