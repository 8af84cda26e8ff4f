/**
 * Deciding, not doing: computes what `init` would do to each path of a repo
 * (create / update / keep / conflict / remove) from the embedded templates,
 * the repo's files and the manifest. `init --dry-run` prints this plan,
 * `init` applies it, and `doctor` reads it to find drift.
 *
 * @module
 */
import {
  CONFIG_PATH,
  mergeConfigText,
  parseConfig,
  type WaypointConfig,
} from "../config.ts";
import { WaypointError } from "../errors.ts";
import { fromRepoPath } from "../paths.ts";
import { findBlock, upsertBlock } from "./agents_block.ts";
import { entryKind, readBytesIfExists, readTextIfExists } from "./fs.ts";
import { applyGitignoreSnippet } from "./gitignore.ts";
import {
  LEGACY_SCRIPTS,
  RETIRED_PATHS,
  SCAFFOLD_DIRS,
  type ScaffoldFile,
  scaffoldFiles,
} from "./layout.ts";
import {
  type Manifest,
  type ManifestEntry,
  readManifest,
  sha256,
} from "./manifest.ts";

/** What happens to one path. */
export type ActionKind = "create" | "update" | "keep" | "conflict" | "remove";

/** A file to write as part of an action. */
export interface PlannedWrite {
  path: string;
  content: string;
  executable: boolean;
}

/** One step of the plan. */
export interface PlanAction {
  kind: ActionKind;
  /** Repo-relative path the action is about. */
  path: string;
  /** Why, in words a user understands. */
  detail: string;
  /** Content to write at `path` (create, update). */
  write?: PlannedWrite;
  /** A new version written beside a user-edited file (conflict). */
  offer?: PlannedWrite;
  /** Where the current file is copied before it is overwritten (`--force`). */
  backup?: string;
  /** For removals: a single file, a whole tree, or a folder only if empty. */
  remove?: "file" | "tree" | "empty-dir";
  /** Set on managed files the user edited (kept, offered or pending). */
  edited?: boolean;
}

/** The whole plan for one repo. */
export interface Plan {
  root: string;
  actions: PlanAction[];
  /** Directories to ensure exist. */
  dirs: string[];
  /** The manifest as it will be after applying. */
  manifest: Manifest;
  /** The manifest as found, if any. */
  previousManifest?: Manifest;
  /** The configuration as it will be after applying. */
  config: WaypointConfig;
  /** Retired or unknown files reported but deliberately kept. */
  notes: { path: string; message: string }[];
}

/** Options that change the plan. */
export interface PlanOptions {
  /** Overwrite user-edited managed files (after a backup) and repair AGENTS.md markers. */
  force?: boolean;
  /** Profile to record; `undefined` keeps the saved one. */
  profile?: string;
  /** The waypoint version recorded in the manifest. */
  version: string;
  /** A timestamp used in backup names (tests may fix it). */
  now?: Date;
  /** Report malformed AGENTS.md markers as a conflict instead of throwing (doctor). */
  tolerateMalformedAgents?: boolean;
}

/** Suffix of the new version written beside a user-edited file. */
export const OFFER_SUFFIX = ".waypoint-new";

/** Runs `read`, returning `fallback` if it throws (for files that only inform the plan). */
function orElse<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Reads a repo file as strict text; `undefined` when missing; errors name the path. */
function readText(root: string, path: string): string | undefined {
  return readTextIfExists(fromRepoPath(root, path), path);
}

function readBytes(root: string, path: string): Uint8Array | undefined {
  return readBytesIfExists(fromRepoPath(root, path), path);
}

function backupName(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")
    .replace("T", "-");
  return `${path}.waypoint-backup-${stamp}`;
}

/** Computes the plan for the repo at `root`. Reads files; writes nothing. */
export async function computePlan(
  root: string,
  options: PlanOptions,
): Promise<Plan> {
  const now = options.now ?? new Date();
  const previousManifest = await readManifest(root);
  const allFiles = scaffoldFiles().sort((a, b) =>
    Number(b.kind === "config") - Number(a.kind === "config")
  );
  const actions: PlanAction[] = [];
  const notes: Plan["notes"] = [];
  const manifestFiles: Record<string, ManifestEntry> = {
    ...(previousManifest?.files ?? {}),
  };
  let config: WaypointConfig | undefined;

  const migration = planWorkspaceMigration(root);
  actions.push(...migration.actions);
  notes.push(...migration.notes);

  const files: ScaffoldFile[] = [];
  // Hashing is asynchronous: managed files are planned concurrently, in order.
  const steps: (PlanAction | Promise<PlanAction[]>)[] = [];
  for (const file of allFiles) {
    if (
      file.target.startsWith(".agents/skills/") && config &&
      !config.features.repoSkills
    ) continue;
    files.push(file);
    switch (file.kind) {
      case "config": {
        const existing = readText(root, file.target);
        const merged = mergeConfigText(existing, file.content, options.profile);
        config = parseConfig(merged);
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
        if (
          file.target === ".waypoint/WORKSPACE.md" && migration.movesWorkspace
        ) break;
        const kind = await entryKind(fromRepoPath(root, file.target));
        if (kind === undefined) {
          steps.push({
            kind: "create",
            path: file.target,
            detail: "starter file",
            write: writeOf(file, file.content),
          });
        } else if (kind === "file") {
          steps.push({
            kind: "keep",
            path: file.target,
            detail: "yours once created",
          });
        } else {
          steps.push({
            kind: "conflict",
            path: file.target,
            detail: "exists but is not a regular file; left alone",
          });
        }
        break;
      }
      case "agents-block":
        steps.push(
          planAgentsBlock(root, file, options, now),
        );
        break;
      case "gitignore": {
        const existing = readText(root, file.target);
        const next = applyGitignoreSnippet(existing, file.content);
        steps.push(
          textAction(file, existing, next, "added the waypoint state lines"),
        );
        break;
      }
      case "managed": {
        steps.push(
          planManaged(
            root,
            file,
            manifestFiles[file.target],
            options.force === true,
            now,
          ).then((planned) => {
            if (planned.entry) manifestFiles[file.target] = planned.entry;
            return planned.actions;
          }),
        );
        break;
      }
    }
  }
  for (const step of await Promise.all(steps)) actions.push(...[step].flat());

  const templateTargets = new Set(allFiles.map((file) => file.target));
  for (const [path, entry] of Object.entries(previousManifest?.files ?? {})) {
    if (templateTargets.has(path)) continue;
    delete manifestFiles[path];
    const bytes = readBytes(root, path);
    if (bytes === undefined) continue;
    if ((await sha256(bytes)) === entry.sha256) {
      actions.push({
        kind: "remove",
        path,
        detail: "no longer part of waypoint",
        remove: "file",
      });
    } else {
      notes.push({
        path,
        message: "no longer part of waypoint, but you edited it: kept",
      });
    }
  }

  const retired = await planRetired(root, previousManifest);
  actions.push(...retired.actions);
  notes.push(...retired.notes);

  if (!config) throw new Error(`internal: no ${CONFIG_PATH} template embedded`);
  return {
    root,
    actions,
    dirs: [...SCAFFOLD_DIRS],
    manifest: { waypoint: options.version, files: manifestFiles },
    previousManifest,
    config,
    notes,
  };
}

function writeOf(file: ScaffoldFile, content: string): PlannedWrite {
  return { path: file.target, content, executable: file.executable };
}

function textAction(
  file: ScaffoldFile,
  existing: string | undefined,
  next: string,
  updateDetail: string,
): PlanAction {
  if (existing === undefined) {
    return {
      kind: "create",
      path: file.target,
      detail: "new",
      write: writeOf(file, next),
    };
  }
  if (existing === next) {
    return { kind: "keep", path: file.target, detail: "up to date" };
  }
  return {
    kind: "update",
    path: file.target,
    detail: updateDetail,
    write: writeOf(file, next),
  };
}

async function planManaged(
  root: string,
  file: ScaffoldFile,
  entry: ManifestEntry | undefined,
  force: boolean,
  now: Date,
): Promise<{ actions: PlanAction[]; entry?: ManifestEntry }> {
  const templateHash = await sha256(file.content);
  const offerPath = file.target + OFFER_SUFFIX;
  const kind = await entryKind(fromRepoPath(root, file.target));
  const offerBytes = orElse(() => readBytes(root, offerPath), undefined);
  const staleOffer: PlanAction[] = offerBytes === undefined ? [] : [{
    kind: "remove",
    path: offerPath,
    detail: "resolved: the file now matches waypoint's version",
    remove: "file",
  }];

  if (kind === undefined) {
    return {
      actions: [{
        kind: "create",
        path: file.target,
        detail: "managed by waypoint",
        write: writeOf(file, file.content),
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (kind !== "file") {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail: "exists but is not a regular file; left alone",
      }],
      entry,
    };
  }
  const current = (readBytes(root, file.target))!;
  const currentHash = await sha256(current);
  if (currentHash === templateHash) {
    const detail = entry ? "up to date" : "matches waypoint's version; adopted";
    return {
      actions: [{ kind: "keep", path: file.target, detail }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (entry && currentHash === entry.sha256) {
    return {
      actions: [{
        kind: "update",
        path: file.target,
        detail: "newer waypoint version",
        write: writeOf(file, file.content),
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (force) {
    const backup = backupName(file.target, now);
    return {
      actions: [{
        kind: "update",
        path: file.target,
        detail:
          `overwrote your edit (--force); your version is saved at ${backup}`,
        write: writeOf(file, file.content),
        backup,
        edited: true,
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  const offerCurrent = offerBytes !== undefined &&
    (await sha256(offerBytes)) === templateHash;
  if (offerCurrent) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail: `you edited it; waypoint's version is waiting at ${offerPath}`,
        edited: true,
      }],
      entry: { sha256: entry?.sha256 ?? templateHash, offered: templateHash },
    };
  }
  if (entry?.offered === templateHash && offerBytes === undefined) {
    return {
      actions: [{
        kind: "keep",
        path: file.target,
        detail: "you edited it; keeping your version",
        edited: true,
      }],
      entry,
    };
  }
  return {
    actions: [{
      kind: "conflict",
      path: file.target,
      detail:
        `you edited it; kept your version and wrote waypoint's to ${offerPath}`,
      offer: {
        path: offerPath,
        content: file.content,
        executable: file.executable,
      },
      edited: true,
    }],
    entry: { sha256: entry?.sha256 ?? templateHash, offered: templateHash },
  };
}

function planAgentsBlock(
  root: string,
  file: ScaffoldFile,
  options: PlanOptions,
  now: Date,
): PlanAction {
  const existing = readText(root, file.target);
  if (existing === undefined) {
    return {
      kind: "create",
      path: file.target,
      detail: "startup contract",
      write: writeOf(file, upsertBlock(undefined, file.content)),
    };
  }
  const state = findBlock(existing);
  if (state.kind === "malformed") {
    if (!options.force && options.tolerateMalformedAgents) {
      return {
        kind: "conflict",
        path: file.target,
        detail: `AGENTS.md ${state.reason}`,
      };
    }
    if (!options.force) {
      throw new WaypointError(
        `AGENTS.md ${state.reason}; waypoint will not guess which text is yours. Fix the markers by hand, or run 'waypoint init --force' to drop the stray markers and append a fresh block (a backup is kept)`,
      );
    }
    const backup = backupName(file.target, now);
    return {
      kind: "update",
      path: file.target,
      detail:
        `repaired the waypoint markers (--force); previous file saved at ${backup}`,
      write: writeOf(file, upsertBlock(existing, file.content, true)),
      backup,
    };
  }
  const next = upsertBlock(existing, file.content);
  if (next === existing) {
    return {
      kind: "keep",
      path: file.target,
      detail: "waypoint block up to date",
    };
  }
  const detail = state.kind === "absent"
    ? "appended the waypoint block"
    : "refreshed the waypoint block";
  return {
    kind: "update",
    path: file.target,
    detail,
    write: writeOf(file, next),
  };
}

function planWorkspaceMigration(
  root: string,
): { actions: PlanAction[]; notes: Plan["notes"]; movesWorkspace: boolean } {
  const actions: PlanAction[] = [];
  const notes: Plan["notes"] = [];
  let movesWorkspace = false;
  const rootWorkspace = readText(root, "WORKSPACE.md");
  if (rootWorkspace !== undefined) {
    const target = orElse(() => readText(root, ".waypoint/WORKSPACE.md"), "");
    if (target === undefined) {
      movesWorkspace = true;
      actions.push(
        {
          kind: "create",
          path: ".waypoint/WORKSPACE.md",
          detail: "moved from WORKSPACE.md",
          write: {
            path: ".waypoint/WORKSPACE.md",
            content: rootWorkspace,
            executable: false,
          },
        },
        {
          kind: "remove",
          path: "WORKSPACE.md",
          detail: "moved to .waypoint/WORKSPACE.md",
          remove: "file",
        },
      );
    } else if (target === rootWorkspace) {
      actions.push({
        kind: "remove",
        path: "WORKSPACE.md",
        detail: "duplicate of .waypoint/WORKSPACE.md",
        remove: "file",
      });
    } else {
      notes.push({
        path: "WORKSPACE.md",
        message:
          "kept: it differs from .waypoint/WORKSPACE.md; merge what you need into that file and delete this one",
      });
    }
  }
  const rootIndex = orElse(() => readText(root, "DOCS_INDEX.md"), undefined);
  if (rootIndex !== undefined) {
    if (rootIndex.startsWith("# Docs Index")) {
      actions.push({
        kind: "remove",
        path: "DOCS_INDEX.md",
        detail: "generated index now lives in .waypoint/",
        remove: "file",
      });
    } else {
      notes.push({
        path: "DOCS_INDEX.md",
        message: "kept: it does not look like a generated waypoint index",
      });
    }
  }
  return { actions, notes, movesWorkspace };
}

async function planRetired(
  root: string,
  manifest: Manifest | undefined,
): Promise<{ actions: PlanAction[]; notes: Plan["notes"] }> {
  const actions: PlanAction[] = [];
  const notes: Plan["notes"] = [];
  for (const path of RETIRED_PATHS) {
    const kind = await entryKind(fromRepoPath(root, path)).catch(() =>
      "other" as const
    );
    if (kind === undefined) continue;
    if (kind === "directory" && path.startsWith(".agents/skills/")) {
      actions.push({
        kind: "remove",
        path,
        detail: "retired skill",
        remove: "tree",
      });
      continue;
    }
    const known = manifest?.files[path];
    if (kind === "file" && known) {
      const bytes = readBytes(root, path);
      if (bytes && (await sha256(bytes)) === known.sha256) {
        actions.push({
          kind: "remove",
          path,
          detail: "retired file waypoint wrote",
          remove: "file",
        });
        continue;
      }
    }
    notes.push({
      path,
      message:
        "retired by waypoint, but waypoint cannot confirm it wrote this content: kept (delete it if you no longer need it)",
    });
  }
  let removedScripts = 0;
  let scriptEntries = 0;
  const scriptsDir = fromRepoPath(root, ".waypoint/scripts");
  try {
    for (const entry of Deno.readDirSync(scriptsDir)) {
      scriptEntries++;
      const path = `.waypoint/scripts/${entry.name}`;
      const text = entry.isFile
        ? orElse(() => readText(root, path), undefined)
        : undefined;
      if (
        LEGACY_SCRIPTS.includes(entry.name) && text !== undefined &&
        text.includes(".waypoint")
      ) {
        actions.push({
          kind: "remove",
          path,
          detail: "replaced by the waypoint binary (sync, context)",
          remove: "file",
        });
        removedScripts++;
      } else if (entry.name.endsWith(".mjs")) {
        notes.push({ path, message: "not a script waypoint recognises: kept" });
      }
    }
  } catch {
    // No scripts folder: nothing to migrate.
  }
  if (removedScripts > 0 && removedScripts === scriptEntries) {
    actions.push({
      kind: "remove",
      path: ".waypoint/scripts",
      detail: "empty after migration",
      remove: "empty-dir",
    });
  }
  return { actions, notes };
}
