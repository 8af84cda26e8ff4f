/**
 * Unit tests for the updater's dense logic: registry and token resolution,
 * version decisions, platform names, integrity strings, the check cache,
 * locating the executable, and the Windows-style swap.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError, WaypointError } from "../src/errors.ts";
import {
  cacheFilePath,
  CHECK_TTL_MS,
  FAILED_CHECK_TTL_MS,
  isFresh,
  readCachedCheck,
  writeCachedCheck,
} from "../src/update/check_cache.ts";
import { downloadBinary } from "../src/update/download.ts";
import {
  httpTimeoutMs,
  maskCredentials,
  startIdleTimer,
} from "../src/update/http.ts";
import { sha512Digests } from "../src/update/integrity.ts";
import { authTokenFor, parseNpmrc } from "../src/update/npmrc.ts";
import { platformPackage } from "../src/update/platform.ts";
import {
  authHeaders,
  chooseRegistry,
  parsePackument,
  PUBLIC_REGISTRY,
} from "../src/update/registry.ts";
import { cleanupMovedAside, replaceExecutable } from "../src/update/replace.ts";
import { locateSelf, refusal } from "../src/update/self_path.ts";
import { checkReportedVersion } from "../src/update/verify.ts";
import { isNewerRelease, planUpgrade } from "../src/update/versions.ts";
import { listDir, makeTarball, sri } from "./support/fault_registry.ts";
import { posixOnly, requires } from "./support/requires.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("registry precedence: WAYPOINT_REGISTRY, npm env, .npmrc, public", () => {
  const npmrc = parseNpmrc("registry = https://npmrc.example/\n", env({}));
  const all = {
    WAYPOINT_REGISTRY: "https://waypoint.example/mirror",
    NPM_CONFIG_REGISTRY: "https://upper.example/",
    npm_config_registry: "https://lower.example/",
  };
  assert.equal(
    chooseRegistry(env(all), npmrc).url,
    "https://waypoint.example/mirror/",
  );
  const { WAYPOINT_REGISTRY: _, ...npmEnv } = all;
  assert.equal(
    chooseRegistry(env(npmEnv), npmrc).url,
    "https://upper.example/",
  );
  assert.equal(
    chooseRegistry(env({ npm_config_registry: "https://lower.example" }), npmrc)
      .url,
    "https://lower.example/",
  );
  assert.equal(chooseRegistry(env({}), npmrc).url, "https://npmrc.example/");
  assert.equal(chooseRegistry(env({}), new Map()).url, PUBLIC_REGISTRY);
  assert.throws(
    () => chooseRegistry(env({ WAYPOINT_REGISTRY: "ftp://x/" }), new Map()),
    /WAYPOINT_REGISTRY must be an http\(s\) URL/,
  );
  assert.throws(
    () => chooseRegistry(env({ WAYPOINT_REGISTRY: "not a url" }), new Map()),
    WaypointError,
  );
});

Deno.test(".npmrc parsing: comments, quotes, ${VAR} expansion", () => {
  const values = parseNpmrc(
    [
      "# comment",
      "; another",
      'registry="https://r.example/npm/"',
      "//r.example/npm/:_authToken=${TOKEN}",
      "//other.example/:_authToken = plain",
      "escaped=\\${NOT}",
      "[section]",
      "garbage line",
    ].join("\r\n"),
    env({ TOKEN: "abc" }),
  );
  assert.equal(values.get("registry"), "https://r.example/npm/");
  assert.equal(values.get("//r.example/npm/:_authToken"), "abc");
  assert.equal(values.get("//other.example/:_authToken"), "plain");
  assert.equal(values.get("escaped"), "${NOT}");
  assert.equal(values.has("garbage line"), false);
});

Deno.test("bearer tokens match by host and longest path prefix only", () => {
  const values = parseNpmrc(
    [
      "//r.example/:_authToken=root",
      "//r.example/npm/:_authToken=npm",
      "//r.example:8443/:_authToken=port",
    ].join("\n"),
    env({}),
  );
  assert.equal(authTokenFor("https://r.example/npm/pkg", values), "npm");
  assert.equal(
    authTokenFor("https://r.example/npm/pkg/-/pkg-1.0.0.tgz", values),
    "npm",
  );
  assert.equal(authTokenFor("https://r.example/other/pkg", values), "root");
  assert.equal(authTokenFor("https://r.example:8443/pkg", values), "port");
  assert.equal(authTokenFor("https://cdn.example/pkg.tgz", values), undefined);
});

Deno.test("packument parsing keeps versions and rejects non-metadata", () => {
  const registry = { display: "https://r.example/" };
  const parsed = parsePackument(
    JSON.stringify({
      "dist-tags": { latest: "1.2.0", bad: 5 },
      versions: {
        "1.2.0": {
          dist: { tarball: "https://t/1.tgz", integrity: "sha512-x" },
        },
        "1.1.0": { dist: {} },
      },
    }),
    "application/json",
    registry,
    "pkg",
  );
  assert.deepEqual(parsed.distTags, { latest: "1.2.0" });
  assert.deepEqual(Object.keys(parsed.versions), ["1.2.0"]);
  assert.throws(
    () => parsePackument("<html>", "text/html; charset=utf-8", registry, "pkg"),
    /got text\/html that is not JSON/,
  );
  assert.throws(
    () => parsePackument("[1]", "application/json", registry, "pkg"),
    /no versions/,
  );
});

Deno.test("version plans follow semver and never go back", () => {
  const at = (current: string, latest?: string, requested?: string) =>
    planUpgrade({ current, latest, requested, registryUrl: "r" });
  assert.deepEqual(at("1.0.0", "1.0.1"), { kind: "upgrade", version: "1.0.1" });
  assert.equal(at("1.0.0", "1.0.0").kind, "current");
  assert.equal(at("1.0.1", "1.0.0").kind, "current");
  // A prerelease is older than its release.
  assert.deepEqual(at("1.1.0-rc.1", "1.1.0"), {
    kind: "upgrade",
    version: "1.1.0",
  });
  const pre = at("1.0.0", "2.0.0-beta.1");
  assert.equal(pre.kind, "current");
  assert.match(
    pre.kind === "current" ? pre.note ?? "" : "",
    /--version 2\.0\.0-beta\.1/,
  );
  assert.deepEqual(at("1.0.0", undefined, "2.0.0-beta.1"), {
    kind: "upgrade",
    version: "2.0.0-beta.1",
  });
  assert.deepEqual(at("1.0.0", undefined, "v1.2.0"), {
    kind: "upgrade",
    version: "1.2.0",
  });
  assert.throws(
    () => at("1.2.0", undefined, "1.1.9"),
    /never moves to an older/,
  );
  assert.throws(() => at("1.2.0", undefined, "^1.3"), UsageError);
  assert.throws(() => at("1.0.0", "banana"), /no valid "latest"/);
  assert.throws(() => at("1.0.0", undefined), /no valid "latest"/);
  assert.equal(isNewerRelease("1.0.10", "1.0.9"), true);
  assert.equal(isNewerRelease("1.1.0-rc.1", "1.0.0"), false);
  assert.equal(isNewerRelease("1.0.0", "1.0.0"), false);
});

Deno.test("platform packages for every supported machine", () => {
  assert.deepEqual(platformPackage("linux", "x86_64"), {
    platform: "linux-x64",
    packageName: "waypoint-codex-linux-x64",
    binaryPath: "bin/waypoint",
  });
  assert.equal(
    platformPackage("linux", "aarch64").packageName,
    "waypoint-codex-linux-arm64",
  );
  assert.equal(
    platformPackage("darwin", "aarch64").packageName,
    "waypoint-codex-darwin-arm64",
  );
  assert.equal(platformPackage("darwin", "x86_64").platform, "darwin-x64");
  assert.equal(
    platformPackage("windows", "x86_64").binaryPath,
    "bin/waypoint.exe",
  );
  assert.throws(() => platformPackage("windows", "aarch64"), /windows-arm64/);
  assert.throws(
    () => platformPackage("freebsd", "x86_64"),
    /no waypoint binary/,
  );
});

Deno.test("integrity strings: sha512 required, several allowed", () => {
  assert.deepEqual(sha512Digests("sha1-aa sha512-bb sha512-cc?x", "p"), [
    "bb",
    "cc",
  ]);
  assert.throws(
    () => sha512Digests("sha1-aa", "p@1"),
    /no sha512 integrity for p@1/,
  );
  assert.throws(() => sha512Digests(undefined, "p@1"), /refusing/);
});

Deno.test("update-check cache location and freshness", () => {
  assert.equal(
    cacheFilePath(env({ XDG_CACHE_HOME: "/x", HOME: "/h" }), "darwin"),
    join("/x", "waypoint", "update-check.json"),
  );
  assert.equal(
    cacheFilePath(env({ HOME: "/h" }), "linux"),
    join("/h", ".cache", "waypoint", "update-check.json"),
  );
  assert.equal(
    cacheFilePath(env({ HOME: "/h" }), "darwin"),
    join("/h", "Library", "Caches", "waypoint", "update-check.json"),
  );
  assert.equal(
    cacheFilePath(
      env({ LOCALAPPDATA: "C:/L", USERPROFILE: "C:/U" }),
      "windows",
    ),
    join("C:/L", "waypoint", "update-check.json"),
  );
  assert.equal(cacheFilePath(env({}), "linux"), undefined);

  const now = 1_000_000_000_000;
  const ok = {
    checkedAt: now - CHECK_TTL_MS + 1000,
    registry: "r",
    latest: "1.0.0",
  };
  assert.equal(isFresh(ok, "r", now), true);
  assert.equal(isFresh(ok, "other", now), false);
  assert.equal(
    isFresh({ ...ok, checkedAt: now - CHECK_TTL_MS }, "r", now),
    false,
  );
  assert.equal(isFresh({ ...ok, checkedAt: now + 5000 }, "r", now), false);
  const failed = {
    checkedAt: now - FAILED_CHECK_TTL_MS - 1,
    registry: "r",
    latest: null,
  };
  assert.equal(isFresh(failed, "r", now), false);
  assert.equal(isFresh({ ...failed, checkedAt: now - 1000 }, "r", now), true);
});

Deno.test("update-check cache round-trips and tolerates garbage", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "deep", "waypoint", "update-check.json");
    assert.equal(await readCachedCheck(path), undefined);
    const entry = { checkedAt: 5, registry: "https://r/", latest: "1.2.3" };
    await writeCachedCheck(path, entry);
    assert.deepEqual(await readCachedCheck(path), entry);
    assert.deepEqual(await listDir(join(dir, "deep", "waypoint")), [
      "update-check.json",
    ]);
    await Deno.writeTextFile(path, "{not json");
    assert.equal(await readCachedCheck(path), undefined);
    await Deno.writeTextFile(
      path,
      '{"checkedAt":"x","registry":"r","latest":null}',
    );
    assert.equal(await readCachedCheck(path), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HTTP timeout comes from WAYPOINT_HTTP_TIMEOUT_MS", () => {
  assert.equal(httpTimeoutMs(env({ WAYPOINT_HTTP_TIMEOUT_MS: "250" })), 250);
  assert.equal(httpTimeoutMs(env({ WAYPOINT_HTTP_TIMEOUT_MS: "-1" })), 30_000);
  assert.equal(httpTimeoutMs(env({ WAYPOINT_HTTP_TIMEOUT_MS: "1.5" })), 30_000);
  assert.equal(httpTimeoutMs(env({})), 30_000);
});

Deno.test("locating the executable: override, source, npm", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const binary = join(dir, "waypoint");
    await Deno.writeTextFile(binary, "x");
    const link = join(dir, "link");
    await Deno.symlink(binary, link);
    const real = await Deno.realPath(binary);

    const compiled = { execPath: link, standalone: true };
    assert.deepEqual(await locateSelf(env({}), compiled), {
      kind: "binary",
      path: real,
    });
    assert.deepEqual(
      await locateSelf(env({ WAYPOINT_SELF_PATH: link }), {
        execPath: "/usr/bin/deno",
        standalone: false,
      }),
      { kind: "binary", path: real },
    );
    const source = await locateSelf(env({}), {
      execPath: "/usr/lib/node_modules/deno/deno",
      standalone: false,
    });
    assert.equal(source.kind, "source");
    assert.match(
      refusal(source) ?? "",
      /Deno runtime \(\/usr\/lib\/node_modules\/deno\/deno\)/,
    );

    const npmDir = join(dir, "node_modules", "waypoint-codex-linux-x64", "bin");
    await Deno.mkdir(npmDir, { recursive: true });
    await Deno.writeTextFile(join(npmDir, "waypoint"), "x");
    const npm = await locateSelf(env({}), {
      execPath: join(npmDir, "waypoint"),
      standalone: true,
    });
    assert.equal(npm.kind, "npm");
    assert.match(refusal(npm) ?? "", /npm install -g waypoint-codex@latest/);

    await assert.rejects(
      locateSelf(env({ WAYPOINT_SELF_PATH: dir }), compiled),
      /is not a file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("move-aside swap (the Windows strategy) and its cleanup", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = join(dir, "waypoint.exe");
    const staged = join(dir, ".waypoint.exe.upgrade-1.exe");
    await Deno.writeTextFile(target, "old");
    await Deno.writeTextFile(staged, "new");
    await replaceExecutable(staged, target, "move-aside");
    assert.equal(await Deno.readTextFile(target), "new");
    // Here the old file is not running, so it is gone already.
    assert.deepEqual(await listDir(dir), ["waypoint.exe"]);

    await Deno.writeTextFile(join(dir, "waypoint.exe.old-123"), "stale");
    await Deno.writeTextFile(join(dir, "other.old-1"), "keep");
    await cleanupMovedAside(target);
    assert.deepEqual(await listDir(dir), ["other.old-1", "waypoint.exe"]);

    // A failed second rename puts the old file back.
    await assert.rejects(
      replaceExecutable(join(dir, "missing"), target, "move-aside"),
    );
    assert.equal(await Deno.readTextFile(target), "new");
    assert.deepEqual(await listDir(dir), ["other.old-1", "waypoint.exe"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download refuses a binary that is a symlink in the tarball", async () => {
  const dir = await Deno.makeTempDir();
  const script = "#!/bin/sh\necho streamed\n";
  const tarball = await makeTarball([
    { path: "README.md", content: "x".repeat(100_000) },
    { path: "bin/waypoint", content: script, mode: 0o755 },
  ]);
  const linked = await makeTarball([{
    path: "bin/waypoint",
    linkname: "/bin/sh",
  }]);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) =>
      new Response(request.url.endsWith("/link.tgz") ? linked : tarball),
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const request = {
      integrity: sri(linked),
      label: "p@1",
      binaryPath: "bin/waypoint",
      destination: join(dir, "out"),
      tarballFile: join(dir, "out.tgz"),
      headers: {},
      timeoutMs: 5000,
    };
    await Deno.writeTextFile(request.destination, "");
    await assert.rejects(
      downloadBinary({ ...request, url: `${base}/link.tgz` }),
      /bin\/waypoint in p@1 is a symlink, not a file/,
    );
    await downloadBinary({
      ...request,
      url: `${base}/ok.tgz`,
      integrity: sri(tarball),
    });
    assert.equal(await Deno.readTextFile(request.destination), script);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download caps the tarball, the binary and the unpacked size while streaming", async () => {
  const dir = await Deno.makeTempDir();
  const tarball = await makeTarball([
    { path: "README.md", content: "r".repeat(300_000) },
    { path: "bin/waypoint", content: "b".repeat(200_000), mode: 0o755 },
  ]);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(tarball),
  );
  const request = {
    url: `http://127.0.0.1:${server.addr.port}/p.tgz`,
    integrity: sri(tarball),
    label: "p@1",
    binaryPath: "bin/waypoint",
    destination: join(dir, "out"),
    tarballFile: join(dir, "out.tgz"),
    headers: {},
    timeoutMs: 5000,
  };
  const roomy = {
    tarballBytes: 10_000_000,
    binaryBytes: 10_000_000,
    unpackedBytes: 10_000_000,
  };
  // The caller creates the destination (beside the binary it replaces).
  await Deno.writeTextFile(request.destination, "");
  try {
    await assert.rejects(
      downloadBinary({
        ...request,
        limits: { ...roomy, tarballBytes: tarball.length - 1 },
      }),
      /p@1 from .* is larger than .*refusing to download it/,
    );
    await assert.rejects(
      downloadBinary({
        ...request,
        limits: { ...roomy, binaryBytes: 100_000 },
      }),
      /p@1 declares a bin\/waypoint larger than 100000 bytes/,
    );
    await assert.rejects(
      downloadBinary({
        ...request,
        limits: { ...roomy, unpackedBytes: 250_000 },
      }),
      /p@1 unpacks to more than 250000 bytes/,
    );
    await downloadBinary({ ...request, limits: roomy });
    assert.equal((await Deno.stat(request.destination)).size, 200_000);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the total deadline fires even while data keeps arriving", async () => {
  const timer = startIdleTimer(200, 500);
  const touching = setInterval(() => timer.touch(), 50);
  await new Promise((resolve) =>
    timer.signal.addEventListener("abort", resolve)
  );
  clearInterval(touching);
  assert.equal(timer.fired(), "total");
  assert.equal(timer.limitMs(), 500);
  const idle = startIdleTimer(50, 5000);
  await new Promise((resolve) =>
    idle.signal.addEventListener("abort", resolve)
  );
  idle.clear();
  assert.equal(idle.fired(), "idle");
});

Deno.test("credentials in a registry URL are masked and sent as basic auth to its host only", () => {
  assert.equal(
    maskCredentials("at http://alice:pw@host:1/x and https://tok@h/ ok"),
    "at http://***@host:1/x and https://***@h/ ok",
  );
  const registry = chooseRegistry(
    (name) =>
      name === "WAYPOINT_REGISTRY"
        ? "https://alice:p%40ss@r.example/npm"
        : undefined,
    new Map(),
  );
  assert.equal(registry.display, "https://***@r.example/npm/");
  assert.deepEqual(authHeaders(registry, "https://r.example/npm/p/-/p.tgz"), {
    authorization: `Basic ${btoa("alice:p@ss")}`,
  });
  assert.deepEqual(authHeaders(registry, "https://cdn.example/p.tgz"), {});
});

Deno.test({
  ...requires(
    "the version probe is stopped at its limit, with the children it forked",
    posixOnly(),
  ),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const script = join(dir, "waypoint");
      const pidFile = join(dir, "child.pid");
      await Deno.writeTextFile(
        script,
        `#!/bin/sh\nsleep 300 &\necho "$!" > "${pidFile}"\nexec sleep 300\n`,
      );
      await Deno.chmod(script, 0o755);
      await assert.rejects(
        checkReportedVersion(script, "1.2.3", 500),
        /did not print its version within 0\.5 s; it was stopped/,
      );
      const pid = Number((await Deno.readTextFile(pidFile)).trim());
      if (Deno.build.os === "linux") {
        let alive = true;
        for (let n = 0; n < 50 && alive; n++) {
          const stat = await Deno.readTextFile(`/proc/${pid}/stat`).catch(
            () => "",
          );
          alive = stat !== "" && !/\) [ZX] /.test(stat);
          if (alive) await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.ok(!alive, `the forked child ${pid} still runs`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
