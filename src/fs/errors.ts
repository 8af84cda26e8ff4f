/**
 * How `src/fs` reports a refusal or failure: a {@link RepoFsError} always
 * names the repo-relative path and the problem, in one line. A libc call's
 * errno becomes the error Deno itself would throw ({@link errnoError}), so
 * callers handle FFI failures as they handle Deno's own.
 *
 * @module
 */
import { describeError, WaypointError } from "../errors.ts";
import { E } from "./libc_abi.ts";

/** A filesystem refusal or failure, always naming the repo-relative path. */
export class RepoFsError extends WaypointError {
  /** The repo-relative path the error is about. */
  readonly path: string;
  /** What is wrong with it, without the path. */
  readonly problem: string;

  /** An error about `path`: `problem` says what is wrong, without the path. */
  constructor(path: string, problem: string, cause?: unknown) {
    super(`${path}: ${problem}`, { cause });
    this.name = "RepoFsError";
    this.path = path;
    this.problem = problem;
  }
}

/**
 * The problem `error` reports about `path` itself, without the path (for a
 * caller that names the path already); `undefined` when it is not a
 * {@link RepoFsError} about that path (a parent folder, another failure).
 */
export function problemAbout(error: unknown, path: string): string | undefined {
  return error instanceof RepoFsError && error.path === path
    ? error.problem
    : undefined;
}

/** One short phrase for an I/O failure. */
export function describeIo(error: unknown): string {
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  if (error instanceof Deno.errors.NotADirectory) {
    return "a parent path is not a folder";
  }
  return describeError(error).replace(/,? ?\(os error \d+\).*$/, "");
}

/** {@link describeIo} for a write, hinting at a read-only repository. */
export function describeWriteIo(error: unknown): string {
  const phrase = describeIo(error);
  return phrase === "permission denied"
    ? "permission denied (is the repository read-only?)"
    : phrase;
}

/** The refusal for a file over the read cap `maxBytes`. */
export function tooLarge(displayPath: string, maxBytes: number): RepoFsError {
  const mib = maxBytes / (1024 * 1024);
  const size = Number.isInteger(mib) ? `${mib} MiB` : `${maxBytes} bytes`;
  return new RepoFsError(
    displayPath,
    `is larger than ${size}; waypoint does not read files that big`,
  );
}

/** An error of the `Deno.errors` class Deno itself throws for `errno`, saying `message`. */
export function errnoError(errno: number, message: string): Error {
  switch (errno) {
    case E.ENOENT:
      return new Deno.errors.NotFound(message);
    case E.EEXIST:
      return new Deno.errors.AlreadyExists(message);
    case E.EACCES:
    case E.EPERM:
      return new Deno.errors.PermissionDenied(message);
    case E.ENOTDIR:
      return new Deno.errors.NotADirectory(message);
    case E.EISDIR:
      return new Deno.errors.IsADirectory(message);
    case E.ELOOP:
      return new Deno.errors.FilesystemLoop(message);
    default:
      return new Error(message);
  }
}
