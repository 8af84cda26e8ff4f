/**
 * install.sh, run under `dash` against a local Verdaccio holding stand-in
 * platform packages (see tests/support/standin_packages.ts). Platform
 * detection is overridden with WAYPOINT_OS / WAYPOINT_ARCH. The stand-ins
 * are real executables only for Linux (see tests/support/native_standin.ts),
 * so the test runs on Linux hosts; the "darwin" stand-in has a true Mach-O
 * header, which install.sh accepts for macOS before finding it does not run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { installPathWith, which } from "./support/install_tools.ts";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { startRegistry, type TestRegistry } from "./support/registry.ts";
import { makeTempDir, PROJECT_ROOT, removeTempDir } from "./support/cli.ts";
import {
  buildStandInPackages,
  type Finished,
  hostPlatform,
  run,
} from "./support/standin_packages.ts";
import { nativeStandIn, wrongStandIns } from "./support/native_standin.ts";
import { makeTarball } from "./support/fault_registry.ts";
import {
  needsDash,
  needsDownloader,
  needsRegistryFixture,
  needsShellcheck,
  needsStandIn,
  posixOnly,
  requires,
} from "./support/requires.ts";

const INSTALL_SH = join(PROJECT_ROOT, "install.sh");
/** The host's platform, e.g. `linux-x64`: the one stand-in that runs. */
const HOST = hostPlatform();
const [HOST_OS, HOST_ARCH] = HOST.split("-");

const DASH = which("dash");
const SHELLCHECK = which("shellcheck");

Deno.test({
  ...requires("install.sh passes shellcheck as POSIX sh", needsShellcheck()),
  async fn() {
    const result = await run(SHELLCHECK!, ["--shell=sh", INSTALL_SH]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  },
});

Deno.test({
  ...requires(
    "install.sh installs, pins, upgrades and refuses bad input (dash)",
    posixOnly(),
    needsDash(),
    needsDownloader(),
    needsRegistryFixture(),
    needsStandIn(),
  ),
  async fn(t) {
    const dir = await makeTempDir();
    const home = join(dir, "home");
    await Deno.mkdir(home);
    let registry: TestRegistry | undefined;
    let stub: Deno.HttpServer | undefined;
    try {
      registry = await startRegistry();
      const platforms = [HOST, "darwin-arm64"];
      for (const version of ["1.0.0", "1.1.0"]) {
        const dirs = await buildStandInPackages(join(dir, version), {
          version,
          platforms,
        });
        for (const pkgDir of dirs) await registry.publish(pkgDir);
      }
      const registryUrl = registry.url;

      /** Runs install.sh under dash with a clean environment. */
      const install = (
        args: string[],
        env: Record<string, string> = {},
        stdin?: string,
      ): Promise<Finished> =>
        run(DASH!, stdin === undefined ? [INSTALL_SH, ...args] : args, {
          clearEnv: true,
          stdin,
          env: {
            PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
            HOME: home,
            SHELL: "/bin/bash",
            WAYPOINT_REGISTRY: registryUrl,
            WAYPOINT_OS: HOST_OS,
            WAYPOINT_ARCH: HOST_ARCH,
            ...env,
          },
        });
      const waypointIn = (root: string) => join(root, "bin", "waypoint");
      const versionOf = async (root: string) =>
        (await run(waypointIn(root), ["--version"])).stdout.trim();
      const binDirEntries = async (root: string) => {
        const names = [];
        for await (const entry of Deno.readDir(join(root, "bin"))) {
          names.push(entry.name);
        }
        return names;
      };
      /** Asserts a failure: exit 1, one stderr line matching `pattern`. */
      const assertFails = (result: Finished, pattern: RegExp) => {
        assert.equal(result.code, 1, result.stdout + result.stderr);
        const lines = result.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0], /^waypoint-install: /);
        assert.match(lines[0], pattern);
      };

      const latestRoot = join(dir, "latest");
      await t.step("installs the latest version", async () => {
        const result = await install([], { WAYPOINT_INSTALL: latestRoot });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(
          result.stdout.includes(
            `Installed waypoint 1.1.0 at ${waypointIn(latestRoot)}\n`,
          ),
          result.stdout,
        );
        assert.ok(
          result.stdout.includes(
            `echo 'export PATH="${
              join(latestRoot, "bin")
            }:$PATH"' >> ~/.bashrc`,
          ),
          result.stdout,
        );
        assert.equal(await versionOf(latestRoot), "1.1.0");
        const hello = await run(waypointIn(latestRoot), ["hello"]);
        assert.equal(hello.stdout, `${HOST}: hello\n`);
        assert.deepEqual(await binDirEntries(latestRoot), ["waypoint"]);
      });

      await t.step(
        "defaults to ~/.waypoint and reads uname-style names",
        async () => {
          const result = await install([], {
            WAYPOINT_OS: HOST_OS === "linux" ? "Linux" : "Darwin",
            WAYPOINT_ARCH: HOST_ARCH === "x64" ? "x86_64" : "aarch64",
            PATH: `${join(home, ".waypoint", "bin")}:${Deno.env.get("PATH")}`,
          });
          assert.equal(result.code, 0, result.stderr);
          assert.ok(result.stdout.includes(`(${HOST})`), result.stdout);
          assert.match(result.stdout, /Run: waypoint --help\n$/);
          const hello = await run(join(home, ".waypoint", "bin", "waypoint"), [
            "hello",
          ]);
          assert.equal(hello.stdout, `${HOST}: hello\n`);
        },
      );

      await t.step(
        "on musl libc (Alpine) says in one line what to do, and installs nothing",
        async () => {
          const root = join(dir, "musl");
          for (
            const [libc, pattern] of [
              ["musl", /musl libc .*need glibc: run waypoint from source/],
              ["uclibc", /unknown C library: uclibc/],
            ] as const
          ) {
            const result = await install([], {
              WAYPOINT_INSTALL: root,
              WAYPOINT_OS: "Linux",
              WAYPOINT_LIBC: libc,
            });
            assertFails(result, pattern);
            assert.equal(existsSync(root), false, "nothing was installed");
          }
        },
      );

      await t.step(
        "follows detection overrides to another platform's package",
        async () => {
          // The darwin-arm64 stand-in has a true Mach-O arm64 header, so the
          // format check passes and only running it fails on this host.
          const root = join(dir, "darwin");
          const result = await install([], {
            WAYPOINT_INSTALL: root,
            WAYPOINT_OS: "Darwin",
            WAYPOINT_ARCH: "arm64",
          });
          assert.match(result.stdout, /\(darwin-arm64\)/);
          assertFails(result, /the downloaded binary does not run here/);
          assert.deepEqual(await binDirEntries(root), []);
        },
      );

      const pinnedRoot = join(dir, "pinned");
      await t.step(
        "pins a version by argument or WAYPOINT_VERSION",
        async () => {
          const byArg = await install(["1.0.0"], {
            WAYPOINT_INSTALL: pinnedRoot,
          });
          assert.equal(byArg.code, 0, byArg.stderr);
          assert.equal(await versionOf(pinnedRoot), "1.0.0");

          const envRoot = join(dir, "pinned-env");
          const byEnv = await install([], {
            WAYPOINT_INSTALL: envRoot,
            WAYPOINT_VERSION: "v1.0.0",
          });
          assert.equal(byEnv.code, 0, byEnv.stderr);
          assert.equal(await versionOf(envRoot), "1.0.0");
        },
      );

      await t.step(
        "works piped into sh (curl ... | sh -s -- 1.0.0)",
        async () => {
          const root = join(dir, "piped");
          const result = await install(
            ["-s", "--", "1.0.0"],
            { WAYPOINT_INSTALL: root },
            await Deno.readTextFile(INSTALL_SH),
          );
          assert.equal(result.code, 0, result.stderr);
          assert.equal(await versionOf(root), "1.0.0");
        },
      );

      await t.step("re-running upgrades in place", async () => {
        const before = await Deno.stat(join(pinnedRoot, "bin"));
        const result = await install([], { WAYPOINT_INSTALL: pinnedRoot });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(
          result.stdout.includes(
            `Updated waypoint 1.0.0 -> 1.1.0 at ${waypointIn(pinnedRoot)}`,
          ),
          result.stdout,
        );
        assert.equal(await versionOf(pinnedRoot), "1.1.0");
        assert.deepEqual(await binDirEntries(pinnedRoot), ["waypoint"]);
        assert.equal(
          (await Deno.stat(join(pinnedRoot, "bin"))).ino,
          before.ino,
        );

        const again = await install([], { WAYPOINT_INSTALL: pinnedRoot });
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stdout, /waypoint 1\.1\.0 is already installed/);
      });

      await t.step("refuses an unsupported platform", async () => {
        const root = join(dir, "unsupported");
        const cases: [Record<string, string>, RegExp][] = [
          [{ WAYPOINT_OS: "FreeBSD" }, /unsupported operating system: FreeBSD/],
          [
            { WAYPOINT_ARCH: "riscv64" },
            /unsupported CPU architecture: riscv64/,
          ],
          [{ WAYPOINT_OS: "MINGW64_NT-10.0" }, /install\.ps1/],
        ];
        for (const [env, pattern] of cases) {
          const result = await install([], { WAYPOINT_INSTALL: root, ...env });
          assertFails(result, pattern);
          assert.equal(result.stdout, "");
        }
        await assert.rejects(Deno.stat(root));
      });

      await t.step("a version that does not exist", async () => {
        const result = await install(["9.9.9"], {
          WAYPOINT_INSTALL: pinnedRoot,
        });
        assertFails(
          result,
          new RegExp(
            `answered .*/waypoint-codex-${HOST}/9\\.9\\.9 with an error \\(does version 9\\.9\\.9`,
          ),
        );
        assert.equal(await versionOf(pinnedRoot), "1.1.0");
      });

      await t.step("a network failure", async () => {
        const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const { port } = listener.addr as Deno.NetAddr;
        listener.close();
        const root = join(dir, "offline");
        const result = await install([], {
          WAYPOINT_INSTALL: root,
          WAYPOINT_REGISTRY: `http://127.0.0.1:${port}`,
        });
        assertFails(result, /could not download .* \(network error/);
        await assert.rejects(Deno.stat(root));
      });

      // A registry that serves one hand-made release, to break what
      // Verdaccio never would.
      let served = { version: "", tarball: new Uint8Array(), integrity: "" };
      stub = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {} },
        (request) => {
          const path = new URL(request.url).pathname;
          const base = `http://127.0.0.1:${(stub!.addr as Deno.NetAddr).port}`;
          if (path === "/waypoint-codex/latest") {
            return Response.json({ version: served.version });
          }
          if (path === `/waypoint-codex-${HOST}/${served.version}`) {
            return Response.json({
              name: `waypoint-codex-${HOST}`,
              version: served.version,
              dist: {
                tarball: `${base}/package.tgz`,
                integrity: served.integrity,
              },
            });
          }
          if (path === "/package.tgz") return new Response(served.tarball);
          return new Response("not found", { status: 404 });
        },
      );
      const stubUrl = `http://127.0.0.1:${(stub.addr as Deno.NetAddr).port}`;
      const sri = (bytes: Uint8Array) =>
        `sha512-${createHash("sha512").update(bytes).digest("base64")}`;

      await t.step("refuses a checksum mismatch", async () => {
        const response = await fetch(
          `${registryUrl}waypoint-codex-${HOST}/-/waypoint-codex-${HOST}-1.0.0.tgz`,
        );
        const tarball = new Uint8Array(await response.arrayBuffer());
        const tampered = tarball.slice();
        tampered[tampered.length - 1] ^= 1;
        served = {
          version: "1.0.0",
          tarball: tampered,
          integrity: sri(tarball),
        };

        const result = await install([], {
          WAYPOINT_INSTALL: pinnedRoot,
          WAYPOINT_REGISTRY: stubUrl,
        });
        assertFails(result, /checksum mismatch/);
        assert.equal(await versionOf(pinnedRoot), "1.1.0");
        assert.deepEqual(await binDirEntries(pinnedRoot), ["waypoint"]);

        // The same bytes with their true integrity install fine, so the
        // refusal above was about the checksum alone.
        served = { version: "1.0.0", tarball, integrity: sri(tarball) };
        const root = join(dir, "stub-ok");
        const ok = await install([], {
          WAYPOINT_INSTALL: root,
          WAYPOINT_REGISTRY: stubUrl,
        });
        assert.equal(ok.code, 0, ok.stderr);
        assert.equal(await versionOf(root), "1.0.0");
      });

      await t.step(
        "refuses a file that is not a binary for the platform",
        async (t) => {
          const script = "#!/bin/sh\necho 1.3.0\n";
          for (
            const [kind, bytes] of Object.entries(wrongStandIns(HOST, script))
          ) {
            await t.step(kind, async () => {
              const tarball = await makeTarball([
                {
                  path: "package.json",
                  content: JSON.stringify({
                    name: `waypoint-codex-${HOST}`,
                    version: "1.3.0",
                  }),
                },
                { path: "bin/waypoint", content: bytes, mode: 0o755 },
              ]);
              served = { version: "1.3.0", tarball, integrity: sri(tarball) };
              const result = await install([], {
                WAYPOINT_INSTALL: pinnedRoot,
                WAYPOINT_REGISTRY: stubUrl,
              });
              const expected: Record<string, RegExp> = {
                "a shell script": /it is a script \(starts with #!\)/,
                "the wrong CPU":
                  /it is built for another CPU \(machine \w+\), not /,
                "another OS's format":
                  /it is a macOS \(Mach-O\) executable, not one for linux/,
                "a cut-off header": /it is truncated \(20 bytes/,
                // Found empty before the format check looks at it.
                "an empty file": /does not contain package\/bin\/waypoint/,
                // The header is intact, so only running it finds the cut.
                "a cut-off file": /does not run here/,
              };
              assertFails(
                result,
                kind === "a cut-off file" || kind === "an empty file"
                  ? expected[kind]
                  : new RegExp(
                    `waypoint-codex-${HOST}@1\\.3\\.0 does not hold a waypoint binary for ${HOST}: ${
                      expected[kind].source
                    }`,
                  ),
              );
              assert.equal(await versionOf(pinnedRoot), "1.1.0");
              assert.deepEqual(await binDirEntries(pinnedRoot), ["waypoint"]);
            });
          }
          // The same route with the right file installs, so the refusals
          // above were about the file alone.
          const good = await makeTarball([
            { path: "package.json", content: "{}" },
            {
              path: "bin/waypoint",
              content: nativeStandIn(script, HOST),
              mode: 0o755,
            },
          ]);
          served = { version: "1.3.0", tarball: good, integrity: sri(good) };
          const root = join(dir, "format-ok");
          const ok = await install([], {
            WAYPOINT_INSTALL: root,
            WAYPOINT_REGISTRY: stubUrl,
          });
          assert.equal(ok.code, 0, ok.stderr);
          assert.equal(await versionOf(root), "1.3.0");
        },
      );

      await t.step("refuses a binary that does not run", async () => {
        const [pkgDir] = await buildStandInPackages(join(dir, "broken"), {
          version: "1.2.0",
          platforms: [HOST],
          reportedVersion: "0.0.0",
        });
        const packed = await run("npm", [
          "pack",
          "--pack-destination",
          join(dir, "broken"),
          "--loglevel=error",
        ], { cwd: pkgDir });
        assert.equal(packed.code, 0, packed.stderr);
        const tarball = await Deno.readFile(
          join(dir, "broken", packed.stdout.trim().split("\n").pop()!),
        );
        served = { version: "1.2.0", tarball, integrity: sri(tarball) };
        const result = await install([], {
          WAYPOINT_INSTALL: pinnedRoot,
          WAYPOINT_REGISTRY: stubUrl,
        });
        assertFails(result, /does not run here .*'0\.0\.0', expected 1\.2\.0/);
        assert.equal(await versionOf(pinnedRoot), "1.1.0");
        assert.deepEqual(await binDirEntries(pinnedRoot), ["waypoint"]);
      });

      await t.step("needs curl or wget", async () => {
        const empty = join(dir, "empty-path");
        await Deno.mkdir(empty);
        const root = join(dir, "no-downloader");
        const result = await install([], {
          WAYPOINT_INSTALL: root,
          PATH: empty,
        });
        assertFails(result, /neither curl nor wget is installed/);
        await assert.rejects(Deno.stat(root));
      });

      await t.step({
        ...requires(
          "downloads with wget when curl is missing",
          needsDownloader("wget"),
        ),
        async fn() {
          const tools = await installPathWith(join(dir, "tools"), "wget");
          const root = join(dir, "wget");
          const result = await install(["1.0.0"], {
            WAYPOINT_INSTALL: root,
            PATH: tools,
          });
          assert.equal(result.code, 0, result.stderr);
          assert.equal(await versionOf(root), "1.0.0");
        },
      });
    } finally {
      await stub?.shutdown();
      await registry?.stop();
      await removeTempDir(dir);
    }
  },
});
