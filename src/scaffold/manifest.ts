/**
 * `.waypoint/manifest.json`: which managed files waypoint wrote, the hash of
 * what it wrote, and the version that wrote them. This is how a refresh tells
 * a user's edit from an outdated copy.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import type { RepoView } from "../fs/mod.ts";

/** Repo-relative path of the manifest. */
export const MANIFEST_PATH = ".waypoint/manifest.json";

/** What the manifest records about one managed file. */
export interface ManifestEntry {
  /** SHA-256 of the content waypoint last wrote there. */
  sha256: string;
  /** SHA-256 of a new version last offered beside the user's edit as `.waypoint-new`. */
  offered?: string;
  /**
   * SHA-256 of the template the offer was made from, when the offer is a
   * merge rather than the template itself: with `offered`, it tells an offer
   * already waiting from news.
   */
  offeredFor?: string;
}

/** The manifest's content. */
export interface Manifest {
  /** The waypoint version that last wrote the scaffold. */
  waypoint: string;
  files: Record<string, ManifestEntry>;
}

/** Hex SHA-256 of text or bytes. */
export async function sha256(content: string | Uint8Array): Promise<string> {
  const bytes = typeof content === "string"
    ? new TextEncoder().encode(content)
    : content;
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
}

/** Reads the manifest below `root`; `undefined` when there is none. */
export function readManifest(repo: RepoView): Manifest | undefined {
  const text = repo.readText(MANIFEST_PATH, { maxBytes: 1024 * 1024 });
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WaypointError(
      `${MANIFEST_PATH} is not valid JSON (${reason}); restore it from version control or delete it (waypoint then treats every managed file that differs from its template as edited)`,
    );
  }
  if (!isManifest(data)) {
    throw new WaypointError(
      `${MANIFEST_PATH} does not have the expected shape {"waypoint": "...", "files": {...}}; restore it from version control or delete it`,
    );
  }
  return data;
}

function isManifest(data: unknown): data is Manifest {
  if (typeof data !== "object" || data === null) return false;
  const record = data as Record<string, unknown>;
  if (typeof record.waypoint !== "string") return false;
  if (
    typeof record.files !== "object" || record.files === null ||
    Array.isArray(record.files)
  ) return false;
  return Object.values(record.files as Record<string, unknown>).every((entry) =>
    typeof entry === "object" && entry !== null &&
    typeof (entry as Record<string, unknown>).sha256 === "string" &&
    ["string", "undefined"].includes(
      typeof (entry as Record<string, unknown>).offered,
    ) &&
    ["string", "undefined"].includes(
      typeof (entry as Record<string, unknown>).offeredFor,
    )
  );
}

/** Serializes a manifest with sorted keys so it diffs cleanly in version control. */
export function renderManifest(manifest: Manifest): string {
  const files: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(manifest.files).sort()) {
    files[path] = manifest.files[path];
  }
  return JSON.stringify({ waypoint: manifest.waypoint, files }, null, 2) + "\n";
}
