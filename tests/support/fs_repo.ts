/**
 * A scratch repository for the `src/fs` unit tests: a temp folder opened as
 * a `Repo`, and a folder outside it for links to lead to.
 *
 * @module
 */
import { Repo } from "../../src/fs/mod.ts";

/** A temp repo, a temp folder outside it, and the `Repo` opened on the first. */
export interface ScratchRepo {
  /** The repo folder (absolute). */
  root: string;
  /** A folder outside the repo (absolute). */
  outside: string;
  /** The repo, opened on `root`. */
  repo: Repo;
}

/** Runs `work` in a fresh scratch repo, removing both folders after. */
export async function withScratchRepo(
  work: (scratch: ScratchRepo) => void | Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "waypoint-fs-" });
  const outside = await Deno.makeTempDir({ prefix: "waypoint-fs-out-" });
  try {
    await work({ root, outside, repo: Repo.open(root) });
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
}
