/**
 * The guarded filesystem: the only way waypoint reads, writes, renames or
 * deletes anything below a repository root. See `repo.ts` for the rules.
 *
 * @module
 */
export * from "./repo.ts";
export * from "./repo_path.ts";
export * from "./text.ts";
export {
  type FileContent,
  isTempName,
  writeOutsideFileAtomic,
} from "./atomic.ts";
