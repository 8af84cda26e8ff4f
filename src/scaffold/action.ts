/**
 * The vocabulary of a plan: what happens to one path and why. It sits
 * below the planner and the modules that plan a part of the scaffold for it
 * (migration, hooks, the old Codex config), so none of them imports another
 * for its types.
 *
 * @module
 */
import type { BlockMove } from "./agents_block.ts";

/** For tree removals: every file's accepted hashes, by path. */
export type TreeProof = Record<string, string[]>;

/** What happens to one path. */
export type ActionKind = "create" | "update" | "keep" | "conflict" | "remove";

/** A file to write as part of an action. */
export interface PlannedWrite {
  /** Where the content goes; differs from the action's path only for a linked `AGENTS.md`. */
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
  /** Content to write (create, update). */
  write?: PlannedWrite;
  /** A new version written beside a user-edited file (conflict). */
  offer?: PlannedWrite;
  /**
   * The backup saved before an overwrite (`--force`): in a plan, the name
   * pattern; in what `applyPlan` returns, the file actually written.
   */
  backup?: string;
  /** For removals: a file, a whole tree, a folder only if empty, or a stale temp file. */
  remove?: "file" | "tree" | "empty-dir" | "temp";
  /** For file removals: the hashes that prove waypoint wrote it (checked again before deleting). */
  proof?: string[];
  /** For tree removals: the accepted hashes of every file in the tree. */
  treeProof?: TreeProof;
  /** Set on managed files the user edited (kept, offered or pending). */
  edited?: boolean;
  /** A symlink, folder or special file where a file belongs: left alone and reported. */
  leftAlone?: boolean;
  /** Left alone because its content does not parse (or lacks the shape its reader needs): it can be fixed by hand. */
  invalid?: boolean;
  /** For an edited file: the user's own file at the path waypoint's new version would take, so none was offered. */
  offerBlocked?: string;
  /** For AGENTS.md: how the waypoint block is (or would be) put in. */
  agentsBlock?: BlockMove;
  /**
   * For an edited managed file whose template changed: the three-way merge
   * wrote the merged file (`clean`) or offered it with conflict markers
   * (`conflict`).
   */
  merge?: "clean" | "conflict";
  /** Something the user should know about this path even when all went well. */
  notice?: string;
}

/** A path reported but deliberately left as it is. */
export interface PlanNote {
  path: string;
  message: string;
  /** What to do about it, when the note itself does not say (doctor's fix text). */
  fix?: string;
}
