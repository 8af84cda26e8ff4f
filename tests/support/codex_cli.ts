/**
 * The real Codex CLI for conformance and transcript tests: one pinned
 * version, installed from the npm registry into a per-user cache folder (never
 * into the repository), always run with a throwaway `CODEX_HOME`.
 *
 * `.ci/run` installs it up front (`deno run -A tests/support/codex_cli.ts`)
 * and fails loudly when it cannot; a developer's first test run installs it on
 * demand.
 *
 * @module
 */
import { join } from "node:path";
import { npmInstall, testToolDir } from "./npm_tool.ts";
import { existsSync } from "node:fs";

/** The Codex CLI version the transcript fixtures are generated with (the oldest supported). */
export const CODEX_VERSION = "0.169.0";

/**
 * Every Codex CLI version the conformance and hook suites run against: the
 * oldest supported and the newest release.
 */
export const CODEX_VERSIONS: readonly string[] = [CODEX_VERSION, "0.171.0"];

/**
 * Folder a pinned Codex is installed into
 * (`WAYPOINT_CODEX_<version with underscores>_DIR` overrides it).
 */
export function codexInstallDir(version: string = CODEX_VERSION): string {
  const override = `WAYPOINT_CODEX_${version.replaceAll(".", "_")}_DIR`;
  return testToolDir(override, `codex-${version}`);
}

/** Path of the `codex` launcher inside {@link codexInstallDir}. */
export function codexLauncher(dir: string = codexInstallDir()): string {
  return join(
    dir,
    "node_modules",
    ".bin",
    Deno.build.os === "windows" ? "codex.cmd" : "codex",
  );
}

async function installedVersion(launcher: string): Promise<string | undefined> {
  if (!existsSync(launcher)) return undefined;
  try {
    const out = await new Deno.Command(launcher, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!out.success) return undefined;
    return new TextDecoder().decode(out.stdout).trim().split(/\s+/).at(-1);
  } catch {
    return undefined;
  }
}

const pending = new Map<string, Promise<string>>();

/**
 * Returns the path of a working `codex` launcher at `version` (default
 * {@link CODEX_VERSION}), installing it with npm when it is missing. Throws
 * with one clear line when it cannot be had: the conformance suite must fail,
 * never skip, in that case.
 */
export function ensureCodex(version: string = CODEX_VERSION): Promise<string> {
  let launcher = pending.get(version);
  if (!launcher) {
    launcher = install(version);
    pending.set(version, launcher);
  }
  return launcher;
}

/**
 * Installs `wanted` into a private folder beside the target and renames it
 * into place: `deno test --parallel` runs test files in several processes,
 * and two npm installs into one folder leave it broken for both (seen on a
 * fresh machine: "found version none"). The first rename wins; a loser
 * uses the winner's install and removes its own.
 */
async function install(wanted: string): Promise<string> {
  const dir = codexInstallDir(wanted);
  const launcher = codexLauncher(dir);
  if ((await installedVersion(launcher)) === wanted) return launcher;
  const partial = `${dir}.partial-${Deno.pid}-${crypto.randomUUID()}`;
  try {
    const npm = await npmInstall(partial, `@openai/codex@${wanted}`);
    const version = await installedVersion(codexLauncher(partial));
    if (!npm.success || version !== wanted) {
      throw new Error(
        `could not install @openai/codex@${wanted} into ${partial}: ${
          npm.lastError ?? `found version ${version ?? "none"}`
        }`,
      );
    }
    if ((await installedVersion(launcher)) === wanted) return launcher;
    // A folder left by an older, broken install is replaced.
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    try {
      await Deno.rename(partial, dir);
    } catch (error) {
      if ((await installedVersion(launcher)) !== wanted) throw error;
    }
    return launcher;
  } finally {
    await Deno.remove(partial, { recursive: true }).catch(() => {});
  }
}

/** Environment for a Codex run: a clean env with `CODEX_HOME` set and no user config leaking in. */
export function codexEnv(
  codexHome: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: codexHome,
    CODEX_HOME: codexHome,
    NO_COLOR: "1",
    RUST_LOG: "error",
  };
  for (const name of ["TMPDIR", "SYSTEMROOT", "USERPROFILE"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Where this Deno keeps its module cache, so commands run inside Codex find it. */
export async function denoDir(): Promise<string> {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(output.stdout)).denoDir;
}

if (import.meta.main) {
  try {
    for (const version of CODEX_VERSIONS) {
      const launcher = await ensureCodex(version);
      console.log(`codex ${version} ready at ${launcher}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
