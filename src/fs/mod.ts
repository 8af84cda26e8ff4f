/**
 * The guarded filesystem: the only way waypoint reads, writes, renames or
 * deletes anything below a repository root. Open a {@link Repo} once per
 * repository; see `repo.ts` for the rules.
 *
 * @module
 */
export { Repo, type RepoView, type WalkedDirs } from "./repo.ts";
export { describeIo, problemAbout, RepoFsError } from "./errors.ts";
export { type Entry, entryProblem } from "./inspect.ts";
export { type LinkTarget, type WalkedLink } from "./links.ts";
export {
  type FileHead,
  type HeadOptions,
  lstatWalked,
  MAX_READ_BYTES,
  type ReadOptions,
  readRegularFile,
  readRegularFileHeadUntil,
  type StreamOptions,
} from "./read.ts";
export { type RemoveResult } from "./remove.ts";
export { openScratchFile } from "./scratch.ts";
export { type ListedEntry, type WalkDirsOptions } from "./walk.ts";
export { type WriteOptions } from "./write.ts";
export * from "./repo_path.ts";
export * from "./text.ts";
export {
  type FileContent,
  isTempName,
  writeOutsideFileAtomic,
} from "./atomic.ts";
