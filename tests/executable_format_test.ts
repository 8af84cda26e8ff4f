/**
 * The executable-format check (src/update/executable_format.ts) on real
 * binaries, on the tests' stand-ins, and on every wrong kind of file; and the
 * stand-ins themselves run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  assertExecutableFor,
  type ExecutablePlatform,
  executableProblem,
  identifyExecutable,
} from "../src/update/executable_format.ts";
import { makeTempDir, removeTempDir, runCommand } from "./support/cli.ts";
import {
  hostPlatform,
  nativeStandIn,
  RUNNABLE_PLATFORMS,
  wrongStandIns,
} from "./support/native_standin.ts";
import { linuxOnly, needsRunnerFor, requires } from "./support/requires.ts";

const PLATFORMS: ExecutablePlatform[] = [
  "linux-x64",
  "linux-arm64",
  "darwin-x64",
  "darwin-arm64",
  "windows-x64",
];
const SCRIPT = '#!/bin/sh\necho "$0|$*"\nexit 5\n';

function which(tool: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(join(dir, tool)).isFile) return join(dir, tool);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

Deno.test("the Deno runtime running the tests is an executable for this machine", async () => {
  await assertExecutableFor(
    Deno.execPath(),
    hostPlatform() as ExecutablePlatform,
  );
  const others = PLATFORMS.filter((p) => p !== hostPlatform());
  for (const platform of others) {
    await assert.rejects(
      assertExecutableFor(Deno.execPath(), platform),
      new RegExp(
        `^WaypointError: ${
          Deno.execPath().replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")
        } is not a waypoint binary for ${platform}: it is an? `,
      ),
    );
  }
});

Deno.test("stand-ins pass for their own platform only", () => {
  for (const platform of PLATFORMS) {
    const bytes = nativeStandIn(SCRIPT, platform);
    assert.equal(executableProblem(bytes, bytes.length, platform), undefined);
    const kind = identifyExecutable(bytes, bytes.length);
    assert.equal(`${kind.os}-${kind.arch}`, platform);
    for (const other of PLATFORMS.filter((p) => p !== platform)) {
      assert.ok(executableProblem(bytes, bytes.length, other), other);
    }
  }
});

Deno.test("every wrong kind of file is named as what it is", () => {
  const expected: Record<string, RegExp> = {
    "a shell script":
      /^it is a script \(starts with #!\), not a native executable$/,
    "the wrong CPU":
      /^it is an? (ELF|Mach-O|PE) executable for (arm64|x64), not (x64|arm64)$/,
    "another OS's format":
      /^it is an? (ELF|Mach-O) executable \((linux|darwin)\), not (ELF|Mach-O|PE) for \w+-\w+$/,
    "a cut-off header":
      /^it is truncated: 20 bytes, too short for an? (ELF|Mach-O|DOS) header$/,
    "a cut-off file":
      /^it is truncated: its (ELF segment|Mach-O segment|PE section) ends at byte \d+ but the file has \d+$/,
    "an empty file": /^it is empty$/,
  };
  for (const platform of PLATFORMS) {
    const cases = wrongStandIns(platform, SCRIPT);
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(expected).sort());
    for (const [kind, bytes] of Object.entries(cases)) {
      const problem = executableProblem(bytes, bytes.length, platform);
      assert.match(
        problem ?? "(accepted)",
        expected[kind],
        `${platform}: ${kind}`,
      );
    }
  }
  // Text that is not a script, a 32-bit ELF, a shared-object-less ELF.
  const text = new TextEncoder().encode("hello world, not a program");
  assert.match(
    executableProblem(text, text.length, "linux-x64")!,
    /no ELF, Mach-O or PE header/,
  );
  const elf32 = nativeStandIn(SCRIPT, "linux-x64");
  elf32[4] = 1;
  assert.match(
    executableProblem(elf32, elf32.length, "linux-x64")!,
    /32-bit or big-endian ELF/,
  );
});

for (const platform of RUNNABLE_PLATFORMS) {
  const native = platform === hostPlatform();
  const qemu = platform === "linux-arm64" ? which("qemu-aarch64") : undefined;
  Deno.test({
    ...requires(
      `the ${platform} stand-in runs its script with the arguments`,
      linuxOnly(),
      needsRunnerFor(platform, qemu),
    ),
    async fn() {
      const dir = await makeTempDir();
      try {
        const path = join(dir, "waypoint");
        await Deno.writeFile(path, nativeStandIn(SCRIPT, platform), {
          mode: 0o755,
        });
        const result = native
          ? await runCommand(path, ["a b", "c"])
          : await runCommand(qemu!, [path, "a b", "c"]);
        assert.equal(result.code, 5, result.stderr);
        assert.equal(result.stdout, `${path}|a b c\n`);
      } finally {
        await removeTempDir(dir);
      }
    },
  });
}
