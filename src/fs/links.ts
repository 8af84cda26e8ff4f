/**
 * Where a symlink in the repo leads, judged without trusting it: the one
 * deliberate exception to "no symlink is followed" ({@link resolveLinkInside},
 * for the `AGENTS.md` → `CLAUDE.md` layout) and a read-only walk's links
 * ({@link resolveWalkedLink}). A target counts only when its real path is
 * inside the repository's real root and not in `.git`.
 *
 * @module
 */
import { sep } from "../path.ts";
import { describeIo } from "./errors.ts";
import { entryProblem, inspect } from "./inspect.ts";
import type { Place } from "./place.ts";
import { fromRepoPath, repoPathProblem, toRepoPath } from "./repo_path.ts";

/** Where a symlink at a repo path leads, judged by {@link resolveLinkInside}. */
export type LinkTarget =
  | { inside: true; path: string }
  | { inside: false; problem: string };

/**
 * Resolves the symlink at `path` (the path itself must be the link, with real
 * folders above it). The target counts only when it is a regular file inside
 * the repo reached without further links: the `AGENTS.md` → `CLAUDE.md`
 * layout. Anything else comes back with the reason it is refused.
 */
export function resolveLinkInside(place: Place, path: string): LinkTarget {
  const entry = inspect(place, path);
  if (entry.kind !== "symlink" || entry.link !== path) {
    return { inside: false, problem: `${path} is not a symlink` };
  }
  let realTarget: string;
  try {
    realTarget = Deno.realPathSync(fromRepoPath(place.root, path));
  } catch {
    return {
      inside: false,
      problem:
        "is a symlink to nothing (broken link); waypoint leaves it alone",
    };
  }
  const realRoot = place.facts.real();
  if (!realTarget.startsWith(realRoot + sep)) {
    return {
      inside: false,
      problem:
        `is a symlink to ${realTarget}, outside the repository; waypoint will not write there`,
    };
  }
  const targetPath = toRepoPath(realRoot, realTarget);
  if (repoPathProblem(targetPath)) {
    return {
      inside: false,
      problem: `is a symlink into ${targetPath}, where waypoint does not write`,
    };
  }
  const target = inspect(place, targetPath);
  if (target.kind !== "file") {
    return {
      inside: false,
      problem: `is a symlink to ${targetPath}, which ${entryProblem(target)}`,
    };
  }
  return { inside: true, path: targetPath };
}

/** Where a symlink met by a walk leads, judged by {@link resolveWalkedLink}. */
export type WalkedLink =
  | { inside: true; path: string; kind: "file" | "directory" }
  | { inside: false; problem: string };

/**
 * Resolves the symlink at repo path `path` for a read-only walk: it counts
 * only when its real target is a regular file or folder inside the repo (and
 * not in `.git`). A link leading outside, to a FIFO or device, to nothing, or
 * round in a loop comes back with the reason it is skipped.
 */
export function resolveWalkedLink(place: Place, path: string): WalkedLink {
  let realTarget: string;
  try {
    realTarget = Deno.realPathSync(fromRepoPath(place.root, path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { inside: false, problem: "broken symlink; skipped" };
    }
    if (
      error instanceof Deno.errors.FilesystemLoop ||
      /os error 40\b/.test(String(error))
    ) return { inside: false, problem: "symlink loop; skipped" };
    return { inside: false, problem: `${describeIo(error)}; skipped` };
  }
  const realRoot = place.facts.real();
  if (realTarget !== realRoot && !realTarget.startsWith(realRoot + sep)) {
    return {
      inside: false,
      problem:
        "is a symlink to outside the repository; waypoint does not read there (skipped)",
    };
  }
  const targetPath = realTarget === realRoot
    ? ""
    : toRepoPath(realRoot, realTarget);
  if (targetPath !== "" && repoPathProblem(targetPath)) {
    return {
      inside: false,
      problem:
        `is a symlink into ${targetPath}, where waypoint does not read (skipped)`,
    };
  }
  const target = targetPath === ""
    ? ({ kind: "directory", path: "" } as const)
    : inspect({ ...place, root: realRoot }, targetPath);
  if (target.kind === "file" || target.kind === "directory") {
    return { inside: true, path: targetPath, kind: target.kind };
  }
  return {
    inside: false,
    problem: `is a symlink to ${targetPath || "."}, which ${
      entryProblem(target)
    } (skipped)`,
  };
}
