/**
 * The newest published waypoint: `dist-tags.latest` of the main package,
 * straight from the registry or from the day-long cache.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import {
  cacheFilePath,
  isFresh,
  readCachedCheck,
  writeCachedCheck,
} from "./check_cache.ts";
import type { EnvLookup } from "./http.ts";
import { fetchPackument, MAIN_PACKAGE, type Registry } from "./registry.ts";

/** Asks the registry for `dist-tags.latest` and records the answer in the cache. */
export async function fetchLatest(
  registry: Registry,
  env: EnvLookup,
  timeoutMs: number,
): Promise<string> {
  const packument = await fetchPackument(registry, MAIN_PACKAGE, timeoutMs);
  const latest = packument.distTags.latest;
  if (!latest) {
    throw new WaypointError(
      `${MAIN_PACKAGE} at ${registry.display} has no "latest" dist-tag`,
    );
  }
  const path = cacheFilePath(env);
  if (path) {
    await writeCachedCheck(path, {
      checkedAt: Date.now(),
      registry: registry.display,
      latest,
    });
  }
  return latest;
}

/** Records a failed check, so the next hour asks the registry nothing. */
export async function rememberFailedCheck(
  registry: Registry,
  env: EnvLookup,
): Promise<void> {
  const path = cacheFilePath(env);
  if (path) {
    await writeCachedCheck(path, {
      checkedAt: Date.now(),
      registry: registry.display,
      latest: null,
    });
  }
}

/**
 * Like {@link fetchLatest} but answers from the cache while it is fresh.
 * A failed lookup is remembered too (as `null`), so an offline machine does
 * not wait for the network on every run; it then rethrows.
 */
export async function cachedLatest(
  registry: Registry,
  env: EnvLookup,
  timeoutMs: number,
): Promise<string | null> {
  const path = cacheFilePath(env);
  const cached = path ? await readCachedCheck(path) : undefined;
  if (cached && isFresh(cached, registry.display, Date.now())) {
    return cached.latest;
  }
  try {
    return await fetchLatest(registry, env, timeoutMs);
  } catch (error) {
    await rememberFailedCheck(registry, env);
    throw error;
  }
}
