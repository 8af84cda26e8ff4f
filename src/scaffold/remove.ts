/**
 * Taking waypoint out of a repository (`waypoint remove`): deciding what to
 * delete, strip or keep, and doing it. A file is deleted only when its bytes
 * prove waypoint wrote it unchanged (the manifest's hash, or a template text
 * some waypoint version shipped), checked again at the moment of deleting;
 * an edited file is kept and listed. The AGENTS block, waypoint's hook group
 * and waypoint's `.gitignore` lines are cut out of files that hold the
 * user's text too. The manifest goes last, so an interrupted run can be
 * run again.
 *
 * @module
 */
import { parseConfig, readConfigText } from "../config.ts";
import { mergeConfigText } from "../config_merge.ts";
import { WaypointError } from "../errors.ts";
import { type Repo, repoDirname, type RepoView } from "../fs/mod.ts";
import { isGeneratedIndex } from "../indexes/generated.ts";
import { knownTemplateTexts } from "../templates/history.ts";
import type { PlanAction, PlanNote } from "./action.ts";
import { END_MARKER, findBlock, START_MARKER } from "./agents_block.ts";
import { findGitignoreBlock } from "./gitignore.ts";
import { HOOKS_JSON_PATH, planHooksJson } from "./hooks_json.ts";
import { scaffoldFiles } from "./layout.ts";
import { MANIFEST_PATH, readManifest, sha256 } from "./manifest.ts";
import { OFFER_SUFFIX, trustedManifestEntries } from "./ownership.ts";

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

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decoded(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
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
    const text = decoded(repo.readInspected(entry));
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

/** Cuts the waypoint block out of AGENTS.md, the user's text around it kept as it was. */
export function stripAgentsBlock(text: string): string | undefined {
  const state = findBlock(text);
  if (state.kind !== "present") return undefined;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const before = text.slice(0, state.start).trimEnd();
  const after = text.slice(state.end).replace(/^\s+/, "");
  if (before === "") return after;
  if (after === "") return before + eol;
  return before + eol + eol + after;
}

function planAgentsStrip(
  repo: RepoView,
  knownBlocks: ReadonlySet<string>,
): PlanAction[] {
  const path = "AGENTS.md";
  const entry = repo.inspect(path);
  if (entry.kind !== "file") {
    return entry.kind === "missing" ? [] : [{
      kind: "keep",
      path,
      detail: "it is not a regular file, so its waypoint block stays",
    }];
  }
  const text = repo.readText(path)!;
  const state = findBlock(text);
  if (state.kind === "absent") return [];
  if (state.kind === "malformed") {
    return [{
      kind: "conflict",
      path,
      detail:
        `left alone: it ${state.reason}; remove the ${START_MARKER} … ${END_MARKER} lines by hand`,
    }];
  }
  const block = text.slice(state.start, state.end).replace(/\r\n/g, "\n");
  const edited = !knownBlocks.has(block);
  const rest = stripAgentsBlock(text)!;
  if (rest.trim() === "") {
    return [
      edited
        ? {
          kind: "keep",
          path,
          detail: "it holds only the waypoint block, and you edited the block",
          edited: true,
        }
        : {
          kind: "remove",
          path,
          detail: "held only the waypoint block",
          remove: "file",
          proof: [],
        },
    ];
  }
  return [{
    kind: "update",
    path,
    detail: edited
      ? "removed the waypoint block, which you had edited; your text outside it is kept, and the previous file is saved beside it"
      : "removed the waypoint block; your text is kept",
    write: { path, content: rest, executable: false },
    ...(edited
      ? { backup: `${path}.waypoint-backup-<time>`, edited: true }
      : {}),
  }];
}

function planGitignoreStrip(repo: RepoView): PlanAction[] {
  const path = ".gitignore";
  if (repo.inspect(path).kind !== "file") return [];
  const text = repo.readText(path)!;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  const found = findGitignoreBlock(lines);
  if (found.kind === "malformed") {
    return [{
      kind: "conflict",
      path,
      detail: `left alone: ${found.reason}`,
    }];
  }
  if (found.kind !== "marked") return [];
  const before = lines.slice(0, found.start);
  // The blank line waypoint put between the user's lines and its own.
  if (before.length && before[before.length - 1].trim() === "") before.pop();
  const after = lines.slice(found.end + 1);
  const rest = [...before, ...after].join(eol);
  if (rest.trim() === "") {
    return [{
      kind: "remove",
      path,
      detail: "held only waypoint's lines",
      remove: "file",
      proof: [],
    }];
  }
  return [{
    kind: "update",
    path,
    detail: "removed the lines between # waypoint:start and # waypoint:end",
    write: { path, content: rest, executable: false },
  }];
}

/**
 * Carries out a removal plan: deletions (each proof checked again against the
 * bytes there now), the cut-down files, then empty folders, then the
 * manifest. Returns the actions as done (a deletion refused at the last
 * moment becomes a `keep` with the reason).
 */
export async function applyRemoval(
  repo: Repo,
  plan: RemovalPlan,
): Promise<PlanAction[]> {
  const done: PlanAction[] = [];
  for (const action of plan.actions) {
    if (action.path === MANIFEST_PATH) continue;
    if (action.kind === "update" && action.write) {
      const backup = action.backup ? repo.backup(action.path) : undefined;
      repo.write(action.write.path, action.write.content);
      done.push(
        backup
          ? {
            ...action,
            backup,
            detail: action.detail.replace(
              /saved beside it$/,
              `saved at ${backup}`,
            ),
          }
          : action,
      );
    } else if (action.kind === "remove") {
      const proof = action.proof ?? [];
      const result = await repo.remove(action.path, async (bytes) => {
        // Files cut down to nothing: proven by holding only waypoint's part.
        if (proof.length === 0) {
          return emptiedByStrip(action.path, bytes, plan.knownBlocks);
        }
        return proof.includes(await sha256(bytes));
      });
      done.push(
        result.removed
          ? action
          : { kind: "keep", path: action.path, detail: result.reason },
      );
    } else done.push(action);
  }
  for (const dir of plan.dirs) repo.removeDirIfEmpty(dir);
  const manifest = plan.actions.find((action) => action.path === MANIFEST_PATH);
  if (manifest) {
    const proof = manifest.proof ?? [];
    const result = await repo.remove(
      MANIFEST_PATH,
      async (bytes) => proof.includes(await sha256(bytes)),
    );
    done.push(
      result.removed
        ? manifest
        : { kind: "keep", path: MANIFEST_PATH, detail: result.reason },
    );
    repo.removeDirIfEmpty(".waypoint");
  }
  return done;
}

function emptiedByStrip(
  path: string,
  bytes: Uint8Array,
  knownBlocks: ReadonlySet<string>,
): boolean {
  const text = decoded(bytes);
  if (text === undefined) return false;
  if (path === "AGENTS.md") {
    // Planned only for an unedited block; checked again as it is now.
    const state = findBlock(text);
    return state.kind === "present" &&
      stripAgentsBlock(text)?.trim() === "" &&
      knownBlocks.has(
        text.slice(state.start, state.end).replace(/\r\n/g, "\n"),
      );
  }
  if (path === ".gitignore") {
    const lines = text.split(/\r?\n/);
    const found = findGitignoreBlock(lines);
    return found.kind === "marked" &&
      [...lines.slice(0, found.start), ...lines.slice(found.end + 1)].join("")
          .trim() === "";
  }
  return false;
}
