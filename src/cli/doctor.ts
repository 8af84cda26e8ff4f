/**
 * `waypoint doctor [dir] [--json] [--fix]`: report drift and problems; with
 * `--fix`, apply the safe remedies first and report what is left.
 *
 * @module
 */
import { printErrorLine, printLine, printLines } from "../output.ts";
import { printReport } from "./json_report.ts";
import { quickCommandArgs } from "./command_args.ts";
import { VERSION } from "../version.ts";
import { exitCodeFor, renderJson, renderTextLines } from "../doctor/finding.ts";
import { doctorConfig, runDoctor } from "../doctor/run.ts";
import type { PlanAction } from "../scaffold/action.ts";
import { computePlan } from "../scaffold/plan.ts";
import { applyPlan } from "../scaffold/apply.ts";
import { agentsLimit, readCodexSettings } from "../doctor/codex_settings.ts";
import { syncIndexes } from "../indexes/sync.ts";
import { existingRoot } from "./root.ts";
import { Repo } from "../fs/mod.ts";

/** Runs `waypoint doctor`. */
export async function run(args: string[]): Promise<number> {
  // The full parser loads node:util, which boots Deno's Node layer: only
  // for shapes the quick one leaves to it.
  const { values, dir: given } = quickCommandArgs("doctor", args) ??
    (await import("./args.ts")).parseCommandArgs("doctor", args);
  // Outside any waypoint repository doctor has nothing to check: exit 2 like an error finding.
  const { root: dir } = existingRoot(given, 2);
  const repo = Repo.open(dir);
  const json = values.json === true;
  let fixed: string[] | null = null;
  if (values.fix) {
    fixed = await fix(repo);
    const log = json ? printErrorLine : printLine;
    for (const line of fixed) log(`- Fixed: ${line}`);
    if (!fixed.length) log("- Nothing to fix automatically.");
  }
  const report = await runDoctor(repo.readOnlyView(), VERSION);
  if (json) {
    // `fixed` is null without --fix, so a reader can tell "nothing to fix" from "not asked".
    printReport({
      command: "doctor",
      root: dir,
      ...JSON.parse(renderJson(report)),
      fixed,
    });
  } else printLines(renderTextLines(report));
  return exitCodeFor(report.findings);
}

/** Only remedies that cannot touch user work: restore what is missing, repair the AGENTS block, rebuild indexes. */
function isSafe(action: PlanAction): boolean {
  if (action.kind === "create") return true;
  if (action.kind === "remove") return action.remove === "temp";
  if (action.kind !== "update") return false;
  // hooks.json updates only append or refresh waypoint's own group.
  return action.path === "AGENTS.md" || action.path === ".gitignore" ||
    action.path === ".codex/hooks.json";
}

async function fix(repo: Repo): Promise<string[]> {
  const { config } = doctorConfig(repo);
  if (!config) return [];
  const lines: string[] = [];
  const plan = await computePlan(repo.readOnlyView(), {
    version: VERSION,
    tolerateMalformedAgents: true,
    agentsLimit: agentsLimit(readCodexSettings(repo)),
  });
  const applied = await applyPlan(repo, plan, isSafe);
  for (const action of applied) {
    lines.push(
      `${action.kind === "create" ? "restored" : "updated"} ${action.path}`,
    );
  }
  const synced = await syncIndexes(repo, config);
  for (const path of synced.written) lines.push(`rebuilt ${path}`);
  return lines;
}
