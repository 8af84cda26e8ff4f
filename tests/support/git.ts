/**
 * git for tests that build repositories with history: the user's own git
 * configuration is kept out, and a failed command fails the test with git's
 * message.
 *
 * @module
 */
import assert from "node:assert/strict";

/** Environment that keeps the user's and the system's git configuration out. */
export const GIT_ISOLATION = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** Runs `git args…` in `cwd`; asserts it succeeded. */
export async function git(cwd: string, ...args: string[]): Promise<void> {
  const output = await new Deno.Command("git", {
    args,
    cwd,
    env: GIT_ISOLATION,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
}

/** `git init` on branch `main`, with an author that commits can use. */
export async function initRepo(
  dir: string,
  email = "me@example.com",
): Promise<void> {
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "config", "user.email", email);
  await git(dir, "config", "user.name", "Test Author");
}
