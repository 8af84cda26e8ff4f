/**
 * A scaffolded repository beside a throwaway Codex home, for tests of what
 * doctor says about the user's Codex settings: `init` has run, and the lines
 * that make Codex trust the repo are ready to put in the home's config.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals } from "./assert.ts";
import { makeTempDir, removeTempDir, runCli } from "./cli.ts";

/** One doctor finding as `doctor --json` prints it. */
export interface JsonFinding {
  severity: string;
  category: string;
  message: string;
  remediation: string;
  paths: string[];
}

/** See {@link withCodexScaffold}. */
export interface CodexScaffold {
  repo: string;
  /** The `CODEX_HOME` every run of this scaffold gets. */
  home: string;
  /** `[projects."<real repo path>"]` with `trust_level = "trusted"`. */
  trust: string;
}

/** Runs `fn` with a freshly scaffolded repo and an empty Codex home; removes both after. */
export async function withCodexScaffold(
  prefix: string,
  fn: (box: CodexScaffold) => Promise<void>,
): Promise<void> {
  const base = await makeTempDir(prefix);
  try {
    const repo = join(base, "repo");
    const home = join(base, "home");
    await Deno.mkdir(repo);
    await Deno.mkdir(home);
    const init = await runCli(["init", repo], { env: { CODEX_HOME: home } });
    assertEquals(init.code, 0, init.stderr);
    const trust = `[projects.${
      JSON.stringify(await Deno.realPath(repo))
    }]\ntrust_level = "trusted"\n`;
    await fn({ repo, home, trust });
  } finally {
    await removeTempDir(base);
  }
}

/** Writes `user` as the Codex home's config and returns doctor's findings. */
export async function doctorFindings(
  box: CodexScaffold,
  user: string,
): Promise<JsonFinding[]> {
  await Deno.writeTextFile(join(box.home, "config.toml"), user);
  const result = await runCli(["doctor", box.repo, "--json"], {
    env: { CODEX_HOME: box.home },
  });
  return JSON.parse(result.stdout).findings as JsonFinding[];
}
