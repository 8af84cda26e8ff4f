/**
 * `waypoint sync [dir] [--json]`: rebuild both routing indexes.
 *
 * @module
 */
import { printErrorLine, printLine } from "../output.ts";
import { printReport } from "./json_report.ts";
import { quickCommandArgs } from "./command_args.ts";
import { loadConfig } from "../config.ts";
import {
  formatIndexProblem,
  syncIndexes,
  type SyncResult,
} from "../indexes/sync.ts";
import { existingRoot } from "./root.ts";
import { Repo } from "../fs/mod.ts";

/** A doc the index left out, and why. */
export interface SkippedDoc {
  path: string;
  reason: string;
}

/** The `sync --json` document. */
export interface SyncReport {
  command: "sync";
  root: string;
  written: string[];
  unchanged: string[];
  activeTrackers: string[];
  problems: { path: string; message: string }[];
  skipped: SkippedDoc[];
  /** Docs read leniently (strict YAML refuses them). */
  lenient: { path: string; message: string }[];
  /** Index files not written because something else is there (exit 1). */
  refused: { path: string; message: string }[];
}

/**
 * Runs `waypoint sync`. Every doc left out, and every doc read leniently, is
 * a warning line on stderr; exit 1 only when an index could not be written.
 */
export async function run(args: string[]): Promise<number> {
  // The full parser loads node:util, which boots Deno's Node layer: only
  // for shapes the quick one leaves to it.
  const { dir, values } = quickCommandArgs("sync", args) ??
    (await import("./args.ts")).parseCommandArgs("sync", args);
  const { root } = existingRoot(dir);
  const repo = Repo.open(root);
  const config = loadConfig(repo);
  const result = await syncIndexes(repo, config);
  const report = syncReport(root, result);
  for (
    const problem of [...result.problems, ...result.skipped, ...result.lenient]
  ) printErrorLine(`waypoint: warning: ${formatIndexProblem(problem)}`);
  for (const problem of result.refused) {
    printErrorLine(`waypoint: ${formatIndexProblem(problem)}`);
  }
  if (values.json) printReport(report);
  else {
    for (const path of report.written) printLine(`- Rebuilt ${path}`);
    for (const path of report.unchanged) printLine(`- ${path} is up to date`);
  }
  return report.refused.length ? 1 : 0;
}

/** Decides what `sync` reports from what {@link syncIndexes} did. */
export function syncReport(root: string, result: SyncResult): SyncReport {
  return {
    command: "sync",
    root,
    written: [...result.written],
    unchanged: [...result.unchanged],
    activeTrackers: [...result.activeTrackers],
    problems: pairs(result.problems),
    skipped: result.skipped.map(({ path, message }) => ({
      path,
      reason: message,
    })),
    lenient: pairs(result.lenient),
    refused: pairs(result.refused),
  };
}

function pairs(
  problems: readonly { path: string; message: string }[],
): { path: string; message: string }[] {
  return problems.map(({ path, message }) => ({ path, message }));
}
