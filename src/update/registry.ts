/**
 * Which npm registry to ask, and fetching abbreviated package metadata from
 * it over plain HTTP (no npm, no Node).
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import {
  type EnvLookup,
  maskCredentials,
  networkError,
  readTextCapped,
  startIdleTimer,
} from "./http.ts";
import {
  authTokenFor,
  type NpmrcValues,
  readNpmrc,
  userNpmrcPath,
} from "./npmrc.ts";

/** The public npm registry, used when nothing else is configured. */
export const PUBLIC_REGISTRY = "https://registry.npmjs.org/";

/** The npm package whose `latest` tag names the newest waypoint. */
export const MAIN_PACKAGE = "waypoint-codex";

const DEFAULT_SOURCE = "the default";

/** npm's own header for abbreviated ("corgi") metadata, with fallbacks. */
const ACCEPT =
  "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

/** A registry to talk to and the credentials that go with it. */
export interface Registry {
  /** Base URL ending in `/` (may hold `user:password@`: never print it). */
  url: string;
  /** The URL for messages and caches: credentials shown as `***`. */
  display: string;
  /** Where the URL came from, for messages (e.g. `WAYPOINT_REGISTRY`). */
  source: string;
  /** Settings from the user's `.npmrc` (tokens are looked up per request). */
  npmrc: NpmrcValues;
}

/** One version's entry in abbreviated metadata. */
export interface VersionManifest {
  version: string;
  dist: { tarball: string; integrity?: string };
}

/** The parts of a packument the updater reads. */
export interface Packument {
  name: string;
  distTags: Record<string, string>;
  versions: Record<string, VersionManifest>;
}

/**
 * Chooses the registry: `WAYPOINT_REGISTRY`, else `NPM_CONFIG_REGISTRY` /
 * `npm_config_registry`, else `registry=` in the `.npmrc`, else the public
 * registry. Throws when the chosen value is not an http(s) URL.
 */
export function chooseRegistry(env: EnvLookup, npmrc: NpmrcValues): Registry {
  const candidates: [string, string | undefined][] = [
    ["WAYPOINT_REGISTRY", env("WAYPOINT_REGISTRY")],
    ["NPM_CONFIG_REGISTRY", env("NPM_CONFIG_REGISTRY")],
    ["npm_config_registry", env("npm_config_registry")],
    ["registry= in .npmrc", npmrc.get("registry")],
  ];
  const [source, value] = candidates.find(([, value]) => value?.trim()) ??
    [DEFAULT_SOURCE, PUBLIC_REGISTRY];
  const url = normalizeRegistryUrl(value!.trim(), source);
  return { url, display: maskCredentials(url), source, npmrc };
}

function normalizeRegistryUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WaypointError(
      `${source} is not a URL: "${
        maskCredentials(value)
      }" (expected e.g. ${PUBLIC_REGISTRY})`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WaypointError(
      `${source} must be an http(s) URL, found "${maskCredentials(value)}"`,
    );
  }
  url.search = "";
  url.hash = "";
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/** Resolves the registry from the real environment and the user's `.npmrc`. */
export async function loadRegistry(env: EnvLookup): Promise<Registry> {
  return chooseRegistry(env, await readNpmrc(userNpmrcPath(env), env));
}

/**
 * Headers for a request to `url`: the bearer token from `.npmrc` if one
 * matches; else, for a URL on the registry's own host, the `user:password`
 * of the registry URL as basic auth (as npm does for tarballs).
 */
export function authHeaders(
  registry: Registry,
  url: string,
): Record<string, string> {
  const token = authTokenFor(url, registry.npmrc);
  if (token) return { authorization: `Bearer ${token}` };
  const base = new URL(registry.url);
  const target = new URL(url);
  if (
    base.username && !target.username && target.host === base.host &&
    target.protocol === base.protocol
  ) {
    const pair = `${decodeURIComponent(base.username)}:${
      decodeURIComponent(base.password)
    }`;
    const bytes = new TextEncoder().encode(pair);
    return {
      authorization: `Basic ${btoa(String.fromCharCode(...bytes))}`,
    };
  }
  return {};
}

/** The most metadata the updater reads for one package. */
export const MAX_METADATA_BYTES = 64 * 1024 * 1024;

/**
 * Fetches abbreviated metadata for `name`. Every failure (unreachable,
 * timeout, HTTP error, not JSON, not a packument) is one {@link WaypointError}.
 */
export async function fetchPackument(
  registry: Registry,
  name: string,
  timeoutMs: number,
): Promise<Packument> {
  const url = new URL(name.replace("/", "%2f"), registry.url).href;
  const what = `the registry at ${registry.display}`;
  // Metadata is small: the whole answer must come within one timeout.
  const timer = startIdleTimer(timeoutMs, timeoutMs);
  let body: string;
  let contentType: string;
  try {
    const response = await fetch(url, {
      headers: { accept: ACCEPT, ...authHeaders(registry, url) },
      signal: timer.signal,
    });
    contentType = response.headers.get("content-type") ?? "no content type";
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw httpStatusError(response, registry, name);
    }
    body = await readTextCapped(response, MAX_METADATA_BYTES, timer, what);
  } catch (error) {
    throw networkError(error, what, timer, url, "the registry");
  } finally {
    timer.clear();
  }
  return parsePackument(body, contentType, registry, name);
}

function httpStatusError(
  response: Response,
  registry: Registry,
  name: string,
): WaypointError {
  const status = `${response.status}${
    response.statusText ? ` ${response.statusText}` : ""
  }`;
  if (response.status === 404) {
    return new WaypointError(
      `${name} was not found in the registry at ${registry.display} (${status}${
        registry.source === DEFAULT_SOURCE ? "" : `; set by ${registry.source}`
      })`,
    );
  }
  if (response.status === 401 || response.status === 403) {
    const host = new URL(registry.url).host;
    return new WaypointError(
      `the registry at ${registry.display} refused access to ${name} (${status}): add "//${host}/:_authToken=<token>" to your .npmrc`,
    );
  }
  return new WaypointError(
    `the registry at ${registry.display} answered ${status} for ${name}; try again later`,
  );
}

/** Validates metadata text and keeps only what the updater needs. */
export function parsePackument(
  text: string,
  contentType: string,
  registry: Pick<Registry, "display">,
  name: string,
): Packument {
  const invalid = (detail: string) =>
    new WaypointError(
      `the registry at ${registry.display} did not send package metadata for ${name} (${detail})`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(`got ${contentType.split(";")[0]} that is not JSON`);
  }
  if (!isRecord(data) || !isRecord(data.versions)) {
    throw invalid("no versions in the JSON");
  }
  const distTags = isRecord(data["dist-tags"]) ? data["dist-tags"] : {};
  const versions: Record<string, VersionManifest> = {};
  for (const [version, entry] of Object.entries(data.versions)) {
    if (!isRecord(entry) || !isRecord(entry.dist)) continue;
    const { tarball, integrity } = entry.dist;
    if (typeof tarball !== "string") continue;
    versions[version] = {
      version,
      dist: {
        tarball,
        integrity: typeof integrity === "string" ? integrity : undefined,
      },
    };
  }
  return {
    name,
    distTags: Object.fromEntries(
      Object.entries(distTags).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>,
    versions,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
