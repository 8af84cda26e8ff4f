/**
 * Every ignored test says why and how to turn it on: the requirement
 * helpers' reasons, the names {@link requires} makes, what `deno test`
 * prints for them, and a scan of the test files for an `ignore` set any
 * other way.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempDir, PROJECT_ROOT, removeTempDir } from "./support/cli.ts";
import {
  linuxOnly,
  needsActionlint,
  needsDash,
  needsDenoRun,
  needsDownloader,
  needsNativeRelease,
  needsNonRoot,
  needsRegistryFixture,
  needsRoot,
  needsRunnerFor,
  needsTool,
  posixOnly,
  requires,
} from "./support/requires.ts";

const REQUIRES_TS = new URL("./support/requires.ts", import.meta.url).href;

/**
 * Lines of `source` that set a test's `ignore` themselves: the key
 * (quoted, shorthand or not) or a call of Deno.test's own ignore method.
 * The patterns are built from pieces so that this file does not match
 * itself.
 */
function ignoreSites(source: string): number[] {
  const word = "ig" + "nore";
  const patterns = [
    new RegExp(`\\b${word}\\s*:`, "g"),
    new RegExp(`["']${word}["']\\s*:`, "g"),
    new RegExp(`[{,]\\s*${word}\\s*[,}]`, "g"),
    new RegExp(`\\.${word}\\s*\\(`, "g"),
  ];
  const lines = new Set<number>();
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      lines.add(source.slice(0, match.index).split("\n").length);
    }
  }
  return [...lines].sort((a, b) => a - b);
}

Deno.test("the scan finds an ignore that requires() did not make", () => {
  const word = "ig" + "nore";
  assert.deepEqual(ignoreSites(`Deno.test({\n  name: "x",\n  ${word}: true,`), [
    3,
  ]);
  assert.deepEqual(ignoreSites(`const skip = { "${word}": true };`), [1]);
  assert.deepEqual(ignoreSites(`t.step({ name, ${word}, fn });`), [1]);
  assert.deepEqual(ignoreSites(`Deno.test.${word}("x", () => {});`), [1]);
  assert.deepEqual(
    ignoreSites(
      `Deno.test({ ...requires("x", posixOnly()), fn });\n// .git${word}: fine`,
    ),
    [],
  );
});

Deno.test("every ignore in tests/*_test.ts comes from requires()", async () => {
  const tests = join(PROJECT_ROOT, "tests");
  const offenders: string[] = [];
  let files = 0;
  for await (const entry of Deno.readDir(tests)) {
    if (!entry.isFile || !entry.name.endsWith("_test.ts")) continue;
    files++;
    const source = await Deno.readTextFile(join(tests, entry.name));
    for (const line of ignoreSites(source)) {
      offenders.push(`tests/${entry.name}:${line}`);
    }
  }
  assert.ok(files > 10, `only ${files} test files found in ${tests}`);
  assert.deepEqual(
    offenders,
    [],
    "set ignore with ...requires(name, needs…()) from tests/support/requires.ts, " +
      "so the ignored line says why and how to turn the test on",
  );
});

Deno.test("requires(): the name is kept when nothing is missing", () => {
  for (const options of [requires("a test"), requires("a test", undefined)]) {
    assert.equal(options.name, "a test");
    assert.equal(options.ignore, false);
  }
});

Deno.test("requires(): a missing requirement ignores the test and names why", () => {
  const options = requires(
    "a test",
    "needs fish (apt-get install fish)",
    undefined,
    "POSIX only (run on Linux or macOS)",
    "needs fish (apt-get install fish)",
  );
  assert.equal(
    options.name,
    "a test [ignored: needs fish (apt-get install fish); POSIX only (run on Linux or macOS)]",
  );
  assert.equal(options.ignore, true);
});

Deno.test("needsTool(): a missing tool gives its install command, a present one nothing", () => {
  assert.equal(
    needsTool("waypoint-no-such-tool", "apt-get install no-such-tool"),
    "needs waypoint-no-such-tool (apt-get install no-such-tool)",
  );
  assert.equal(needsTool("sh", "apt-get install dash"), undefined);
  const nowhere = () => undefined;
  const everywhere = (tool: string) => `/usr/bin/${tool}`;
  assert.equal(needsDash(nowhere), "needs dash (apt-get install dash)");
  assert.equal(needsDash(everywhere), undefined);
  assert.equal(
    needsActionlint(nowhere),
    "needs actionlint (deno run -A tests/support/actionlint.ts)",
  );
  assert.equal(needsActionlint(everywhere), undefined);
  assert.equal(
    needsDownloader(undefined, nowhere),
    "needs curl or wget (apt-get install curl)",
  );
  assert.equal(
    needsDownloader(undefined, (tool) => tool === "wget" ? "/w" : undefined),
    undefined,
  );
  assert.equal(
    needsDownloader("wget", nowhere),
    "needs wget (apt-get install wget)",
  );
  assert.equal(needsDownloader("curl", everywhere), undefined);
});

Deno.test("the other requirements say what is missing and how to get it", () => {
  assert.equal(
    needsRegistryFixture(() => false),
    "needs the registry fixture ((cd tests/fixtures/registry && npm ci))",
  );
  assert.equal(needsRegistryFixture(() => true), undefined);
  assert.equal(
    needsNonRoot(() => 0),
    "needs a non-root user (run the tests as an ordinary user)",
  );
  assert.equal(needsNonRoot(() => 1000), undefined);
  assert.equal(needsNonRoot(() => null), undefined);
  assert.equal(needsRoot(() => 0), undefined);
  assert.match(needsRoot(() => 1000)!, /^needs root \(/);
  assert.equal(posixOnly("windows"), "POSIX only (run on Linux or macOS)");
  assert.equal(posixOnly("linux"), undefined);
  assert.equal(linuxOnly("darwin"), "Linux only");
  assert.equal(linuxOnly("linux"), undefined);
  const binUnderTest =
    "needs `deno run main.ts`, but WAYPOINT_BIN=/b is under test";
  assert.equal(
    needsDenoRun(() => binUnderTest),
    `${binUnderTest} (unset WAYPOINT_BIN)`,
  );
  assert.equal(needsDenoRun(() => undefined), undefined);
  assert.equal(needsRunnerFor("linux-x64", undefined, "linux-x64"), undefined);
  assert.equal(
    needsRunnerFor("linux-arm64", undefined, "linux-x64"),
    "needs qemu-aarch64 (apt-get install qemu-user, or run on arm64 Linux)",
  );
  assert.equal(
    needsRunnerFor("linux-arm64", "/usr/bin/qemu-aarch64", "linux-x64"),
    undefined,
  );
  assert.equal(
    needsRunnerFor("linux-x64", undefined, "linux-arm64"),
    "needs a linux-x64 machine",
  );
  assert.equal(
    needsNativeRelease(() => undefined),
    "needs WAYPOINT_EXPECT_NATIVE=1 with a compiled binary (deno task compile, " +
      "then WAYPOINT_BIN=dist/waypoint WAYPOINT_EXPECT_NATIVE=1 deno task test)",
  );
  assert.equal(needsNativeRelease(() => "1"), undefined);
});

/** Runs `deno test` on `source` in `dir` with only `pathDir` on PATH. */
async function denoTest(dir: string, source: string, pathDir: string) {
  const file = join(dir, "probe_test.ts");
  await Deno.writeTextFile(file, source);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", file],
    cwd: dir,
    env: { PATH: pathDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    out: decode(output.stdout) + decode(output.stderr),
  };
}

Deno.test("deno test prints the reason on the ignored line, and nothing when the tool is there", async () => {
  const dir = await makeTempDir("waypoint-requires-");
  try {
    const source =
      `import { needsFish, needsShellcheck, requires } from "${REQUIRES_TS}";
Deno.test({ ...requires("fish completes", needsFish()), fn() {} });
Deno.test("steps", async (t) => {
  await t.step({ ...requires("shellcheck passes", needsShellcheck()), fn() {} });
});
`;
    const empty = join(dir, "empty");
    await Deno.mkdir(empty);
    const missing = await denoTest(dir, source, empty);
    assert.equal(missing.code, 0, missing.out);
    assert.match(
      missing.out,
      /^fish completes \[ignored: needs fish \(apt-get install fish\)\] \.\.\. ignored/m,
    );
    assert.match(
      missing.out,
      /shellcheck passes \[ignored: needs shellcheck \(apt-get install shellcheck\)\] \.\.\. ignored/,
    );

    const tools = join(dir, "tools");
    await Deno.mkdir(tools);
    for (const tool of ["fish", "shellcheck"]) {
      await Deno.writeTextFile(join(tools, tool), "#!/bin/sh\n", {
        mode: 0o755,
      });
    }
    const present = await denoTest(dir, source, tools);
    assert.equal(present.code, 0, present.out);
    assert.match(present.out, /^fish completes \.\.\. ok/m);
    assert.match(present.out, /shellcheck passes \.\.\. ok/);
    assert.doesNotMatch(present.out, /ignored:|needs /);
  } finally {
    await removeTempDir(dir);
  }
});
