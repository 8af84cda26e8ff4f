/**
 * waypoint — prepares a repository for the Codex coding agent.
 *
 * Entry point: parses the command line, dispatches to one command module and
 * maps failures to exit codes. The same code runs under `deno run` and as a
 * compiled binary.
 *
 * @module
 */
import { runMain } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await runMain(Deno.args));
}
