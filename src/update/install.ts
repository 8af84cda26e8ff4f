/**
 * Installs one waypoint version over a binary: find the platform package,
 * stage the file beside the target, download and verify it, prove it runs,
 * then swap. Until the final rename the old binary is untouched.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import { downloadBinary } from "./download.ts";
import { platformPackage } from "./platform.ts";
import { authHeaders, fetchPackument, type Registry } from "./registry.ts";
import {
  cleanupMovedAside,
  copyMode,
  createStagingFile,
  replaceExecutable,
} from "./replace.ts";
import { checkReportedVersion } from "./verify.ts";

/** What {@link installVersion} needs. */
export interface InstallRequest {
  /** The file to replace (a real path, not a symlink). */
  target: string;
  /** The exact version to install. */
  version: string;
  registry: Registry;
  timeoutMs: number;
  /** Receives progress lines (without the `- ` prefix). */
  log: (line: string) => void;
}

/**
 * Fails early, before any download, when the folder of `target` is not
 * writable; cleans up files an earlier Windows swap left behind.
 */
export async function prepareTarget(target: string): Promise<void> {
  await cleanupMovedAside(target);
  const probe = await createStagingFile(target);
  await Deno.remove(probe).catch(() => {});
}

/** Replaces `target` with `version` from the registry, or throws leaving it as it was. */
export async function installVersion(request: InstallRequest): Promise<void> {
  const { target, version, registry, timeoutMs, log } = request;
  const platform = platformPackage();
  const packument = await fetchPackument(
    registry,
    platform.packageName,
    timeoutMs,
  );
  const manifest = packument.versions[version];
  if (!manifest) {
    throw new WaypointError(
      `${platform.packageName} ${version} is not in the registry at ${registry.url}; the release may still be publishing, try again later`,
    );
  }
  const label = `${platform.packageName}@${version}`;
  const staged = await createStagingFile(target);
  const removeStaged = () => {
    try {
      Deno.removeSync(staged);
    } catch {
      // Already renamed or removed.
    }
  };
  // Ctrl-C mid-download must not leave a stray file beside the binary.
  const onInterrupt = () => {
    removeStaged();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    log(`Downloading ${label} from ${registry.url}`);
    await downloadBinary({
      url: manifest.dist.tarball,
      integrity: manifest.dist.integrity,
      label,
      binaryPath: platform.binaryPath,
      destination: staged,
      headers: authHeaders(registry, manifest.dist.tarball),
      timeoutMs,
    });
    log(`Verified ${label} (sha512)`);
    await copyMode(staged, target);
    await checkReportedVersion(staged, version);
    await replaceExecutable(staged, target);
  } catch (error) {
    removeStaged();
    throw error;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
