/**
 * waypoint — prepares a repository for the Codex coding agent.
 *
 * Entry point: parses the command line, dispatches to one command module and
 * maps failures to exit codes. The same code runs under `deno run` and as a
 * compiled binary.
 *
 * The Codex SessionStart hook's command line (`context --hook`, nothing
 * else) takes a shorter road, `src/cli/hook_entry.ts`: the command table
 * and dispatch are never loaded, and the hook's code is loaded as one
 * bundled file when that is current (see `src/cli/hook_bundle.ts`).
 *
 * @module
 */
import type * as Cli from "./src/cli/main.ts";
import type * as HookCheck from "./src/cli/hook_bundle.ts";
import type * as HookEntry from "./src/cli/hook_entry.ts";

/**
 * The modules this file loads on demand, by path from this file. They are
 * named here rather than in literal `import()` calls because `deno run`
 * reads and parses every module a literal dynamic import can reach before
 * the first line runs: for the hook that was 234 source files instead of
 * 11. `deno compile` cannot see them either, so its tasks pass each one
 * as `--include` (`tests/distribution_test.ts` holds them to this list).
 * The bundle is left out of the binary on purpose: a compiled binary
 * cannot prove the bundle current and loads `hookEntry` instead.
 */
export const LAZY_ENTRIES = {
  cli: "./src/cli/main.ts",
  hookCheck: "./src/cli/hook_bundle.ts",
  hookEntry: "./src/cli/hook_entry.ts",
  hookBundle: "./src/cli/hook_bundle.js",
} as const;

/** The `--include` paths `deno compile` needs: every lazy entry but the bundle. */
export const COMPILE_INCLUDES: readonly string[] = [
  LAZY_ENTRIES.cli,
  LAZY_ENTRIES.hookCheck,
  LAZY_ENTRIES.hookEntry,
].map((path) => path.slice(2));

/** Imports one of {@link LAZY_ENTRIES} through a specifier no tool reads ahead. */
function load<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}

if (import.meta.main) {
  const [command, ...rest] = Deno.args;
  if (command === "context" && rest.length === 1 && rest[0] === "--hook") {
    const { hookBundleIsCurrent } = await load<typeof HookCheck>(
      LAZY_ENTRIES.hookCheck,
    );
    const entry = await load<typeof HookEntry>(
      await hookBundleIsCurrent(new URL("./", import.meta.url))
        ? LAZY_ENTRIES.hookBundle
        : LAZY_ENTRIES.hookEntry,
    );
    Deno.exit(await entry.runHookEntry());
  }
  const { runMain } = await load<typeof Cli>(LAZY_ENTRIES.cli);
  Deno.exit(await runMain(Deno.args));
}
