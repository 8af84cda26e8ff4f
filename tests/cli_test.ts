import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  pathExists,
  PROJECT_ROOT,
  runCli,
  runCommand,
  withTempRepo,
} from "./support/cli.ts";
import { VERSION } from "../src/version.ts";
import { COMMANDS } from "../src/cli/commands.ts";

Deno.test("--version prints the version from deno.json", async () => {
  const result = await runCli(["--version"]);
  assertEquals(result.code, 0);
  assertEquals(result.stdout.trim(), VERSION);
  const denoJson = JSON.parse(
    await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
  );
  assertEquals(VERSION, denoJson.version);
});

Deno.test("--help lists every command", async () => {
  const result = await runCli(["--help"]);
  assertEquals(result.code, 0);
  for (const command of COMMANDS) {
    assert(result.stdout.includes(command.name), command.name);
  }
});

Deno.test("no arguments prints help and exits 2", async () => {
  const result = await runCli([]);
  assertEquals(result.code, 2);
  assert(result.stdout.includes("Usage: waypoint"));
});

Deno.test("each command has --help", async () => {
  for (const command of COMMANDS) {
    const result = await runCli([command.name, "--help"]);
    assertEquals(result.code, 0, command.name);
    assert(
      result.stdout.startsWith(`Usage: waypoint ${command.name}`),
      result.stdout,
    );
  }
});

Deno.test("a mistyped command gets a suggestion and exit 2", async () => {
  const result = await runCli(["doctr"]);
  assertEquals(result.code, 2);
  assertMatch(
    result.stderr,
    /Unknown command: doctr\. Did you mean 'doctor'\?/,
  );
  assertEquals(result.stderr.trim().split("\n").length, 1);
  const far = await runCli(["zzzzzz"]);
  assertEquals(far.code, 2);
  assert(!far.stderr.includes("Did you mean"), far.stderr);
});

Deno.test("unknown options are rejected with exit 2 and one line", async () => {
  for (
    const args of [["init", "--bogus"], ["doctor", "--jsn"], ["--nope"], [
      "sync",
      "a",
      "b",
    ]]
  ) {
    const result = await runCli(args);
    assertEquals(result.code, 2, args.join(" "));
    assertEquals(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert(!result.stderr.includes("    at "), "no stack trace");
  }
  const result = await runCli(["init", "--bogus"]);
  assertMatch(result.stderr, /unknown option --bogus/);
});

Deno.test("each command's --help lists every option of the table, and the operand", async () => {
  for (const command of COMMANDS) {
    const result = await runCli(["help", command.name]);
    assertEquals(result.code, 0, command.name);
    for (const option of command.options) {
      assertMatch(
        result.stdout,
        new RegExp(`^  (-${option.short}, )?--${option.name}\\b`, "m"),
      );
    }
    if (command.operand) {
      assert(
        result.stdout.split("\n")[0].includes(
          command.operand.kind === "dir"
            ? `[${command.operand.name}]`
            : command.operand.choices!.join("|"),
        ),
        result.stdout,
      );
    }
  }
});

Deno.test("a command without an operand refuses one, and an option's missing value is named", async () => {
  const extra = await runCli(["completions", "bash", "zsh"]);
  assertEquals(extra.code, 2);
  assertMatch(extra.stderr, /expected at most one shell, got 2/);
  const missing = await runCli(["context", "--thread-id"]);
  assertEquals(missing.code, 2);
  assertMatch(missing.stderr, /option --thread-id needs a value/);
});

Deno.test("deno task waypoint runs the checkout's CLI in the caller's folder", async () => {
  await withTempRepo(async (dir) => {
    const result = await runCommand(Deno.execPath(), [
      "task",
      "--quiet",
      "--config",
      join(PROJECT_ROOT, "deno.json"),
      "waypoint",
      "init",
    ], {
      cwd: dir,
      // A user's shell: an outer `deno task` would pass its INIT_CWD on.
      env: Object.fromEntries(
        Object.entries(Deno.env.toObject()).filter(([key]) =>
          key !== "INIT_CWD"
        ),
      ),
      clearEnv: true,
    });
    assertEquals(result.code, 0, result.stderr);
    assert(await pathExists(join(dir, "AGENTS.md")));
    // Not in the checkout the task came from.
    assert(!(await pathExists(join(PROJECT_ROOT, ".waypoint"))));
  });
});
