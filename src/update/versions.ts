/**
 * Version decisions for the updater, with real semver ordering: never move
 * to an older version, and take a prerelease only when it is asked for.
 *
 * @module
 */
import semver from "semver";
import { UsageError, WaypointError } from "../errors.ts";

/** What the updater should do. */
export type UpgradePlan =
  | { kind: "upgrade"; version: string }
  | { kind: "current"; version: string; note?: string };

/** Inputs of {@link planUpgrade}. */
export interface PlanInput {
  /** The running waypoint's version. */
  current: string;
  /** `dist-tags.latest` of the main package (ignored when `requested` is set). */
  latest?: string;
  /** `--version X`, when given. */
  requested?: string;
  /** Where the versions came from, for messages. */
  registryUrl: string;
}

/**
 * Decides between upgrading and staying. Throws on an unusable version
 * string or when the requested version is older than the running one.
 */
export function planUpgrade(input: PlanInput): UpgradePlan {
  const current = semver.valid(input.current);
  if (!current) {
    throw new WaypointError(
      `the running waypoint has an invalid version "${input.current}"`,
    );
  }
  if (input.requested !== undefined) {
    return planRequested(current, input.requested);
  }
  const latest = input.latest === undefined ? null : semver.valid(input.latest);
  if (!latest) {
    throw new WaypointError(
      `the registry at ${input.registryUrl} has no valid "latest" version of waypoint-codex` +
        (input.latest ? ` (found "${input.latest}")` : ""),
    );
  }
  if (semver.prerelease(latest) && semver.gt(latest, current)) {
    return {
      kind: "current",
      version: current,
      note:
        `the newest version ${latest} is a prerelease; install it with 'waypoint upgrade --version ${latest}'`,
    };
  }
  if (semver.gt(latest, current)) return { kind: "upgrade", version: latest };
  if (semver.lt(latest, current)) {
    return {
      kind: "current",
      version: current,
      note: `the registry's latest is ${latest}, older than this one`,
    };
  }
  return { kind: "current", version: current };
}

function planRequested(current: string, requested: string): UpgradePlan {
  const version = semver.valid(requested);
  if (!version) {
    throw new UsageError(
      `upgrade: --version needs an exact version such as 1.2.3, got "${requested}"`,
    );
  }
  if (semver.lt(version, current)) {
    throw new WaypointError(
      `${version} is older than the running waypoint ${current}; upgrade never moves to an older version`,
    );
  }
  return semver.eq(version, current)
    ? { kind: "current", version: current }
    : { kind: "upgrade", version };
}

/** Whether `candidate` is newer than `current` and a release (not a prerelease). */
export function isNewerRelease(candidate: string, current: string): boolean {
  const version = semver.valid(candidate);
  return version !== null && semver.prerelease(version) === null &&
    semver.valid(current) !== null && semver.gt(version, current);
}
