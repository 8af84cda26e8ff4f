/**
 * The slow half of the hook bundle's check (`hook_bundle.ts`): hashing the
 * sources and recording a yes as a stamp. It is loaded only when the stamp
 * does not answer, so a session start whose stamp matches loads neither
 * this module nor the byte and atomic-write helpers it needs.
 *
 * @module
 */

import { concatBytes } from "../bytes.ts";
import { writeOutsideFileAtomic } from "../fs/atomic.ts";

/**
 * SHA-256, in hex, over each file's path, length and bytes in order; a
 * missing file counts as empty with a distinct marker. `projectDir` is a
 * folder path ending in `/` (string paths read in half the time of URLs).
 */
export async function sourcesDigest(
  projectDir: string,
  files: readonly string[],
): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const file of files) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = Deno.readFileSync(projectDir + file);
    } catch {
      bytes = undefined;
    }
    parts.push(
      encoder.encode(`${file}\0${bytes ? bytes.length : "missing"}\0`),
    );
    if (bytes) parts.push(bytes);
  }
  const digest = await crypto.subtle.digest("SHA-256", concatBytes(parts));
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** Writes `text` to `path` through a temp file; a failure leaves no stamp. */
export function writeStamp(path: string, text: string): void {
  try {
    writeOutsideFileAtomic(path, text);
  } catch {
    // No stamp: the next check hashes the sources again.
  }
}
