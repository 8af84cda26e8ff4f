/**
 * `waypoint upgrade [dir] [--check] [--version X] [--skip-repo-refresh]`:
 * replace this binary with the newest (or the requested) release from the
 * npm registry, then refresh `dir` with the new binary.
 *
 * @module
 */
import { printErrorLine, printLine } from "../output.ts";
import { printReport } from "./json_report.ts";
import { parseCommandArgs } from "./args.ts";
import { VERSION } from "../version.ts";
import { type EnvLookup, httpTimeoutMs } from "../update/http.ts";
import { installVersion, prepareTarget } from "../update/install.ts";
import { fetchLatest } from "../update/latest.ts";
import { platformPackage } from "../update/platform.ts";
import {
  refreshRepo,
  refreshRepoJson,
  type RefreshReport,
} from "../update/refresh.ts";
import {
  fetchPackument,
  loadRegistry,
  type Registry,
} from "../update/registry.ts";
import { locateSelf, refusal, replaceablePath } from "../update/self_path.ts";
import { planUpgrade, type UpgradePlan } from "../update/versions.ts";
import { WaypointError } from "../errors.ts";
import { refreshRoot } from "./root.ts";

/** The `upgrade --json` document, for `--check` and for a real upgrade. */
export interface UpgradeReport {
  command: "upgrade";
  check: boolean;
  /** The running waypoint's version. */
  current: string;
  /** The registry asked, credentials removed. */
  registry: string;
  /** `upgraded` only on a real upgrade that replaced the binary. */
  status: "up-to-date" | "available" | "upgraded";
  /** The version installed afterwards, or (`available`) the one to install. */
  version: string;
  /** Why a newer registry version is not taken (a prerelease, an older latest). */
  note: string | null;
  /** `--check` with a version available: the command to run, or why this binary cannot be replaced. */
  next: string | null;
  /** The binary replaced; `null` when none was. */
  binary: string | null;
  /** The repository refresh; `null` for `--check` and `--skip-repo-refresh`. */
  refresh: RefreshReport | null;
}

/** Runs `waypoint upgrade`. */
export async function run(args: string[]): Promise<number> {
  const { values, dir: given } = parseCommandArgs("upgrade", args);
  const env: EnvLookup = (name) => Deno.env.get(name);
  const requested = values.version as string | undefined;
  const timeoutMs = httpTimeoutMs(env);
  const json = values.json === true;
  // Under --json stdout carries only the document: progress goes to stderr.
  const log = (line: string) =>
    (json ? printErrorLine : printLine)(`- ${line}`);

  if (values.check) return await check(env, requested, timeoutMs, json);

  // Local problems first: nothing is downloaded for a binary we cannot
  // replace, or for a repository operand that is not a folder.
  const root = values["skip-repo-refresh"]
    ? undefined
    : refreshRoot(given).root;
  const target = replaceablePath(await locateSelf(env));
  await prepareTarget(target);
  const registry = await loadRegistry(env);
  const plan = await decide(registry, env, requested, timeoutMs);
  const report: UpgradeReport = {
    command: "upgrade",
    check: false,
    current: VERSION,
    registry: registry.display,
    status: plan.kind === "current" ? "up-to-date" : "upgraded",
    version: plan.version,
    note: plan.kind === "current" ? plan.note ?? null : null,
    next: null,
    binary: plan.kind === "current" ? null : target,
    refresh: null,
  };
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
  if (!json) {
    return root === undefined ? 0 : await refreshRepo(target, root, log);
  }
  if (root !== undefined) {
    report.refresh = await refreshRepoJson(target, root, log);
  }
  printReport(report);
  return report.refresh?.exitCode ?? 0;
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
  json: boolean,
): Promise<number> {
  const registry = await loadRegistry(env);
  const plan = await decide(registry, env, requested, timeoutMs);
  const report: UpgradeReport = {
    command: "upgrade",
    check: true,
    current: VERSION,
    registry: registry.display,
    status: plan.kind === "current" ? "up-to-date" : "available",
    version: plan.version,
    note: plan.kind === "current" ? plan.note ?? null : null,
    next: null,
    binary: null,
    refresh: null,
  };
  if (plan.kind === "current") {
    if (json) {
      printReport(report);
      return 0;
    }
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
  // A broken WAYPOINT_SELF_PATH is upgrade's problem, not the check's.
  const self = await locateSelf(env).catch(() => undefined);
  const reason = self ? refusal(self) : undefined;
  const next = reason ??
    `Run 'waypoint upgrade${
      requested ? ` --version ${plan.version}` : ""
    }' to install it.`;
  if (json) {
    printReport({ ...report, next });
    return 0;
  }
  printLine(
    `waypoint ${plan.version} is available (this is ${VERSION}, registry ${registry.display})`,
  );
  printLine(next);
  return 0;
}
