#!/usr/bin/env node
// Launcher for `npm install -g waypoint-codex`.
//
// waypoint itself is a self-contained binary. npm installs the one for this
// machine as an optional dependency (`waypoint-codex-<os>-<arch>`, selected by
// its `os`/`cpu` fields); this script finds it and runs it with the user's
// arguments, then exits the way the binary did. CommonJS so it runs on any
// Node without a package "type".
"use strict";

const { spawn } = require("node:child_process");

// Node's names -> the names in our package names.
const OS_NAMES = { linux: "linux", darwin: "darwin", win32: "windows" };
const ARCH_NAMES = { x64: "x64", arm64: "arm64" };

const os = OS_NAMES[process.platform];
const arch = ARCH_NAMES[process.arch];
if (!os || !arch) {
  fail(
    `no waypoint binary is published for ${process.platform}-${process.arch}` +
      " (supported: linux-x64, linux-arm64, darwin-x64, darwin-arm64, windows-x64).",
  );
}

const packageName = `waypoint-codex-${os}-${arch}`;
const binaryName = os === "windows" ? "waypoint.exe" : "waypoint";

let binary;
try {
  binary = require.resolve(`${packageName}/bin/${binaryName}`);
} catch {
  // Typical causes: `--omit=optional`, `--no-optional`, or a lockfile made
  // on another platform, all of which skip the platform package.
  fail(
    `the package ${packageName}, which holds the waypoint binary for this ` +
      "platform, is not installed. Reinstall without omitting optional " +
      "dependencies: npm install -g waypoint-codex --include=optional",
  );
}

const child = spawn(binary, process.argv.slice(2), { stdio: "inherit" });

// Keyboard signals (Ctrl-C, Ctrl-\) already reach the binary through the
// terminal's process group, so the launcher only stays alive for them and
// lets the binary decide. Signals sent to the launcher alone (e.g. `kill`)
// are passed on.
const keyboard = ["SIGINT", "SIGQUIT"];
const passed = ["SIGTERM", "SIGHUP"];
for (const signal of keyboard) process.on(signal, () => {});
for (const signal of passed) process.on(signal, () => child.kill(signal));

child.on("error", (error) => {
  fail(`could not run ${binary}: ${error.message}`);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // Die from the same signal so our parent sees what really happened.
    for (const name of [...keyboard, ...passed]) {
      process.removeAllListeners(name);
    }
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});

function fail(message) {
  process.stderr.write(`waypoint: ${message}\n`);
  process.exit(1);
}
