/**
 * Whether `init` checks for a newer waypoint first. Kept free of imports so
 * `init` can ask without loading the updater.
 *
 * @module
 */
import type { EnvLookup } from "./http.ts";

/** The one switch that turns the check off for good: set it to `1`. */
export const NO_UPDATE_CHECK_VARIABLE = "WAYPOINT_NO_UPDATE_CHECK";

/** How the notices tell the user to turn the check off. */
export const TURN_OFF_HINT = `set ${NO_UPDATE_CHECK_VARIABLE}=1`;

/**
 * Whether `CI` says this is a CI run: any non-empty value but `false` (in
 * any case), as CI services set `CI=true` and people write `CI=false` to
 * mean a local run.
 */
export function isCi(env: EnvLookup): boolean {
  const value = env("CI")?.trim() ?? "";
  return value !== "" && value.toLowerCase() !== "false";
}

/**
 * The check runs unless this is CI or {@link NO_UPDATE_CHECK_VARIABLE} is
 * `1`; either way no request is made at all.
 */
export function updateCheckWanted(env: EnvLookup): boolean {
  return !isCi(env) && env(NO_UPDATE_CHECK_VARIABLE) !== "1";
}
