/**
 * A PATH for install.sh with one downloader taken away: a folder of links to
 * every tool the script uses, so a test can run it with only curl or only
 * wget, as on machines that have just one of them.
 *
 * @module
 */
import { join } from "node:path";

/** The tools install.sh runs, besides its downloader. */
const INSTALL_TOOLS = [
  "awk",
  "sed",
  "head",
  "mktemp",
  "rm",
  "mkdir",
  "cp",
  "chmod",
  "mv",
  "tar",
  "gzip",
  "sha512sum",
  "wc",
  "sleep",
  "od",
];

/** The first `tool` on this process's PATH, if any. */
export function which(tool: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    const path = join(dir, tool);
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/**
 * Makes `dir` a PATH folder holding install.sh's tools and `downloader`
 * (`curl` or `wget`) only; throws when one is missing here.
 */
export async function installPathWith(
  dir: string,
  downloader: "curl" | "wget",
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  for (const tool of [...INSTALL_TOOLS, downloader]) {
    const path = which(tool);
    if (!path) throw new Error(`${tool} is needed for this test`);
    await Deno.symlink(path, join(dir, tool));
  }
  return dir;
}
