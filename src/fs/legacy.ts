/**
 * TEMPORARY: the old free functions over `root: string`, each opening a
 * {@link Repo} per call, while callers move to the `Repo` value. Removed
 * once no caller imports them.
 *
 * @module
 */
import type { FileContent } from "./atomic.ts";
import type { Entry } from "./inspect.ts";
import type { LinkTarget, WalkedLink } from "./links.ts";
import type { ReadOptions, StreamOptions } from "./read.ts";
import type { RemoveResult } from "./remove.ts";
import { Repo, type WalkedDirs } from "./repo.ts";
import type { ListedEntry, WalkDirsOptions } from "./walk.ts";
import type { WriteOptions } from "./write.ts";

/** @deprecated use {@link Repo.inspect} */
export function inspect(root: string, path: string): Entry {
  return Repo.open(root).inspect(path);
}
/** @deprecated use {@link Repo.readFile} */
export function readRepoFile(
  root: string,
  path: string,
  options?: ReadOptions,
): Uint8Array | undefined {
  return Repo.open(root).readFile(path, options);
}
/** @deprecated use {@link Repo.readText} */
export function readRepoText(
  root: string,
  path: string,
  options?: ReadOptions,
): string | undefined {
  return Repo.open(root).readText(path, options);
}
/** @deprecated use {@link Repo.readInspected} */
export function readInspectedFile(
  root: string,
  entry: Entry & { kind: "file" },
  maxBytes?: number,
  displayPath?: string,
): Uint8Array {
  return Repo.open(root).readInspected(entry, maxBytes, displayPath);
}
/** @deprecated use {@link Repo.streamFile} */
export function streamRepoFile(
  root: string,
  path: string,
  visit: (chunk: Uint8Array) => boolean | void,
  options: StreamOptions,
): "missing" | "read" | "stopped" {
  return Repo.open(root).streamFile(path, visit, options);
}
/** @deprecated use {@link Repo.listDir} */
export function listRepoDir(
  root: string,
  path: string,
): ListedEntry[] | undefined {
  return Repo.open(root).listDir(path);
}
/** @deprecated use {@link Repo.walkDirs} */
export function walkRepoDirs(
  root: string,
  start: string,
  options?: WalkDirsOptions,
): WalkedDirs {
  return Repo.open(root).walkDirs(start, options);
}
/** @deprecated use {@link Repo.resolveLinkInside} */
export function resolveLinkInside(root: string, path: string): LinkTarget {
  return Repo.open(root).resolveLinkInside(path);
}
/** @deprecated use {@link Repo.resolveWalkedLink} */
export function resolveWalkedLink(root: string, path: string): WalkedLink {
  return Repo.open(root).resolveWalkedLink(path);
}
/** @deprecated use {@link Repo.findStaleTemps} */
export function findStaleTemps(root: string, dirs: Iterable<string>): string[] {
  return Repo.open(root).findStaleTemps(dirs);
}
/** @deprecated use {@link Repo.write} */
export function writeRepoFile(
  root: string,
  path: string,
  content: FileContent,
  options?: WriteOptions,
): void {
  Repo.open(root).write(path, content, options);
}
/** @deprecated use {@link Repo.createExclusive} */
export function createRepoFileExclusive(
  root: string,
  path: string,
  content: string | Uint8Array,
): boolean {
  return Repo.open(root).createExclusive(path, content);
}
/** @deprecated use {@link Repo.backup} */
export function backupRepoFile(root: string, path: string, now?: Date): string {
  return Repo.open(root).backup(path, now);
}
/** @deprecated use {@link Repo.ensureDir} */
export function ensureRepoDir(root: string, dir: string): void {
  Repo.open(root).ensureDir(dir);
}
/** @deprecated use {@link Repo.remove} */
export function removeRepoFile(
  root: string,
  path: string,
  proof: (bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  return Repo.open(root).remove(path, proof);
}
/** @deprecated use {@link Repo.removeDirIfEmpty} */
export function removeRepoDirIfEmpty(root: string, path: string): boolean {
  return Repo.open(root).removeDirIfEmpty(path);
}
/** @deprecated use {@link Repo.removeTree} */
export function removeRepoTree(
  root: string,
  path: string,
  proof: (path: string, bytes: Uint8Array) => boolean | Promise<boolean>,
): Promise<RemoveResult> {
  return Repo.open(root).removeTree(path, proof);
}
/** @deprecated use {@link Repo.removeStaleTemps} */
export function removeStaleTemps(
  root: string,
  dirs: Iterable<string>,
): string[] {
  return Repo.open(root).removeStaleTemps(dirs);
}
/** @deprecated use {@link Repo.readOnlyView} */
export function readOnlyPass<T>(work: () => Promise<T>): Promise<T> {
  return work();
}
