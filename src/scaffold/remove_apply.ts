/**
 * Carrying out `waypoint remove`: each deletion's proof is checked again
 * against the bytes there at the moment of deleting, and the manifest goes
 * last, so an interrupted run can be run again.
 *
 * @module
 */
import type { Repo } from "../fs/mod.ts";
import type { PlanAction } from "./action.ts";
import { MANIFEST_PATH, sha256 } from "./manifest.ts";
import type { RemovalPlan } from "./remove_plan.ts";
import { emptiedByStrip } from "./remove_strip.ts";

/**
 * Carries out a removal plan: deletions (each proof checked again against the
 * bytes there now), the cut-down files, then empty folders, then the
 * manifest. Returns the actions as done (a deletion refused at the last
 * moment becomes a `keep` with the reason).
 */
export async function applyRemoval(
  repo: Repo,
  plan: RemovalPlan,
): Promise<PlanAction[]> {
  const done: PlanAction[] = [];
  for (const action of plan.actions) {
    if (action.path === MANIFEST_PATH) continue;
    if (action.kind === "update" && action.write) {
      const backup = action.backup ? repo.backup(action.path) : undefined;
      repo.write(action.write.path, action.write.content);
      done.push(
        backup
          ? {
            ...action,
            backup,
            detail: action.detail.replace(
              /saved beside it$/,
              `saved at ${backup}`,
            ),
          }
          : action,
      );
    } else if (action.kind === "remove") {
      const proof = action.proof ?? [];
      const result = await repo.remove(action.path, async (bytes) => {
        // Files cut down to nothing: proven by holding only waypoint's part.
        if (proof.length === 0) {
          return emptiedByStrip(action.path, bytes, plan.knownBlocks);
        }
        return proof.includes(await sha256(bytes));
      });
      done.push(
        result.removed
          ? action
          : { kind: "keep", path: action.path, detail: result.reason },
      );
    } else done.push(action);
  }
  for (const dir of plan.dirs) repo.removeDirIfEmpty(dir);
  const manifest = plan.actions.find((action) => action.path === MANIFEST_PATH);
  if (manifest) {
    const proof = manifest.proof ?? [];
    const result = await repo.remove(
      MANIFEST_PATH,
      async (bytes) => proof.includes(await sha256(bytes)),
    );
    done.push(
      result.removed
        ? manifest
        : { kind: "keep", path: MANIFEST_PATH, detail: result.reason },
    );
    repo.removeDirIfEmpty(".waypoint");
  }
  return done;
}
