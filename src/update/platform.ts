/**
 * Maps this machine to the npm package that carries its waypoint binary.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/** The npm package and the file inside it for one platform. */
export interface PlatformPackage {
  /** e.g. `linux-x64`. */
  platform: string;
  /** e.g. `waypoint-codex-linux-x64`. */
  packageName: string;
  /** Path of the binary inside the package, e.g. `bin/waypoint`. */
  binaryPath: string;
}

const ARCH: Record<string, string> = { x86_64: "x64", aarch64: "arm64" };
const SUPPORTED = [
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
];

/** The platform package for `os`/`arch` in `Deno.build` terms; throws if none is published. */
export function platformPackage(
  os: string = Deno.build.os,
  arch: string = Deno.build.arch,
): PlatformPackage {
  const platform = `${os}-${ARCH[arch] ?? arch}`;
  if (!SUPPORTED.includes(platform)) {
    throw new WaypointError(
      `no waypoint binary is published for ${platform} (available: ${
        SUPPORTED.join(", ")
      })`,
    );
  }
  return {
    platform,
    packageName: `waypoint-codex-${platform}`,
    binaryPath: os === "windows" ? "bin/waypoint.exe" : "bin/waypoint",
  };
}
