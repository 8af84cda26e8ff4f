/**
 * `waypoint upgrade [dir] [--check] [--version X] [--skip-repo-refresh]`:
 * replace this binary with the newest (or the requested) release from the
 * npm registry, then refresh `dir` with the new binary.
 *
 * @module
 */
import { printLine } from "../output.ts";
import { parseCommandArgs } from "./args.ts";
import { VERSION } from "../version.ts";
import { type EnvLookup, httpTimeoutMs } from "../update/http.ts";
import { installVersion, prepareTarget } from "../update/install.ts";
import { fetchLatest } from "../update/latest.ts";
import { platformPackage } from "../update/platform.ts";
import { refreshRepo } from "../update/refresh.ts";
import {
  fetchPackument,
  loadRegistry,
  type Registry,
} from "../update/registry.ts";
import { locateSelf, refusal, replaceablePath } from "../update/self_path.ts";
import { planUpgrade, type UpgradePlan } from "../update/versions.ts";
import { WaypointError } from "../errors.ts";
import { refreshRoot } from "./root.ts";

/** Runs `waypoint upgrade`. */
export async function run(args: string[]): Promise<number> {
  const { values, dir: given } = parseCommandArgs("upgrade", args);
  const env: EnvLookup = (name) => Deno.env.get(name);
  const requested = values.version as string | undefined;
  const timeoutMs = httpTimeoutMs(env);
  const log = (line: string) => printLine(`- ${line}`);

  if (values.check) return await check(env, requested, timeoutMs);

  // Local problems first: nothing is downloaded for a binary we cannot
  // replace, or for a repository operand that is not a folder.
  const root = values["skip-repo-refresh"]
    ? undefined
    : refreshRoot(given).root;
  const target = replaceablePath(await locateSelf(env));
  await prepareTarget(target);
  const registry = await loadRegistry(env);
  const plan = await decide(registry, env, requested, timeoutMs);
  if (plan.kind === "current") {
    log(
      `waypoint ${VERSION} is up to date (registry ${registry.display})${
        plan.note ? `; ${plan.note}` : ""
      }`,
    );
  } else {
    log(`Updating waypoint ${VERSION} to ${plan.version}`);
    await installVersion({
      target,
      version: plan.version,
      registry,
      timeoutMs,
      log,
    });
    log(`Replaced ${target} with waypoint ${plan.version}`);
  }
  if (root === undefined) return 0;
  return await refreshRepo(target, root, log);
}

async function decide(
  registry: Registry,
  env: EnvLookup,
  requested: string | undefined,
  timeoutMs: number,
): Promise<UpgradePlan> {
  const latest = requested === undefined
    ? await fetchLatest(registry, env, timeoutMs)
    : undefined;
  return planUpgrade({
    current: VERSION,
    latest,
    requested,
    registryUrl: registry.display,
  });
}

async function check(
  env: EnvLookup,
  requested: string | undefined,
  timeoutMs: number,
): Promise<number> {
  const registry = await loadRegistry(env);
  const plan = await decide(registry, env, requested, timeoutMs);
  if (plan.kind === "current") {
    printLine(
      `waypoint ${VERSION} is up to date (registry ${registry.display})${
        plan.note ? `; ${plan.note}` : ""
      }`,
    );
    return 0;
  }
  if (requested !== undefined) {
    const { packageName } = platformPackage();
    const packument = await fetchPackument(registry, packageName, timeoutMs);
    if (!packument.versions[plan.version]) {
      throw new WaypointError(
        `${packageName} ${plan.version} is not in the registry at ${registry.display}`,
      );
    }
  }
  printLine(
    `waypoint ${plan.version} is available (this is ${VERSION}, registry ${registry.display})`,
  );
  // A broken WAYPOINT_SELF_PATH is upgrade's problem, not the check's.
  const self = await locateSelf(env).catch(() => undefined);
  const reason = self ? refusal(self) : undefined;
  printLine(
    reason ??
      `Run 'waypoint upgrade${
        requested ? ` --version ${plan.version}` : ""
      }' to install it.`,
  );
  return 0;
}
