/**
 * Where Codex keeps its config and its transcripts, found the way Codex
 * finds it. `doctor` reads the config there and `context` the transcripts,
 * so both must agree on the folder.
 *
 * @module
 */
import { join, resolve } from "./path.ts";
import { homeDir } from "./home_dir.ts";
import type { EnvLookup } from "./cache_dir.ts";

/** `$CODEX_HOME` when it is set and not blank, else `~/.codex`. */
export function codexHome(
  env: EnvLookup = (name) => Deno.env.get(name),
): string {
  const value = env("CODEX_HOME");
  if (value !== undefined && value.trim() !== "") {
    return resolve(Deno.cwd(), value);
  }
  return join(homeDir(), ".codex");
}
