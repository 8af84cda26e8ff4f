/**
 * Prints, as JSON, `Repo.listDir` of each folder given, in a process of its
 * own: `deno run -A list_probe.ts <root> <folder>…` (repo paths; `""` is the
 * root). A folder that cannot be listed prints its error message instead.
 * Run with `WAYPOINT_DOC_HEADS=deno` it lists through Deno's API, without
 * it through `getdents64`, so a test can hold the two to the same answer.
 *
 * @module
 */
import { Repo } from "../../src/fs/mod.ts";

const [root, ...folders] = Deno.args;
const repo = Repo.open(root);
const listings = folders.map((folder) => {
  try {
    return repo.listDir(folder) ?? null;
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
});
console.log(JSON.stringify(listings));
