/**
 * Scratch files outside every repository: a private temporary file, open
 * for reading and writing, whose name is gone before anyone gets it (so a
 * killed run leaves nothing behind). Never used on Windows, where an open
 * file cannot be unlinked.
 *
 * @module
 */

/**
 * A new temporary file in the system's temporary folder (mode 0600), open
 * for reading and writing, already unlinked. Throws when none can be made
 * (no such folder, or writing there denied).
 */
export function openScratchFile(prefix: string): Deno.FsFile {
  const path = Deno.makeTempFileSync({ prefix });
  try {
    return Deno.openSync(path, { read: true, write: true });
  } finally {
    Deno.removeSync(path);
  }
}
