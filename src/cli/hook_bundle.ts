/**
 * Whether `hook_bundle.js` is current. Loading the hook's modules one by
 * one costs `deno run` some 15 ms of CPU more than loading the same code as
 * one bundled file, so `main.ts` runs the bundle. It must never run older
 * code than the checkout holds: `hook_bundle.json` names every source the
 * bundle was made from (with `deno.json` and `deno.lock`, which pick the npm
 * packages) and their SHA-256, and the bundle is used only when the files
 * on disk hash the same. Otherwise, or when the sources cannot be read (a
 * compiled binary), the modules are loaded as they are. Never throws.
 *
 * Regenerate both files with `deno task bundle:hook`.
 *
 * @module
 */

/** What `hook_bundle.json` holds. */
export interface HookBundleManifest {
  /** Project-relative paths, in hashing order. */
  files: string[];
  /** {@link sourcesDigest} of `files` when the bundle was made. */
  sha256: string;
}

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
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  const digest = await crypto.subtle.digest("SHA-256", joined);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** The folder path of a `file:` URL ending in `/`; undefined on Windows or for another scheme. */
export function projectDirOf(root: URL): string | undefined {
  if (root.protocol !== "file:" || Deno.build.os === "windows") {
    return undefined;
  }
  const path = decodeURIComponent(root.pathname);
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Whether the bundle was made from the sources under `projectRoot` (the
 * folder of `main.ts`). On Windows, where Codex runs no hooks, the answer
 * is always no.
 */
export async function hookBundleIsCurrent(projectRoot: URL): Promise<boolean> {
  try {
    const dir = projectDirOf(projectRoot);
    if (dir === undefined) return false;
    const manifest = JSON.parse(
      Deno.readTextFileSync(`${dir}src/cli/hook_bundle.json`),
    ) as HookBundleManifest;
    if (!Array.isArray(manifest.files) || manifest.files.length === 0) {
      return false;
    }
    return await sourcesDigest(dir, manifest.files) === manifest.sha256;
  } catch {
    return false;
  }
}
