/**
 * Installs one waypoint version over a binary: find the platform package,
 * stage the file beside the target, download and verify it, prove it runs,
 * then swap. Until the final rename the old binary is untouched.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import { downloadBinary } from "./download.ts";
import {
  assertExecutableFor,
  type ExecutablePlatform,
} from "./executable_format.ts";
import { platformPackage } from "./platform.ts";
import { terminalProgress } from "./progress.ts";
import { authHeaders, fetchPackument, type Registry } from "./registry.ts";
import {
  cleanupMovedAside,
  cleanupStaleStaging,
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
  /** Longest wait for the registry's next chunk. */
  timeoutMs: number;
  /** Longest a whole download may take (default: ten times `timeoutMs`). */
  totalMs?: number;
  /** Receives progress lines (without the `- ` prefix). */
  log: (line: string) => void;
}

/**
 * Fails early, before any download, when the folder of `target` is not
 * writable; cleans up files an earlier Windows swap or a killed upgrade left
 * behind.
 */
export async function prepareTarget(target: string): Promise<void> {
  await cleanupMovedAside(target);
  await cleanupStaleStaging(target);
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
      `${platform.packageName} ${version} is not in the registry at ${registry.display}; the release may still be publishing, try again later`,
    );
  }
  const label = `${platform.packageName}@${version}`;
  // Listeners first, so no staging file exists without them.
  const staging: string[] = [];
  const removeStaging = () => {
    for (const path of staging) {
      try {
        Deno.removeSync(path);
      } catch {
        // Already renamed or removed.
      }
    }
  };
  const progress = terminalProgress(label, (name) => Deno.env.get(name));
  // A signal mid-download must not leave a stray file beside the binary,
  // nor a half-drawn progress line on the terminal.
  const listeners = exitSignals().map((signal) => {
    const listener = () => {
      removeStaging();
      progress?.done();
      Deno.exit(128 + SIGNAL_NUMBERS[signal]);
    };
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  try {
    const staged = await createStagingFile(target);
    staging.push(staged);
    const tarballFile = await createStagingFile(target, ".tgz");
    staging.push(tarballFile);
    log(`Downloading ${label} from ${registry.display}`);
    await downloadBinary({
      url: manifest.dist.tarball,
      integrity: manifest.dist.integrity,
      label,
      binaryPath: platform.binaryPath,
      tarballFile,
      destination: staged,
      headers: authHeaders(registry, manifest.dist.tarball),
      timeoutMs,
      totalMs: request.totalMs,
      progress,
    });
    log(`Verified ${label} (sha512)`);
    await Deno.remove(tarballFile).catch(() => {});
    await assertExecutableFor(
      staged,
      platform.platform as ExecutablePlatform,
      `${platform.binaryPath} in ${label}`,
    );
    await copyMode(staged, target);
    await checkReportedVersion(staged, version);
    await replaceExecutable(staged, target);
  } finally {
    removeStaging();
    for (const [signal, listener] of listeners) {
      Deno.removeSignalListener(signal, listener);
    }
  }
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/** The signals that end an upgrade and still let it clean up. */
function exitSignals(): (keyof typeof SIGNAL_NUMBERS)[] {
  // Windows only delivers SIGINT (Ctrl-C) and SIGBREAK to Deno.
  return Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM", "SIGHUP"];
}
