/**
 * The parts of `waypoint remove` that cut waypoint's text out of files that
 * hold the user's text too: the AGENTS block and waypoint's `.gitignore`
 * lines, planned as an `update` (or a deletion when nothing else is left),
 * and checked again at the moment a file left with nothing is deleted.
 *
 * @module
 */
import type { RepoView } from "../fs/mod.ts";
import type { PlanAction } from "./action.ts";
import { END_MARKER, findBlock, START_MARKER } from "./agents_block.ts";
import { findGitignoreBlock } from "./gitignore.ts";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text `bytes` hold as strict UTF-8 (a BOM kept), or `undefined` when they are not UTF-8. */
export function decodedUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
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

/**
 * Plans cutting the waypoint block out of AGENTS.md: an `update`, a deletion
 * when only an unedited block is there, or a `keep`/`conflict` with why.
 * `knownBlocks` are the block texts some waypoint version wrote.
 */
export function planAgentsStrip(
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

/** Plans cutting waypoint's marked lines out of `.gitignore`: an `update`, a deletion when nothing else is left, or a `conflict`. */
export function planGitignoreStrip(repo: RepoView): PlanAction[] {
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
 * Whether `bytes`, as they are now at `path` (AGENTS.md or `.gitignore`),
 * still hold only waypoint's part, so a file planned for deletion after
 * stripping may go.
 */
export function emptiedByStrip(
  path: string,
  bytes: Uint8Array,
  knownBlocks: ReadonlySet<string>,
): boolean {
  const text = decodedUtf8(bytes);
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
