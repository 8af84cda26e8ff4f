/**
 * `waypoint context [dir] [--thread-id ID] [--json | --hook]`: write the
 * session-start context bundle to `.waypoint/context/` and rebuild both
 * indexes; with `--hook`, as a Codex SessionStart hook (see `context_hook.ts`).
 *
 * @module
 */
import { printErrorLine, printLine } from "../output.ts";
import { printReport } from "./json_report.ts";
import { quickCommandArgs } from "./command_args.ts";
import { loadConfig } from "../config.ts";
import { UsageError } from "../errors.ts";
import { buildBundle, type BundleResult } from "../context/bundle.ts";
import { contextPath } from "../context/manifest.ts";
import { codexHome } from "../codex_home.ts";
import { existingRoot } from "./root.ts";
import { hookDeadline, runHook } from "./context_hook.ts";
import { Repo } from "../fs/mod.ts";

/** The `context --json` document. */
export interface ContextReport {
  command: "context";
  root: string;
  /** The bundle's manifest, the file a session reads first. */
  manifest: string;
  files: string[];
  indexes: { written: string[]; unchanged: string[] };
  warnings: { path: string; message: string }[];
}

/** Runs `waypoint context`. Index problems are warned about; the bundle is still written. */
export async function run(args: string[]): Promise<number> {
  // The hook's plain `context --hook` never loads node:util's parser.
  const { dir, values } = quickCommandArgs("context", args) ??
    (await import("./args.ts")).parseCommandArgs("context", args);
  const option = values["thread-id"];
  if (typeof option === "string" && option.trim() === "") {
    throw new UsageError(
      "context: --thread-id needs a thread id (see 'waypoint context --help')",
    );
  }
  if (values.hook) {
    if (values.json) {
      throw new UsageError(
        "context: --hook and --json cannot be used together: --hook prints the JSON Codex reads (see 'waypoint context --help')",
      );
    }
    return await runHook({
      dir,
      threadId: typeof option === "string" ? option.trim() : undefined,
      codexHome: codexHome(),
      now: new Date(),
      deadlineMs: hookDeadline(),
    });
  }
  const { root } = existingRoot(dir);
  const repo = Repo.open(root);
  const config = loadConfig(repo);
  const threadId = typeof option === "string"
    ? option.trim()
    : Deno.env.get("CODEX_THREAD_ID")?.trim() || undefined;
  const result = await buildBundle(repo, config, {
    codexHome: codexHome(),
    threadId,
    now: new Date(),
  });
  const report = contextReport(root, result);
  if (values.json) printReport(report);
  else {
    for (const path of report.indexes.written) printLine(`- Rebuilt ${path}`);
    for (const path of report.indexes.unchanged) {
      printLine(`- ${path} is up to date`);
    }
    for (const path of report.files) printLine(`- Wrote ${path}`);
    printLine(
      `- Context ready: read ${report.manifest} and every file it lists`,
    );
  }
  for (const problem of report.warnings) {
    printErrorLine(`waypoint: warning: ${problem.path}: ${problem.message}`);
  }
  return 0;
}

/** Decides what `context` reports from what {@link buildBundle} did. */
export function contextReport(
  root: string,
  result: BundleResult,
): ContextReport {
  return {
    command: "context",
    root,
    manifest: contextPath("MANIFEST.md"),
    files: [...result.files],
    indexes: {
      written: [...result.sync.written],
      unchanged: [...result.sync.unchanged],
    },
    warnings: [...result.sync.problems, ...result.sync.refused].map((
      { path, message },
    ) => ({
      path,
      message,
    })),
  };
}
