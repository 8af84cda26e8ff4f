/**
 * The release smoke: what every binary must do on its own runner before it is
 * published (release.yml runs this file with `WAYPOINT_BIN` set to each
 * compiled binary; ci.yml runs it with the whole suite). `init`, `doctor`,
 * `context` on a fresh git repository, and `upgrade --check` against a local
 * registry that holds a newer release.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import semver from "semver";
import { VERSION } from "../src/version.ts";
import {
  assertExecutableFor,
  type ExecutablePlatform,
  HEADER_BYTES,
  identifyExecutable,
} from "../src/update/executable_format.ts";
import { hostPlatform as hostName } from "./support/native_standin.ts";
import {
  makeTempDir,
  pathExists,
  removeTempDir,
  runCli,
  runCommand,
  WAYPOINT_BIN,
} from "./support/cli.ts";
import { startFaultRegistry } from "./support/fault_registry.ts";
import { needsNativeRelease, requires } from "./support/requires.ts";

const NEWER = semver.inc(VERSION, "minor")!;
const hostPlatform = () => hostName() as ExecutablePlatform;

/** Whether the executable under test is a native binary (not a script or `deno run`). */
async function underTestIsNative(): Promise<boolean> {
  if (!WAYPOINT_BIN) return false;
  const bytes = await Deno.readFile(WAYPOINT_BIN);
  try {
    identifyExecutable(bytes.subarray(0, HEADER_BYTES), bytes.length);
    return true;
  } catch {
    return false;
  }
}

Deno.test("release smoke: --version, init, doctor, context, upgrade --check", async (t) => {
  const dir = await makeTempDir();
  const registry = await startFaultRegistry({ latest: NEWER });
  const repo = join(dir, "repo");
  // Nothing from the developer's machine: a private HOME and cache.
  const env = {
    HOME: join(dir, "home"),
    USERPROFILE: join(dir, "home"),
    XDG_CACHE_HOME: join(dir, "cache"),
    WAYPOINT_CACHE_DIR: join(dir, "cache"),
    CODEX_HOME: join(dir, "codex-home"),
    WAYPOINT_REGISTRY: registry.url,
  };
  try {
    await Deno.mkdir(repo);
    await Deno.mkdir(env.HOME);
    const git = await runCommand("git", ["init", "--quiet", repo]);
    assert.equal(git.code, 0, git.stderr);

    await t.step({
      // Set by ci.yml and release.yml, where WAYPOINT_BIN is compiled.
      ...requires(
        "the binary under test is native to this machine",
        needsNativeRelease(),
      ),
      async fn() {
        assert.ok(WAYPOINT_BIN, "WAYPOINT_EXPECT_NATIVE=1 needs WAYPOINT_BIN");
        await assertExecutableFor(WAYPOINT_BIN, hostPlatform());
      },
    });

    await t.step("--version prints the bare version", async () => {
      const result = await runCli(["--version"], { env });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${VERSION}\n`);
    });

    await t.step("init scaffolds the repository", async () => {
      const result = await runCli(["init", repo], { env });
      assert.equal(result.code, 0, result.stderr);
      for (const path of ["AGENTS.md", ".waypoint/config.toml"]) {
        assert.ok(await pathExists(join(repo, path)), path);
      }
    });

    await t.step("doctor finds no errors in what init wrote", async () => {
      const result = await runCli(["doctor", repo, "--json"], { env });
      const report = JSON.parse(result.stdout);
      const errors = report.findings.filter((f: { severity?: string }) =>
        f.severity === "error"
      );
      assert.deepEqual(errors, []);
      assert.notEqual(result.code, 2, result.stdout);
    });

    await t.step("context writes the session bundle", async () => {
      const result = await runCli(["context", repo], { env });
      assert.equal(result.code, 0, result.stderr);
      const written = [];
      for await (
        const entry of Deno.readDir(join(repo, ".waypoint", "context"))
      ) {
        written.push(entry.name);
      }
      assert.ok(written.length > 0, "nothing in .waypoint/context");
    });

    await t.step("upgrade --check sees the newer release", async () => {
      const result = await runCli(["upgrade", "--check"], { env });
      assert.equal(result.code, 0, result.stderr);
      const [first, second] = result.stdout.split("\n");
      assert.equal(
        first,
        `waypoint ${NEWER} is available (this is ${VERSION}, registry ${registry.url})`,
      );
      // A compiled binary knows it can replace itself; deno run does not.
      if (await underTestIsNative()) {
        assert.equal(second, "Run 'waypoint upgrade' to install it.");
      } else {
        assert.match(second, /from source/);
      }
      assert.ok(!registry.requests.some((r) => r.path.endsWith(".tgz")));
    });
  } finally {
    await registry.stop();
    await removeTempDir(dir);
  }
});
