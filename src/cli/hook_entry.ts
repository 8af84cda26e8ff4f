/**
 * The Codex SessionStart hook's road from the entry point, for the command
 * line `init` installs (`waypoint context --hook`, nothing else): stdin and
 * git start first, then the hook runs; the command table and dispatch are
 * never loaded. `scripts/bundle_hook.ts` bundles this module and everything
 * it imports into `hook_bundle.js`, which `main.ts` runs when it is current
 * (see `hook_bundle.ts`).
 *
 * @module
 */
import { startHookEarly } from "../context/hook_early.ts";
import { runHookCommand } from "./context_hook.ts";

/** Runs `waypoint context --hook` and returns its exit code (always 0). */
export async function runHookEntry(): Promise<number> {
  const early = startHookEarly();
  // git's guard answers in a few milliseconds; starting git's runs before
  // the hook's work keeps them off the busy stretch that follows.
  await early.gitStarted;
  return await runHookCommand(early);
}
