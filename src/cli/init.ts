/**
 * `waypoint init [dir]`: find the repository, plan the scaffold, then apply
 * it (or only report it with `--dry-run`), then rebuild the indexes. What is
 * printed is decided in `init_report.ts` from the plan and the applied
 * actions.
 *
 * @module
 */
import { printErrorLine, printLines } from "../output.ts";
import { printReport } from "./json_report.ts";
import { quickCommandArgs } from "./command_args.ts";
import { UsageError, WaypointError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { computePlan } from "../scaffold/plan.ts";
import { agentsLimit, readCodexSettings } from "../doctor/codex_settings.ts";
import { applyPlan } from "../scaffold/apply.ts";
import { syncIndexes } from "../indexes/sync.ts";
import { describeIo } from "../fs/mod.ts";
import { initRoot } from "./root.ts";
import { updateCheckWanted } from "../update/check_switch.ts";
import {
  buildInitReport,
  renderInitText,
  type Verbosity,
} from "./init_report.ts";
import { Repo } from "../fs/mod.ts";

/** Runs `waypoint init`. */
export async function run(args: string[]): Promise<number> {
  // The full parser loads node:util, which boots Deno's Node layer: only
  // for shapes the quick one leaves to it.
  const { values, dir } = quickCommandArgs("init", args) ??
    (await import("./args.ts")).parseCommandArgs("init", args);
  if (values["app-friendly"] && values.universal) {
    throw new UsageError("init: choose one of --app-friendly and --universal");
  }
  const verbosity = chooseVerbosity(values.quiet, values.verbose);
  const json = values.json === true;
  const profile = values["app-friendly"]
    ? "app-friendly"
    : values.universal
    ? "universal"
    : undefined;
  const dryRun = values["dry-run"] === true;
  const where = await initRoot(dir);
  const root = where.root;

  const repo = Repo.open(root);
  const kind = directoryKind(root);
  if (kind !== undefined && kind !== "directory") {
    throw new WaypointError(
      `${root} is not a directory: give init a folder (a missing one is created)`,
    );
  }

  // Its notices go to stderr, but it may re-run another binary whose output
  // a --json reader did not ask for: never under --json.
  if (
    !dryRun && !json && !values["skip-cli-update"] &&
    updateCheckWanted((name) => Deno.env.get(name))
  ) {
    const { maybeUpdateBeforeInit } = await import("../update/before_init.ts");
    const code = await maybeUpdateBeforeInit(args);
    if (code !== null) return code;
  }

  const plan = await computePlan(repo.readOnlyView(), {
    force: values.force === true,
    profile,
    version: VERSION,
    agentsLimit: agentsLimit(readCodexSettings(repo)),
  });
  let report;
  if (dryRun) {
    report = buildInitReport({
      plan,
      actions: plan.actions,
      dryRun,
      where,
      version: VERSION,
    });
  } else {
    if (kind === undefined) makeRoot(root);
    const applied = await applyPlan(repo, plan);
    const synced = await syncIndexes(repo, plan.config);
    report = buildInitReport({
      plan,
      actions: applied,
      dryRun,
      where,
      version: VERSION,
      synced,
    });
  }
  for (const problem of report.warnings) {
    printErrorLine(`waypoint: warning: ${problem.path}: ${problem.message}`);
  }
  if (json) printReport(report);
  else printLines(renderInitText(report, verbosity, where.cwd));
  return 0;
}

function chooseVerbosity(
  quiet: string | boolean | undefined,
  verbose: string | boolean | undefined,
): Verbosity {
  if (quiet && verbose) {
    throw new UsageError("init: choose one of --quiet and --verbose");
  }
  return quiet ? "quiet" : verbose ? "verbose" : "normal";
}

/** What the target folder is (following a symlinked root: the user named it). */
function directoryKind(dir: string): "directory" | "other" | undefined {
  try {
    return Deno.statSync(dir).isDirectory ? "directory" : "other";
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? undefined : "other";
  }
}

/** Creates the missing folder `init` was pointed at. */
function makeRoot(root: string): void {
  try {
    // The repo root itself is the user's choice of place, not a path inside a repo.
    Deno.mkdirSync(root, { recursive: true });
  } catch (error) {
    throw new WaypointError(`cannot create ${root}: ${describeIo(error)}`, {
      cause: error,
    });
  }
}
