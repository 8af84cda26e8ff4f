/**
 * The few `.npmrc` settings the updater honours: `registry=` and
 * `//host/path/:_authToken=` lines, with npm's `${VAR}` expansion.
 *
 * @module
 */
import { join } from "node:path";
import type { EnvLookup } from "./http.ts";

/** Key/value settings read from an `.npmrc`. */
export type NpmrcValues = Map<string, string>;

/**
 * Parses `.npmrc` text (ini: `key = value`, `#`/`;` comments, optional
 * quotes). `${NAME}` in keys and values is replaced from `env`, as npm does;
 * an unset variable becomes empty.
 */
export function parseNpmrc(text: string, env: EnvLookup): NpmrcValues {
  const values: NpmrcValues = new Map();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) continue;
    const equals = line.indexOf("=");
    if (equals <= 0) continue;
    const key = expand(line.slice(0, equals).trim(), env);
    let value = line.slice(equals + 1).trim();
    if (
      value.length >= 2 &&
      (value[0] === '"' || value[0] === "'") &&
      value.endsWith(value[0])
    ) value = value.slice(1, -1);
    values.set(key, expand(value, env));
  }
  return values;
}

function expand(text: string, env: EnvLookup): string {
  return text.replace(
    /(\\*)\$\{([^${}?]+)\??\}/g,
    (match, slashes: string, name: string) =>
      slashes.length % 2 ? match.slice(1) : slashes + (env(name) ?? ""),
  );
}

/**
 * Finds the bearer token for `url`: the `//host[:port]/path/:_authToken`
 * line whose path is the longest prefix of the URL's path. Tokens are never
 * sent to a host the `.npmrc` does not name.
 */
export function authTokenFor(
  url: string,
  values: NpmrcValues,
): string | undefined {
  const parsed = new URL(url);
  let path = parsed.pathname.replace(/[^/]*$/, "");
  for (;;) {
    const token = values.get(`//${parsed.host}${path}:_authToken`);
    if (token) return token;
    if (path === "/" || path === "") return undefined;
    path = path.replace(/[^/]*\/$/, "");
  }
}

/**
 * The user's npm config file: `npm_config_userconfig` when set, else
 * `~/.npmrc`; `undefined` without a home directory.
 */
export function userNpmrcPath(env: EnvLookup): string | undefined {
  const explicit = env("npm_config_userconfig") ??
    env("NPM_CONFIG_USERCONFIG");
  if (explicit) return explicit;
  const home = env("HOME") ?? env("USERPROFILE");
  return home ? join(home, ".npmrc") : undefined;
}

/** Reads and parses an `.npmrc`; a missing or unreadable file gives no settings. */
export async function readNpmrc(
  path: string | undefined,
  env: EnvLookup,
): Promise<NpmrcValues> {
  if (!path) return new Map();
  try {
    return parseNpmrc(await Deno.readTextFile(path), env);
  } catch {
    // npm itself carries on without an unreadable user config.
    return new Map();
  }
}
