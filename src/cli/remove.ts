/**
 * `waypoint remove [dir]`: takes waypoint out of a repository. Deletes the
 * files it proves it wrote unchanged, keeps and lists the ones you edited,
 * cuts its block out of AGENTS.md, its hook out of `.codex/hooks.json` and
 * its lines out of `.gitignore`, then deletes its manifest. `--dry-run`
 * prints the same list and changes nothing.
 *
 * @module
 */
import { printLines } from "../output.ts";
import { printReport } from "./json_report.ts";
import { parseCommandArgs } from "./args.ts";
import { applyRemoval } from "../scaffold/remove_apply.ts";
import { planRemoval } from "../scaffold/remove_plan.ts";
import { existingRoot } from "./root.ts";
import type { PlanAction } from "../scaffold/action.ts";
import { Repo } from "../fs/mod.ts";

/** Runs `waypoint remove`. */
export async function run(args: string[]): Promise<number> {
  const { values, dir } = parseCommandArgs("remove", args);
  const dryRun = values["dry-run"] === true;
  const { root } = existingRoot(dir);
  const repo = Repo.open(root);
  const plan = await planRemoval(repo.readOnlyView());
  const actions = dryRun ? plan.actions : await applyRemoval(repo, plan);
  if (values.json) {
    printReport(removalReport(root, actions, plan.notes, dryRun));
  } else printLines(renderRemoval(actions, plan.notes, dryRun));
  return actions.some((action) => action.kind === "conflict") ? 1 : 0;
}

/** The `remove --json` document (`schema/v1/remove.json`). */
export interface RemovalReport {
  command: "remove";
  root: string;
  dryRun: boolean;
  /** Every path waypoint looked at, and what was (or would be) done with it. */
  actions: {
    kind: PlanAction["kind"];
    path: string;
    detail: string;
    edited: boolean;
  }[];
  notes: { path: string; message: string }[];
  /** Paths deleted (or that would be). */
  removed: string[];
  /** Files you edited, kept. */
  kept: string[];
}

function removalReport(
  root: string,
  actions: PlanAction[],
  notes: { path: string; message: string }[],
  dryRun: boolean,
): RemovalReport {
  return {
    command: "remove",
    root,
    dryRun,
    actions: actions.map(({ kind, path, detail, edited }) => ({
      kind,
      path,
      detail,
      edited: edited === true,
    })),
    notes: notes.map(({ path, message }) => ({ path, message })),
    removed: actions.filter((action) => action.kind === "remove").map((
      action,
    ) => action.path),
    kept: actions.filter((action) => action.edited).map((action) =>
      action.path
    ),
  };
}

function renderRemoval(
  actions: PlanAction[],
  notes: { path: string; message: string }[],
  dryRun: boolean,
): string[] {
  const lines: string[] = [];
  const removed = actions.filter((action) => action.kind === "remove");
  const edited = actions.filter((action) => action.edited);
  for (const action of actions) {
    const verb = action.kind === "remove"
      ? dryRun ? "Would remove" : "Removed"
      : action.kind === "update"
      ? dryRun ? "Would update" : "Updated"
      : action.kind === "keep"
      ? dryRun ? "Would keep" : "Kept"
      : "Left";
    lines.push(
      `- ${verb} ${action.path}: ${action.detail.replace(/^kept: /, "")}`,
    );
  }
  for (const note of notes) lines.push(`- Left ${note.path}: ${note.message}`);
  lines.push(
    `${dryRun ? "Would remove" : "Removed"} waypoint: ${removed.length} file${
      removed.length === 1 ? "" : "s"
    } deleted${
      edited.length
        ? `; ${edited.length} you edited kept (${
          edited.map((action) => action.path).join(", ")
        })`
        : ""
    }.${
      dryRun ? " Run 'waypoint remove' without --dry-run to do it." : ""
    } The waypoint binary stays installed: see the README to remove it.`,
  );
  return lines;
}
