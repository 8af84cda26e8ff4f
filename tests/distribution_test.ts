/**
 * Distribution: the compile target list, the npm packages assembled from
 * `dist/`, and a global npm install through the launcher against a local
 * Verdaccio registry. Binaries are stand-in shell scripts, since the Deno
 * compile runtime cannot be downloaded here.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { startRegistry, type TestRegistry } from "./support/registry.ts";
import {
  makeTempDir,
  PROJECT_ROOT,
  removeTempDir,
  runCli,
} from "./support/cli.ts";
import {
  buildStandInPackages,
  hostPlatform,
  PLATFORMS,
  run,
  writeStandInBinaries,
} from "./support/standin_packages.ts";
import { VERSION } from "../src/version.ts";
import { COMPILE_INCLUDES, LAZY_ENTRIES } from "../main.ts";
import { compileIncludes } from "../scripts/compile_all.ts";
import { COMMAND_MODULES } from "../src/cli/loaders.ts";
import { buildNpmPackages } from "../scripts/build_npm.ts";
import { selectTargets } from "../scripts/targets.ts";
import { nativeStandIn, wrongStandIns } from "./support/native_standin.ts";
import {
  needsRegistryFixture,
  needsStandIn,
  posixOnly,
  requires,
} from "./support/requires.ts";

const TRIPLES = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];
const COMPILE_ALL = join(PROJECT_ROOT, "scripts", "compile_all.ts");
const BUILD_NPM = join(PROJECT_ROOT, "scripts", "build_npm.ts");

function deno(args: string[]) {
  return run(Deno.execPath(), ["run", "-A", "--quiet", ...args]);
}

/**
 * The environment of a user's shell: without the `npm_config_*` variables
 * and `INIT_CWD` that `deno task` (and npm scripts) set, which npm would
 * take as its own configuration (e.g. a `deno/...` user agent).
 */
function shellEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([key]) =>
      !/^npm_/i.test(key) && key !== "INIT_CWD"
    ),
  );
}

Deno.test({
  ...requires(
    "registry fixture: publishes a package and serves its metadata",
    needsRegistryFixture(),
  ),
  async fn() {
    const registry = await startRegistry();
    const dir = await makeTempDir();
    try {
      assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const npmrc = await Deno.readTextFile(registry.npmrcPath);
      assert.match(npmrc, new RegExp(`^registry=${registry.url}$`, "m"));
      await Deno.writeTextFile(
        join(dir, "package.json"),
        JSON.stringify({ name: "waypoint-smoke", version: "0.0.1" }),
      );
      await registry.publish(dir);
      const response = await fetch(`${registry.url}waypoint-smoke`, {
        headers: { accept: "application/vnd.npm.install-v1+json" },
      });
      const doc = await response.json();
      assert.equal(doc["dist-tags"].latest, "0.0.1");
      assert.match(doc.versions["0.0.1"].dist.integrity, /^sha512-/);
      // Fully offline: a package that was never published is not fetched
      // from an uplink.
      const missing = await fetch(`${registry.url}left-pad`);
      await missing.body?.cancel();
      assert.equal(missing.status, 404);
    } finally {
      await registry.stop();
      await removeTempDir(dir);
    }
    // stop() really ended the server.
    await assert.rejects(fetch(`${registry.url}-/ping`));
  },
});

Deno.test("main.ts loads its entries by computed specifier, and every compile includes them", async () => {
  const source = await Deno.readTextFile(join(PROJECT_ROOT, "main.ts"));
  // A literal dynamic import would make `deno run` read ahead the whole
  // graph behind it; a computed one needs `--include` in `deno compile`.
  assert.equal(/import\(\s*["'`]/.test(source), false, "literal import()");
  for (const path of Object.values(LAZY_ENTRIES)) {
    assert.ok((await Deno.stat(join(PROJECT_ROOT, path))).isFile, path);
  }
  assert.deepEqual(
    [...COMPILE_INCLUDES].sort(),
    Object.values(LAZY_ENTRIES)
      .filter((path) => !path.endsWith(".js"))
      .map((path) => path.slice(2))
      .sort(),
  );
  const tasks = JSON.parse(
    await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")),
  ).tasks;
  for (const path of compileIncludes()) {
    assert.ok(
      tasks.compile.includes(`--include ${path} `),
      `deno task compile lacks --include ${path}`,
    );
  }
});

Deno.test("the command loaders import by computed specifier, and every compile includes each command module", async () => {
  const source = await Deno.readTextFile(
    join(PROJECT_ROOT, "src", "cli", "loaders.ts"),
  );
  assert.equal(/import\(\s*["'`]/.test(source), false, "literal import()");
  for (const [name, path] of Object.entries(COMMAND_MODULES)) {
    const file = join(PROJECT_ROOT, "src", "cli", path);
    assert.ok((await Deno.stat(file)).isFile, path);
    // The type-only import is what holds the module's `run` to CommandRun.
    assert.ok(
      source.includes(`from "${path}";`),
      `loaders.ts has no type import of ${path} (${name})`,
    );
    assert.ok(compileIncludes().includes(`src/cli/${path.slice(2)}`), path);
  }
});

Deno.test("compile:all lists exactly the five release targets", async () => {
  const tasks = JSON.parse(
    await Deno.readTextFile(join(PROJECT_ROOT, "deno.json")),
  ).tasks;
  assert.match(tasks["compile:all"], /scripts\/compile_all\.ts/);
  const result = await deno([COMPILE_ALL, "--list"]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n").map((line) =>
    line.split(/\s+/)
  );
  assert.deepEqual(lines.map(([triple]) => triple), TRIPLES);
  assert.deepEqual(lines.map(([, file]) => file), [
    "waypoint-linux-x64",
    "waypoint-linux-arm64",
    "waypoint-darwin-x64",
    "waypoint-darwin-arm64",
    "waypoint-windows-x64.exe",
  ]);
});

Deno.test({
  ...requires(
    "compile_all: one deno compile per target, then SHA256SUMS",
    posixOnly(),
  ),
  async fn() {
    const dir = await makeTempDir();
    try {
      // A stand-in `deno` that logs its arguments and writes the output file.
      const fakeDeno = join(dir, "fake-deno");
      const log = join(dir, "calls.log");
      await Deno.writeTextFile(
        fakeDeno,
        `#!/bin/sh
echo "$*" >> "${log}"
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift ;;
    --output) output=$2; shift ;;
  esac
  shift
done
printf 'binary for %s' "$target" > "$output"
`,
      );
      await Deno.chmod(fakeDeno, 0o755);
      const out = join(dir, "dist");
      const result = await deno([
        COMPILE_ALL,
        "--out",
        out,
        "--deno",
        fakeDeno,
      ]);
      assert.equal(result.code, 0, result.stderr);

      const calls = (await Deno.readTextFile(log)).trim().split("\n");
      assert.equal(calls.length, 5);
      const files = [];
      for (const [i, triple] of TRIPLES.entries()) {
        const file = `waypoint-${PLATFORMS[i]}${i === 4 ? ".exe" : ""}`;
        files.push(file);
        assert.match(calls[i], /^compile -A /);
        assert.ok(calls[i].includes(`--target ${triple} `), calls[i]);
        assert.ok(calls[i].includes(`--output ${join(out, file)} `), calls[i]);
        assert.ok(calls[i].endsWith("main.ts"), calls[i]);
        for (const path of compileIncludes()) {
          assert.ok(
            calls[i].includes(`--include ${join(PROJECT_ROOT, path)} `),
            `${path} not included: ${calls[i]}`,
          );
        }
      }
      const sums = (await Deno.readTextFile(join(out, "SHA256SUMS")))
        .trim().split("\n");
      assert.deepEqual(sums.map((line) => line.split("  ")[1]), files);
      for (const line of sums) {
        const [digest, file] = line.split("  ");
        const bytes = await Deno.readFile(join(out, file));
        assert.equal(
          createHash("sha256").update(bytes).digest("hex"),
          digest,
        );
      }

      // A failing compile stops the build with a clear message.
      await Deno.writeTextFile(fakeDeno, "#!/bin/sh\nexit 3\n");
      const failed = await deno([
        COMPILE_ALL,
        "--out",
        out,
        "--deno",
        fakeDeno,
      ]);
      assert.equal(failed.code, 1);
      assert.match(
        failed.stderr,
        /compile_all: deno compile for x86_64-unknown-linux-gnu failed \(exit 3\)/,
      );
    } finally {
      await removeTempDir(dir);
    }
  },
});

Deno.test("build_npm: refuses to package when a binary is missing", async () => {
  const dir = await makeTempDir();
  try {
    await writeStandInBinaries(join(dir, "dist"), VERSION, ["linux-x64"]);
    const result = await deno([BUILD_NPM, "--dist", join(dir, "dist")]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^build_npm: missing binaries: /);
    assert.ok(
      result.stderr.includes(join(dir, "dist", "waypoint-windows-x64.exe")),
      result.stderr,
    );
    assert.ok(!result.stderr.includes("waypoint-linux-x64,"), result.stderr);
    assert.equal(await exists(join(dir, "dist", "npm")), false);
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test({
  ...requires(
    "build_npm: platform packages and the main package, all at the CLI version",
    posixOnly(),
  ),
  async fn() {
    const dir = await makeTempDir();
    try {
      await writeStandInBinaries(join(dir, "dist"), VERSION);
      const result = await deno([BUILD_NPM, "--dist", join(dir, "dist")]);
      assert.equal(result.code, 0, result.stderr);
      const npmDir = join(dir, "dist", "npm");
      const names = PLATFORMS.map((p) => `waypoint-codex-${p}`);
      assert.deepEqual(
        result.stdout.trim().split("\n"),
        [...names, "waypoint-codex"].map((name) => join(npmDir, name)),
      );

      const expected: Record<string, [string, string]> = {
        "linux-x64": ["linux", "x64"],
        "linux-arm64": ["linux", "arm64"],
        "darwin-x64": ["darwin", "x64"],
        "darwin-arm64": ["darwin", "arm64"],
        "windows-x64": ["win32", "x64"],
      };
      for (const platform of PLATFORMS) {
        const pkgDir = join(npmDir, `waypoint-codex-${platform}`);
        const pkg = JSON.parse(
          await Deno.readTextFile(join(pkgDir, "package.json")),
        );
        const exe = platform === "windows-x64" ? "waypoint.exe" : "waypoint";
        assert.equal(pkg.name, `waypoint-codex-${platform}`);
        assert.equal(pkg.version, VERSION);
        assert.deepEqual([pkg.os, pkg.cpu], [
          [expected[platform][0]],
          [expected[platform][1]],
        ]);
        assert.deepEqual(
          pkg.libc,
          platform.startsWith("linux-") ? ["glibc"] : undefined,
          `${platform}: npm must skip a glibc binary on musl`,
        );
        assert.equal(pkg.bin, undefined);
        const binary = join(pkgDir, "bin", exe);
        assert.deepEqual(
          await Deno.readFile(binary),
          await Deno.readFile(
            join(dir, "dist", `waypoint-${platform}${exe.slice(8)}`),
          ),
        );
        assert.equal((await Deno.stat(binary)).mode! & 0o111, 0o111);
      }

      const main = JSON.parse(
        await Deno.readTextFile(join(npmDir, "waypoint-codex", "package.json")),
      );
      assert.equal(main.name, "waypoint-codex");
      assert.equal(main.version, VERSION);
      assert.deepEqual(main.bin, { waypoint: "bin/waypoint" });
      assert.deepEqual(main.scripts, { postinstall: "node install.cjs" });
      assert.deepEqual(
        main.optionalDependencies,
        Object.fromEntries(names.map((name) => [name, VERSION])),
      );
      assert.equal(main.dependencies, undefined);
      for (const file of ["bin/waypoint", "install.cjs"]) {
        assert.equal(
          await Deno.readTextFile(join(npmDir, "waypoint-codex", file)),
          await Deno.readTextFile(
            join(PROJECT_ROOT, "npm", "waypoint-codex", file),
          ),
        );
      }
    } finally {
      await removeTempDir(dir);
    }
  },
});

/** What npm needs to accept a `--provenance` publish from this repository. */
const REPOSITORY_URL = "git+https://github.com/waypoint-codex/waypoint.git";

Deno.test({
  ...requires(
    "build_npm: every package has what a provenance publish needs, and npm publish --dry-run takes it",
    posixOnly(),
  ),
  async fn() {
    const dir = await makeTempDir();
    try {
      const dirs = await buildStandInPackages(dir, { version: "1.4.0" });
      const results = await Promise.all(dirs.map(async (pkgDir) => {
        const pkg = JSON.parse(
          await Deno.readTextFile(join(pkgDir, "package.json")),
        );
        // npm compares repository.url with the repository the provenance
        // statement names (E422 when it is missing or differs).
        assert.deepEqual(pkg.repository, {
          type: "git",
          url: REPOSITORY_URL,
        }, pkg.name);
        assert.equal(pkg.license, "MIT", pkg.name);
        assert.equal(
          pkg.homepage,
          "https://github.com/waypoint-codex/waypoint#readme",
        );
        assert.deepEqual(pkg.bugs, {
          url: "https://github.com/waypoint-codex/waypoint/issues",
        });
        assert.equal(pkg.version, "1.4.0");
        assert.ok(pkg.description, pkg.name);
        if (pkg.name !== "waypoint-codex") {
          assert.equal(pkg.os.length, 1, pkg.name);
          assert.equal(pkg.cpu.length, 1, pkg.name);
        }
        const dry = await run("npm", [
          "publish",
          "--dry-run",
          "--json",
          "--offline",
          "--userconfig",
          join(dir, "no-npmrc"),
          "--cache",
          join(dir, "npm-cache"),
        ], { cwd: pkgDir });
        return { pkg, dry };
      }));
      for (const { pkg, dry } of results) {
        assert.equal(dry.code, 0, `${pkg.name}: ${dry.stderr}`);
        // npm rewrites fields it finds malformed, and says so.
        assert.doesNotMatch(dry.stderr, /auto-corrected|invalid/i, pkg.name);
        const report = JSON.parse(dry.stdout)[pkg.name];
        assert.equal(report.id, `${pkg.name}@1.4.0`);
        const files = Object.fromEntries(
          report.files.map((f: { path: string; mode: number }) => [
            f.path,
            f.mode,
          ]),
        );
        if (pkg.name === "waypoint-codex") {
          assert.deepEqual(Object.keys(files).sort(), [
            "README.md",
            "bin/waypoint",
            "install.cjs",
            "package.json",
          ]);
        } else {
          const exe = pkg.os[0] === "win32"
            ? "bin/waypoint.exe"
            : "bin/waypoint";
          assert.deepEqual(Object.keys(files).sort(), [
            "README.md",
            exe,
            "package.json",
          ]);
          assert.equal(files[exe] & 0o111, 0o111, `${exe} is executable`);
        }
      }
    } finally {
      await removeTempDir(dir);
    }
  },
});

Deno.test("build_npm: refuses a binary that is not one for its platform", async (t) => {
  const dir = await makeTempDir();
  try {
    const dist = join(dir, "dist");
    await writeStandInBinaries(dist, VERSION);
    const file = (platform: string) =>
      join(
        dist,
        `waypoint-${platform}${platform.startsWith("windows") ? ".exe" : ""}`,
      );
    const expected: Record<string, RegExp> = {
      "a shell script":
        /it is a script \(starts with #!\), not a native executable/,
      "the wrong CPU":
        /it is an? (ELF|Mach-O|PE) executable for (x64|arm64), not (arm64|x64)/,
      "another OS's format":
        /it is an? (ELF|Mach-O) executable \((linux|darwin)\), not (ELF|Mach-O|PE) for /,
      "a cut-off header":
        /it is truncated: 20 bytes, too short for an? (ELF|Mach-O|DOS) header/,
      "a cut-off file":
        /it is truncated: its (ELF|Mach-O|PE) (segment|section) ends at byte \d+ but the file has \d+/,
      "an empty file": /it is empty/,
    };
    // Through the script once, as release.yml runs it.
    const good = await Deno.readFile(file("linux-arm64"));
    await Deno.writeFile(
      file("linux-arm64"),
      nativeStandIn("#!/bin/sh\n", "linux-x64"),
    );
    const result = await deno([BUILD_NPM, "--dist", dist]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `build_npm: ${
        file("linux-arm64")
      } is not a waypoint binary for linux-arm64: it is an ELF executable for x64, not arm64\n`,
    );
    assert.equal(await exists(join(dist, "npm")), false);
    await Deno.writeFile(file("linux-arm64"), good);
    // Every wrong kind for every platform, in process.
    for (const platform of PLATFORMS) {
      for (
        const [kind, bytes] of Object.entries(
          wrongStandIns(platform, "#!/bin/sh\n"),
        )
      ) {
        await t.step(`${platform}: ${kind}`, async () => {
          const right = await Deno.readFile(file(platform));
          await Deno.writeFile(file(platform), bytes);
          try {
            await assert.rejects(
              buildNpmPackages({
                distDir: dist,
                outDir: join(dir, "npm"),
                targets: selectTargets(undefined),
                version: VERSION,
              }),
              (error: Error) => {
                assert.ok(
                  error.message.startsWith(
                    `${
                      file(platform)
                    } is not a waypoint binary for ${platform}: `,
                  ),
                  error.message,
                );
                assert.match(error.message, expected[kind]);
                return true;
              },
            );
            assert.equal(await exists(join(dir, "npm")), false);
          } finally {
            await Deno.writeFile(file(platform), right);
          }
        });
      }
    }
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test("the CLI answers --version with the bare version install.sh checks", async () => {
  const result = await runCli(["--version"]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `${VERSION}\n`);
});

Deno.test({
  ...requires(
    "npm install -g waypoint-codex: the native binary in the launcher's place, or the launcher without scripts",
    needsRegistryFixture(),
    posixOnly(),
    needsStandIn(),
  ),
  async fn(t) {
    const dir = await makeTempDir();
    let registry: TestRegistry | undefined;
    try {
      registry = await startRegistry();
      const dirs = await buildStandInPackages(join(dir, "build"), {
        version: VERSION,
      });
      for (const pkgDir of dirs) await registry.publish(pkgDir);
      const npmrc = registry.npmrcPath;
      const npmInstall = (prefix: string, flags: string[] = []) =>
        run("npm", [
          "install",
          "--global",
          "--prefix",
          prefix,
          "--userconfig",
          npmrc,
          "--cache",
          join(dir, "npm-cache"),
          "--loglevel=error",
          ...flags,
          "waypoint-codex",
        ], { env: shellEnv(), clearEnv: true });
      const packageDir = (prefix: string, name = "") =>
        join(prefix, "lib", "node_modules", "waypoint-codex", name);
      /** An environment whose PATH has no node (nor anything else). */
      const noNode = {
        clearEnv: true,
        env: { PATH: join(dir, "empty"), HOME: dir },
      };
      await Deno.mkdir(join(dir, "empty"));

      const [native, launcher] = [join(dir, "native"), join(dir, "prefix")];
      const [withScripts, withoutScripts] = await Promise.all([
        npmInstall(native),
        npmInstall(launcher, ["--ignore-scripts"]),
      ]);
      assert.equal(withScripts.code, 0, withScripts.stderr);
      assert.equal(withoutScripts.code, 0, withoutScripts.stderr);

      await t.step(
        "with scripts, the platform binary replaces the launcher",
        async () => {
          const bin = await Deno.readFile(packageDir(native, "bin/waypoint"));
          assert.deepEqual(
            bin,
            await Deno.readFile(
              packageDir(
                native,
                `node_modules/waypoint-codex-${hostPlatform()}/bin/waypoint`,
              ),
            ),
          );
          const waypoint = join(native, "bin", "waypoint");
          // No node on PATH: the command runs the binary directly.
          const version = await run(waypoint, ["--version"], noNode);
          assert.equal(version.code, 0, version.stderr);
          assert.equal(version.stdout, `${VERSION}\n`);
          const result = await run(waypoint, ["exit-with", "7", "a b"], noNode);
          assert.equal(result.code, 7);
          assert.equal(result.stdout, `${hostPlatform()}: a b\n`);
        },
      );

      const prefix = launcher;
      const waypoint = join(prefix, "bin", "waypoint");

      await t.step(
        "with --ignore-scripts the launcher stays, and needs node",
        async () => {
          assert.equal(
            await Deno.readTextFile(packageDir(prefix, "bin/waypoint")),
            await Deno.readTextFile(
              join(PROJECT_ROOT, "npm", "waypoint-codex", "bin", "waypoint"),
            ),
          );
          const result = await run(waypoint, ["--version"], noNode);
          assert.equal(result.code, 127, result.stderr);
        },
      );

      await t.step("--version reaches the binary", async () => {
        const result = await run(waypoint, ["--version"]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, `${VERSION}\n`);
      });

      await t.step(
        "only the host's platform package was installed",
        async () => {
          const modules = join(
            prefix,
            "lib",
            "node_modules",
            "waypoint-codex",
            "node_modules",
          );
          const entries = [];
          for await (const entry of Deno.readDir(modules)) {
            entries.push(entry.name);
          }
          assert.deepEqual(entries, [`waypoint-codex-${hostPlatform()}`]);
        },
      );

      await t.step("arguments and exit code pass through", async () => {
        const result = await run(waypoint, ["exit-with", "7", "a b", "--x"]);
        assert.equal(result.code, 7);
        assert.equal(result.stdout, `${hostPlatform()}: a b --x\n`);
      });

      await t.step("SIGTERM to the launcher reaches the binary", async () => {
        const child = new Deno.Command(waypoint, {
          args: ["wait-for-term"],
          stdin: "null",
          stdout: "piped",
          stderr: "null",
        }).spawn();
        const reader = child.stdout.pipeThrough(new TextDecoderStream())
          .getReader();
        let seen = "";
        while (!seen.includes("ready\n")) {
          const { value, done } = await reader.read();
          if (done) break;
          seen += value;
        }
        child.kill("SIGTERM");
        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          seen += value;
        }
        const status = await child.status;
        assert.equal(seen, `ready\n${hostPlatform()}: got TERM\n`);
        assert.equal(status.code, 143);
      });

      await t.step(
        "a missing platform package gets a clear message",
        async () => {
          // npm skips optional packages under --omit=optional in local
          // installs and with lockfiles made on another platform; global
          // installs ignore --omit, so remove the package by hand instead.
          await Deno.remove(
            join(
              prefix,
              "lib",
              "node_modules",
              "waypoint-codex",
              "node_modules",
              `waypoint-codex-${hostPlatform()}`,
            ),
            { recursive: true },
          );
          const attempt = await run(waypoint, ["--version"]);
          assert.equal(attempt.code, 1);
          assert.equal(attempt.stdout, "");
          assert.match(
            attempt.stderr,
            new RegExp(
              `^waypoint: the package waypoint-codex-${hostPlatform()}, .* ` +
                "npm install -g waypoint-codex --include=optional\n$",
            ),
          );
        },
      );
    } finally {
      await registry?.stop();
      await removeTempDir(dir);
    }
  },
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  ...requires(
    "postinstall: replaces the launcher only under npm, with a binary that reports the version",
    posixOnly(),
    needsStandIn(),
  ),
  async fn(t) {
    const dir = await makeTempDir();
    const source = join(PROJECT_ROOT, "npm", "waypoint-codex");
    const launcherText = await Deno.readTextFile(
      join(source, "bin", "waypoint"),
    );
    /** A waypoint-codex install as npm lays it out, before postinstall. */
    const layout = async (name: string, reported?: string) => {
      const pkg = join(dir, name);
      await Deno.mkdir(join(pkg, "bin"), { recursive: true });
      await Deno.writeTextFile(
        join(pkg, "package.json"),
        JSON.stringify({ name: "waypoint-codex", version: "2.0.0" }),
      );
      await Deno.copyFile(
        join(source, "install.cjs"),
        join(pkg, "install.cjs"),
      );
      await Deno.writeTextFile(join(pkg, "bin", "waypoint"), launcherText);
      if (reported !== undefined) {
        const platformDir = join(
          pkg,
          "node_modules",
          `waypoint-codex-${hostPlatform()}`,
        );
        await writeStandInBinaries(
          join(platformDir, "dist"),
          "2.0.0",
          [hostPlatform()],
          reported,
        );
        await Deno.mkdir(join(platformDir, "bin"));
        await Deno.rename(
          join(platformDir, "dist", `waypoint-${hostPlatform()}`),
          join(platformDir, "bin", "waypoint"),
        );
      }
      return pkg;
    };
    const postinstall = (pkg: string, agent: string) =>
      run("node", ["install.cjs"], {
        cwd: pkg,
        env: { ...shellEnv(), npm_config_user_agent: agent },
        clearEnv: true,
      });
    const npmAgent = "npm/11.0.0 node/v20.0.0 linux x64 workspaces/false";
    try {
      await t.step("npm, a binary that reports 2.0.0: replaced", async () => {
        const pkg = await layout("good", "2.0.0");
        const result = await postinstall(pkg, npmAgent);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(
          await Deno.readFile(join(pkg, "bin", "waypoint")),
          await Deno.readFile(
            join(
              pkg,
              "node_modules",
              `waypoint-codex-${hostPlatform()}`,
              "bin",
              "waypoint",
            ),
          ),
        );
        const entries = [];
        for await (const e of Deno.readDir(join(pkg, "bin"))) {
          entries.push(e.name);
        }
        assert.deepEqual(entries, ["waypoint"]);
      });
      const cases: [string, string | undefined, string][] = [
        ["npm, a binary reporting another version", "1.9.9", npmAgent],
        ["yarn", "2.0.0", "yarn/1.22.22 npm/? node/v20.0.0 linux x64"],
        ["pnpm", "2.0.0", "pnpm/9.0.0 npm/? node/v20.0.0 linux x64"],
        ["npm, no platform package", undefined, npmAgent],
      ];
      for (const [name, reported, agent] of cases) {
        await t.step(`${name}: the launcher stays`, async () => {
          const pkg = await layout(name.replaceAll(/\W+/g, "-"), reported);
          const result = await postinstall(pkg, agent);
          assert.equal(result.code, 0, result.stderr);
          assert.equal(result.stderr, "");
          assert.equal(
            await Deno.readTextFile(join(pkg, "bin", "waypoint")),
            launcherText,
          );
        });
      }
    } finally {
      await removeTempDir(dir);
    }
  },
});
