/**
 * Deciding, not doing: computes what `init` would do to each path of a repo
 * (create / update / keep / conflict / remove) from the embedded templates,
 * the repo's files and the manifest. `init --dry-run` prints this plan,
 * `init` applies it, and `doctor` reads it to find drift. This module walks
 * the scaffold's files and gathers the parts: managed files are planned by
 * `plan_managed.ts`, AGENTS.md by `plan_agents.ts`, the migrations by
 * `migrate.ts` and `codex_config_migration.ts`, hooks by `hooks_json.ts`.
 *
 * @module
 */
import { CONFIG_PATH, parseConfig, type WaypointConfig } from "../config.ts";
import { mergeConfigText } from "../config_merge.ts";
import { entryProblem, repoDirname, type RepoView } from "../fs/mod.ts";
import type { Plan, PlanAction, PlanNote, PlanOptions } from "./action.ts";
import {
  CODEX_CONFIG_PATH,
  planCodexConfigMigration,
} from "./codex_config_migration.ts";
import { applyGitignoreBlock, gitignoreBlockProblem } from "./gitignore.ts";
import { HOOKS_JSON_PATH, planHooksJson } from "./hooks_json.ts";
import {
  SCAFFOLD_DIRS,
  type ScaffoldFile,
  scaffoldFiles,
  WORKSPACE_TEMPLATE,
} from "./layout.ts";
import { isLegacyTemplate } from "./legacy.ts";
import { type ManifestEntry, readManifest, sha256 } from "./manifest.ts";
import {
  planRetired,
  planRootDocsIndex,
  planWorkspaceMove,
} from "./migrate.ts";
import { knownWaypointPaths, trustedEntries } from "./ownership.ts";
import { planAgentsBlock } from "./plan_agents.ts";
import { leftAlone, textAction, writeOf } from "./plan_common.ts";
import { planManaged } from "./plan_managed.ts";

/**
 * Computes the plan for the repo `repo` shows. Reads files; its type has
 * nothing to write with. Give it a fresh `Repo.readOnlyView()` per plan.
 */
export async function computePlan(
  repo: RepoView,
  options: PlanOptions,
): Promise<Plan> {
  const previousManifest = readManifest(repo);
  const allFiles = scaffoldFiles().sort((a, b) =>
    Number(b.kind === "config") - Number(a.kind === "config")
  );
  const actions: PlanAction[] = [];
  const notes: PlanNote[] = [];
  const known = knownWaypointPaths(allFiles.map((file) => file.target));
  const recordedEntries = trustedEntries(previousManifest, known, notes);
  const manifestFiles: Record<string, ManifestEntry> = { ...recordedEntries };
  let config: WaypointConfig | undefined;

  const steps: (PlanAction | PlanAction[] | Promise<PlanAction[]>)[] = [];
  const targets = new Set<string>();
  for (const file of allFiles) {
    if (
      file.target.startsWith(".agents/skills/") && config &&
      !config.features.repoSkills
    ) continue;
    switch (file.kind) {
      case "config": {
        const existing = repo.readText(file.target);
        const merged = mergeConfigText(existing, file.content, options.profile);
        config = parseConfig(merged);
        targets.add(file.target);
        steps.push(
          textAction(
            file,
            existing,
            merged,
            existing === undefined ? "new config" : "filled in missing keys",
          ),
        );
        break;
      }
      case "seeded": {
        const isWorkspace = file.template === WORKSPACE_TEMPLATE && config;
        const target = isWorkspace ? config!.workspaceFile : file.target;
        targets.add(target);
        if (isWorkspace) {
          const move = await planWorkspaceMove(repo, target);
          actions.push(...move.actions);
          notes.push(...move.notes);
          if (move.movesWorkspace) break;
        }
        steps.push(planSeeded(repo, { ...file, target }, recordedEntries));
        break;
      }
      case "agents-block":
        targets.add(file.target);
        steps.push(
          planAgentsBlock(
            repo,
            file,
            options,
            recordedEntries[file.target],
            previousManifest !== undefined,
          )
            .then((planned) => {
              if (planned.entry) manifestFiles[file.target] = planned.entry;
              return [planned.action];
            }),
        );
        break;
      case "gitignore": {
        targets.add(file.target);
        const entry = repo.inspect(file.target);
        if (entry.kind !== "missing" && entry.kind !== "file") {
          steps.push(leftAlone(file.target, entry));
          break;
        }
        const existing = repo.readText(file.target);
        const problem = existing === undefined
          ? undefined
          : gitignoreBlockProblem(existing);
        if (problem) {
          steps.push({
            kind: "conflict",
            path: file.target,
            detail: `left alone: its waypoint markers are broken (${problem})`,
          });
          break;
        }
        const next = applyGitignoreBlock(existing, file.content);
        steps.push(
          textAction(
            file,
            existing,
            next,
            "rewrote the lines between its waypoint markers",
          ),
        );
        break;
      }
      case "managed": {
        targets.add(file.target);
        steps.push(
          planManaged(
            repo,
            file,
            recordedEntries[file.target],
            options.force === true,
          ).then((planned) => {
            if (planned.entry) manifestFiles[file.target] = planned.entry;
            else delete manifestFiles[file.target];
            return planned.actions;
          }),
        );
        break;
      }
    }
  }
  if (!config) throw new Error(`internal: no ${CONFIG_PATH} template embedded`);

  const rootIndex = await planRootDocsIndex(repo, config.docsIndexFile);
  actions.push(...rootIndex.actions);
  notes.push(...rootIndex.notes);

  for (const step of await Promise.all(steps)) actions.push(...[step].flat());

  targets.add(HOOKS_JSON_PATH);
  const hooksJson = await planHooksJson(repo, {
    enabled: config.features.sessionHook,
    force: options.force === true,
    recorded: recordedEntries[HOOKS_JSON_PATH],
  });
  actions.push(...hooksJson.actions);
  notes.push(...hooksJson.notes);
  if (hooksJson.entry) manifestFiles[HOOKS_JSON_PATH] = hooksJson.entry;
  else delete manifestFiles[HOOKS_JSON_PATH];

  const recordedHashes: Record<string, string[]> = {};
  for (const [path, entry] of Object.entries(recordedEntries)) {
    if (targets.has(path)) continue;
    delete manifestFiles[path];
    recordedHashes[path] = [entry.sha256];
  }
  const codexConfig = await planCodexConfigMigration(
    repo,
    recordedHashes[CODEX_CONFIG_PATH],
  );
  actions.push(...codexConfig.actions);
  notes.push(...codexConfig.notes);
  // .codex/config.toml is the Codex config migration's alone, never a plain retired file.
  const retired = await planRetired(
    repo,
    new Set([...targets, CODEX_CONFIG_PATH]),
    recordedHashes,
  );
  actions.push(...retired.actions);
  notes.push(...retired.notes);

  actions.push(...planStaleTemps(repo, targets, config));

  const dirs: string[] = [];
  for (const dir of SCAFFOLD_DIRS) {
    const entry = repo.inspect(dir);
    if (entry.kind === "missing" || entry.kind === "directory") dirs.push(dir);
    else {
      notes.push({
        path: dir,
        message: entry.kind === "file"
          ? "left alone: it is a file, but waypoint needs a folder here"
          : `left alone: it ${entryProblem(entry)}`,
      });
    }
  }
  return {
    root: repo.root,
    actions,
    dirs,
    manifest: { waypoint: options.version, files: manifestFiles },
    previousManifest,
    config,
    notes,
  };
}

/** Temp files an interrupted run left in the folders waypoint writes to. */
function planStaleTemps(
  repo: RepoView,
  targets: ReadonlySet<string>,
  config: WaypointConfig,
): PlanAction[] {
  const dirs = new Set<string>(["", ".waypoint/context"]);
  for (
    const path of [
      ...targets,
      config.docsIndexFile,
      config.workspaceFile,
      ".waypoint/TRACKS_INDEX.md",
    ]
  ) dirs.add(repoDirname(path));
  return repo.findStaleTemps(dirs).map((path) => ({
    kind: "remove" as const,
    path,
    detail: "temp file left by an interrupted waypoint run",
    remove: "temp" as const,
  }));
}

/** A file created once, then the user's; one the published package wrote and nobody edited is refreshed. */
async function planSeeded(
  repo: RepoView,
  file: ScaffoldFile,
  recorded: Readonly<Record<string, ManifestEntry>>,
): Promise<PlanAction[]> {
  const entry = repo.inspect(file.target);
  if (entry.kind === "missing") {
    return [{
      kind: "create",
      path: file.target,
      detail: "starter file",
      write: writeOf(file, file.content),
    }];
  }
  if (entry.kind !== "file") return [leftAlone(file.target, entry)];
  const bytes = repo.readInspected(entry);
  if (recorded[file.target] === undefined) {
    const hash = await sha256(bytes);
    if (
      isLegacyTemplate(file.target, hash) && hash !== file.sha256
    ) {
      return [{
        kind: "update",
        path: file.target,
        detail: "the published package's untouched starter file: refreshed",
        write: writeOf(file, file.content),
      }];
    }
  }
  return [{ kind: "keep", path: file.target, detail: "yours once created" }];
}
