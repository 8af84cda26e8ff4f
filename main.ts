/**
 * waypoint — prepares a repository for the Codex coding agent.
 *
 * Entry point: parses the command line, dispatches to one command module and
 * maps failures to exit codes. The same code runs under `deno run` and as a
 * compiled binary.
 *
 * The Codex SessionStart hook's command line (`context --hook`, nothing
 * else) takes a shorter road: stdin and git are started first, from a few
 * small modules, and run while the hook's own code loads; the command table
 * and dispatch are never loaded (see `src/context/hook_early.ts`).
 *
 * @module
 */

if (import.meta.main) {
  const [command, ...rest] = Deno.args;
  if (command === "context" && rest.length === 1 && rest[0] === "--hook") {
    const { startHookEarly } = await import("./src/context/hook_early.ts");
    const early = startHookEarly();
    // git's guard answers in a few milliseconds; starting git's runs before
    // the module load keeps them off the busy stretch that follows it.
    await early.gitStarted;
    const { runHookCommand } = await import("./src/cli/context_hook.ts");
    Deno.exit(await runHookCommand(early));
  }
  const { runMain } = await import("./src/cli/main.ts");
  Deno.exit(await runMain(Deno.args));
}
