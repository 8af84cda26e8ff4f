/**
 * A later version of waypoint built the way a developer would: a copy of
 * this tree committed in a git repository of its own (version A), templates
 * edited, `deno task embed` run, and committed again (version B). Its
 * `main.ts` then refreshes scaffolds written by this tree, as an upgrade
 * would.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { git, initRepo } from "./git.ts";
import { makeTempDir, PROJECT_ROOT, runCommand } from "./cli.ts";

/** What the copy needs to run and to embed: the program, its templates and the generator. */
const COPIED = [
  "main.ts",
  "deno.json",
  "deno.lock",
  "src",
  "templates",
  "scripts",
];

async function copyTree(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isDirectory) {
    await Deno.mkdir(to, { recursive: true });
    for await (const entry of Deno.readDir(from)) {
      await copyTree(join(from, entry.name), join(to, entry.name));
    }
  } else {
    await Deno.mkdir(dirname(to), { recursive: true });
    await Deno.copyFile(from, to);
  }
}

/** A built version B: where it lives and the script to run. */
export interface VersionB {
  dir: string;
  mainTs: string;
}

/**
 * Builds version B in a temp folder: `edit(templatesDir)` changes the
 * templates between the two commits. Remove `dir` when done.
 */
export async function buildVersionB(
  edit: (templatesDir: string) => Promise<void>,
): Promise<VersionB> {
  const dir = await makeTempDir("waypoint-version-b-");
  for (const name of COPIED) {
    await copyTree(join(PROJECT_ROOT, name), join(dir, name));
  }
  await initRepo(dir);
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "version A");
  await edit(join(dir, "templates"));
  const embed = await runCommand(Deno.execPath(), ["task", "-q", "embed"], {
    cwd: dir,
  });
  if (embed.code !== 0) throw new Error(`embed failed: ${embed.stderr}`);
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "version B: templates changed");
  return { dir, mainTs: join(dir, "main.ts") };
}

/** Replaces the first `from` in a template below `templatesDir`; throws when it is not there. */
export async function replaceInTemplate(
  templatesDir: string,
  path: string,
  from: string,
  to: string,
): Promise<void> {
  const file = join(templatesDir, path);
  const text = await Deno.readTextFile(file);
  if (!text.includes(from)) throw new Error(`${path} lacks ${from}`);
  await Deno.writeTextFile(file, text.replace(from, to));
}
