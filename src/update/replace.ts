/**
 * Swapping the waypoint executable: the new file is staged beside the old
 * one (same filesystem, so a rename is atomic) and renamed over it. Windows
 * cannot overwrite a running `.exe` but can rename it, so there the old file
 * is moved aside first and deleted on a later run.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { WaypointError } from "../errors.ts";

/** How the final swap is done. */
export type ReplaceStrategy = "rename" | "move-aside";

/** The strategy this OS needs. */
export function defaultStrategy(os: string = Deno.build.os): ReplaceStrategy {
  return os === "windows" ? "move-aside" : "rename";
}

/** The message for a target whose folder is not writable. */
export function permissionMessage(target: string): string {
  return `cannot write to ${
    dirname(target)
  }, where the waypoint binary ${target} lives (permission denied); run the upgrade as a user who may write there (e.g. with sudo), or reinstall waypoint in a folder you own`;
}

function permissionError(error: unknown, target: string): unknown {
  return error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotCapable ||
      (error instanceof Error && /read-only file system/i.test(error.message))
    ? new WaypointError(permissionMessage(target), { cause: error })
    : error;
}

/** Marks staging files; the process id after it tells whose file it is. */
const STAGING_MARK = ".upgrade-";

/**
 * Creates an empty staging file beside `target` (hidden, unique name that
 * holds this process id) and returns its path. Throws the permission message
 * when the folder is not writable, so that problem shows before anything is
 * downloaded.
 */
export async function createStagingFile(
  target: string,
  suffix = Deno.build.os === "windows" ? ".exe" : "",
): Promise<string> {
  try {
    return await Deno.makeTempFile({
      dir: dirname(target),
      prefix: `.${basename(target)}${STAGING_MARK}${Deno.pid}-`,
      // Windows runs only files with an executable extension.
      suffix,
    });
  } catch (error) {
    throw permissionError(error, target);
  }
}

/** A staging file untouched this long belongs to no running upgrade. */
export const STALE_STAGING_MS = 60 * 60 * 1000;

/**
 * Deletes staging files that killed upgrades left beside `target`: those of
 * a process that no longer runs (Linux: no `/proc/<pid>`), and anywhere
 * those not modified for {@link STALE_STAGING_MS}. Never throws.
 */
export async function cleanupStaleStaging(target: string): Promise<void> {
  const dir = dirname(target);
  const prefix = `.${basename(target)}${STAGING_MARK}`;
  const now = Date.now();
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.startsWith(prefix)) continue;
      const path = join(dir, entry.name);
      const pid = Number(entry.name.slice(prefix.length).split("-")[0]);
      if (pid === Deno.pid) continue;
      const stale = await ownerGone(pid) ||
        now - ((await Deno.stat(path)).mtime?.getTime() ?? now) >
          STALE_STAGING_MS;
      if (stale) await Deno.remove(path).catch(() => {});
    }
  } catch {
    // Cleanup is best effort; an unreadable folder is reported elsewhere.
  }
}

async function ownerGone(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (Deno.build.os !== "linux") return false;
  try {
    await Deno.stat(`/proc/${pid}`);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

/** Gives `staged` the permission bits of `target`, executable by its owner. */
export async function copyMode(staged: string, target: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  const mode = (await Deno.stat(target)).mode ?? 0o755;
  await Deno.chmod(staged, (mode & 0o7777) | 0o100);
}

/** Moves `staged` over `target`; on failure `target` is as it was. */
export async function replaceExecutable(
  staged: string,
  target: string,
  strategy: ReplaceStrategy = defaultStrategy(),
): Promise<void> {
  try {
    if (strategy === "rename") {
      await Deno.rename(staged, target);
      return;
    }
    const aside = join(
      dirname(target),
      `${basename(target)}${ASIDE_MARK}${Date.now()}`,
    );
    await Deno.rename(target, aside);
    try {
      await Deno.rename(staged, target);
    } catch (error) {
      await Deno.rename(aside, target);
      throw error;
    }
    // Fails while the old file is running (Windows); a later run cleans up.
    await Deno.remove(aside).catch(() => {});
  } catch (error) {
    throw permissionError(error, target);
  }
}

const ASIDE_MARK = ".old-";

/** Deletes files a move-aside swap left beside `target`; never throws. */
export async function cleanupMovedAside(target: string): Promise<void> {
  const prefix = `${basename(target)}${ASIDE_MARK}`;
  try {
    for await (const entry of Deno.readDir(dirname(target))) {
      if (entry.isFile && entry.name.startsWith(prefix)) {
        await Deno.remove(join(dirname(target), entry.name)).catch(() => {});
      }
    }
  } catch {
    // Cleanup is best effort; an unreadable folder is reported elsewhere.
  }
}
