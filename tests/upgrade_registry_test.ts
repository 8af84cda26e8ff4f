/**
 * End to end against a real registry: Verdaccio on 127.0.0.1 holds platform
 * packages published with `npm publish`, whose `bin/waypoint` is a stand-in
 * script. The waypoint process runs with no node or npm on its PATH.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import semver from "semver";
import { platformPackage } from "../src/update/platform.ts";
import { VERSION } from "../src/version.ts";
import { readLog, runCli, versionOf, writeRepoFile } from "./support/cli.ts";
import {
  listDir,
  makeSandbox,
  snapshot,
  standInBinary,
  type UpgradeSandbox,
} from "./support/fault_registry.ts";
import { startRegistry, type TestRegistry } from "./support/registry.ts";
import {
  needsRegistryFixture,
  needsStandIn,
  requires,
} from "./support/requires.ts";

const NEWER = semver.inc(VERSION, "minor")!;

/** Publishes `waypoint-codex` and this platform's package at `version`. */
async function publishRelease(
  registry: TestRegistry,
  root: string,
  version: string,
): Promise<void> {
  const platform = platformPackage();
  const platformDir = join(root, `${platform.packageName}-${version}`);
  await Deno.mkdir(join(platformDir, "bin"), { recursive: true });
  const binary = join(platformDir, platform.binaryPath);
  await Deno.writeFile(binary, standInBinary(version));
  await Deno.chmod(binary, 0o755);
  await Deno.writeTextFile(
    join(platformDir, "package.json"),
    JSON.stringify({
      name: platform.packageName,
      version,
      description: "stand-in platform package for the upgrade tests",
      license: "MIT",
      files: [platform.binaryPath],
    }),
  );
  await registry.publish(platformDir);

  const mainDir = join(root, `waypoint-codex-${version}`);
  await Deno.mkdir(mainDir, { recursive: true });
  await Deno.writeTextFile(
    join(mainDir, "package.json"),
    JSON.stringify({
      name: "waypoint-codex",
      version,
      description: "stand-in main package for the upgrade tests",
      license: "MIT",
      optionalDependencies: { [platform.packageName]: version },
    }),
  );
  await registry.publish(mainDir);
}

Deno.test({
  // Stand-in binaries run on Linux only (tests/support/native_standin.ts).
  ...requires(
    "upgrade, upgrade --check and init against Verdaccio",
    needsRegistryFixture(),
    needsStandIn(),
  ),
  async fn(t) {
    const registry = await startRegistry();
    const work = await Deno.makeTempDir({ prefix: "waypoint-releases-" });
    const boxes: UpgradeSandbox[] = [];
    const sandbox = async () => {
      const box = await makeSandbox(registry.url, VERSION);
      boxes.push(box);
      return box;
    };
    try {
      await publishRelease(registry, work, VERSION);
      await publishRelease(registry, work, NEWER);

      await t.step("upgrade --check sees the newer release", async () => {
        const box = await sandbox();
        const before = await snapshot(box.binary);
        const result = await runCli(["upgrade", "--check"], { env: box.env });
        assert.equal(result.code, 0, result.stderr);
        assert.match(
          result.stdout,
          new RegExp(`waypoint ${NEWER} is available \\(this is ${VERSION}`),
        );
        assert.deepEqual(await snapshot(box.binary), before);
      });

      await t.step(
        "upgrade replaces the binary and refreshes the repo with it",
        async () => {
          const box = await sandbox();
          const repo = join(box.root, "repo");
          await writeRepoFile(
            repo,
            ".waypoint/config.toml",
            'version = 1\nprofile = "universal"\n',
          );
          const result = await runCli(["upgrade", repo], { env: box.env });
          assert.equal(result.code, 0, result.stderr);
          assert.equal(await versionOf(box.binary), NEWER);
          assert.deepEqual(await listDir(join(box.root, "bin")), ["waypoint"]);
          assert.deepEqual(await readLog(box.log), [
            `${NEWER} init ${repo} --skip-cli-update`,
            `${NEWER} doctor ${repo}`,
          ]);
        },
      );

      await t.step(
        "the registry and its token can come from an npm userconfig",
        async () => {
          const box = await sandbox();
          const result = await runCli(["upgrade", "--skip-repo-refresh"], {
            env: {
              ...box.env,
              WAYPOINT_REGISTRY: undefined,
              npm_config_userconfig: registry.npmrcPath,
            },
          });
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, new RegExp(`from ${registry.url}`));
          assert.equal(await versionOf(box.binary), NEWER);
        },
      );

      await t.step(
        "a version the registry lacks leaves the binary alone",
        async () => {
          const box = await sandbox();
          const before = await snapshot(box.binary);
          const missing = semver.inc(NEWER, "major")!;
          const result = await runCli(
            ["upgrade", "--version", missing, "--skip-repo-refresh"],
            { env: box.env },
          );
          assert.equal(result.code, 1);
          assert.equal(result.stderr.trimEnd().split("\n").length, 1);
          assert.match(
            result.stderr,
            new RegExp(`${missing} is not in the registry`),
          );
          assert.deepEqual(await snapshot(box.binary), before);
          assert.deepEqual(await listDir(join(box.root, "bin")), ["waypoint"]);
        },
      );

      await t.step(
        "init updates first and re-runs the new binary",
        async () => {
          const box = await sandbox();
          const repo = join(box.root, "repo");
          const result = await runCli(["init", repo], {
            env: { ...box.env, WAYPOINT_NO_UPDATE_CHECK: undefined },
          });
          assert.equal(result.code, 0, result.stderr);
          assert.equal(await versionOf(box.binary), NEWER);
          assert.deepEqual(await readLog(box.log), [
            `${NEWER} init ${repo} --skip-cli-update`,
          ]);
        },
      );
    } finally {
      for (const box of boxes) await box.remove();
      await registry.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
});
