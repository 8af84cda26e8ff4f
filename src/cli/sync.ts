/**
 * `waypoint sync [dir]`: rebuild both routing indexes.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { loadConfig } from "../config.ts";
import { syncIndexes } from "../indexes/sync.ts";

/** Runs `waypoint sync`. Exit 1 when a doc could not be read (the rest is indexed). */
export async function run(args: string[]): Promise<number> {
  const { dir } = parseCommandArgs("sync", args, {});
  const config = loadConfig(dir);
  const result = await syncIndexes(dir, config);
  for (const path of result.written) console.log(`- Rebuilt ${path}`);
  for (const path of result.unchanged) console.log(`- ${path} is up to date`);
  for (const problem of result.problems) {
    console.error(`waypoint: ${problem.path}: ${problem.message}`);
  }
  return result.problems.length ? 1 : 0;
}
