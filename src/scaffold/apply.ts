/**
 * Doing, not deciding: carries out a {@link Plan} with atomic writes. Backups
 * are written before the files they protect, and the manifest last, so an
 * interrupted run never records a write that did not happen.
 *
 * @module
 */
import { fromRepoPath } from "../paths.ts";
import { writeError, writeFileAtomic } from "./fs.ts";
import { type Manifest, MANIFEST_PATH, renderManifest } from "./manifest.ts";
import type { Plan, PlanAction, PlannedWrite } from "./plan.ts";

/** Which actions {@link applyPlan} carries out (doctor --fix applies only safe ones). */
export type ActionFilter = (action: PlanAction) => boolean;

/** Applies `plan` to its repo. Throws a one-line error naming the path on failure. */
export async function applyPlan(
  plan: Plan,
  filter: ActionFilter = () => true,
): Promise<PlanAction[]> {
  const { root } = plan;
  const chosen = plan.actions.filter(filter);
  for (const dir of plan.dirs) {
    try {
      await Deno.mkdir(fromRepoPath(root, dir), { recursive: true });
    } catch (error) {
      throw writeError(error, dir);
    }
  }
  for (const action of chosen) {
    if (!action.backup) continue;
    const source = fromRepoPath(root, action.path);
    try {
      await writeFileAtomic(
        fromRepoPath(root, action.backup),
        await Deno.readFile(source),
      );
    } catch (error) {
      throw writeError(error, action.backup);
    }
  }
  for (const action of chosen) {
    if (action.write) await write(root, action.write);
    if (action.offer) await write(root, action.offer);
  }
  for (const action of chosen) {
    if (action.kind !== "remove") continue;
    const path = fromRepoPath(root, action.path);
    try {
      if (action.remove === "empty-dir") {
        await Deno.remove(path).catch(() => {});
      } else await Deno.remove(path, { recursive: action.remove === "tree" });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        throw writeError(error, action.path);
      }
    }
  }
  try {
    const manifestPath = fromRepoPath(root, MANIFEST_PATH);
    const next = renderManifest(
      chosen.length === plan.actions.length
        ? plan.manifest
        : partialManifest(plan, chosen),
    );
    const current = await Deno.readTextFile(manifestPath).catch(() =>
      undefined
    );
    if (current !== next) await writeFileAtomic(manifestPath, next);
  } catch (error) {
    throw writeError(error, MANIFEST_PATH);
  }
  return chosen;
}

/** The manifest after applying only `chosen`: other paths keep their previous entries. */
function partialManifest(plan: Plan, chosen: PlanAction[]): Manifest {
  const files = { ...(plan.previousManifest?.files ?? {}) };
  for (const action of chosen) {
    const entry = plan.manifest.files[action.path];
    if (entry) files[action.path] = entry;
    else if (action.kind === "remove") delete files[action.path];
  }
  return {
    waypoint: plan.previousManifest?.waypoint ?? plan.manifest.waypoint,
    files,
  };
}

async function write(root: string, file: PlannedWrite): Promise<void> {
  try {
    await writeFileAtomic(fromRepoPath(root, file.path), file.content, {
      mode: file.executable ? 0o755 : undefined,
    });
  } catch (error) {
    throw writeError(error, file.path);
  }
}
