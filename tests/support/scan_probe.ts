/**
 * Scans one repo's `.waypoint/docs` in a process of its own and prints what
 * the scan found as JSON: `deno run -A scan_probe.ts <root> [stat-only]`.
 * With `stat-only`, any read of a doc fails the scan (exit 3), so a run
 * that succeeds was answered by the scan memo. The cache settings come from
 * the environment it is given, never from the test process's own.
 *
 * @module
 */
import { Repo } from "../../src/fs/mod.ts";
import {
  createReader,
  type FrontmatterReader,
} from "../../src/indexes/read.ts";
import { closeDocsScan, scanDocs } from "../../src/indexes/docs.ts";

const [root, mode] = Deno.args;
const repo = Repo.open(root);
const plain = createReader(repo);
const reader: FrontmatterReader = mode === "stat-only"
  ? { ...plain, readEach: () => Promise.reject(new Error("a doc was read")) }
  : plain;
let scan;
try {
  scan = await scanDocs(repo, [".waypoint/docs"], reader);
} catch (error) {
  console.error(String(error));
  Deno.exit(3);
}
const chunks = [...scan.roots[0].listing!.chunks()].map((chunk) =>
  chunk.slice()
);
const listing = new TextDecoder().decode(
  new Uint8Array(chunks.flatMap((chunk) => [...chunk])),
);
console.log(JSON.stringify({
  count: scan.roots[0].count,
  invalid: scan.invalid,
  lenient: scan.lenient,
  problems: scan.problems,
  listing,
}));
closeDocsScan(scan);
plain.finish();
