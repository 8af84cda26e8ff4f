/**
 * The version check `init` runs first: when a newer waypoint is published,
 * replace this binary and re-run `init` with the new one. Nothing here may
 * stop `init`: every failure becomes one line and `init` carries on. Every
 * notice goes to stderr: init's stdout is its report alone.
 *
 * @module
 */
import { printErrorLine } from "../output.ts";
import { describeError } from "../errors.ts";
import { VERSION } from "../version.ts";
import {
  type EnvLookup,
  formatSeconds,
  httpTimeoutMs,
  maskCredentials,
  NetworkTimeoutError,
  TOTAL_TIMEOUT_FACTOR,
} from "./http.ts";
import { TURN_OFF_HINT, updateCheckWanted } from "./check_switch.ts";
import { installVersion, prepareTarget } from "./install.ts";
import { cachedLatest, rememberFailedCheck } from "./latest.ts";
import { runInherited } from "./refresh.ts";
import { loadRegistry, type Registry } from "./registry.ts";
import { cleanupMovedAside, defaultStrategy } from "./replace.ts";
import { locateSelf } from "./self_path.ts";
import { isNewerRelease } from "./versions.ts";

/** The most the check before `init` may cost, whatever the registry does. */
export const CHECK_BUDGET_MS = 3_000;

/**
 * The most the update before `init` may spend downloading a release that
 * keeps moving (a stalled one gives up at the speed floor, in seconds).
 */
export const UPDATE_BUDGET_MS = 60_000;

const TURN_OFF = `${TURN_OFF_HINT} to turn the check off`;

/** One notice line on stderr. */
function notice(line: string): void {
  printErrorLine(`waypoint: ${line}`);
}

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
    notice(`skipped the update check: ${skipReason(error)}`);
    return null;
  }
}

function skipReason(error: unknown): string {
  if (error instanceof CheckTimeout || error instanceof NetworkTimeoutError) {
    const budget = error instanceof CheckTimeout ? error.budgetMs : undefined;
    return `the registry did not answer${
      budget ? ` within ${formatSeconds(budget)}` : " in time"
    } (${TURN_OFF})`;
  }
  return `${maskCredentials(describeError(error))} (${TURN_OFF})`;
}

/** The check as a whole ran out of its budget. */
class CheckTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super("the update check ran out of time");
  }
}

/** The newest version, or null: answers within `budgetMs` or throws {@link CheckTimeout}. */
async function checkLatest(
  env: EnvLookup,
  budgetMs: number,
): Promise<{ latest: string | null; registry: Registry }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(budgetMs)), budgetMs);
  });
  const started = Date.now();
  let registry: Registry | undefined;
  const work = (async () => {
    registry = await loadRegistry(env);
    const left = Math.max(1, budgetMs - (Date.now() - started));
    try {
      return { latest: await cachedLatest(registry, env, left), registry };
    } catch (error) {
      if (error instanceof NetworkTimeoutError) {
        throw new CheckTimeout(budgetMs);
      }
      throw error;
    }
  })();
  work.catch(() => {});
  try {
    return await Promise.race([work, expired]);
  } catch (error) {
    // The budget ran out before the request's own timeout could record it.
    if (error instanceof CheckTimeout && registry) {
      await rememberFailedCheck(registry, env);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function updateBeforeInit(
  initArgs: string[],
  env: EnvLookup,
): Promise<number | null> {
  if (!updateCheckWanted(env)) return null;
  const located = locateSelf(env);
  located.catch(() => {});
  if (defaultStrategy() === "move-aside") {
    // The file a Windows upgrade moved aside can go once the new one runs.
    const self = await located.catch(() => undefined);
    if (self?.kind === "binary") await cleanupMovedAside(self.path);
  }
  const timeoutMs = httpTimeoutMs(env);
  const { latest, registry } = await checkLatest(
    env,
    Math.min(CHECK_BUDGET_MS, timeoutMs),
  );
  if (latest === null || !isNewerRelease(latest, VERSION)) return null;

  const self = await located;
  if (self.kind === "source") {
    notice(
      `${latest} is available (running ${VERSION} from source; not updating)`,
    );
    return null;
  }
  if (self.kind === "npm") {
    notice(
      `${latest} is available (this is ${VERSION}); update with: npm install -g waypoint-codex@latest`,
    );
    return null;
  }

  // Said before anything is downloaded or replaced.
  notice(
    `updating ${VERSION} to ${latest} before init: downloading it, replacing ${self.path} and re-running init with it (${TURN_OFF_HINT} to turn this off)`,
  );
  try {
    await prepareTarget(self.path);
    await installVersion({
      target: self.path,
      version: latest,
      registry,
      timeoutMs,
      totalMs: Math.min(UPDATE_BUDGET_MS, timeoutMs * TOTAL_TIMEOUT_FACTOR),
      // The notice above said it all; the outcome is one more line.
      log: () => {},
    });
  } catch (error) {
    printErrorLine(
      `waypoint: warning: could not update to ${latest}: ${
        maskCredentials(describeError(error))
      }; continuing with ${VERSION}`,
    );
    return null;
  }
  notice(`updated ${self.path} to ${latest}`);
  const rerun = initArgs.includes("--skip-cli-update")
    ? initArgs
    : [...initArgs, "--skip-cli-update"];
  return await runInherited(self.path, ["init", ...rerun]);
}
