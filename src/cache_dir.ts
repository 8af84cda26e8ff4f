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
