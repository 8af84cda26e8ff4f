/**
 * Stand-in release artifacts for the distribution tests. The Deno compile
 * runtime cannot be downloaded here, so each "binary" is a `#!/bin/sh`
 * script wrapped in a real executable header for its platform
 * (`native_standin.ts`; runnable on Linux); everything after compiling (npm
 * packaging, the launcher, install.sh) treats it like the real thing.
 *
 * A stand-in answers `--version` with its version (like the real CLI),
 * `exit-with N ...` by printing its platform and arguments and exiting N,
 * and `wait-for-term` by printing `ready` and waiting for SIGTERM.
 *
 * @module
 */
import { join } from "node:path";
import { PROJECT_ROOT, runCommand } from "./cli.ts";
import { nativeStandIn } from "./native_standin.ts";

export { hostPlatform, standInUnsupported } from "./native_standin.ts";

/** Every platform name, in release order. */
export const PLATFORMS: readonly string[] = [
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
];

/** The shell script standing in for the binary of `platform` at `version`. */
export function standInScript(
  platform: string,
  version: string,
  reportedVersion = version,
): string {
  return `#!/bin/sh
# stand-in waypoint ${version} for ${platform}
case "$1" in
  --version) echo "${reportedVersion}" ;;
  exit-with) code=$2; shift 2; echo "${platform}: $*"; exit "$code" ;;
  wait-for-term)
    trap 'kill "$sleeper"; echo "${platform}: got TERM"; exit 143' TERM
    sleep 30 &
    sleeper=$!
    echo ready
    wait "$sleeper" ;;
  *) echo "${platform}: $*" ;;
esac
`;
}

/**
 * Writes stand-in binaries named like `deno task compile:all` output
 * (`waypoint-<platform>[.exe]`) into `distDir`.
 */
export async function writeStandInBinaries(
  distDir: string,
  version: string,
  platforms: readonly string[] = PLATFORMS,
  reportedVersion = version,
): Promise<void> {
  await Deno.mkdir(distDir, { recursive: true });
  for (const platform of platforms) {
    const exe = platform.startsWith("windows-") ? ".exe" : "";
    const path = join(distDir, `waypoint-${platform}${exe}`);
    await Deno.writeFile(
      path,
      nativeStandIn(
        standInScript(platform, version, reportedVersion),
        platform,
      ),
    );
    await Deno.chmod(path, 0o755);
  }
}

export { type Finished, runCommand as run, type RunOptions } from "./cli.ts";

/**
 * Runs `scripts/build_npm.ts` on stand-ins written to `<workDir>/dist` and
 * returns the package directories it printed (platform packages first).
 */
export async function buildStandInPackages(
  workDir: string,
  options: {
    version: string;
    platforms?: readonly string[];
    reportedVersion?: string;
  },
): Promise<string[]> {
  const platforms = options.platforms ?? PLATFORMS;
  const distDir = join(workDir, "dist");
  await writeStandInBinaries(
    distDir,
    options.version,
    platforms,
    options.reportedVersion,
  );
  const result = await runCommand(Deno.execPath(), [
    "run",
    "-A",
    "--quiet",
    join(PROJECT_ROOT, "scripts", "build_npm.ts"),
    "--dist",
    distDir,
    "--out",
    join(workDir, "npm"),
    "--version",
    options.version,
    "--only",
    platforms.join(","),
  ]);
  if (result.code !== 0) {
    throw new Error(`build_npm.ts failed (${result.code}): ${result.stderr}`);
  }
  return result.stdout.trim().split("\n");
}
