/**
 * Whether Codex will read the waypoint block where it lands: Codex reads
 * only the first `project_doc_max_bytes` of AGENTS.md, and nothing of it
 * when an `AGENTS.override.md` sits beside it. The notice put on the
 * AGENTS.md action tells the user when either cuts the block off.
 *
 * @module
 */
import type { RepoView } from "../fs/mod.ts";
import type { AgentsLimit, PlanAction } from "./action.ts";
import { type BlockPlacement, findBlock } from "./agents_block.ts";

/** `AGENTS.override.md` at the root: Codex reads it instead of AGENTS.md, even when it is empty. */
export function overrideHides(repo: RepoView): boolean {
  const kind = repo.inspect("AGENTS.override.md").kind;
  return kind === "file" || kind === "symlink";
}

/**
 * Adds what the user must know about where the block lands: Codex reads only
 * the first `limit.bytes` of AGENTS.md, and nothing of it when an override
 * file sits beside it.
 */
export function withNotice(
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
