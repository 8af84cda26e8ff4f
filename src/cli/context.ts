/**
 * `waypoint context [dir] [--thread-id ID]`: write the session-start context
 * bundle to `.waypoint/context/` and rebuild both indexes.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { UsageError } from "../errors.ts";
import { buildBundle } from "../context/bundle.ts";
import { contextPath } from "../context/manifest.ts";
import { codexHome } from "../context/transcripts/find.ts";

/** Runs `waypoint context`. Index problems are warned about; the bundle is still written. */
export async function run(args: string[]): Promise<number> {
  const { dir, values } = parseCommandArgs("context", args, {
    "thread-id": { type: "string" },
  });
  const option = values["thread-id"];
  if (typeof option === "string" && option.trim() === "") {
    throw new UsageError(
      "context: --thread-id needs a thread id (see 'waypoint context --help')",
    );
  }
  const config = loadConfig(dir);
  const threadId = typeof option === "string"
    ? option.trim()
    : Deno.env.get("CODEX_THREAD_ID")?.trim() || undefined;
  const result = await buildBundle(dir, config, {
    codexHome: codexHome(Deno.env),
    threadId,
    now: new Date(),
  });
  for (const path of result.sync.written) console.log(`- Rebuilt ${path}`);
  for (const path of result.sync.unchanged) {
    console.log(`- ${path} is up to date`);
  }
  for (const path of result.files) console.log(`- Wrote ${path}`);
  console.log(
    `- Context ready: read ${
      contextPath("MANIFEST.md")
    } and every file it lists`,
  );
  for (const problem of [...result.sync.problems, ...result.sync.refused]) {
    console.error(`waypoint: warning: ${problem.path}: ${problem.message}`);
  }
  return 0;
}
