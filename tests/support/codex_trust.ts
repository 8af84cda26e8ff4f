/**
 * A Codex user config that trusts a scaffolded repo fully: the project, and
 * waypoint's SessionStart hook as `waypoint init` writes it (the only group
 * of a fresh `.codex/hooks.json`), so doctor tests start from a clean report.
 *
 * @module
 */
import { join } from "node:path";
import {
  HOOKS_JSON_PATH,
  hookStateKey,
  hookTrustHash,
  SESSION_START_LABEL,
  WAYPOINT_HOOK_MATCHER,
  waypointHandler,
} from "../../src/codex_hooks.ts";

/** The `[hooks.state]` lines that trust waypoint's hook in a fresh scaffold at `dir`. */
export async function hookTrustToml(dir: string): Promise<string> {
  const real = await Deno.realPath(dir);
  const key = hookStateKey(
    join(real, HOOKS_JSON_PATH),
    SESSION_START_LABEL,
    0,
    0,
  );
  const hash = await hookTrustHash(
    SESSION_START_LABEL,
    WAYPOINT_HOOK_MATCHER,
    waypointHandler(),
  );
  return `[hooks.state.${JSON.stringify(key)}]\ntrusted_hash = ${
    JSON.stringify(hash)
  }\n`;
}

/** Config text trusting the project at `dir` (first line) and waypoint's hook in it. */
export async function trustedCodexConfig(dir: string): Promise<string> {
  const real = await Deno.realPath(dir);
  return `[projects.${
    JSON.stringify(real)
  }]\ntrust_level = "trusted"\n\n${await hookTrustToml(
    dir,
  )}`;
}
