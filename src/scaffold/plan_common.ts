/**
 * Small builders the per-kind planners share: the write of a scaffold file,
 * the conflict for a path that is not a plain file, the create / keep /
 * update of a text computed whole, and the lazily loaded three-way merge.
 *
 * @module
 */
import { type Entry, entryProblem } from "../fs/mod.ts";
import type { PlanAction, PlannedWrite } from "./action.ts";
import type { ScaffoldFile } from "./layout.ts";
import type { mergeThreeWay } from "./merge3.ts";

/** The write of `content` to the scaffold file's target, with its mode. */
export function writeOf(file: ScaffoldFile, content: string): PlannedWrite {
  return { path: file.target, content, executable: file.executable };
}

/** A conflict for a path that is a link, folder or special file where a file belongs. */
export function leftAlone(path: string, entry: Entry): PlanAction {
  return {
    kind: "conflict",
    path,
    detail: `left alone: it ${entryProblem(entry)}`,
    leftAlone: true,
  };
}

/** Create, keep or update a file whose whole next text is known. */
export function textAction(
  file: ScaffoldFile,
  existing: string | undefined,
  next: string,
  updateDetail: string,
): PlanAction {
  if (existing === undefined) {
    return {
      kind: "create",
      path: file.target,
      detail: "new",
      write: writeOf(file, next),
    };
  }
  if (existing === next) {
    return { kind: "keep", path: file.target, detail: "up to date" };
  }
  return {
    kind: "update",
    path: file.target,
    detail: updateDetail,
    write: writeOf(file, next),
  };
}

/** The merge module, loaded only when a refresh merges (most runs do not). */
export async function loadMerge(): Promise<typeof mergeThreeWay> {
  return (await import("./merge3.ts")).mergeThreeWay;
}
