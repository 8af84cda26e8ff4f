/**
 * The model catalogs doctor embeds (src/doctor/codex_models.ts) against the
 * real Codex releases they were taken from: `codex debug models` prints the
 * same table, and what the table predicts (a `spawn_agent` tool only for
 * `multi_agent_version = "v2"`, none for an unknown model) is what
 * `codex debug prompt-input` shows the model. Fails, never skips, when a
 * release cannot be installed.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { makeTempDir, removeTempDir } from "./support/cli.ts";
import { codexEnv, ensureCodex } from "./support/codex_cli.ts";
import {
  catalogFromDebugModels,
  CODEX_MODEL_CATALOGS,
  SUBAGENT_VERSION,
} from "../src/doctor/codex_models.ts";

async function run(
  launcher: string,
  cwd: string,
  home: string,
  args: string[],
): Promise<string> {
  const out = await new Deno.Command(launcher, {
    args,
    cwd,
    env: codexEnv(home),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(
    out.success,
    `codex ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
  );
  return new TextDecoder().decode(out.stdout);
}

/** Whether the prompt input offers the model a tool named `spawn_agent`. */
function offersSpawnAgent(promptInput: string): boolean {
  let found = false;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.name === "spawn_agent") found = true;
      Object.values(record).forEach(walk);
    }
  };
  walk(JSON.parse(promptInput));
  return found;
}

for (const [release, catalog] of Object.entries(CODEX_MODEL_CATALOGS)) {
  Deno.test(`Codex ${release}: the embedded model catalog is what the CLI bundles, and only ${SUBAGENT_VERSION} models get spawn_agent`, async () => {
    const launcher = await ensureCodex(release);
    const base = await makeTempDir("waypoint-codex-models-");
    try {
      const repo = join(base, "repo");
      const home = join(base, "home");
      await Deno.mkdir(repo);
      await Deno.mkdir(home);
      assertEquals(
        catalogFromDebugModels(
          await run(launcher, repo, home, ["debug", "models"]),
        ),
        catalog,
      );
      const cases: [string | undefined, boolean][] = [
        [undefined, true], // no model set: the CLI's default
        ["waypoint-no-such-model", false],
        ...Object.entries(catalog.models).map((
          [slug, version],
        ): [string, boolean] => [slug, version === SUBAGENT_VERSION]),
      ];
      for (const [model, expected] of cases) {
        const args = ["debug", "prompt-input"];
        if (model) args.push("-c", `model=${JSON.stringify(model)}`);
        assertEquals(
          offersSpawnAgent(await run(launcher, repo, home, args)),
          expected,
          `model ${model ?? "(default)"}`,
        );
      }
    } finally {
      await removeTempDir(base);
    }
  });
}
