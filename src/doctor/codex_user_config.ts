/**
 * The only files doctor reads outside the repository: the user's Codex
 * config (`$CODEX_HOME/config.toml`, else `~/.codex/config.toml`), to see
 * whether Codex trusts the project, and where Codex keys that trust: the repo
 * root's real path, or the main checkout named by a linked worktree's `.git`
 * file (git metadata, which src/fs refuses to read by design).
 *
 * @module
 */
import { join } from "../path.ts";
import type { EnvLookup } from "../cache_dir.ts";
import { codexHome } from "../codex_home.ts";

/** The Codex user config doctor reads for trust: `config.toml` in {@link codexHome}. */
export function codexUserConfigPath(env?: EnvLookup): string {
  return join(codexHome(env), "config.toml");
}

/** Reads the Codex user config; `text` is `undefined` when it is missing or unreadable. */
export function readCodexUserConfig(
  path: string = codexUserConfigPath(),
): { path?: string; text?: string } {
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
