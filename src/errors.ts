/**
 * Error types that carry an exit code and a one-line, user-facing message.
 *
 * @module
 */

/** A failure the user can act on: printed as one line, never with a stack. */
export class WaypointError extends Error {
  /** Process exit code to use when this error ends the command. */
  readonly exitCode: number;

  constructor(
    message: string,
    options: { exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "WaypointError";
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A mistake on the command line (unknown command or option): exit code 2. */
export class UsageError extends WaypointError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = "UsageError";
  }
}

/** Describes any thrown value as one line, naming `path` when it is known. */
export function describeError(error: unknown, path?: string): string {
  const where = path ? `${path}: ` : "";
  if (error instanceof WaypointError) return error.message;
  if (error instanceof Deno.errors.NotFound) return `${where}not found`;
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotCapable
  ) {
    return `${where}permission denied`;
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return `${where}is a directory`;
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return `${where}a parent path is not a directory`;
  }
  if (error instanceof Deno.errors.FilesystemLoop) {
    return `${where}symlink loop`;
  }
  if (error instanceof Error) {
    const first = error.message.split("\n")[0];
    return `${where}${first}`;
  }
  return `${where}${String(error)}`;
}
