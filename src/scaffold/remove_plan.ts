/**
 * Planning `waypoint remove`: deciding what to delete, strip or keep. A file
 * is planned for deletion only when its bytes prove waypoint wrote it
 * unchanged (the manifest's hash, or a template text some waypoint version
 * shipped); an edited file is kept and listed. The manifest is planned last,
 * so an interrupted run can be run again.
 *
 * @module
 */
import { parseConfig, readConfigText } from "../config.ts";
import { mergeConfigText } from "../config_merge.ts";
import { WaypointError } from "../errors.ts";
import { repoDirname, type RepoView } from "../fs/mod.ts";
import { isGeneratedIndex } from "../indexes/generated.ts";
import { knownTemplateTexts } from "../templates/history.ts";
import type { PlanAction, PlanNote } from "./action.ts";
import { START_MARKER } from "./agents_block.ts";
import { HOOKS_JSON_PATH, planHooksJson } from "./hooks_json.ts";
import { scaffoldFiles } from "./layout.ts";
import { MANIFEST_PATH, readManifest, sha256 } from "./manifest.ts";
import { OFFER_SUFFIX, trustedManifestEntries } from "./ownership.ts";
import {
  decodedUtf8,
  planAgentsStrip,
  planGitignoreStrip,
} from "./remove_strip.ts";

/** What `remove` would do, or did. */
export interface RemovalPlan {
  root: string;
  /** Deletions (`remove`), files cut down (`update`) and files kept (`keep`, edited ones marked). */
  actions: PlanAction[];
  notes: PlanNote[];
  /** Folders to delete when they end up empty, deepest first. */
  dirs: string[];
  /** Every AGENTS block text some waypoint version wrote (trimmed, LF). */
  knownBlocks: ReadonlySet<string>;
}

/** Plans the removal of waypoint from the repo `repo` shows. Reads; writes nothing. */
export async function planRemoval(repo: RepoView): Promise<RemovalPlan> {
  const manifest = readManifest(repo);
  if (manifest === undefined) {
    throw new WaypointError(
      `${repo.root} has no ${MANIFEST_PATH}, so waypoint cannot prove which files it wrote; nothing was removed`,
    );
  }
  const notes: PlanNote[] = [];
  const entries = trustedManifestEntries(manifest, notes);
  const actions: PlanAction[] = [];
  const written = new Set<string>();
  const special = new Set(["AGENTS.md", ".gitignore", HOOKS_JSON_PATH]);
  const knownHashes = new Set<string>();
  const knownBlocks = new Set<string>();
  for (const text of await knownTemplateTexts()) {
    knownHashes.add(await sha256(text));
    if (text.trimStart().startsWith(START_MARKER)) knownBlocks.add(text.trim());
  }

  const proveAndRemove = async (
    path: string,
    accepted: string[],
    why: string,
  ): Promise<void> => {
    const entry = repo.inspect(path);
    if (entry.kind === "missing") return;
    written.add(path);
    if (entry.kind !== "file") {
      actions.push({
        kind: "keep",
        path,
        detail: "it is not a regular file",
      });
      return;
    }
    const hash = await sha256(repo.readInspected(entry));
    if (accepted.includes(hash)) {
      actions.push({
        kind: "remove",
        path,
        detail: why,
        remove: "file",
        proof: [hash],
      });
    } else {
      actions.push({
        kind: "keep",
        path,
        detail: "you edited it",
        edited: true,
      });
    }
  };

  for (const [path, entry] of Object.entries(entries).sort()) {
    if (special.has(path) || path.endsWith(OFFER_SUFFIX)) continue;
    await proveAndRemove(
      path,
      [entry.sha256],
      "written by waypoint, unchanged",
    );
    if (entry.offered) {
      await proveAndRemove(
        path + OFFER_SUFFIX,
        [entry.offered],
        "waypoint's offer, unchanged",
      );
    }
  }

  // Files waypoint creates once and does not record: proven by being, byte
  // for byte, a text some waypoint version shipped.
  const config = parseConfig(readConfigText(repo) ?? "");
  for (const file of scaffoldFiles()) {
    if (file.kind !== "seeded" && file.kind !== "config") continue;
    const target = file.target === ".waypoint/WORKSPACE.md"
      ? config.workspaceFile
      : file.target;
    if (entries[target] !== undefined) continue;
    const entry = repo.inspect(target);
    if (entry.kind !== "file") continue;
    const hash = await sha256(repo.readInspected(entry));
    const accepted = knownHashes.has(hash) ? [hash] : [];
    if (file.kind === "config") {
      // init --app-friendly or --universal writes the template with its profile.
      for (const profile of ["universal", "app-friendly"]) {
        accepted.push(
          await sha256(mergeConfigText(undefined, file.content, profile)),
        );
      }
    }
    await proveAndRemove(
      target,
      accepted,
      "waypoint's starter file, never edited",
    );
  }

  for (
    const path of [config.docsIndexFile, ".waypoint/TRACKS_INDEX.md"]
  ) {
    const entry = repo.inspect(path);
    if (entry.kind !== "file") continue;
    written.add(path);
    const text = decodedUtf8(repo.readInspected(entry));
    actions.push(
      text !== undefined && isGeneratedIndex(text)
        ? {
          kind: "remove",
          path,
          detail: "index generated by waypoint",
          remove: "file",
          proof: [await sha256(text)],
        }
        : {
          kind: "keep",
          path,
          detail: "it is not an index waypoint generated",
        },
    );
  }
  if (repo.inspect(".waypoint/context").kind === "directory") {
    notes.push({
      path: ".waypoint/context",
      message:
        "left alone: generated by 'waypoint context', but waypoint cannot prove each file there is its own; delete the folder when you no longer need it",
    });
  }

  actions.push(...planAgentsStrip(repo, knownBlocks));
  actions.push(...planGitignoreStrip(repo));

  const hooks = await planHooksJson(repo, {
    enabled: false,
    force: false,
    recorded: entries[HOOKS_JSON_PATH],
  });
  actions.push(...hooks.actions.map((action) => ({
    ...action,
    detail: action.detail.replace(" ([features] session_hook = false)", ""),
  })));
  notes.push(...hooks.notes);
  for (const action of hooks.actions) written.add(action.path);

  const dirs = new Set<string>();
  for (const path of written) {
    for (let dir = repoDirname(path); dir !== ""; dir = repoDirname(dir)) {
      dirs.add(dir);
    }
  }
  for (const file of scaffoldFiles()) {
    for (
      let dir = repoDirname(file.target);
      dir !== "";
      dir = repoDirname(dir)
    ) {
      dirs.add(dir);
    }
  }
  dirs.add(".waypoint/docs");
  dirs.add(".waypoint/track");
  actions.push({
    kind: "remove",
    path: MANIFEST_PATH,
    detail: "waypoint's record of what it wrote, removed last",
    remove: "file",
    proof: [await sha256(repo.readText(MANIFEST_PATH) ?? "")],
  });
  return {
    root: repo.root,
    actions,
    notes,
    knownBlocks,
    dirs: [...dirs].sort((a, b) =>
      b.split("/").length - a.split("/").length || (a < b ? -1 : 1)
    ),
  };
}
