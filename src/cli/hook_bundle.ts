/**
 * Whether `hook_bundle.js` is current. Loading the hook's modules one by
 * one costs `deno run` some 15 ms of CPU more than loading the same code as
 * one bundled file, so `main.ts` runs the bundle. It must never run older
 * code than the checkout holds: `hook_bundle.json` names every source the
 * bundle was made from (with `deno.json` and `deno.lock`, which pick the npm
 * packages) and their SHA-256, and the bundle is used only when the files
 * on disk hash the same. Otherwise, or when the sources cannot be read (a
 * compiled binary), the modules are loaded as they are. Never throws.
 *
 * Hashing the sources (`hook_bundle_digest.ts`) costs some 4 ms, so a yes
 * is remembered in the user's cache (`hook-bundle-<key>.stamp`) as each
 * file's size, inode, mtime and ctime; while all of them stat the same, the
 * hash is not redone and the hashing module is not loaded. A stamp is
 * written only when no file changed in the last two seconds, so an edit
 * within one timestamp tick of the check cannot hide behind it.
 *
 * Regenerate both files with `deno task bundle:hook`.
 *
 * @module
 */

import { cacheFileKey, waypointCacheDir } from "../cache_dir.ts";

/** What `hook_bundle.json` holds. */
export interface HookBundleManifest {
  /** Project-relative paths, in hashing order. */
  files: string[];
  /** {@link sourcesDigest} of `files` when the bundle was made. */
  sha256: string;
}

/** The folder path of a `file:` URL ending in `/`; undefined on Windows or for another scheme. */
export function projectDirOf(root: URL): string | undefined {
  if (root.protocol !== "file:" || Deno.build.os === "windows") {
    return undefined;
  }
  const path = decodeURIComponent(root.pathname);
  return path.endsWith("/") ? path : `${path}/`;
}

/** How recently (ms) a file may have changed for a yes to be stamped. */
const SETTLED_MS = 2_000;

/**
 * One line per file: path, size, inode, mtime and ctime in ms; undefined
 * when a file cannot be stat'ed or changed within {@link SETTLED_MS} of
 * `now` (pass `now` undefined to skip that test).
 */
export function statStamp(
  dir: string,
  files: readonly string[],
  now?: number,
): string | undefined {
  const lines: string[] = [];
  for (const file of files) {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(dir + file);
    } catch {
      return undefined;
    }
    const mtime = info.mtime?.getTime() ?? -1;
    const ctime = info.ctime?.getTime() ?? -1;
    if (
      now !== undefined &&
      (mtime < 0 || ctime < 0 || now - Math.max(mtime, ctime) < SETTLED_MS)
    ) {
      return undefined;
    }
    lines.push(`${file}\0${info.size}\0${info.ino}\0${mtime}\0${ctime}`);
  }
  return lines.join("\n");
}

/** Where the stamp for the checkout at `dir` lives, or undefined without a cache folder. */
export function stampPath(
  dir: string,
  cacheDir: string | undefined = waypointCacheDir(),
): string | undefined {
  return cacheDir === undefined
    ? undefined
    : `${cacheDir}/hook-bundle-${cacheFileKey(dir)}.stamp`;
}

/** The files whose stats a stamp covers: the sources, the manifest and the bundle. */
function stampedFiles(files: readonly string[]): string[] {
  return [...files, "src/cli/hook_bundle.json", "src/cli/hook_bundle.js"];
}

/**
 * Whether the bundle was made from the sources under `projectRoot` (the
 * folder of `main.ts`). On Windows, where Codex runs no hooks, the answer
 * is always no. `cacheDir` is where the stamp goes (tests pass their own).
 */
export async function hookBundleIsCurrent(
  projectRoot: URL,
  cacheDir: string | undefined = waypointCacheDir(),
): Promise<boolean> {
  try {
    const dir = projectDirOf(projectRoot);
    if (dir === undefined) return false;
    const manifestText = Deno.readTextFileSync(
      `${dir}src/cli/hook_bundle.json`,
    );
    const manifest = JSON.parse(manifestText) as HookBundleManifest;
    if (!Array.isArray(manifest.files) || manifest.files.length === 0) {
      return false;
    }
    const stamped = stampedFiles(manifest.files);
    const stampFile = stampPath(dir, cacheDir);
    if (stampFile !== undefined) {
      const stats = statStamp(dir, stamped);
      let recorded: string | undefined;
      try {
        recorded = Deno.readTextFileSync(stampFile);
      } catch {
        recorded = undefined;
      }
      if (
        stats !== undefined &&
        recorded === `${manifest.sha256}\n${stats}`
      ) {
        return true;
      }
    }
    // Hashing, and writing a stamp, happen only on a miss: their modules
    // are not loaded for a hit.
    const { sourcesDigest, writeStamp } = await import(
      "./hook_bundle_digest.ts"
    );
    if (await sourcesDigest(dir, manifest.files) !== manifest.sha256) {
      return false;
    }
    if (stampFile !== undefined) {
      const settled = statStamp(dir, stamped, Date.now());
      if (settled !== undefined) {
        writeStamp(stampFile, `${manifest.sha256}\n${settled}`);
      }
    }
    return true;
  } catch {
    return false;
  }
}
