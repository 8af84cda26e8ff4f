/**
 * Planning AGENTS.md: where the waypoint block goes (through the one link
 * waypoint follows, AGENTS.md -> CLAUDE.md), what text it holds when the
 * user edited inside the markers, and the repair of broken markers under
 * `--force`.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";
import type { RepoView } from "../fs/mod.ts";
import {
  knownTemplateTexts,
  templateTextByHash,
} from "../templates/history.ts";
import type {
  AgentsLimit,
  PlanAction,
  PlannedWrite,
  PlanOptions,
} from "./action.ts";
import { currentBlock, findBlock, placeBlock } from "./agents_block.ts";
import { overrideHides, withNotice } from "./agents_notice.ts";
import type { ScaffoldFile } from "./layout.ts";
import type { ManifestEntry } from "./manifest.ts";
import { backupPattern } from "./ownership.ts";
import { leftAlone, loadMerge } from "./plan_common.ts";

/** Codex's default `project_doc_max_bytes`. */
const DEFAULT_AGENTS_LIMIT: AgentsLimit = {
  bytes: 32_768,
  from: "the default",
};

/** The AGENTS.md action, and the manifest entry naming the template its block now sits on. */
export async function planAgentsBlock(
  repo: RepoView,
  file: ScaffoldFile,
  options: PlanOptions,
  recorded: ManifestEntry | undefined,
  native: boolean,
): Promise<{ action: PlanAction; entry?: ManifestEntry }> {
  const action = await planAgentsAction(repo, file, options, recorded, native);
  const { entry, ...rest } = action;
  return { action: rest, entry };
}

async function planAgentsAction(
  repo: RepoView,
  file: ScaffoldFile,
  options: PlanOptions,
  recorded: ManifestEntry | undefined,
  native: boolean,
): Promise<PlanAction & { entry?: ManifestEntry }> {
  const entry = repo.inspect(file.target);
  let writePath = file.target;
  let via = "";
  if (entry.kind === "symlink") {
    // The one link waypoint follows: AGENTS.md -> CLAUDE.md inside the repo.
    const link = repo.resolveLinkInside(file.target);
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
  const existing = repo.readText(writePath);
  const write = (content: string): PlannedWrite => ({
    path: writePath,
    content,
    executable: false,
  });
  const limit = options.agentsLimit ?? DEFAULT_AGENTS_LIMIT;
  const hidden = overrideHides(repo);
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
