/**
 * install.sh (under dash) against the fault registry: dripping metadata and
 * tarballs, decompression bombs, a binary whose `--version` hangs, a
 * registry URL with credentials, and signals at random moments. In every
 * case: the old binary byte-identical with its mode, nothing left beside it
 * or in the temp folder, done within the time limit, one line starting with
 * `waypoint-install:`, and no credential in the output.
 *
 * @module
 */
import assert from "node:assert/strict";
import { installPathWith } from "./support/install_tools.ts";
import { join } from "node:path";
import { makeTempDir, PROJECT_ROOT, removeTempDir } from "./support/cli.ts";
import {
  type Fault,
  type FaultRegistry,
  listDir,
  snapshot,
  standInScript,
  startFaultRegistry,
} from "./support/fault_registry.ts";
import { platformPackage } from "../src/update/platform.ts";
import {
  needsDash,
  needsDownloader,
  posixOnly,
  requires,
} from "./support/requires.ts";

const INSTALL_SH = join(PROJECT_ROOT, "install.sh");
const OLD = "1.0.0";
const NEWER = "1.1.0";
const DASH = ["/usr/bin/dash", "/bin/dash"].find((path) => {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
});
/** What every test here needs: install.sh runs under dash and downloads. */
const NEEDS = [posixOnly(), needsDash(() => DASH), needsDownloader()];

interface Box {
  root: string;
  bin: string;
  binary: string;
  tmp: string;
  log: string;
  env: Record<string, string>;
}

async function makeBox(registryUrl: string): Promise<Box> {
  const root = await Deno.realPath(await makeTempDir("waypoint-install-"));
  const bin = join(root, "install", "bin");
  const tmp = join(root, "tmp");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.mkdir(tmp);
  const binary = join(bin, "waypoint");
  await Deno.writeTextFile(binary, standInScript(OLD));
  await Deno.chmod(binary, 0o755);
  const [os, arch] = platformPackage().packageName.split("-").slice(-2);
  const log = join(root, "standin.log");
  return {
    root,
    bin,
    binary,
    tmp,
    log,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: root,
      TMPDIR: tmp,
      WAYPOINT_INSTALL: join(root, "install"),
      WAYPOINT_REGISTRY: registryUrl,
      WAYPOINT_OS: os,
      WAYPOINT_ARCH: arch,
      WAYPOINT_STANDIN_LOG: log,
      WAYPOINT_INSTALL_TIMEOUT: "60",
    },
  };
}

/**
 * Runs install.sh under dash; with `fileLimitBlocks`, from a shell that set
 * that file size limit (512-byte blocks) first.
 */
function spawnInstall(
  box: Box,
  env: Record<string, string> = {},
  fileLimitBlocks?: number,
) {
  return new Deno.Command(DASH!, {
    args: fileLimitBlocks === undefined ? [INSTALL_SH] : [
      "-c",
      `ulimit -f ${fileLimitBlocks} && exec "$0" "$1"`,
      DASH!,
      INSTALL_SH,
    ],
    env: { ...box.env, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function install(
  box: Box,
  env: Record<string, string> = {},
  fileLimitBlocks?: number,
) {
  const output = await spawnInstall(box, env, fileLimitBlocks).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    stdout: decode(output.stdout),
    stderr: decode(output.stderr),
  };
}

/** Ends the hanging stand-ins a killed install could not end itself. */
async function endHangingProbes(box: Box): Promise<void> {
  const pids = await Deno.readTextFile(`${box.log}.hang`).catch(() => "");
  for (const pid of pids.split("\n").filter(Boolean)) {
    try {
      Deno.kill(Number(pid), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

async function withBox(
  fn: (registry: FaultRegistry, box: Box) => Promise<void>,
): Promise<void> {
  const registry = await startFaultRegistry({ latest: NEWER });
  const box = await makeBox(registry.url);
  try {
    await fn(registry, box);
  } finally {
    await endHangingProbes(box);
    await registry.stop();
    await removeTempDir(box.root);
  }
}

const FAULTS: [Fault, Record<string, string>, RegExp][] = [
  [
    "metadata-drip",
    { WAYPOINT_INSTALL_TIMEOUT: "3" },
    /gave up after 3 s \(set WAYPOINT_INSTALL_TIMEOUT/,
  ],
  [
    "tarball-drip",
    { WAYPOINT_INSTALL_TIMEOUT: "3" },
    /gave up after 3 s \(set WAYPOINT_INSTALL_TIMEOUT/,
  ],
  [
    "probe-hang",
    { WAYPOINT_INSTALL_TIMEOUT: "3" },
    /gave up after 3 s \(set WAYPOINT_INSTALL_TIMEOUT/,
  ],
  ["bomb", {}, /holds a binary larger than 536870912 bytes/],
  ["bomb-unsigned", {}, /checksum mismatch/],
  ["metadata-500", {}, /the registry answered .* with an error/],
];

/**
 * install.sh failed with exit 1 and one `waypoint-install:` line matching
 * `message`, and left the old binary, its folder and the temp folder as
 * they were.
 */
async function assertRefusedCleanly(
  result: { code: number; stdout: string; stderr: string },
  box: Box,
  before: Awaited<ReturnType<typeof snapshot>>,
  message: RegExp,
): Promise<void> {
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const lines = result.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^waypoint-install: /);
  assert.match(lines[0], message);
  assert.deepEqual(await snapshot(box.binary), before);
  assert.deepEqual(await listDir(box.bin), ["waypoint"]);
  assert.deepEqual(await listDir(box.tmp), []);
}

Deno.test({
  ...requires(
    "install.sh: every registry fault leaves the old install untouched",
    ...NEEDS,
  ),
  async fn(t) {
    await withBox(async (registry, box) => {
      const before = await snapshot(box.binary);
      for (const [fault, env, message] of FAULTS) {
        await t.step(fault, async () => {
          registry.setFault(fault);
          const started = Date.now();
          const result = await install(box, env);
          // Not a performance assertion: a bound that a hang would break.
          assert.ok(Date.now() - started < 30_000, `${fault} hung`);
          await assertRefusedCleanly(result, box, before, message);
        });
      }
    });
  },
});

// install.sh's cap on a metadata document, and a file size limit 1 MiB above it
// (in 512-byte blocks): a download that writes past the cap dies of SIGXFSZ.
const MAX_METADATA_BYTES = 64 * 1024 * 1024;
const FILE_LIMIT_BLOCKS = (MAX_METADATA_BYTES + 1024 * 1024) / 512;

Deno.test({
  ...requires(
    "install.sh: an endless metadata answer is refused at the cap, with curl and with only wget",
    ...NEEDS,
  ),
  async fn(t) {
    await withBox(async (registry, box) => {
      registry.setFault("metadata-huge");
      const before = await snapshot(box.binary);
      for (const downloader of ["curl", "wget"] as const) {
        await t.step({
          ...requires(downloader, needsDownloader(downloader)),
          async fn() {
            const tools = await installPathWith(
              join(box.root, `path-${downloader}`),
              downloader,
            );
            // A download that writes more than 1 MiB past the cap fails here.
            const result = await install(
              box,
              { PATH: tools },
              FILE_LIMIT_BLOCKS,
            );
            await assertRefusedCleanly(
              result,
              box,
              before,
              new RegExp(
                `^waypoint-install: \\S+/waypoint-codex/latest is larger than ${MAX_METADATA_BYTES} bytes`,
              ),
            );
          },
        });
      }
    });
  },
});

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

Deno.test({
  ...requires(
    "install.sh: a signal at a random moment leaves nothing behind",
    ...NEEDS,
  ),
  async fn(t) {
    await withBox(async (registry, box) => {
      const before = await snapshot(box.binary);
      for (
        const [fault, phase] of [["tarball-drip", "download"], [
          "probe-hang",
          "probe",
        ]] as const
      ) {
        for (const signal of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
          await t.step(`${signal} during the ${phase}`, async () => {
            registry.setFault(fault);
            const child = spawnInstall(box);
            // A random moment inside the phase (the drip lasts minutes, the
            // probe hangs for good).
            await new Promise((resolve) =>
              setTimeout(resolve, 300 + Math.random() * 1200)
            );
            child.kill(signal);
            const { code } = await child.output();
            assert.equal(code, SIGNALS[signal]);
            assert.deepEqual(await snapshot(box.binary), before);
            assert.deepEqual(await listDir(box.bin), ["waypoint"]);
            assert.deepEqual(await listDir(box.tmp), []);
          });
        }
      }
      await t.step(
        "SIGKILL during the probe, then a clean re-run",
        async () => {
          registry.setFault("probe-hang");
          const child = spawnInstall(box);
          // Wait until the staged binary is being probed.
          for (let n = 0; n < 300; n++) {
            if ((await listDir(box.bin)).length > 1) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          child.kill("SIGKILL");
          await child.output();
          assert.deepEqual(await snapshot(box.binary), before);
          assert.ok((await listDir(box.bin)).length > 1, "nothing was staged");
          await endHangingProbes(box);
          registry.setFault("none");
          const result = await install(box);
          assert.equal(result.code, 0, result.stderr);
          assert.deepEqual(await listDir(box.bin), ["waypoint"]);
          assert.match(result.stdout, /Updated waypoint 1\.0\.0 -> 1\.1\.0/);
        },
      );
    });
  },
});

Deno.test({
  ...requires(
    "install.sh: registry credentials are used but never shown",
    ...NEEDS,
  ),
  async fn() {
    const password = "s3cr3t-" + "pw-Q7";
    const registry = await startFaultRegistry({
      latest: NEWER,
      basicAuth: `alice:${password}`,
    });
    const box = await makeBox(
      registry.url.replace("://", `://alice:${password}@`),
    );
    try {
      registry.setFault("metadata-500");
      const failed = await install(box);
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, /^waypoint-install: .*http:\/\/\*\*\*@/);
      registry.setFault("none");
      const ok = await install(box);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /from http:\/\/\*\*\*@127\.0\.0\.1/);
      for (const text of [failed.stdout, failed.stderr, ok.stdout, ok.stderr]) {
        assert.ok(!text.includes(password), text);
      }
    } finally {
      await registry.stop();
      await removeTempDir(box.root);
    }
  },
});
