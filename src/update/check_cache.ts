/**
 * Remembers the result of the pre-`init` version check so the registry is
 * asked at most once a day (once an hour after a failed check), in
 * `<user cache dir>/waypoint/update-check.json`.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { EnvLookup } from "./http.ts";
import { waypointCacheDir } from "../cache_dir.ts";

/** A successful check stays fresh this long. */
export const CHECK_TTL_MS = 24 * 60 * 60 * 1000;
/** A failed check (offline, registry down) is not retried for this long. */
export const FAILED_CHECK_TTL_MS = 60 * 60 * 1000;

/** One remembered check. */
export interface CachedCheck {
  /** When the registry was asked (ms since the epoch). */
  checkedAt: number;
  /** The registry that was asked: a different one invalidates the entry. */
  registry: string;
  /** `dist-tags.latest`, or `null` when the check failed. */
  latest: string | null;
}

/**
 * The cache file: `update-check.json` in the waypoint cache folder
 * (`$WAYPOINT_CACHE_DIR`, `$XDG_CACHE_HOME/waypoint`, or the OS cache dir).
 * `undefined` when no home directory is known.
 */
export function cacheFilePath(
  env: EnvLookup,
  os: string = Deno.build.os,
): string | undefined {
  const dir = waypointCacheDir(env, os);
  return dir ? join(dir, "update-check.json") : undefined;
}

/** Whether `entry` still answers for `registry` at time `now`. */
export function isFresh(
  entry: CachedCheck,
  registry: string,
  now: number,
): boolean {
  const age = now - entry.checkedAt;
  const ttl = entry.latest === null ? FAILED_CHECK_TTL_MS : CHECK_TTL_MS;
  return entry.registry === registry && age >= 0 && age < ttl;
}

/** Reads the cache; anything missing or malformed reads as no entry. */
export async function readCachedCheck(
  path: string,
): Promise<CachedCheck | undefined> {
  try {
    const data: unknown = JSON.parse(await Deno.readTextFile(path));
    if (typeof data !== "object" || data === null) return undefined;
    const { checkedAt, registry, latest } = data as Record<string, unknown>;
    if (
      typeof checkedAt !== "number" || typeof registry !== "string" ||
      (latest !== null && typeof latest !== "string")
    ) return undefined;
    return { checkedAt, registry, latest };
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically; failures are ignored (the cache is optional). */
export async function writeCachedCheck(
  path: string,
  entry: CachedCheck,
): Promise<void> {
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(temp, JSON.stringify(entry) + "\n");
    await Deno.rename(temp, path).catch(async () => {
      await Deno.remove(temp).catch(() => {});
    });
  } catch {
    // A read-only cache dir only means the next init asks again.
  }
}
