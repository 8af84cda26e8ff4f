/**
 * Where Codex keeps its config and its transcripts, found the way Codex
 * finds it. `doctor` reads the config there and `context` the transcripts,
 * so both must agree on the folder.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { homedir } from "node:os";
import type { EnvLookup } from "./cache_dir.ts";

/** `$CODEX_HOME` when it is set and not blank, else `~/.codex`. */
export function codexHome(
  env: EnvLookup = (name) => Deno.env.get(name),
): string {
  const value = env("CODEX_HOME");
  if (value !== undefined && value.trim() !== "") {
    // With the folder named, node:path does not load `process` to ask for it.
    return resolve(Deno.cwd(), value);
  }
  return join(homedir(), ".codex");
}
