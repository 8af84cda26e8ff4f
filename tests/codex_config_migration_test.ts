import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  pathExists,
  readRepoFile,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import {
  layOlderCodexFiles,
  OLDER_CODEX_FILES,
} from "./support/older_scaffold.ts";
import { classifyCodexConfig } from "../src/scaffold/codex_config_migration.ts";
import { parseToml } from "../src/config.ts";

const OLD_CONFIG = OLDER_CODEX_FILES[".codex/config.toml"];
const bytes = (text: string) => new TextEncoder().encode(text);

/** The old config with its comments dropped and its tables reordered: still only waypoint's keys. */
const REFORMATTED = [
  '[agents."plan-reviewer"]',
  ...OLD_CONFIG.split("\n").filter((line) =>
    line.startsWith("description = ") && line.includes("plan")
  ),
  'config_file = "agents/plan-reviewer.toml"',
  "[features]",
  "multi_agent = true",
  "",
].join("\n");

Deno.test("classify: only content waypoint provably wrote counts as waypoint's", async () => {
  assertEquals(await classifyCodexConfig(bytes(OLD_CONFIG)), "waypoint");
  assertEquals(await classifyCodexConfig(bytes(REFORMATTED)), "waypoint");
  assertEquals(
    await classifyCodexConfig(bytes("# mine\n" + REFORMATTED)),
    "user-with-waypoint-keys",
  );
  assertEquals(
    await classifyCodexConfig(
      bytes(REFORMATTED.replace(/description = "[^"]*"/, 'description = "x"')),
    ),
    "user-with-waypoint-keys",
  );
  assertEquals(
    await classifyCodexConfig(bytes(REFORMATTED + 'model = "o3"\n')),
    "user-with-waypoint-keys",
  );
  assertEquals(
    await classifyCodexConfig(
      bytes(REFORMATTED.replace("agents/plan-reviewer.toml", "x.toml")),
    ),
    "user-with-waypoint-keys",
  );
  assertEquals(
    await classifyCodexConfig(bytes('model = "o3"\n')),
    "user",
  );
  assertEquals(await classifyCodexConfig(bytes("[broken")), "user");
  assertEquals(
    await classifyCodexConfig(new Uint8Array([0xff, 0xfe, 0])),
    "user",
  );
});

Deno.test("init over an older scaffold removes waypoint's .codex/config.toml and makes the agents self-describing", async () => {
  await withTempRepo(async (dir) => {
    await layOlderCodexFiles(dir);
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /\.codex\/config\.toml/);
    assertEquals(await pathExists(join(dir, ".codex", "config.toml")), false);
    for (
      const name of ["code-reviewer", "code-health-reviewer", "plan-reviewer"]
    ) {
      const agent = parseToml(
        await readRepoFile(dir, `.codex/agents/${name}.toml`),
        name,
      );
      assertEquals(agent.name, name);
      assert(
        !(await pathExists(
          join(dir, ".codex", "agents", `${name}.toml.waypoint-new`),
        )),
      );
    }
    const manifest = JSON.parse(
      await readRepoFile(dir, ".waypoint/manifest.json"),
    );
    assertEquals(manifest.files[".codex/config.toml"], undefined);
  }, { init: true });
});

Deno.test("a known waypoint config is removed even when the manifest never recorded it", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".codex/config.toml", OLD_CONFIG);
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(await pathExists(join(dir, ".codex", "config.toml")), false);
  }, { init: true });
});

Deno.test("a user's own .codex/config.toml stays byte for byte, with nothing written beside it", async () => {
  await withTempRepo(async (dir) => {
    const mine =
      'model = "gpt-5"\n\n[mcp_servers.docs]\ncommand = "docs-server"\nargs = ["--stdio"]\n';
    await writeRepoFile(dir, ".codex/config.toml", mine);
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(await readRepoFile(dir, ".codex/config.toml"), mine);
    assertEquals(
      await pathExists(join(dir, ".codex", "config.toml.waypoint-new")),
      false,
    );
    assert(!result.stdout.includes(".codex/config.toml"), result.stdout);
  });
});

Deno.test("a user-edited waypoint config is kept and init says what is left of waypoint in it", async () => {
  await withTempRepo(async (dir) => {
    const edited = OLD_CONFIG + '\nmodel = "gpt-5"\n';
    await writeRepoFile(dir, ".codex/config.toml", edited);
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(await readRepoFile(dir, ".codex/config.toml"), edited);
    assertMatch(
      result.stdout,
      /\.codex\/config\.toml: kept as yours; it still has waypoint's old reviewer registration/,
    );
  }, { init: true });
});

Deno.test("a symlinked .codex/config.toml is never removed, whatever it points at", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "elsewhere/config.toml", OLD_CONFIG);
    await Deno.mkdir(join(dir, ".codex"), { recursive: true });
    await Deno.symlink(
      join(dir, "elsewhere", "config.toml"),
      join(dir, ".codex", "config.toml"),
    );
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assert((await Deno.lstat(join(dir, ".codex", "config.toml"))).isSymlink);
    assertEquals(await readRepoFile(dir, "elsewhere/config.toml"), OLD_CONFIG);
  }, { init: true });
});

Deno.test("--dry-run names the removal and changes nothing", async () => {
  await withTempRepo(async (dir) => {
    await layOlderCodexFiles(dir);
    const result = await runCli(["init", dir, "--dry-run"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /\.codex\/config\.toml/);
    assertEquals(await readRepoFile(dir, ".codex/config.toml"), OLD_CONFIG);
  }, { init: true });
});
