/**
 * `waypoint upgrade` and the check before `init` against a local registry
 * that misbehaves on demand. Every failure must exit non-zero with one clear
 * line and leave the old binary byte-identical, with no file left beside it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import semver from "semver";
import { VERSION } from "../src/version.ts";
import { platformPackage } from "../src/update/platform.ts";
import { wrongStandIns } from "./support/native_standin.ts";
import {
  pathExists,
  readLog,
  runCli,
  versionOf,
  writeRepoFile,
} from "./support/cli.ts";
import {
  type Fault,
  listDir,
  snapshot,
  standInScript,
  withFaultSandbox,
} from "./support/fault_registry.ts";
import { needsDenoRun, needsStandIn, requires } from "./support/requires.ts";

const NEWER = semver.inc(VERSION, "minor")!;
/** Every test here runs stand-in binaries, which run on Linux only. */
const STANDIN_RUNS = [needsStandIn()];
/** Tests that also run waypoint "from source" or with Deno permission flags. */
const DENO_RUN_AND_STANDIN = [needsStandIn(), needsDenoRun()];
/** Timeout for runs where the registry hangs on purpose. */
const QUICK_TIMEOUT_MS = "1500";

Deno.test(
  requires(
    "upgrade replaces the binary from the registry, with no node on PATH",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const before = await snapshot(box.binary);
        const result = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: box.env,
        });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, "");
        assert.match(
          result.stdout,
          new RegExp(`Updating waypoint ${VERSION} to ${NEWER}`),
        );
        assert.match(
          result.stdout,
          /Verified waypoint-codex-\w+-\w+@\S+ \(sha512\)/,
        );
        assert.equal(await versionOf(box.binary), NEWER);
        assert.equal((await snapshot(box.binary)).mode, before.mode);
        assert.deepEqual(await listDir(join(box.root, "bin")), ["waypoint"]);
        assert.ok(
          registry.requests.some((r) =>
            r.path === "/waypoint-codex" &&
            r.accept?.startsWith("application/vnd.npm.install-v1+json")
          ),
          "metadata is requested in the abbreviated format",
        );
        assert.ok(registry.requests.every((r) => r.authorization === null));
      },
    );
  },
);

Deno.test(
  requires(
    "upgrade --check reports without touching the binary",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const before = await snapshot(box.binary);
        const newer = await runCli(["upgrade", "--check"], { env: box.env });
        assert.equal(newer.code, 0, newer.stderr);
        assert.match(
          newer.stdout,
          new RegExp(`waypoint ${NEWER} is available \\(this is ${VERSION}`),
        );
        assert.deepEqual(await snapshot(box.binary), before);
        assert.ok(!registry.requests.some((r) => r.path.endsWith(".tgz")));
      },
    );
    await withFaultSandbox(
      { latest: VERSION },
      VERSION,
      async (_registry, box) => {
        const result = await runCli(["upgrade", "--check"], { env: box.env });
        assert.equal(result.code, 0, result.stderr);
        assert.match(
          result.stdout,
          new RegExp(`waypoint ${VERSION} is up to date`),
        );
      },
    );
  },
);

const FAULTS: [Fault, RegExp][] = [
  ["metadata-404", /waypoint-codex was not found in the registry at .* \(404/],
  ["metadata-500", /answered 500/],
  ["metadata-hang", /did not answer within 1\.5 s/],
  [
    "metadata-html",
    /did not send package metadata .*text\/html that is not JSON/,
  ],
  ["platform-404", /waypoint-codex-\w+-\w+ was not found .*404/],
  ["tarball-404", /downloading waypoint-codex-\w+-\w+@\S+ from .* failed: 404/],
  // The integrity is checked before anything is unpacked.
  ["tarball-truncated", /integrity check failed for waypoint-codex-\w+-\w+@/],
  ["tarball-abort", /the download of .* failed: error reading a body/],
  ["tarball-stall", /did not answer within 1\.5 s/],
  ["wrong-integrity", /integrity check failed for waypoint-codex-\w+-\w+@/],
  ["metadata-drip", /did not finish within 1\.5 s/],
  ["tarball-drip", /did not finish within 3 s/],
  [
    "bomb",
    /declares a bin\/waypoint larger than 512 MiB \(a decompression bomb/,
  ],
  ["bomb-unsigned", /integrity check failed for waypoint-codex-\w+-\w+@/],
  ["no-integrity", /no sha512 integrity .*refusing/],
  ["no-binary", /does not contain bin\/waypoint/],
  [
    "wrong-version",
    new RegExp(
      `reports version "0\\.0\\.0-liar" instead of ${
        NEWER.replaceAll(".", "\\.")
      }`,
    ),
  ],
];

/** Faults that only end by a timeout. */
const SLOW_FAULTS: Fault[] = [
  "metadata-hang",
  "tarball-stall",
  "metadata-drip",
  "tarball-drip",
];
/** The drip sends a byte every 100 ms: the idle clock never fires, the total one (10x) must. */
const SLOW_FAULT_TIMEOUT_MS: Partial<Record<Fault, string>> = {
  "tarball-drip": "300",
};

Deno.test(
  requires(
    "every registry fault leaves the old binary untouched",
    ...STANDIN_RUNS,
  ),
  async (t) => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const before = await snapshot(box.binary);
        const files = await listDir(join(box.root, "bin"));
        for (const [fault, message] of FAULTS) {
          await t.step(fault, async () => {
            registry.setFault(fault);
            const slow = SLOW_FAULTS.includes(fault);
            const started = Date.now();
            const result = await runCli(["upgrade"], {
              env: {
                ...box.env,
                WAYPOINT_HTTP_TIMEOUT_MS: slow
                  ? SLOW_FAULT_TIMEOUT_MS[fault] ?? QUICK_TIMEOUT_MS
                  : box.env.WAYPOINT_HTTP_TIMEOUT_MS,
              },
            });
            // Not a performance assertion: a bound that a hang would break.
            if (slow) assert.ok(Date.now() - started < 20_000, `${fault} hung`);
            assert.notEqual(result.code, 0, `${fault}: ${result.stdout}`);
            const lines = result.stderr.trimEnd().split("\n");
            assert.equal(
              lines.length,
              1,
              `${fault}: one line, got\n${result.stderr}`,
            );
            assert.match(lines[0], /^waypoint: /);
            assert.match(lines[0], message);
            assert.deepEqual(await snapshot(box.binary), before, fault);
            assert.deepEqual(
              await listDir(join(box.root, "bin")),
              files,
              fault,
            );
            assert.equal(await versionOf(box.binary), VERSION);
          });
        }
      },
    );
  },
);

Deno.test(
  requires(
    "a private registry's token comes from .npmrc and is required",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      {
        latest: NEWER,
        token: "s3cret",
      },
      VERSION,
      async (registry, box) => {
        const before = await snapshot(box.binary);
        const refused = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: box.env,
        });
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /refused access .*\(401.*_authToken/);
        assert.deepEqual(await snapshot(box.binary), before);

        const host = new URL(registry.url).host;
        await Deno.writeTextFile(
          join(box.env.HOME!, ".npmrc"),
          `; private mirror\n//${host}/:_authToken=\${WAYPOINT_TEST_TOKEN}\n`,
        );
        const result = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: { ...box.env, WAYPOINT_TEST_TOKEN: "s3cret" },
        });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(await versionOf(box.binary), NEWER);
        assert.equal(registry.requests.at(-1)?.authorization, "Bearer s3cret");
      },
    );
  },
);

Deno.test(
  requires(
    "registry= in .npmrc is used, and HTTP_PROXY is honoured",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        // The host does not exist: only the proxy (our server) can answer.
        // npm_config_userconfig, not ~/.npmrc: `deno run` itself reads the latter.
        const npmrc = join(box.root, "npmrc");
        await Deno.writeTextFile(npmrc, "registry=http://registry.invalid/\n");
        const result = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: {
            ...box.env,
            WAYPOINT_REGISTRY: undefined,
            npm_config_userconfig: npmrc,
            HTTP_PROXY: registry.url,
            NO_PROXY: undefined,
            no_proxy: undefined,
          },
        });
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /from http:\/\/registry\.invalid\//);
        assert.equal(await versionOf(box.binary), NEWER);
      },
    );
  },
);

Deno.test(
  requires(
    "version rules: no downgrade, prereleases only on request",
    ...STANDIN_RUNS,
  ),
  async () => {
    const pre = `${semver.inc(VERSION, "major")}-beta.1`;
    const lower = semver.major(VERSION) > 0
      ? `${semver.major(VERSION) - 1}.0.0`
      : "0.0.1";
    await withFaultSandbox(
      {
        latest: pre,
        versions: [lower, NEWER],
      },
      VERSION,
      async (_registry, box) => {
        const before = await snapshot(box.binary);
        const skip = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: box.env,
        });
        assert.equal(skip.code, 0, skip.stderr);
        assert.match(
          skip.stdout,
          new RegExp(`up to date.*${pre}.* is a prerelease`),
        );
        assert.deepEqual(await snapshot(box.binary), before);

        const down = await runCli(["upgrade", "--version", lower], {
          env: box.env,
        });
        assert.equal(down.code, 1);
        assert.match(down.stderr, /older than the running waypoint/);
        assert.deepEqual(await snapshot(box.binary), before);

        const bad = await runCli(["upgrade", "--version", "latest"], {
          env: box.env,
        });
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--version needs an exact version/);

        const unpublished = semver.inc(NEWER, "major")!;
        const missing = await runCli(["upgrade", "--version", unpublished], {
          env: box.env,
        });
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /is not in the registry/);
        assert.deepEqual(await snapshot(box.binary), before);

        const asked = await runCli(
          ["upgrade", "--version", pre, "--skip-repo-refresh"],
          { env: box.env },
        );
        assert.equal(asked.code, 0, asked.stderr);
        assert.equal(await versionOf(box.binary), pre);
      },
    );
  },
);

Deno.test(
  requires(
    "upgrade refuses binaries it must not replace",
    ...DENO_RUN_AND_STANDIN,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const fromSource = await runCli(["upgrade"], {
          env: { ...box.env, WAYPOINT_SELF_PATH: undefined },
        });
        assert.equal(fromSource.code, 1);
        assert.match(fromSource.stderr, /running from source.*Deno runtime/);
        assert.equal(fromSource.stderr.trimEnd().split("\n").length, 1);

        const npmDir = join(
          box.root,
          "node_modules",
          "waypoint-codex-x",
          "bin",
        );
        await Deno.mkdir(npmDir, { recursive: true });
        const npmBinary = join(npmDir, "waypoint");
        await Deno.copyFile(box.binary, npmBinary);
        const viaNpm = await runCli(["upgrade"], {
          env: { ...box.env, WAYPOINT_SELF_PATH: npmBinary },
        });
        assert.equal(viaNpm.code, 1);
        assert.match(
          viaNpm.stderr,
          /installed by npm.*npm install -g waypoint-codex@latest/,
        );

        const missing = await runCli(["upgrade"], {
          env: { ...box.env, WAYPOINT_SELF_PATH: join(box.root, "nope") },
        });
        assert.equal(missing.code, 1);
        assert.match(
          missing.stderr,
          /WAYPOINT_SELF_PATH .*nope does not exist/,
        );

        const before = await snapshot(box.binary);
        const denied = await runCli(["upgrade"], {
          env: box.env,
          denoFlags: [`--deny-write=${join(box.root, "bin")}`],
        });
        assert.equal(denied.code, 1);
        assert.match(
          denied.stderr,
          /cannot write to .*bin, where the waypoint binary .*permission denied/,
        );
        assert.deepEqual(await snapshot(box.binary), before);
        // Permission problems show before anything is downloaded.
        assert.ok(!registry.requests.some((r) => r.path.endsWith(".tgz")));
      },
    );
  },
);

Deno.test(
  requires(
    "upgrade refuses a download that is not a binary for this machine",
    ...STANDIN_RUNS,
  ),
  async (t) => {
    const platform = platformPackage();
    const cases = wrongStandIns(platform.platform, standInScript(NEWER));
    for (const [kind, bytes] of Object.entries(cases)) {
      await t.step(kind, async () => {
        await withFaultSandbox(
          {
            latest: NEWER,
            binary: bytes,
          },
          VERSION,
          async (_registry, box) => {
            const before = await snapshot(box.binary);
            const result = await runCli(["upgrade"], { env: box.env });
            assert.equal(result.code, 1, result.stdout + result.stderr);
            const lines = result.stderr.trimEnd().split("\n");
            assert.equal(lines.length, 1, result.stderr);
            assert.equal(
              lines[0].startsWith(
                `waypoint: ${platform.binaryPath} in ${platform.packageName}@${NEWER} ` +
                  `is not a waypoint binary for ${platform.platform}: it is `,
              ),
              true,
              lines[0],
            );
            assert.deepEqual(await snapshot(box.binary), before);
            assert.deepEqual(await listDir(join(box.root, "bin")), [
              "waypoint",
            ]);
            // Refused before it ever ran: the stand-in would have logged.
            assert.deepEqual(await readLog(box.log), []);
          },
        );
      });
    }
  },
);

Deno.test(
  requires(
    "upgrade refreshes a waypoint repo with the new binary",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (_registry, box) => {
        const repo = join(box.root, "repo");
        await writeRepoFile(
          repo,
          ".waypoint/config.toml",
          'version = 1\nprofile = "app-friendly"\n',
        );
        const result = await runCli(["upgrade", repo], { env: box.env });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(await readLog(box.log), [
          `${NEWER} init ${repo} --skip-cli-update --app-friendly`,
          `${NEWER} doctor ${repo}`,
        ]);

        const plain = join(box.root, "plain");
        await Deno.mkdir(plain);
        const bare = await runCli(["upgrade", plain], { env: box.env });
        assert.equal(bare.code, 0, bare.stderr);
        assert.match(
          bare.stdout,
          /No \.waypoint\/config\.toml in .*plain: updated the binary only/,
        );
        assert.equal((await readLog(box.log)).length, 2);
      },
    );
  },
);

Deno.test(
  requires("init updates first and re-runs the new binary", ...STANDIN_RUNS),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        const result = await runCli(["init", repo, "--app-friendly"], {
          env: { ...box.env, WAYPOINT_NO_UPDATE_CHECK: undefined },
        });
        assert.equal(result.code, 0, result.stderr);
        // On stderr, one line naming both versions and the file, before
        // anything is downloaded; then one with the outcome.
        assert.deepEqual(result.stderr.trimEnd().split("\n"), [
          `waypoint: updating ${VERSION} to ${NEWER} before init: downloading it, replacing ${box.binary} and re-running init with it (set WAYPOINT_NO_UPDATE_CHECK=1 to turn this off)`,
          `waypoint: updated ${box.binary} to ${NEWER}`,
        ]);
        assert.equal(result.stdout, "");
        assert.deepEqual(await readLog(box.log), [
          `${NEWER} init ${repo} --app-friendly --skip-cli-update`,
        ]);
        // The new binary did the init: this process wrote nothing in the repo.
        assert.equal(await pathExists(repo), false);
        const cache = JSON.parse(
          await Deno.readTextFile(
            join(box.env.XDG_CACHE_HOME!, "waypoint", "update-check.json"),
          ),
        );
        assert.equal(cache.latest, NEWER);
        assert.equal(cache.registry, registry.url);
      },
    );
  },
);

Deno.test(
  requires(
    "a failed check never stops init, and is not repeated for an hour",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        const env = { ...box.env, WAYPOINT_NO_UPDATE_CHECK: undefined };
        registry.setFault("metadata-hang");
        const first = await runCli(["init", repo], {
          env: { ...env, WAYPOINT_HTTP_TIMEOUT_MS: QUICK_TIMEOUT_MS },
        });
        assert.equal(first.code, 0, first.stderr);
        assert.match(
          first.stderr,
          /^waypoint: skipped the update check: the registry did not answer within 1\.5 s \(set WAYPOINT_NO_UPDATE_CHECK=1 to turn the check off\)$/m,
        );
        assert.ok(!first.stderr.includes("WAYPOINT_HTTP_TIMEOUT_MS"));
        assert.ok(!first.stdout.includes("update check"));
        assert.ok(await Deno.stat(join(repo, "AGENTS.md")));
        const asked = registry.requests.length;

        registry.setFault("none");
        const second = await runCli(["init", repo], { env });
        assert.equal(second.code, 0, second.stderr);
        assert.equal(registry.requests.length, asked, "the failure was cached");
        assert.deepEqual(await readLog(box.log), []);

        const ci = await runCli(["init", repo], {
          env: { ...env, XDG_CACHE_HOME: join(box.root, "cache2"), CI: "true" },
        });
        assert.equal(ci.code, 0, ci.stderr);
        assert.equal(registry.requests.length, asked, "CI skips the check");

        const fresh = await runCli(["init", repo], {
          env: { ...env, XDG_CACHE_HOME: join(box.root, "cache3") },
        });
        assert.equal(fresh.code, 0, fresh.stderr);
        assert.deepEqual(await readLog(box.log), [
          `${NEWER} init ${repo} --skip-cli-update`,
        ]);
      },
    );
  },
);

Deno.test(
  requires("init goes on when the update itself fails", ...STANDIN_RUNS),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        registry.setFault("wrong-integrity");
        const before = await snapshot(box.binary);
        const result = await runCli(["init", repo], {
          env: { ...box.env, WAYPOINT_NO_UPDATE_CHECK: undefined },
        });
        assert.equal(result.code, 0, result.stderr);
        assert.match(
          result.stderr,
          new RegExp(
            `warning: could not update to ${NEWER}: integrity check failed.*continuing with ${VERSION}`,
          ),
        );
        assert.deepEqual(await snapshot(box.binary), before);
        assert.ok(await Deno.stat(join(repo, "AGENTS.md")));
      },
    );
  },
);

Deno.test(
  requires(
    "init from source only mentions the newer version; the opt-out asks nothing",
    ...DENO_RUN_AND_STANDIN,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        const optOut = await runCli(["init", repo], {
          env: { ...box.env, WAYPOINT_NO_UPDATE_CHECK: "1" },
        });
        assert.equal(optOut.code, 0, optOut.stderr);
        assert.equal(registry.requests.length, 0);

        const fromSource = await runCli(["init", repo], {
          env: {
            ...box.env,
            WAYPOINT_NO_UPDATE_CHECK: undefined,
            WAYPOINT_SELF_PATH: undefined,
          },
        });
        assert.equal(fromSource.code, 0, fromSource.stderr);
        const notes = fromSource.stderr.split("\n").filter((line) =>
          line.includes(NEWER)
        );
        assert.deepEqual(notes, [
          `waypoint: ${NEWER} is available (running ${VERSION} from source; not updating)`,
        ]);
        assert.ok(!fromSource.stdout.includes(NEWER));
        assert.ok(!registry.requests.some((r) => r.path.endsWith(".tgz")));
        assert.ok(await Deno.stat(join(repo, "AGENTS.md")));
      },
    );
  },
);

Deno.test(
  requires(
    "a dripping registry costs init at most the 3 s check budget",
    ...STANDIN_RUNS,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        registry.setFault("metadata-drip");
        const started = Date.now();
        // The sandbox's 15 s request timeout does not apply: the budget is 3 s.
        const result = await runCli(["init", repo], {
          env: { ...box.env, WAYPOINT_NO_UPDATE_CHECK: undefined },
        });
        assert.equal(result.code, 0, result.stderr);
        // Not a performance assertion: without the budget this takes minutes.
        assert.ok(Date.now() - started < 30_000);
        const skipped = result.stderr.split("\n").filter((line) =>
          line.includes("update check")
        );
        assert.deepEqual(skipped, [
          "waypoint: skipped the update check: the registry did not answer within 3 s (set WAYPOINT_NO_UPDATE_CHECK=1 to turn the check off)",
        ]);
        assert.ok(await Deno.stat(join(repo, "AGENTS.md")));

        // A newer version whose tarball drips: the update gives up, init goes on.
        registry.setFault("tarball-drip");
        const before = await snapshot(box.binary);
        const dripped = await runCli(["init", repo], {
          env: {
            ...box.env,
            WAYPOINT_NO_UPDATE_CHECK: undefined,
            XDG_CACHE_HOME: join(box.root, "cache2"),
            WAYPOINT_HTTP_TIMEOUT_MS: "300",
          },
        });
        assert.equal(dripped.code, 0, dripped.stderr);
        assert.match(
          dripped.stderr,
          /warning: could not update to .*did not finish within 3 s.*continuing with/,
        );
        assert.deepEqual(await snapshot(box.binary), before);
        assert.deepEqual(await listDir(join(box.root, "bin")), ["waypoint"]);
      },
    );
  },
);
