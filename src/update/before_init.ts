/**
 * The version check `init` runs first: when a newer waypoint is published,
 * replace this binary and re-run `init` with the new one. Nothing here may
 * stop `init`: every failure becomes one line and `init` carries on.
 *
 * @module
 */
import { describeError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { type EnvLookup, httpTimeoutMs } from "./http.ts";
import { installVersion, prepareTarget } from "./install.ts";
import { cachedLatest } from "./latest.ts";
import { runInherited } from "./refresh.ts";
import { loadRegistry } from "./registry.ts";
import { cleanupMovedAside, defaultStrategy } from "./replace.ts";
import { locateSelf } from "./self_path.ts";
import { isNewerRelease } from "./versions.ts";

/** Longest wait for the registry's answer before `init` goes on without it. */
export const CHECK_BUDGET_MS = 3_000;

/**
 * Runs the pre-init update check. Returns null to continue with init in this
 * process, or the exit code of the re-run new binary
 * (`<new> init ...initArgs --skip-cli-update`). Never throws.
 */
export async function maybeUpdateBeforeInit(
  initArgs: string[],
): Promise<number | null> {
  const env: EnvLookup = (name) => Deno.env.get(name);
  try {
    return await updateBeforeInit(initArgs, env);
  } catch (error) {
    console.log(`- Skipped the waypoint update check: ${describeError(error)}`);
    return null;
  }
}

async function updateBeforeInit(
  initArgs: string[],
  env: EnvLookup,
): Promise<number | null> {
  if (env("CI") || env("WAYPOINT_NO_UPDATE_CHECK") === "1") return null;
  const located = locateSelf(env);
  located.catch(() => {});
  if (defaultStrategy() === "move-aside") {
    // The file a Windows upgrade moved aside can go once the new one runs.
    const self = await located.catch(() => undefined);
    if (self?.kind === "binary") await cleanupMovedAside(self.path);
  }
  const registry = await loadRegistry(env);
  const latest = await cachedLatest(
    registry,
    env,
    Math.min(CHECK_BUDGET_MS, httpTimeoutMs(env)),
  );
  if (latest === null || !isNewerRelease(latest, VERSION)) return null;

  const self = await located;
  if (self.kind === "source") {
    console.log(
      `- waypoint ${latest} is available (running ${VERSION} from source; not updating)`,
    );
    return null;
  }
  if (self.kind === "npm") {
    console.log(
      `- waypoint ${latest} is available (this is ${VERSION}); update with: npm install -g waypoint-codex@latest`,
    );
    return null;
  }

  console.log(
    `- waypoint ${VERSION} is older than ${latest}; updating before init`,
  );
  try {
    await prepareTarget(self.path);
    await installVersion({
      target: self.path,
      version: latest,
      registry,
      timeoutMs: httpTimeoutMs(env),
      log: (line) => console.log(`- ${line}`),
    });
  } catch (error) {
    console.error(
      `waypoint: warning: could not update to ${latest}: ${
        describeError(error)
      }; continuing with ${VERSION}`,
    );
    return null;
  }
  console.log(`- Updated ${self.path} to waypoint ${latest}`);
  const rerun = initArgs.includes("--skip-cli-update")
    ? initArgs
    : [...initArgs, "--skip-cli-update"];
  return await runInherited(self.path, ["init", ...rerun]);
}
