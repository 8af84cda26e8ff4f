/**
 * The user's home folder, as `node:os` `homedir()` gives it, without loading
 * `node:os` when `$HOME` answers: the first `node:` import of a run boots
 * Deno's Node compatibility layer, which the session hook otherwise never
 * needs. `node:os` reads a non-empty `$HOME` as it is on POSIX systems and
 * asks the password database only when it is unset or empty; on Windows it
 * has its own rules, so there it is always asked. `tests/home_dir_test.ts`
 * compares both in subprocesses.
 *
 * @module
 */

/** `$HOME` when it is set, non-empty and the platform reads it as is. */
function homeFromEnv(): string | undefined {
  if (Deno.build.os === "windows") return undefined;
  try {
    return Deno.env.get("HOME") || undefined;
  } catch {
    // Without env permission node:os is asked instead.
    return undefined;
  }
}

/** `node:os`, loaded at start only when `$HOME` cannot answer. */
const nodeOs = homeFromEnv() === undefined
  ? await import("node:os")
  : undefined;

/** The user's home folder. */
export function homeDir(): string {
  const home = homeFromEnv();
  if (home !== undefined) return home;
  if (nodeOs === undefined) {
    throw new Error("$HOME was removed after waypoint started");
  }
  return nodeOs.homedir();
}
