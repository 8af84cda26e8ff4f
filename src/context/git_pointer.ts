/**
 * Which nested `.git` entries waypoint runs git on. A `.git` folder is the
 * repository itself. A `.git` file (`gitdir: <path>`) is accepted only when
 * it points into the root repository's own `modules/` or `worktrees/`
 * folder, the two places git's `submodule` and `worktree` commands put such
 * a target. Any other pointer arrived with the files (a zip, a tarball):
 * one aimed elsewhere in the tree is a repository dressed up as a nested
 * checkout, and one aimed outside would make waypoint read (and report on)
 * a repository that is not part of this one. Those are left out, as are a
 * symlinked `.git` and anything unreadable.
 *
 * `.git` is git's metadata, which `src/fs` refuses by design; this module
 * only lstats and reads the small pointer file, never writes.
 *
 * @module
 */
import { isAbsolute, join, relative, resolve, sep } from "../path.ts";

/** What to do with one nested `.git` entry. */
export type NestedGit =
  | { kind: "repo" }
  | { kind: "left-out"; reason: string };

/** A `.git` file longer than this is not a pointer. */
const MAX_POINTER_BYTES = 4096;

/** Reads `gitdir: <path>` from a `.git` file; `undefined` when it is not one. */
export function readGitPointer(path: string): string | undefined {
  try {
    const info = Deno.lstatSync(path);
    if (!info.isFile || info.size > MAX_POINTER_BYTES) return undefined;
    const text = new TextDecoder("utf-8", { fatal: true }).decode(
      Deno.readFileSync(path),
    );
    const match = text.match(/^gitdir: ?([^\n\r\0]+)\r?\n?$/);
    return match ? match[1].trim() : undefined;
  } catch {
    return undefined;
  }
}

function realPath(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/** The real git directory of the repository at `root`, when it has one. */
export function rootGitDir(root: string): string | undefined {
  const dotGit = join(root, ".git");
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(dotGit);
  } catch {
    return undefined;
  }
  if (info.isDirectory) return realPath(dotGit);
  if (!info.isFile) return undefined;
  const target = readGitPointer(dotGit);
  return target === undefined ? undefined : realPath(resolve(root, target));
}

/**
 * Judges the `.git` entry of the nested folder `dir` (absolute), whose kind
 * the walk saw without following links.
 */
export function judgeNestedGit(
  root: string,
  dir: string,
  kind: "file" | "directory" | "symlink" | "special",
): NestedGit {
  const dotGit = join(dir, ".git");
  if (kind === "directory") return { kind: "repo" };
  if (kind !== "file") {
    return {
      kind: "left-out",
      reason: `its .git is a ${
        kind === "symlink" ? "symlink" : "special file"
      }`,
    };
  }
  const target = readGitPointer(dotGit);
  if (target === undefined) {
    return {
      kind: "left-out",
      reason: "its .git file is not a one-line `gitdir:` pointer",
    };
  }
  const real = realPath(resolve(dir, target));
  const realRoot = realPath(root) ?? root;
  if (real === undefined) {
    return {
      kind: "left-out",
      reason: "its .git file points to something that does not exist",
    };
  }
  const own = rootGitDir(root);
  const allowed = own === undefined
    ? []
    : [join(own, "modules"), join(own, "worktrees")];
  if (allowed.some((base) => isWithin(base, real))) {
    return { kind: "repo" };
  }
  if (!isWithin(realRoot, real)) {
    return {
      kind: "left-out",
      reason: "its .git file points outside the repository",
    };
  }
  const shown = relative(realRoot, real).split(sep).join("/");
  return {
    kind: "left-out",
    reason:
      `its .git file points to ${shown}, not into the repository's own .git/modules or .git/worktrees`,
  };
}
