/**
 * Atomic replacement of one file: the content goes to a uniquely named temp
 * file in the same folder, then a rename puts it in place, so a reader sees
 * the old file or the new one, never a torn write. A temp file is removed on
 * every failure path; one left by a killed process carries a name that
 * {@link isTempName} recognises, so a later run can find and remove it.
 *
 * This module trusts the folder it is given. Inside a repository, reach it
 * only through `write.ts` (a `Repo`), which checks the folder first.
 *
 * @module
 */
import { writeAllSync } from "../bytes.ts";
import { join } from "../path.ts";

const TEMP_MARKER = ".waypoint-tmp-";
const TEMP_NAME = /^\..+\.waypoint-tmp-[0-9a-f]{8,}$/;

/** Whether a file name is one of waypoint's temp files. */
export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** A fresh temp name for `name` (hidden, unique, recognisable). */
export function tempNameFor(name: string): string {
  const random = crypto.getRandomValues(new Uint8Array(6));
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  return `.${name}${TEMP_MARKER}${hex}`;
}

/**
 * What a file is written from: text (as UTF-8), bytes, or byte chunks in
 * order: an array, or any iterable that starts over each time it is
 * iterated (a write may read it twice), such as an index spooled to a
 * temporary file and copied from it a chunk at a time (each chunk is used
 * before the next is asked for).
 */
export type FileContent = string | Uint8Array | Iterable<Uint8Array>;

function writeChunks(path: string, chunks: Iterable<Uint8Array>): void {
  const file = Deno.openSync(path, { write: true, createNew: true });
  try {
    for (const chunk of chunks) writeAllSync(file, chunk);
  } finally {
    file.close();
  }
}

/**
 * Writes `content` to the file `name` inside the existing folder `dir`:
 * temp file created exclusively, mode set, then renamed over the target.
 * `mode` is applied on POSIX systems only.
 */
export function replaceFileAtomically(
  dir: string,
  name: string,
  content: FileContent,
  mode?: number,
): void {
  const temp = join(dir, tempNameFor(name));
  try {
    if (typeof content === "string") {
      Deno.writeTextFileSync(temp, content, { createNew: true });
    } else if (content instanceof Uint8Array) {
      Deno.writeFileSync(temp, content, { createNew: true });
    } else writeChunks(temp, content);
    if (mode !== undefined && Deno.build.os !== "windows") {
      Deno.chmodSync(temp, mode);
    }
    Deno.renameSync(temp, join(dir, name));
  } catch (error) {
    try {
      Deno.removeSync(temp);
    } catch {
      // The temp file was never created, or is already gone.
    }
    throw error;
  }
}

/**
 * Atomically writes a file outside any repository (a per-user cache), making
 * its folder first. Never use it for a path inside the repo.
 */
export function writeOutsideFileAtomic(
  path: string,
  content: FileContent,
): void {
  const at = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const dir = path.slice(0, at);
  Deno.mkdirSync(dir, { recursive: true });
  replaceFileAtomically(dir, path.slice(at + 1), content);
}
