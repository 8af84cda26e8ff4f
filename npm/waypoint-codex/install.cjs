// postinstall for waypoint-codex: puts the native binary in place of the
// Node launcher (bin/waypoint), so `waypoint` runs without starting Node.
//
// It only does so when that is safe, and otherwise leaves the launcher,
// which works everywhere Node does:
// - not on Windows, where npm's .cmd shim runs `node bin/waypoint`;
// - only under npm: yarn and pnpm write shims that may call node on the
//   file themselves;
// - only when the platform package is installed and its binary answers
//   `--version` with this package's version.
// With install scripts disabled (--ignore-scripts) this never runs and the
// launcher stays. Any failure here is silent and leaves the launcher: the
// install must not fail because of an optimisation.
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const OS_NAMES = { linux: "linux", darwin: "darwin" };
const ARCH_NAMES = { x64: "x64", arm64: "arm64" };

function nativeBinary() {
  const os = OS_NAMES[process.platform];
  const arch = ARCH_NAMES[process.arch];
  if (!os || !arch) return undefined;
  const agent = process.env.npm_config_user_agent || "";
  if (!agent.startsWith("npm/")) return undefined;
  try {
    return require.resolve(`waypoint-codex-${os}-${arch}/bin/waypoint`);
  } catch {
    return undefined; // optional dependency skipped: keep the launcher
  }
}

function reportsVersion(binary, version) {
  try {
    const printed = execFileSync(binary, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, WAYPOINT_NO_UPDATE_CHECK: "1" },
      timeout: 30000,
    });
    return printed.trim() === version;
  } catch {
    return false;
  }
}

function replaceLauncher(binary, launcher) {
  const staged = `${launcher}.${process.pid}.tmp`;
  try {
    // A hard link costs no space; copy when the two are on different
    // file systems.
    try {
      fs.linkSync(binary, staged);
    } catch {
      fs.copyFileSync(binary, staged);
    }
    fs.chmodSync(staged, 0o755);
    fs.renameSync(staged, launcher);
  } catch {
    try {
      fs.unlinkSync(staged);
    } catch {
      // Nothing was staged.
    }
  }
}

function main() {
  const binary = nativeBinary();
  if (!binary) return;
  const { version } = require("./package.json");
  if (!reportsVersion(binary, version)) return;
  replaceLauncher(binary, path.join(__dirname, "bin", "waypoint"));
}

main();
