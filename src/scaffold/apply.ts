/**
 * Doing, not deciding: carries out a {@link Plan} through the guarded
 * filesystem. Backups are written before the files they protect, removals
 * re-check their proof at the moment of deleting, and the manifest is written
 * last, so an interrupted run never records a write that did not happen.
 *
 * @module
 */
import {
  isTempName,
  type Repo,
  repoBasename,
  RepoFsError,
  type RepoView,
} from "../fs/mod.ts";
import {
  type Manifest,
  MANIFEST_PATH,
  renderManifest,
  sha256,
} from "./manifest.ts";
import type { Plan, PlanAction, PlannedWrite } from "./action.ts";

/** Which actions {@link applyPlan} carries out (doctor --fix applies only safe ones). */
export type ActionFilter = (action: PlanAction) => boolean;

/**
 * Applies `plan` to its repo and returns the actions carried out (a backup
 * field holds the real backup name; a removal whose proof no longer holds
 * comes back as a `keep` saying why). Throws a one-line error naming the
 * path on failure.
 */
export async function applyPlan(
  repo: Repo,
  plan: Plan,
  filter: ActionFilter = () => true,
): Promise<PlanAction[]> {
  const chosen = plan.actions.filter(filter);
  const done: PlanAction[] = [];
  const backups = new Map<PlanAction, string>();
  // The writes share their folders: each is opened once for the batch.
  await repo.keepingFoldersOpen((writer) => {
    for (const dir of plan.dirs) writer.ensureDir(dir);
    for (const action of chosen) {
      if (!action.backup) continue;
      const source = action.write?.path ?? action.path;
      backups.set(action, writer.backup(source));
    }
    for (const action of chosen) {
      if (action.write) write(writer, action.write);
      if (action.offer) write(writer, action.offer);
    }
  });
  const removedOrKept = new Map<PlanAction, PlanAction>();
  for (const action of chosen) {
    if (action.kind !== "remove") continue;
    removedOrKept.set(action, await remove(repo, action));
  }
  for (const action of chosen) {
    const backup = backups.get(action);
    if (backup) {
      done.push({
        ...action,
        backup,
        detail: action.detail.replace(
          /saved beside it$/,
          `saved at ${backup}`,
        ),
      });
    } else done.push(removedOrKept.get(action) ?? action);
  }
  const manifest = chosen.length === plan.actions.length
    ? plan.manifest
    : partialManifest(repo, plan, chosen);
  const next = renderManifest(manifest);
  let current: string | undefined;
  try {
    current = repo.readText(MANIFEST_PATH);
  } catch {
    current = undefined;
  }
  if (current !== next) repo.write(MANIFEST_PATH, next);
  return done;
}

async function remove(repo: Repo, action: PlanAction): Promise<PlanAction> {
  const kept = (reason: string): PlanAction => ({
    kind: "keep",
    path: action.path,
    detail: reason,
  });
  switch (action.remove) {
    case "empty-dir":
      repo.removeDirIfEmpty(action.path);
      return action;
    case "temp": {
      if (!isTempName(repoBasename(action.path))) {
        return kept("not a temp file");
      }
      const result = await repo.remove(action.path, () => true);
      return result.removed ? action : kept(result.reason);
    }
    case "tree": {
      const proof = action.treeProof ?? {};
      const result = await repo.removeTree(
        action.path,
        async (path, bytes) =>
          (proof[path] ?? []).includes(await sha256(bytes)),
      );
      return result.removed ? action : kept(result.reason);
    }
    default: {
      const proof = action.proof ?? [];
      const result = await repo.remove(
        action.path,
        async (bytes) => proof.includes(await sha256(bytes)),
      );
      return result.removed ? action : kept(result.reason);
    }
  }
}

/** The manifest after applying only `chosen`: other paths keep their previous entries. */
function partialManifest(
  repo: RepoView,
  plan: Plan,
  chosen: PlanAction[],
): Manifest {
  const files = { ...(plan.previousManifest?.files ?? {}) };
  for (const action of chosen) {
    const entry = plan.manifest.files[action.path];
    if (entry) files[action.path] = entry;
    else if (action.kind === "remove") delete files[action.path];
  }
  for (const path of Object.keys(files)) {
    if (
      !(path in plan.manifest.files) &&
      repo.inspect(path).kind === "missing"
    ) {
      delete files[path];
    }
  }
  return {
    waypoint: plan.previousManifest?.waypoint ?? plan.manifest.waypoint,
    files,
  };
}

function write(repo: Repo, file: PlannedWrite): void {
  try {
    repo.write(file.path, file.content, {
      mode: file.executable ? 0o755 : undefined,
    });
  } catch (error) {
    if (error instanceof RepoFsError) throw error;
    throw new RepoFsError(file.path, String(error));
  }
}
