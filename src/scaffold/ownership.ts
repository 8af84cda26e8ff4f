/**
 * What waypoint may claim as its own: the paths any waypoint version wrote
 * (the only ones a manifest entry may name, so a hostile entry proves no
 * deletion), and the names of the files it writes beside a user's file (the
 * new version it offers, the backup before an overwrite).
 *
 * @module
 */
import { isCanonicalRepoPath } from "../fs/mod.ts";
import type { PlanNote } from "./action.ts";
import { HOOKS_JSON_PATH } from "./hooks_json.ts";
import { FORMER_TARGETS, RETIRED_PATHS, scaffoldFiles } from "./layout.ts";
import { legacyPaths } from "./legacy.ts";
import type { Manifest, ManifestEntry } from "./manifest.ts";

/** Suffix of the new version written beside a user-edited file. */
export const OFFER_SUFFIX = ".waypoint-new";

/** How a backup is named in a plan; `applyPlan` picks the real, unique name. */
export function backupPattern(path: string): string {
  return `${path}.waypoint-backup-<time>`;
}

/** Every path any waypoint version (or the published package) wrote: the only paths a manifest may name. */
export function knownWaypointPaths(targets: Iterable<string>): Set<string> {
  return new Set([
    ...targets,
    HOOKS_JSON_PATH,
    ...RETIRED_PATHS,
    ...FORMER_TARGETS,
    ...legacyPaths(),
  ]);
}

/**
 * Keeps only manifest entries that name a path waypoint writes, in canonical
 * form. A hostile entry (`../x`, `.git/HEAD`, `src/app.ts`) is dropped and
 * reported: it could otherwise prove a deletion of anything.
 */
export function trustedEntries(
  manifest: Manifest | undefined,
  known: ReadonlySet<string>,
  notes: PlanNote[],
): Record<string, ManifestEntry> {
  const trusted: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(manifest?.files ?? {})) {
    const offerOf = path.endsWith(OFFER_SUFFIX)
      ? path.slice(0, -OFFER_SUFFIX.length)
      : undefined;
    if (
      isCanonicalRepoPath(path) &&
      (known.has(path) || (offerOf !== undefined && known.has(offerOf)))
    ) {
      trusted[path] = entry;
    } else {
      notes.push({
        path: ".waypoint/manifest.json",
        message: `ignored the entry ${
          JSON.stringify(path)
        }: it is not a path waypoint writes`,
      });
    }
  }
  return trusted;
}

/**
 * The manifest's entries that name a path some waypoint version writes (in
 * canonical form); the others are reported in `notes` and must prove nothing.
 */
export function trustedManifestEntries(
  manifest: Manifest | undefined,
  notes: PlanNote[],
): Record<string, ManifestEntry> {
  return trustedEntries(
    manifest,
    knownWaypointPaths(scaffoldFiles().map((file) => file.target)),
    notes,
  );
}
