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
import {
  type Entry,
  entryProblem,
  findStaleTemps,
  inspect,
  isCanonicalRepoPath,
  readInspectedFile,
  readOnlyPass,
  readRepoText,
  repoDirname,
  resolveLinkInside,
} from "../fs/mod.ts";
import {
  type BlockPlacement,
  currentBlock,
  findBlock,
  placeBlock,
} from "./agents_block.ts";
import {
  CODEX_CONFIG_PATH,
  planCodexConfigMigration,
} from "./codex_config_migration.ts";
import { applyGitignoreBlock, gitignoreBlockProblem } from "./gitignore.ts";
import { HOOKS_JSON_PATH, planHooksJson } from "./hooks_json.ts";
import {
  FORMER_TARGETS,
  RETIRED_PATHS,
  SCAFFOLD_DIRS,
  type ScaffoldFile,
  scaffoldFiles,
  WORKSPACE_TEMPLATE,
} from "./layout.ts";
import { isLegacyTemplate, legacyPaths } from "./legacy.ts";
import {
  type Manifest,
  type ManifestEntry,
  readManifest,
  sha256,
} from "./manifest.ts";
import type { MergeResult, mergeThreeWay } from "./merge3.ts";
import {
  knownTemplateTexts,
  templateTextByHash,
} from "../templates/history.ts";
import {
  planRetired,
  planRootDocsIndex,
  planWorkspaceMove,
} from "./migrate.ts";

import type { PlanAction, PlannedWrite, PlanNote } from "./action.ts";

export type {
  ActionKind,
  PlanAction,
  PlannedWrite,
  PlanNote,
  TreeProof,
} from "./action.ts";

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
  /** Retired, unknown or linked paths reported but deliberately kept. */
  notes: PlanNote[];
}

/** Options that change the plan. */
export interface PlanOptions {
  /** Overwrite user-edited managed files (after a backup) and repair AGENTS.md markers. */
  force?: boolean;
  /** Profile to record; `undefined` keeps the saved one. */
  profile?: string;
  /** The waypoint version recorded in the manifest. */
  version: string;
  /** Report malformed AGENTS.md markers as a conflict instead of throwing (doctor). */
  tolerateMalformedAgents?: boolean;
  /** The bytes of AGENTS.md Codex reads, and where that number comes from; Codex's default when absent. */
  agentsLimit?: AgentsLimit;
}

/** Codex's `project_doc_max_bytes` in effect for the repo. */
export interface AgentsLimit {
  bytes: number;
  /** Where it is set, for messages: a config file and line, or "the default". */
  from: string;
}

/** Codex's default `project_doc_max_bytes`. */
const DEFAULT_AGENTS_LIMIT: AgentsLimit = {
  bytes: 32_768,
  from: "the default",
};

/** Suffix of the new version written beside a user-edited file. */
export const OFFER_SUFFIX = ".waypoint-new";

/** How a backup is named in a plan; `applyPlan` picks the real, unique name. */
export function backupPattern(path: string): string {
  return `${path}.waypoint-backup-<time>`;
}

/** Every path any waypoint version (or the published package) wrote: the only paths a manifest may name. */
function knownWaypointPaths(targets: Iterable<string>): Set<string> {
  return new Set([
    ...targets,
    HOOKS_JSON_PATH,
    ...RETIRED_PATHS,
    ...FORMER_TARGETS,
    ...legacyPaths(),
  ]);
}

/**
 * Keeps only manifest entries that name a path waypoint writes, in canonical
 * form. A hostile entry (`../x`, `.git/HEAD`, `src/app.ts`) is dropped and
 * reported: it could otherwise prove a deletion of anything.
 */
function trustedEntries(
  manifest: Manifest | undefined,
  known: ReadonlySet<string>,
  notes: PlanNote[],
): Record<string, ManifestEntry> {
  const trusted: Record<string, ManifestEntry> = {};
  for (const [path, entry] of Object.entries(manifest?.files ?? {})) {
    const offerOf = path.endsWith(OFFER_SUFFIX)
      ? path.slice(0, -OFFER_SUFFIX.length)
      : undefined;
    if (
      isCanonicalRepoPath(path) &&
      (known.has(path) || (offerOf !== undefined && known.has(offerOf)))
    ) {
      trusted[path] = entry;
    } else {
      notes.push({
        path: ".waypoint/manifest.json",
        message: `ignored the entry ${
          JSON.stringify(path)
        }: it is not a path waypoint writes`,
      });
    }
  }
  return trusted;
}

/**
 * The manifest's entries that name a path some waypoint version writes (in
 * canonical form); the others are reported in `notes` and must prove nothing.
 */
export function trustedManifestEntries(
  manifest: Manifest | undefined,
  notes: PlanNote[],
): Record<string, ManifestEntry> {
  return trustedEntries(
    manifest,
    knownWaypointPaths(scaffoldFiles().map((file) => file.target)),
    notes,
  );
}

/** Computes the plan for the repo at `root`. Reads files; writes nothing. */
export function computePlan(
  root: string,
  options: PlanOptions,
): Promise<Plan> {
  return readOnlyPass(() => planRepo(root, options));
}

async function planRepo(root: string, options: PlanOptions): Promise<Plan> {
  const previousManifest = readManifest(root);
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
        const existing = readRepoText(root, file.target);
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
          const move = await planWorkspaceMove(root, target);
          actions.push(...move.actions);
          notes.push(...move.notes);
          if (move.movesWorkspace) break;
        }
        steps.push(planSeeded(root, { ...file, target }, recordedEntries));
        break;
      }
      case "agents-block":
        targets.add(file.target);
        steps.push(
          planAgentsBlock(
            root,
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
        const entry = inspect(root, file.target);
        if (entry.kind !== "missing" && entry.kind !== "file") {
          steps.push(leftAlone(file.target, entry));
          break;
        }
        const existing = readRepoText(root, file.target);
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
            root,
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

  const rootIndex = await planRootDocsIndex(root, config.docsIndexFile);
  actions.push(...rootIndex.actions);
  notes.push(...rootIndex.notes);

  for (const step of await Promise.all(steps)) actions.push(...[step].flat());

  targets.add(HOOKS_JSON_PATH);
  const hooksJson = await planHooksJson(root, {
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
    root,
    recordedHashes[CODEX_CONFIG_PATH],
  );
  actions.push(...codexConfig.actions);
  notes.push(...codexConfig.notes);
  // .codex/config.toml is the Codex config migration's alone, never a plain retired file.
  const retired = await planRetired(
    root,
    new Set([...targets, CODEX_CONFIG_PATH]),
    recordedHashes,
  );
  actions.push(...retired.actions);
  notes.push(...retired.notes);

  actions.push(...planStaleTemps(root, targets, config));

  const dirs: string[] = [];
  for (const dir of SCAFFOLD_DIRS) {
    const entry = inspect(root, dir);
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
    root,
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
  root: string,
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
  return findStaleTemps(root, dirs).map((path) => ({
    kind: "remove" as const,
    path,
    detail: "temp file left by an interrupted waypoint run",
    remove: "temp" as const,
  }));
}

function writeOf(file: ScaffoldFile, content: string): PlannedWrite {
  return { path: file.target, content, executable: file.executable };
}

function leftAlone(path: string, entry: Entry): PlanAction {
  return {
    kind: "conflict",
    path,
    detail: `left alone: it ${entryProblem(entry)}`,
    leftAlone: true,
  };
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

/** A file created once, then the user's; one the published package wrote and nobody edited is refreshed. */
async function planSeeded(
  root: string,
  file: ScaffoldFile,
  recorded: Readonly<Record<string, ManifestEntry>>,
): Promise<PlanAction[]> {
  const entry = inspect(root, file.target);
  if (entry.kind === "missing") {
    return [{
      kind: "create",
      path: file.target,
      detail: "starter file",
      write: writeOf(file, file.content),
    }];
  }
  if (entry.kind !== "file") return [leftAlone(file.target, entry)];
  const bytes = readInspectedFile(root, entry);
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

async function planManaged(
  root: string,
  file: ScaffoldFile,
  entry: ManifestEntry | undefined,
  force: boolean,
): Promise<{ actions: PlanAction[]; entry?: ManifestEntry }> {
  const templateHash = file.sha256;
  const offerPath = file.target + OFFER_SUFFIX;
  const target = inspect(root, file.target);
  const offerEntry = inspect(root, offerPath);
  let offerBytes: Uint8Array | undefined;
  if (offerEntry.kind === "file") {
    try {
      offerBytes = readInspectedFile(root, offerEntry);
    } catch {
      // An offer waypoint cannot read is not one it can prove is its own.
    }
  }
  const offerHash = offerBytes === undefined
    ? undefined
    : await sha256(offerBytes);
  // An offer is waypoint's when it holds a version waypoint wrote there.
  const offerIsOurs = offerHash !== undefined &&
    (offerHash === templateHash || offerHash === entry?.offered);
  const staleOffer: PlanAction[] = offerIsOurs
    ? [{
      kind: "remove",
      path: offerPath,
      detail: "resolved: the file now matches waypoint's version",
      remove: "file",
      proof: [offerHash!],
    }]
    : [];

  if (target.kind === "missing") {
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
  if (target.kind !== "file") {
    return { actions: [leftAlone(file.target, target)], entry };
  }
  const current = readInspectedFile(root, target);
  // An unchanged file is the common case: proven by its bytes, no hash needed.
  const currentHash = holdsExactly(current, file.content)
    ? templateHash
    : await sha256(current);
  if (currentHash === templateHash) {
    const detail = entry ? "up to date" : "matches waypoint's version; adopted";
    return {
      actions: [{ kind: "keep", path: file.target, detail }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  const unedited = entry
    ? currentHash === entry.sha256
    : isLegacyTemplate(file.target, currentHash);
  if (unedited) {
    return {
      actions: [{
        kind: "update",
        path: file.target,
        detail: entry
          ? "newer waypoint version"
          : "written by the published package and never edited: updated",
        write: writeOf(file, file.content),
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (force) {
    return {
      actions: [{
        kind: "update",
        path: file.target,
        detail:
          `overwrote your edit (--force); your version is saved beside it`,
        write: writeOf(file, file.content),
        backup: backupPattern(file.target),
        edited: true,
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (offerHash === templateHash) {
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
  if (
    offerIsOurs && entry?.offered === offerHash &&
    entry.offeredFor === templateHash
  ) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited lines the new version changes too; the merge, with conflict markers, is waiting at ${offerPath}`,
        edited: true,
        merge: "conflict",
      }],
      entry,
    };
  }
  // A merge offer the user has dealt with (moved over the file, or deleted to
  // keep theirs): what the file holds now is their answer to this template,
  // so this template is the base of the next refresh.
  if (
    entry?.offeredFor === templateHash && offerEntry.kind === "missing"
  ) {
    return {
      actions: [{
        kind: "keep",
        path: file.target,
        detail: "you edited it; keeping your version",
        edited: true,
      }],
      entry: { sha256: templateHash },
    };
  }
  // No offer without news: the template is what waypoint last wrote or offered.
  if (
    entry &&
    (entry.offeredFor ?? entry.offered ?? entry.sha256) === templateHash
  ) {
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
  if (offerEntry.kind !== "missing" && !offerIsOurs) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited it; waypoint has a new version but ${offerPath} is not one it wrote, so it is left alone`,
        edited: true,
        offerBlocked: offerPath,
      }],
      entry,
    };
  }
  const merged = entry
    ? await mergeEdited(current, entry.sha256, file.content)
    : undefined;
  if (merged && !merged.conflict) {
    // The base of the next refresh is the template the edits now sit on.
    if (holdsExactly(current, merged.text)) {
      return {
        actions: [{
          kind: "keep",
          path: file.target,
          detail: "your edits already hold the new version",
          edited: true,
        }, ...staleOffer],
        entry: { sha256: templateHash },
      };
    }
    return {
      actions: [{
        kind: "update",
        path: file.target,
        detail: "merged your edits into the new version",
        write: writeOf(file, merged.text),
        edited: true,
        merge: "clean",
      }, ...staleOffer],
      entry: { sha256: templateHash },
    };
  }
  if (merged) {
    return {
      actions: [{
        kind: "conflict",
        path: file.target,
        detail:
          `you edited lines the new version changes too; kept your version and wrote the merge, with conflict markers, to ${offerPath}`,
        offer: {
          path: offerPath,
          content: merged.text,
          executable: file.executable,
        },
        edited: true,
        merge: "conflict",
      }],
      entry: {
        sha256: entry!.sha256,
        offered: await sha256(merged.text),
        offeredFor: templateHash,
      },
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

/** The merge module, loaded only when a refresh merges (most runs do not). */
async function loadMerge(): Promise<typeof mergeThreeWay> {
  return (await import("./merge3.ts")).mergeThreeWay;
}

/**
 * Merges the user's edited file with the new template over the base waypoint
 * wrote (found by its recorded hash in any version's templates). `undefined`
 * when there is no base to merge from (the published package's files, whose
 * texts waypoint never had) or the user's file is not UTF-8 text.
 */
async function mergeEdited(
  current: Uint8Array,
  baseHash: string,
  template: string,
): Promise<MergeResult | undefined> {
  let yours: string;
  try {
    yours = exactUtf8.decode(current);
  } catch {
    return undefined;
  }
  const base = await templateTextByHash(baseHash);
  return base === undefined
    ? undefined
    : (await loadMerge())(base, yours, template);
}

/** The AGENTS.md action, and the manifest entry naming the template its block now sits on. */
async function planAgentsBlock(
  root: string,
  file: ScaffoldFile,
  options: PlanOptions,
  recorded: ManifestEntry | undefined,
  native: boolean,
): Promise<{ action: PlanAction; entry?: ManifestEntry }> {
  const action = await planAgentsAction(root, file, options, recorded, native);
  const { entry, ...rest } = action;
  return { action: rest, entry };
}

async function planAgentsAction(
  root: string,
  file: ScaffoldFile,
  options: PlanOptions,
  recorded: ManifestEntry | undefined,
  native: boolean,
): Promise<PlanAction & { entry?: ManifestEntry }> {
  const entry = inspect(root, file.target);
  let writePath = file.target;
  let via = "";
  if (entry.kind === "symlink") {
    // The one link waypoint follows: AGENTS.md -> CLAUDE.md inside the repo.
    const link = resolveLinkInside(root, file.target);
    if (!link.inside) {
      return {
        kind: "conflict",
        path: file.target,
        detail: `left alone: it ${link.problem}`,
        leftAlone: true,
      };
    }
    writePath = link.path;
    via = ` (in ${link.path}, which AGENTS.md links to)`;
  } else if (entry.kind !== "missing" && entry.kind !== "file") {
    return leftAlone(file.target, entry);
  }
  const existing = readRepoText(root, writePath);
  const write = (content: string): PlannedWrite => ({
    path: writePath,
    content,
    executable: false,
  });
  const limit = options.agentsLimit ?? DEFAULT_AGENTS_LIMIT;
  const hidden = overrideHides(root);
  if (existing === undefined) {
    const placed = placeBlock(undefined, file.content);
    return {
      ...withNotice(
        {
          kind: "create",
          path: file.target,
          detail: "startup contract",
          write: write(placed.text),
          agentsBlock: placed.how,
        },
        placed,
        limit,
        hidden,
      ),
      entry: { sha256: file.sha256 },
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
        `AGENTS.md ${state.reason}; waypoint will not guess which text is yours. Fix the markers by hand, or run 'waypoint init --force' to drop the stray markers and add a fresh block (a backup is kept)`,
      );
    }
    const placed = placeBlock(existing, file.content, {
      repairMarkers: true,
      limit: limit.bytes,
    });
    return withNotice(
      {
        kind: "update",
        path: file.target,
        detail:
          `repaired the waypoint markers (--force)${via}; the previous file is saved beside it`,
        write: write(placed.text),
        backup: backupPattern(writePath),
        agentsBlock: placed.how,
      },
      placed,
      limit,
      hidden,
    );
  }
  const inside = native
    ? await planBlockText(existing, file, recorded, options.force)
    // The published package rendered its block, so no text of it is known:
    // as before, the block is refreshed.
    : { block: file.content };
  const base = { sha256: file.sha256 };
  const placed = placeBlock(existing, inside.block, { limit: limit.bytes });
  if (placed.text === existing) {
    return {
      ...withNotice(
        {
          kind: "keep",
          path: file.target,
          detail: `${inside.kept ?? "waypoint block up to date"}${via}`,
          ...(inside.kept ? { edited: true } : {}),
        },
        placed,
        limit,
        hidden,
      ),
      entry: base,
    };
  }
  const detail = inside.detail ??
    (placed.how === "added"
      ? "added the waypoint block at the top, where Codex reads it"
      : placed.how === "moved"
      ? "moved the waypoint block to the top"
      : "refreshed the waypoint block");
  return {
    ...withNotice(
      {
        kind: "update",
        path: file.target,
        detail: inside.detail && via
          ? detail.replace(/;|$/, `${via};`).replace(/;$/, "")
          : detail + via,
        write: write(placed.text),
        agentsBlock: placed.how,
        ...(inside.backup ? { backup: backupPattern(writePath) } : {}),
        ...(inside.merge ? { merge: inside.merge, edited: true } : {}),
        ...(inside.backup ? { edited: true } : {}),
      },
      placed,
      limit,
      hidden,
      existing,
    ),
    entry: base,
  };
}

/** What goes between the markers, and what to tell the user about their edits there. */
interface BlockText {
  /** The block to place, markers included. */
  block: string;
  /** Set when the user's edited block is kept as it is: the line's detail. */
  kept?: string;
  /** Set when the user's edits are merged or replaced: the line's detail. */
  detail?: string;
  /** The previous file is saved beside it before the block is replaced. */
  backup?: boolean;
  merge?: "clean";
}

/**
 * Decides the block text: the template's, unless the user edited inside the
 * markers. Their edit is kept while the template has no news, merged into
 * the new block when the two do not overlap, and otherwise replaced with the
 * file saved beside it first. The base is the template version the manifest
 * names, or, for a scaffold that recorded none, the version the block still
 * matches exactly.
 */
async function planBlockText(
  existing: string,
  file: ScaffoldFile,
  recorded: ManifestEntry | undefined,
  force: boolean | undefined,
): Promise<BlockText> {
  const template = file.content.trim();
  const now = currentBlock(existing)?.replace(/\r\n/g, "\n");
  if (now === undefined || now === template) return { block: file.content };
  const recordedBase = recorded
    ? await templateTextByHash(recorded.sha256)
    : undefined;
  if (recordedBase === undefined) {
    const known = await knownTemplateTexts();
    if (known.some((text) => text.trim() === now)) {
      return { block: file.content };
    }
  } else if (recordedBase.trim() === now) return { block: file.content };
  const replaced = {
    block: file.content,
    backup: true,
  };
  if (force) {
    return {
      ...replaced,
      detail:
        "replaced your edits inside the waypoint markers (--force); the previous file is saved beside it",
    };
  }
  if (recordedBase === undefined) {
    return {
      ...replaced,
      detail:
        "replaced your edits inside the waypoint markers (waypoint has no record of the block it wrote there); the previous file is saved beside it",
    };
  }
  if (recorded!.sha256 === file.sha256) {
    return {
      block: now,
      kept: "you edited the waypoint block; keeping your edits",
    };
  }
  const merged = (await loadMerge())(
    recordedBase.trim() + "\n",
    now + "\n",
    template + "\n",
  );
  if (
    merged && !merged.conflict && findBlock(merged.text).kind === "present"
  ) {
    return {
      block: merged.text,
      detail:
        "merged your edits inside the waypoint markers into the new block",
      merge: "clean",
    };
  }
  return {
    ...replaced,
    detail:
      "your edits inside the waypoint markers overlap the new block, so the new block replaced them; the previous file is saved beside it",
  };
}

/** `AGENTS.override.md` at the root: Codex reads it instead of AGENTS.md, even when it is empty. */
function overrideHides(root: string): boolean {
  const kind = inspect(root, "AGENTS.override.md").kind;
  return kind === "file" || kind === "symlink";
}

/**
 * Adds what the user must know about where the block lands: Codex reads only
 * the first `limit.bytes` of AGENTS.md, and nothing of it when an override
 * file sits beside it.
 */
function withNotice(
  action: PlanAction,
  placed: BlockPlacement,
  limit: AgentsLimit,
  hidden: boolean,
  previous?: string,
): PlanAction {
  const notes: string[] = [];
  const cap =
    `Codex's ${limit.bytes}-byte project_doc_max_bytes (${limit.from})`;
  let named = false;
  if (hidden) {
    notes.push(
      "Codex reads AGENTS.override.md instead of this file, so the waypoint block never reaches the model; delete or rename AGENTS.override.md",
    );
  } else if (limit.bytes === 0) {
    notes.push(
      `project_doc_max_bytes is 0 (${limit.from}), so Codex reads no AGENTS.md at all`,
    );
    return { ...action, notice: notes[0] };
  } else if (placed.blockEnd > limit.bytes) {
    notes.push(
      `the waypoint block ends at byte ${placed.blockEnd}, past ${cap}: Codex reads only part of it; raise the limit there`,
    );
    named = true;
  } else if (placed.how === "moved" && previous !== undefined) {
    const before = findBlock(previous);
    const end = before.kind === "present"
      ? new TextEncoder().encode(previous.slice(0, before.end)).length
      : undefined;
    notes.push(
      `it ended ${
        end === undefined ? "" : `at byte ${end}, `
      }past ${cap}, so Codex never read it`,
    );
    named = true;
  }
  if (!hidden && placed.bytes > limit.bytes) {
    notes.push(
      `the file is ${placed.bytes} bytes, above ${
        named ? "that limit" : cap
      }: Codex cuts your text after byte ${limit.bytes}`,
    );
  }
  return notes.length ? { ...action, notice: notes.join("; ") } : action;
}

// Strict and BOM-keeping, so that decoding is one-to-one: equal text means equal bytes.
const exactUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Whether `bytes` are exactly `text` in UTF-8. Decoding is native, where a
 * byte loop in JIT-cold code took about 6 ms over the template set.
 */
function holdsExactly(bytes: Uint8Array, text: string): boolean {
  try {
    return exactUtf8.decode(bytes) === text;
  } catch {
    return false;
  }
}
