/**
 * `waypoint sync [dir]`: rebuild both routing indexes.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { formatIndexProblem, syncIndexes } from "../indexes/sync.ts";

/**
 * Runs `waypoint sync`. Every doc left out, and every doc read leniently, is
 * a warning line on stderr; exit 1 only when an index could not be written.
 */
export async function run(args: string[]): Promise<number> {
  const { dir } = parseCommandArgs("sync", args, {});
  const config = loadConfig(dir);
  const result = await syncIndexes(dir, config);
  for (const path of result.written) console.log(`- Rebuilt ${path}`);
  for (const path of result.unchanged) console.log(`- ${path} is up to date`);
  for (
    const problem of [...result.problems, ...result.skipped, ...result.lenient]
  ) console.error(`waypoint: warning: ${formatIndexProblem(problem)}`);
  for (const problem of result.refused) {
    console.error(`waypoint: ${formatIndexProblem(problem)}`);
  }
  return result.refused.length ? 1 : 0;
}
