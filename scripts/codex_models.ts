/**
 * Prints one release's entry for `CODEX_MODEL_CATALOGS` in
 * src/doctor/codex_models.ts, from `codex debug models` of the launcher given
 * (run with a throwaway CODEX_HOME, never the user's):
 * `deno run -A scripts/codex_models.ts <path to codex>`.
 *
 * @module
 */
import { catalogFromDebugModels } from "../src/doctor/codex_models.ts";

const launcher = Deno.args[0];
if (!launcher) {
  console.error("usage: deno run -A scripts/codex_models.ts <path to codex>");
  Deno.exit(2);
}
const home = Deno.makeTempDirSync({ prefix: "waypoint-codex-models-" });
try {
  const run = (args: string[]) =>
    new Deno.Command(launcher, {
      args,
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: home, CODEX_HOME: home },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  const version = new TextDecoder().decode(run(["--version"]).stdout).trim()
    .split(/\s+/).at(-1);
  const models = run(["debug", "models"]);
  if (!models.success) {
    console.error(new TextDecoder().decode(models.stderr).trim());
    Deno.exit(1);
  }
  const catalog = catalogFromDebugModels(
    new TextDecoder().decode(models.stdout),
  );
  console.log(JSON.stringify({ [version ?? "?"]: catalog }, null, 2));
} finally {
  Deno.removeSync(home, { recursive: true });
}
