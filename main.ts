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

if (import.meta.main) {
  const [command, ...rest] = Deno.args;
  if (command === "context" && rest.length === 1 && rest[0] === "--hook") {
    const { hookBundleIsCurrent } = await import("./src/cli/hook_bundle.ts");
    const entry: typeof import("./src/cli/hook_entry.ts") =
      await hookBundleIsCurrent(new URL("./", import.meta.url))
        ? await import("./src/cli/hook_bundle.js")
        : await import("./src/cli/hook_entry.ts");
    Deno.exit(await entry.runHookEntry());
  }
  const { runMain } = await import("./src/cli/main.ts");
  Deno.exit(await runMain(Deno.args));
}
