/**
 * The only files doctor reads outside the repository: the user's Codex
 * config (`$CODEX_HOME/config.toml`, else `~/.codex/config.toml`), to see
 * whether Codex trusts the project, and where Codex keys that trust: the repo
 * root's real path, or the main checkout named by a linked worktree's `.git`
 * file (git metadata, which src/fs refuses to read by design).
 *
 * @module
 */
import { join } from "node:path";

/** The Codex user config doctor reads for trust: `$CODEX_HOME/config.toml`, else `~/.codex/config.toml`. */
export function codexUserConfigPath(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): string | undefined {
  const home = env("CODEX_HOME");
  if (home) return join(home, "config.toml");
  const user = env("HOME") ?? env("USERPROFILE");
  return user ? join(user, ".codex", "config.toml") : undefined;
}

/** Reads the Codex user config; `text` is `undefined` when it is missing or unreadable. */
export function readCodexUserConfig(
  path: string | undefined = codexUserConfigPath(),
): { path?: string; text?: string } {
  if (path === undefined) return {};
  try {
    return { path, text: Deno.readTextFileSync(path) };
  } catch {
    return { path };
  }
}

/** The real path of the repo root (symlinks resolved), or the path as given. */
export function realRoot(root: string): string {
  try {
    return Deno.realPathSync(root);
  } catch {
    return root;
  }
}

/**
 * The folder Codex keys trust on: the repo root, or for a linked git worktree
 * (`.git` is a file naming `<main>/.git/worktrees/<name>`) the main checkout.
 */
export function trustRoot(root: string): string {
  try {
    const pointer = Deno.readTextFileSync(join(root, ".git")).trim();
    const match = pointer.match(
      /^gitdir:\s*(.+?)[\\/]\.git[\\/]worktrees[\\/][^\\/]+$/,
    );
    if (match) return match[1];
  } catch {
    // `.git` is a folder (or missing): the root itself.
  }
  return root;
}
