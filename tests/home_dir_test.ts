/**
 * `homeDir()` answers as `node:os` `homedir()` does, for every shape of
 * `$HOME` (unset, empty, relative, with a trailing separator), each checked
 * in its own process because the module decides at start whether it needs
 * `node:os`.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "./support/cli.ts";

const PROBE = `
import { homeDir } from "${
  pathToFileURL(join(PROJECT_ROOT, "src/home_dir.ts"))
}";
const ours = homeDir();
const { homedir } = await import("node:os");
console.log(JSON.stringify([ours, homedir()]));
`;

for (const home of [undefined, "", "/x/y", "relative/dir", "/a/", " "]) {
  Deno.test(`homeDir() agrees with node:os with HOME=${JSON.stringify(home)}`, async () => {
    // Deno keeps its cache below $HOME unless told: a relative HOME would
    // put one in the current folder, so both are pinned.
    const env: Record<string, string> = {
      ...Deno.env.toObject(),
      DENO_DIR: await denoDir(),
    };
    if (home === undefined) delete env.HOME;
    else env.HOME = home;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", PROBE],
      cwd: await Deno.makeTempDir(),
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.success, true, stderr);
    const [ours, theirs] = JSON.parse(new TextDecoder().decode(output.stdout));
    assertEquals(ours, theirs);
  });
}

let cachedDenoDir: string | undefined;

async function denoDir(): Promise<string> {
  if (cachedDenoDir) return cachedDenoDir;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
  }).output();
  cachedDenoDir = JSON.parse(new TextDecoder().decode(output.stdout)).denoDir;
  return cachedDenoDir!;
}
