/**
 * The platforms waypoint ships for, shared by the cross-compile script and
 * the npm packaging script so both agree on names and file layout.
 *
 * @module
 */

/** One release platform. */
export interface Target {
  /** Deno compile target triple, e.g. `x86_64-unknown-linux-gnu`. */
  triple: string;
  /** npm/Node-style OS name used in file and package names. */
  os: "linux" | "darwin" | "windows";
  /** npm/Node-style CPU name. */
  arch: "x64" | "arm64";
}

/** Every platform, in release order. */
export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x64" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "arm64" },
  { triple: "x86_64-apple-darwin", os: "darwin", arch: "x64" },
  { triple: "aarch64-apple-darwin", os: "darwin", arch: "arm64" },
  { triple: "x86_64-pc-windows-msvc", os: "windows", arch: "x64" },
];

/** `<os>-<arch>`, e.g. `linux-x64`: the suffix of file and package names. */
export function platformName(
  target: Target,
): `${Target["os"]}-${Target["arch"]}` {
  return `${target.os}-${target.arch}`;
}

/** Binary file name in `dist/`, e.g. `waypoint-windows-x64.exe`. */
export function binaryFileName(target: Target): string {
  return `waypoint-${platformName(target)}${
    target.os === "windows" ? ".exe" : ""
  }`;
}

/** The per-platform npm package, e.g. `waypoint-codex-darwin-arm64`. */
export function platformPackageName(target: Target): string {
  return `waypoint-codex-${platformName(target)}`;
}

/**
 * Resolves a comma-separated `--only` list of platform names (`linux-x64`)
 * or triples to targets; `undefined` selects all. Throws on an unknown name.
 */
export function selectTargets(only: string | undefined): Target[] {
  if (only === undefined) return [...TARGETS];
  const names = only.split(",").map((name) => name.trim()).filter(Boolean);
  return names.map((name) => {
    const target = TARGETS.find((t) =>
      t.triple === name || platformName(t) === name
    );
    if (!target) {
      throw new Error(
        `unknown target "${name}"; expected one of: ${
          TARGETS.map(platformName).join(", ")
        }`,
      );
    }
    return target;
  });
}
