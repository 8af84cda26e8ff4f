/**
 * The vocabulary of a plan: what happens to one path and why, the whole
 * plan, and the options that change it. It sits below the planner and the
 * modules that plan a part of the scaffold for it (migration, hooks, the old
 * Codex config, managed files, AGENTS.md), so none of them imports another
 * for its types.
 *
 * @module
 */
import type { WaypointConfig } from "../config.ts";
import type { BlockMove } from "./agents_block.ts";
import type { Manifest } from "./manifest.ts";

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
