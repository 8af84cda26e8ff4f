/**
 * The local time zone's name and short name as `Intl` gives them, kept in
 * waypoint's per-user cache: the first `Intl.DateTimeFormat` of a run loads
 * ICU's locale data (13–20 ms of CPU), and the session hook needs nothing
 * else from ICU. The cache key is cheap to work out: `$TZ`, the runtime's
 * own zone id (`Temporal.Now.timeZoneId()`), the UTC offset now (which
 * tells standard from summer time) and the V8 version (which fixes the ICU
 * data). Whatever is wrong with the cache, `Intl` answers and the entry is
 * written again; a write that fails changes nothing.
 *
 * @module
 */
import { join } from "../path.ts";
import { waypointCacheDir } from "../cache_dir.ts";
import { writeOutsideFileAtomic } from "../fs/atomic.ts";

/** The zone's IANA name and its short name (`CET`, `PST`, `GMT+5:30`). */
export interface ZoneNames {
  timeZone: string;
  abbreviation: string;
}

const CACHE_FILE = "time-zones.json";
const FORMAT = 1;
/** Entries kept (a machine sees few zones; travel adds some). */
const MAX_ENTRIES = 16;
const NAME = /^[A-Za-z0-9_+\-/:.]{1,64}$/;

/** The names `Intl` gives for the local zone at `now`. */
export function intlZoneNames(now: Date): ZoneNames {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  const part = new Intl.DateTimeFormat("en-US", {
    timeZone,
    timeZoneName: "short",
  }).formatToParts(now).find((item) => item.type === "timeZoneName");
  return { timeZone, abbreviation: part?.value ?? "UTC" };
}

/** The local zone's names at `now`, from the cache in `cacheDir` when it has them. */
export function localZoneNames(
  now: Date,
  cacheDir: string | undefined = cacheDirOrUndefined(),
): ZoneNames {
  const key = cacheKey(now);
  if (key === undefined || cacheDir === undefined) return intlZoneNames(now);
  const file = join(cacheDir, CACHE_FILE);
  const entries = readEntries(file);
  const cached = entries.get(key);
  if (cached) return cached;
  const names = intlZoneNames(now);
  entries.delete(key);
  entries.set(key, names);
  const kept = [...entries].slice(-MAX_ENTRIES);
  try {
    writeOutsideFileAtomic(
      file,
      JSON.stringify({ format: FORMAT, entries: Object.fromEntries(kept) }),
    );
  } catch {
    // A cache that cannot be written only costs the next run the same work.
  }
  return names;
}

function cacheDirOrUndefined(): string | undefined {
  try {
    return waypointCacheDir();
  } catch {
    return undefined;
  }
}

function cacheKey(now: Date): string | undefined {
  const temporal = (globalThis as {
    Temporal?: { Now?: { timeZoneId?: () => string } };
  }).Temporal;
  try {
    const id = temporal?.Now?.timeZoneId?.();
    if (typeof id !== "string") return undefined;
    const tz = Deno.env.get("TZ") ?? "";
    return [tz, id, -now.getTimezoneOffset(), Deno.version.v8].join("\u0000");
  } catch {
    return undefined;
  }
}

function readEntries(file: string): Map<string, ZoneNames> {
  const entries = new Map<string, ZoneNames>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Deno.readTextFileSync(file));
  } catch {
    return entries;
  }
  const { format, entries: stored } = (parsed ?? {}) as {
    format?: unknown;
    entries?: unknown;
  };
  if (format !== FORMAT || typeof stored !== "object" || stored === null) {
    return entries;
  }
  for (const [key, value] of Object.entries(stored)) {
    const { timeZone, abbreviation } = (value ?? {}) as Record<string, unknown>;
    if (
      typeof timeZone === "string" && NAME.test(timeZone) &&
      typeof abbreviation === "string" && NAME.test(abbreviation)
    ) entries.set(key, { timeZone, abbreviation });
  }
  return entries;
}
