/**
 * Where waypoint keeps per-user caches: `$WAYPOINT_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/waypoint`, else the OS cache folder (`~/.cache`,
 * `~/Library/Caches`, `%LOCALAPPDATA%`) plus `waypoint`.
 *
 * @module
 */
import { join } from "./path.ts";

/** Reads one environment variable; tests pass their own. */
export type EnvLookup = (name: string) => string | undefined;

/** The waypoint cache folder, or `undefined` when no home directory is known. */
export function waypointCacheDir(
  env: EnvLookup = (name) => Deno.env.get(name),
  os: string = Deno.build.os,
): string | undefined {
  const explicit = env("WAYPOINT_CACHE_DIR");
  if (explicit) return explicit;
  const home = env("HOME") ?? env("USERPROFILE");
  let base = env("XDG_CACHE_HOME");
  if (!base) {
    if (os === "windows") {
      base = env("LOCALAPPDATA") ??
        (home ? join(home, "AppData", "Local") : undefined);
    } else if (os === "darwin") {
      base = home ? join(home, "Library", "Caches") : undefined;
    } else base = home ? join(home, ".cache") : undefined;
  }
  return base ? join(base, "waypoint") : undefined;
}

/**
 * A short stable name (FNV-1a of `text`, 8 hex digits) for a cache file
 * kept per folder. A collision only costs a miss: what each such file
 * records (the root it is for, or its files' inodes) tells two folders apart.
 */
export function cacheFileKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
