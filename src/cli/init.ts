/**
 * `waypoint init [dir]`: plan the scaffold, then apply it (or print it with
 * `--dry-run`), then rebuild the indexes.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { UsageError, WaypointError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { computePlan, type Plan, type PlanAction } from "../scaffold/plan.ts";
import { applyPlan } from "../scaffold/apply.ts";

import { syncIndexes } from "../indexes/sync.ts";
import { describeIo } from "../fs/mod.ts";

/** What the target folder is (following a symlinked root: the user named it). */
function directoryKind(dir: string): "directory" | "other" | undefined {
  try {
    return Deno.statSync(dir).isDirectory ? "directory" : "other";
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? undefined : "other";
  }
}

const OPTIONS = {
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  "app-friendly": { type: "boolean" },
  universal: { type: "boolean" },
  "skip-cli-update": { type: "boolean" },
} as const;

/** Runs `waypoint init`. */
export async function run(args: string[]): Promise<number> {
  const { values, dir } = parseCommandArgs("init", args, OPTIONS);
  if (values["app-friendly"] && values.universal) {
    throw new UsageError("init: choose one of --app-friendly and --universal");
  }
  const profile = values["app-friendly"]
    ? "app-friendly"
    : values.universal
    ? "universal"
    : undefined;
  const dryRun = values["dry-run"] === true;

  const kind = directoryKind(dir);
  if (kind !== undefined && kind !== "directory") {
    throw new WaypointError(
      `${dir} is not a directory: give init a folder (a missing one is created)`,
    );
  }

  if (!dryRun && !values["skip-cli-update"] && updateCheckWanted()) {
    const { maybeUpdateBeforeInit } = await import("../update/before_init.ts");
    const code = await maybeUpdateBeforeInit(args);
    if (code !== null) return code;
  }

  const plan = await computePlan(dir, {
    force: values.force === true,
    profile,
    version: VERSION,
  });
  if (dryRun) {
    printPlan(plan);
    return 0;
  }
  if (kind === undefined) {
    try {
      // The repo root itself is the user's choice of place, not a path inside a repo.
      Deno.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new WaypointError(
        `cannot create ${dir}: ${describeIo(error)}`,
        { cause: error },
      );
    }
  }
  const applied = await applyPlan(plan);
  printApplied(applied, plan);
  const synced = await syncIndexes(dir, plan.config);
  for (const path of synced.written) console.log(`- Rebuilt ${path}`);
  for (const problem of [...synced.problems, ...synced.refused]) {
    console.error(`waypoint: warning: ${problem.path}: ${problem.message}`);
  }
  const conflicts =
    applied.filter((action) => action.kind === "conflict" && action.offer)
      .length;
  const tail = conflicts
    ? ` ${conflicts} edited file${
      conflicts === 1 ? "" : "s"
    } kept: compare each with its .waypoint-new and keep what you want.`
    : "";
  console.log(
    `Waypoint ${VERSION} is set up in ${dir} (profile: ${plan.config.profile}).${tail}`,
  );
  console.log(
    "Next: run 'waypoint doctor' to check it, and start your agent session with 'waypoint context'.",
  );
  return 0;
}

/** The update check is skipped in CI and when the user turned it off. */
function updateCheckWanted(): boolean {
  return !Deno.env.get("CI") &&
    Deno.env.get("WAYPOINT_NO_UPDATE_CHECK") !== "1";
}

const VERBS: Record<PlanAction["kind"], string> = {
  create: "Created",
  update: "Updated",
  keep: "Kept",
  conflict: "Conflict",
  remove: "Removed",
};

function printApplied(applied: PlanAction[], plan: Plan): void {
  let kept = 0;
  for (const action of applied) {
    if (action.kind === "keep" && !action.edited) {
      kept++;
      continue;
    }
    console.log(`- ${VERBS[action.kind]} ${action.path}: ${action.detail}`);
  }
  if (kept) {
    console.log(
      `- Kept ${kept} file${kept === 1 ? "" : "s"} already up to date`,
    );
  }
  for (const note of plan.notes) {
    console.log(`- Left ${note.path}: ${note.message}`);
  }
}

function printPlan(plan: Plan): void {
  console.log(`Plan for ${plan.root} (dry run: nothing is written)`);
  const width = Math.max(...plan.actions.map((action) => action.path.length));
  for (const action of plan.actions) {
    console.log(
      `  ${action.kind.padEnd(8)} ${
        action.path.padEnd(width)
      }  ${action.detail}`,
    );
  }
  for (const note of plan.notes) {
    console.log(
      `  ${"leave".padEnd(8)} ${note.path.padEnd(width)}  ${note.message}`,
    );
  }
  const counts = new Map<string, number>();
  for (const action of plan.actions) {
    counts.set(action.kind, (counts.get(action.kind) ?? 0) + 1);
  }
  const summary = ["create", "update", "keep", "conflict", "remove"]
    .map((kind) => `${counts.get(kind) ?? 0} ${kind}`)
    .join(", ");
  console.log(`${summary}. Indexes are rebuilt after a real run.`);
}
