/**
 * The two paths a SessionStart hook's payload names, judged before use:
 * its `cwd` must be a folder and its `transcript_path` a regular file.
 * Both are paths Codex chose, outside any repository until the root is
 * found, and both are only looked at here (read-only `stat`).
 *
 * @module
 */
import { resolve } from "../path.ts";
import type { HookInput } from "../context/hook_input.ts";

/** Where the session is: the `[dir]` operand, else the payload's cwd, else the current folder. */
export function startDir(dir: string | undefined, input: HookInput): string {
  if (dir !== undefined) return dir;
  if (input.cwd) {
    try {
      if (Deno.statSync(input.cwd).isDirectory) return resolve(input.cwd);
    } catch {
      // Fall through to the current folder.
    }
    input.notes.push("the hook input's cwd is not a folder, so it was ignored");
  }
  return Deno.cwd();
}

/**
 * The transcript Codex named, when it is a regular file (following a
 * symlink): a FIFO, a device or a folder there could block or flood the read.
 */
export async function usableTranscript(
  input: HookInput,
): Promise<string | undefined> {
  const path = input.transcriptPath;
  if (!path) return undefined;
  try {
    const info = await Deno.stat(path);
    if (info.isFile) return path;
    input.notes.push(
      "the hook input's transcript_path is not a regular file, so the thread was looked up by id",
    );
  } catch {
    // Codex names the file before it writes it: a missing one is a new session.
  }
  return undefined;
}
