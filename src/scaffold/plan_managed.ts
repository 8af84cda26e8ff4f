/**
 * Planning one managed file (waypoint's, refreshed each run): kept while it
 * matches, updated while the user has not edited it, and otherwise their
 * edit is kept, merged with the new version, or the new version is offered
 * beside it. The offer file is waypoint's only while it holds a version
 * waypoint wrote there.
 *
 * @module
 */
import type { RepoView } from "../fs/mod.ts";
import { templateTextByHash } from "../templates/history.ts";
import type { PlanAction } from "./action.ts";
import type { ScaffoldFile } from "./layout.ts";
import { isLegacyTemplate } from "./legacy.ts";
import { type ManifestEntry, sha256 } from "./manifest.ts";
import type { MergeResult } from "./merge3.ts";
import { backupPattern, OFFER_SUFFIX } from "./ownership.ts";
import { leftAlone, loadMerge, writeOf } from "./plan_common.ts";

/** A managed file's actions, and its manifest entry after them (none: drop it). */
export interface ManagedPlan {
  actions: PlanAction[];
  entry?: ManifestEntry;
}

/** Plans one managed file: its actions and its manifest entry after them. */
export async function planManaged(
  repo: RepoView,
  file: ScaffoldFile,
  entry: ManifestEntry | undefined,
  force: boolean,
): Promise<ManagedPlan> {
  const templateHash = file.sha256;
  const offerPath = file.target + OFFER_SUFFIX;
  const target = repo.inspect(file.target);
  const offerEntry = repo.inspect(offerPath);
  let offerBytes: Uint8Array | undefined;
  if (offerEntry.kind === "file") {
    try {
      offerBytes = repo.readInspected(offerEntry);
    } catch {
      // An offer waypoint cannot read is not one it can prove is its own.
    }
  }
  const offerHash = offerBytes === undefined
    ? undefined
    : await sha256(offerBytes);
  // An offer is waypoint's when it holds a version waypoint wrote there.
  const offerIsOurs = offerHash !== undefined &&
    (offerHash === templateHash || offerHash === entry?.offered);
  const staleOffer: PlanAction[] = offerIsOurs
    ? [{
      kind: "remove",
      path: offerPath,
      detail: "resolved: the file now matches waypoint's version",
      remove: "file",
      proof: [offerHash!],
    }]
    : [];
  // The file ends up holding the template (or already does): the template
  // is the base recorded for the next refresh, and an offer of it is stale.
  const settled = (action: PlanAction): ManagedPlan => ({
    actions: [action, ...staleOffer],
    entry: { sha256: templateHash },
  });
  const update = (
    detail: string,
    content: string,
    more: Pick<PlanAction, "backup" | "edited" | "merge"> = {},
  ): ManagedPlan =>
    settled({
      kind: "update",
      path: file.target,
      detail,
      write: writeOf(file, content),
      ...more,
    });

  // The user's edit stays, and nothing of waypoint's waits beside it.
  const keptEdit = (recorded: ManifestEntry): ManagedPlan => ({
    actions: [{
      kind: "keep",
      path: file.target,
      detail: "you edited it; keeping your version",
      edited: true,
    }],
    entry: recorded,
  });

  if (target.kind === "missing") {
    return settled({
      kind: "create",
      path: file.target,
      detail: "managed by waypoint",
      write: writeOf(file, file.content),
    });
  }
  if (target.kind !== "file") {
    return { actions: [leftAlone(file.target, target)], entry };
  }
  const current = repo.readInspected(target);
  // An unchanged file is the common case: proven by its bytes, no hash needed.
  const currentHash = holdsExactly(current, file.content)
    ? templateHash
    : await sha256(current);
  if (currentHash === templateHash) {
    const detail = entry ? "up to date" : "matches waypoint's version; adopted";
    return settled({ kind: "keep", path: file.target, detail });
  }
  const unedited = entry
    ? currentHash === entry.sha256
    : isLegacyTemplate(file.target, currentHash);
  if (unedited) {
    return update(
      entry
        ? "newer waypoint version"
        : "written by the published package and never edited: updated",
      file.content,
    );
  }
  if (force) {
    return update(
      `overwrote your edit (--force); your version is saved beside it`,
      file.content,
      { backup: backupPattern(file.target), edited: true },
    );
  }
  if (offerHash === templateHash) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail: `you edited it; waypoint's version is waiting at ${offerPath}`,
        edited: true,
      }],
      entry: { sha256: entry?.sha256 ?? templateHash, offered: templateHash },
    };
  }
  if (
    offerIsOurs && entry?.offered === offerHash &&
    entry.offeredFor === templateHash
  ) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited lines the new version changes too; the merge, with conflict markers, is waiting at ${offerPath}`,
        edited: true,
        merge: "conflict",
      }],
      entry,
    };
  }
  // A merge offer the user has dealt with (moved over the file, or deleted to
  // keep theirs): what the file holds now is their answer to this template,
  // so this template is the base of the next refresh.
  if (
    entry?.offeredFor === templateHash && offerEntry.kind === "missing"
  ) {
    return keptEdit({ sha256: templateHash });
  }
  // No offer without news: the template is what waypoint last wrote or offered.
  if (
    entry &&
    (entry.offeredFor ?? entry.offered ?? entry.sha256) === templateHash
  ) {
    return keptEdit(entry);
  }
  if (offerEntry.kind !== "missing" && !offerIsOurs) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited it; waypoint has a new version but ${offerPath} is not one it wrote, so it is left alone`,
        edited: true,
        offerBlocked: offerPath,
      }],
      entry,
    };
  }
  const merged = entry
    ? await mergeEdited(current, entry.sha256, file.content)
    : undefined;
  if (merged && !merged.conflict) {
    // The base of the next refresh is the template the edits now sit on.
    if (holdsExactly(current, merged.text)) {
      return settled({
        kind: "keep",
        path: file.target,
        detail: "your edits already hold the new version",
        edited: true,
      });
    }
    return update("merged your edits into the new version", merged.text, {
      edited: true,
      merge: "clean",
    });
  }
  if (merged) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited lines the new version changes too; kept your version and wrote the merge, with conflict markers, to ${offerPath}`,
        offer: {
          path: offerPath,
          content: merged.text,
          executable: file.executable,
        },
        edited: true,
        merge: "conflict",
      }],
      entry: {
        sha256: entry!.sha256,
        offered: await sha256(merged.text),
        offeredFor: templateHash,
      },
    };
  }
  return {
    actions: [{
      kind: "conflict",
      path: file.target,
      detail:
        `you edited it; kept your version and wrote waypoint's to ${offerPath}`,
      offer: {
        path: offerPath,
        content: file.content,
        executable: file.executable,
      },
      edited: true,
    }],
    entry: { sha256: entry?.sha256 ?? templateHash, offered: templateHash },
  };
}

/**
 * Merges the user's edited file with the new template over the base waypoint
 * wrote (found by its recorded hash in any version's templates). `undefined`
 * when there is no base to merge from (the published package's files, whose
 * texts waypoint never had) or the user's file is not UTF-8 text.
 */
async function mergeEdited(
  current: Uint8Array,
  baseHash: string,
  template: string,
): Promise<MergeResult | undefined> {
  let yours: string;
  try {
    yours = exactUtf8.decode(current);
  } catch {
    return undefined;
  }
  const base = await templateTextByHash(baseHash);
  return base === undefined
    ? undefined
    : (await loadMerge())(base, yours, template);
}

// Strict and BOM-keeping, so that decoding is one-to-one: equal text means equal bytes.
const exactUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Whether `bytes` are exactly `text` in UTF-8. Decoding is native, where a
 * byte loop in JIT-cold code took about 6 ms over the template set.
 */
function holdsExactly(bytes: Uint8Array, text: string): boolean {
  try {
    return exactUtf8.decode(bytes) === text;
  } catch {
    return false;
  }
}
