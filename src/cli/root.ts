/**
 * Which repository a command works on, found the way git and cargo find
 * theirs: an explicit directory wins; otherwise the nearest folder at or
 * above the current one that holds `.waypoint/config.toml`; otherwise (for
 * `init` only) the top of the enclosing git work tree; otherwise the current
 * folder. The search only looks (lstat, never a read or write) and does not
 * count a symlinked `.waypoint`, nor one owned by another user (other than
 * root), so a `.waypoint` planted in a shared folder such as `/tmp` cannot
 * capture commands run below it.
 *
 * @module
 */
import { dirname, join, resolve } from "../path.ts";
import { CONFIG_PATH } from "../config.ts";
import { runGit } from "../context/git_exec.ts";
import { WaypointError } from "../errors.ts";
import { Repo } from "../fs/mod.ts";

/** Where the repository root came from. */
export type RootSource = "argument" | "waypoint" | "git" | "cwd";

/** The repository a command works on. */
export interface CommandRoot {
  /** Absolute path of the repository root. */
  root: string;
  /** How it was found. */
  source: RootSource;
  /** The folder the command was run from. */
  cwd: string;
}

/** A folder that looked like a waypoint repository but was passed over. */
export interface PassedOver {
  /** Absolute path of the folder. */
  path: string;
  /** Why it does not count, e.g. `.waypoint is a symlink`. */
  reason: string;
}

/** The result of {@link findWaypointRoot}. */
export interface WaypointSearch {
  /** The nearest folder holding `.waypoint/config.toml`, if any. */
  root?: string;
  /** Candidates that did not count, nearest first. */
  passedOver: PassedOver[];
}

/** The uid owning a path (`null` where the platform has none); injectable for tests. */
export type OwnerLookup = (path: string) => number | null | undefined;

/**
 * Walks from `start` up to the filesystem root and returns the nearest folder
 * whose `.waypoint` is a real directory (not a symlink) owned by the current
 * user and holding a `config.toml` entry. A broken `config.toml` still marks
 * the root, so the command can name the problem instead of silently using a
 * repository further up.
 */
export function findWaypointRoot(
  start: string,
  ownerOf: OwnerLookup = lstatOwner,
  me: number | null = currentUid(),
): WaypointSearch {
  const passedOver: PassedOver[] = [];
  let dir = resolve(start);
  while (true) {
    const verdict = candidate(dir, ownerOf, me);
    if (verdict === "root") return { root: dir, passedOver };
    if (verdict !== "absent") passedOver.push({ path: dir, reason: verdict });
    const parent = dirname(dir);
    if (parent === dir) return { passedOver };
    dir = parent;
  }
}

/** `"root"`, `"absent"`, or the reason a waypoint-looking folder does not count. */
function candidate(
  dir: string,
  ownerOf: OwnerLookup,
  me: number | null,
): string {
  let entry;
  try {
    entry = Repo.peek(dir).inspect(CONFIG_PATH);
  } catch {
    return "absent"; // unreadable: as good as not there
  }
  if (entry.kind === "missing" || entry.kind === "blocked") return "absent";
  if (entry.kind === "symlink" && entry.link === ".waypoint") {
    return ".waypoint is a symlink";
  }
  const owner = ownerOf(join(dir, ".waypoint"));
  // Like git's ownership check: a folder someone else could have planted is not trusted (root's is).
  if (
    me !== null && owner !== null && owner !== undefined && owner !== me &&
    owner !== 0
  ) {
    return ".waypoint belongs to another user";
  }
  return "root";
}

/** The owner of `path` by lstat; `undefined` when it cannot be read. */
function lstatOwner(path: string): number | null | undefined {
  try {
    return Deno.lstatSync(path).uid;
  } catch {
    return undefined;
  }
}

function currentUid(): number | null {
  try {
    return Deno.uid();
  } catch {
    return null;
  }
}

/**
 * The top of the git work tree containing `cwd`, from
 * `git rev-parse --show-toplevel`; `undefined` when git is missing, fails, or
 * `cwd` is not in a work tree.
 */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  // Through the guarded door: cwd is any folder, its repository anyone's.
  const outcome = await runGit(cwd, ["rev-parse", "--show-toplevel"], {
    timeoutMs: 10_000,
  });
  if (outcome.kind !== "ok") return undefined;
  const top = outcome.stdout.trim();
  return top ? resolve(top) : undefined;
}

/** The current folder, or a one-line error when it no longer exists. */
export function currentDir(): string {
  try {
    return Deno.cwd();
  } catch {
    throw new WaypointError(
      "the current folder no longer exists (or cannot be read): cd somewhere else or give a directory",
    );
  }
}

/**
 * The root for a command that needs an existing waypoint repository
 * (`doctor`, `sync`, `context`): `dir` when given, else the nearest waypoint
 * root above the current folder, else a one-line error naming where it
 * looked. `exitCode` is the code that error ends the command with.
 */
export function existingRoot(
  dir: string | undefined,
  exitCode = 1,
): CommandRoot {
  const cwd = currentDir();
  if (dir !== undefined) {
    requireFolder(dir, exitCode);
    return { root: dir, source: "argument", cwd };
  }
  const search = findWaypointRoot(cwd);
  if (search.root) return { root: search.root, source: "waypoint", cwd };
  throw new WaypointError(notFoundMessage(cwd, search.passedOver), {
    exitCode,
  });
}

/**
 * The root for `init`: `dir` when given, else the nearest waypoint root, else
 * the top of the git work tree, else the current folder.
 */
export async function initRoot(dir: string | undefined): Promise<CommandRoot> {
  const cwd = currentDir();
  if (dir !== undefined) return { root: dir, source: "argument", cwd };
  const search = findWaypointRoot(cwd);
  if (search.root) return { root: search.root, source: "waypoint", cwd };
  const top = await gitTopLevel(cwd);
  if (top) return { root: top, source: "git", cwd };
  return { root: cwd, source: "cwd", cwd };
}

/**
 * The root for `upgrade`'s refresh: `dir` when given, else the nearest
 * waypoint root, else the current folder (where the refresh finds no config
 * and updates the binary only).
 */
export function refreshRoot(dir: string | undefined): CommandRoot {
  const cwd = currentDir();
  if (dir !== undefined) {
    requireFolder(dir, 1);
    return { root: dir, source: "argument", cwd };
  }
  const search = findWaypointRoot(cwd);
  if (search.root) return { root: search.root, source: "waypoint", cwd };
  return { root: cwd, source: "cwd", cwd };
}

/**
 * Throws a one-line error when a directory operand is not an existing folder
 * this process can look into, so the advice fits the path (no "run init"
 * for a typo).
 */
function requireFolder(dir: string, exitCode: number): void {
  const fail = (problem: string): never => {
    throw new WaypointError(
      `${dir} ${problem}: give the repository's folder (the one holding .waypoint/)`,
      { exitCode },
    );
  };
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return fail("does not exist");
    if (
      error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotCapable
    ) return fail("cannot be read (permission denied)");
    if (error instanceof Deno.errors.NotADirectory) {
      return fail("does not exist (a part of it is a file)");
    }
    const reason = error instanceof Error ? error.message : String(error);
    return fail(`cannot be read (${reason.split("\n")[0]})`);
  }
  if (!info.isDirectory) fail("is not a folder");
  try {
    Deno.readDirSync(dir)[Symbol.iterator]().next();
  } catch (error) {
    if (
      error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.NotCapable
    ) fail("cannot be read (permission denied)");
  }
}

function notFoundMessage(cwd: string, passedOver: PassedOver[]): string {
  const skipped = passedOver.length
    ? ` (passed over ${
      passedOver.map((p) => `${p.path}: ${p.reason}`).join("; ")
    })`
    : "";
  return `not in a waypoint repository: no ${CONFIG_PATH} in ${cwd} or any folder above it${skipped}. Run 'waypoint init' to set one up, or give the repository's directory`;
}
