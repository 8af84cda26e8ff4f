/**
 * Which file an upgrade replaces: `WAYPOINT_SELF_PATH` when set (tests and
 * packagers use it), else the running executable. Running from source, the
 * executable is the Deno runtime, which waypoint must never overwrite; a
 * binary inside `node_modules` belongs to npm.
 *
 * @module
 */
import { resolve } from "node:path";
import { WaypointError } from "../errors.ts";
import type { EnvLookup } from "./http.ts";

/** Where the running waypoint lives, and whether it may replace itself. */
export type SelfLocation =
  | { kind: "binary"; path: string }
  | { kind: "source"; runtime: string }
  | { kind: "npm"; path: string };

/** Facts about the process, injectable for tests. */
export interface ProcessFacts {
  execPath: string;
  /** `Deno.build.standalone`: true for a `deno compile` binary. */
  standalone: boolean;
}

/** Finds the executable to replace and classifies it. */
export async function locateSelf(
  env: EnvLookup,
  facts: ProcessFacts = {
    execPath: Deno.execPath(),
    standalone: Deno.build.standalone,
  },
): Promise<SelfLocation> {
  const override = env("WAYPOINT_SELF_PATH");
  if (override) {
    return classify(await realFile(resolve(override), "WAYPOINT_SELF_PATH"));
  }
  if (!facts.standalone) return { kind: "source", runtime: facts.execPath };
  return classify(await realFile(facts.execPath, "the running executable"));
}

function classify(path: string): SelfLocation {
  return path.split(/[\\/]/).includes("node_modules")
    ? { kind: "npm", path }
    : { kind: "binary", path };
}

async function realFile(path: string, label: string): Promise<string> {
  let real: string;
  try {
    // Replace the file a symlink points at, not the link.
    real = await Deno.realPath(path);
  } catch (error) {
    const problem = error instanceof Deno.errors.NotFound
      ? "does not exist"
      : "cannot be read";
    throw new WaypointError(`${label} ${path} ${problem}`, { cause: error });
  }
  const info = await Deno.stat(real);
  if (!info.isFile) {
    throw new WaypointError(`${label} ${real} is not a file`);
  }
  return real;
}

/** Explains why `location` cannot be replaced; `undefined` when it can. */
export function refusal(location: SelfLocation): string | undefined {
  switch (location.kind) {
    case "binary":
      return undefined;
    case "source":
      return `waypoint is running from source, so its executable is the Deno runtime (${location.runtime}), which upgrade will not touch; update your checkout instead, or set WAYPOINT_SELF_PATH to a waypoint binary`;
    case "npm":
      return `waypoint at ${location.path} was installed by npm; update it with npm instead: npm install -g waypoint-codex@latest (without -g inside a project)`;
  }
}

/** Returns the replaceable binary's path, or throws the {@link refusal}. */
export function replaceablePath(location: SelfLocation): string {
  const reason = refusal(location);
  if (reason !== undefined || location.kind !== "binary") {
    throw new WaypointError(reason ?? "no replaceable binary");
  }
  return location.path;
}
