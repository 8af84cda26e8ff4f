/**
 * A sandbox for hostile-repo tests: a repository beside an "outside" folder
 * and a fake home (with a global `.codex`), and a fingerprint of everything
 * that is not the repository, so a test can prove nothing outside was
 * touched.
 *
 * @module
 */
import { sha256 as sha256Hex } from "../../src/scaffold/manifest.ts";
import { join } from "node:path";

/** The folders of one sandbox. */
export interface Sandbox {
  /** The sandbox root (holds everything below). */
  root: string;
  /** The repository under test. */
  repo: string;
  /** Files that belong to nobody's repo: targets of hostile links. */
  outside: string;
  /** The fake home directory (`HOME`, with `.codex/` inside). */
  home: string;
}

/** Creates a sandbox with a few outside files and a fake global Codex folder. */
export async function makeSandbox(): Promise<Sandbox> {
  const root = await Deno.makeTempDir({ prefix: "waypoint-sandbox-" });
  const box: Sandbox = {
    root,
    repo: join(root, "repo"),
    outside: join(root, "outside"),
    home: join(root, "home"),
  };
  await Deno.mkdir(box.repo);
  await Deno.mkdir(join(box.outside, "dir"), { recursive: true });
  await Deno.mkdir(join(box.home, ".codex", "agents"), { recursive: true });
  await Deno.writeTextFile(join(box.outside, "victim.txt"), "do not touch\n");
  await Deno.writeTextFile(
    join(box.outside, "dir", "notes.md"),
    "# Outside notes\n",
  );
  await Deno.writeTextFile(
    join(box.home, ".codex", "config.toml"),
    'model = "gpt-5"\n',
  );
  return box;
}

/** Removes a sandbox. */
export async function removeSandbox(box: Sandbox): Promise<void> {
  await Deno.remove(box.root, { recursive: true }).catch(() => {});
}

/**
 * Every entry below `dir` (not following links), skipping `skip` folders:
 * kind, mode, size, content hash or link target, and mtime. Special files
 * are recorded but never opened.
 */
export async function fingerprint(
  dir: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (path: string, rel: string) => {
    const info = await Deno.lstat(path);
    const mode = (info.mode ?? 0).toString(8);
    if (info.isSymlink) {
      out[rel] = `link ${await Deno.readLink(path)}`;
    } else if (info.isDirectory) {
      out[rel] = `dir ${mode}`;
      for await (const entry of Deno.readDir(path)) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (!skip.has(child)) await visit(join(path, entry.name), child);
      }
    } else if (info.isFile) {
      out[rel] = `file ${mode} ${info.size} ${
        info.mtime?.getTime() ?? 0
      } ${await sha256Hex(await Deno.readFile(path))}`;
    } else {
      out[rel] = `special ${mode}`;
    }
  };
  await visit(dir, "");
  return out;
}

/** Fingerprint of the sandbox without the repository. */
export function outsideFingerprint(
  box: Sandbox,
): Promise<Record<string, string>> {
  return fingerprint(box.root, new Set(["repo"]));
}

/** Paths of waypoint temp files anywhere below `dir`. */
export async function tempFilesBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string, rel: string) => {
    for await (const entry of Deno.readDir(path)) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) await visit(join(path, entry.name), child);
      else if (/\.waypoint-tmp-/.test(entry.name)) found.push(child);
    }
  };
  await visit(dir, "");
  return found;
}
