/**
 * `waypoint completions`: the bash script is loaded into a real bash and
 * driven the way bash drives it (COMP_WORDS / COMP_CWORD, then `_waypoint`);
 * every script covers every command and option of the table.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  removeTempDir,
  runCli,
  runCommand,
} from "./support/cli.ts";
import { COMMANDS, SHELLS } from "../src/cli/commands.ts";
import { needsFish, requires } from "./support/requires.ts";

/** Loads `script` in a clean bash, completes `words` (cursor on the last) and returns COMPREPLY. */
async function complete(
  script: string,
  words: string[],
  cwd: string,
): Promise<{ registration: string; replies: string[] }> {
  const scriptPath = join(cwd, "waypoint.bash");
  await Deno.writeTextFile(scriptPath, script);
  const driver = `source ${JSON.stringify(scriptPath)} || exit 3
complete -p waypoint || exit 4
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
_waypoint waypoint "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await runCommand(
    "bash",
    ["--norc", "--noprofile", "-c", driver, "bash", ...words],
    { cwd },
  );
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  const [registration, ...replies] = result.stdout.split("\n");
  return { registration, replies: replies.filter((line) => line !== "") };
}

Deno.test("the bash completion loads in a real bash and completes commands, options, folders and shells", async () => {
  const dir = await makeTempDir();
  try {
    const generated = await runCli(["completions", "bash"]);
    assertEquals(generated.code, 0, generated.stderr);
    const script = generated.stdout;
    await Deno.mkdir(join(dir, "src dir"));
    await Deno.mkdir(join(dir, "spare"));
    await Deno.writeTextFile(join(dir, "src-file.txt"), "not a folder");

    const command = await complete(script, ["waypoint", "do"], dir);
    assertEquals(command.registration, "complete -F _waypoint waypoint");
    assertEquals(command.replies, ["doctor"]);

    const all = await complete(script, ["waypoint", ""], dir);
    for (const { name } of COMMANDS) assert(all.replies.includes(name), name);

    const option = await complete(script, ["waypoint", "init", "--dr"], dir);
    assertEquals(option.replies, ["--dry-run"]);
    const json = await complete(script, ["waypoint", "sync", "--"], dir);
    assertEquals(json.replies, ["--json", "--help"]);
    const threadValue = await complete(
      script,
      ["waypoint", "context", "--thread-id", ""],
      dir,
    );
    assertEquals(threadValue.replies, [], "an option's value is not a folder");

    const folders = await complete(script, ["waypoint", "doctor", "s"], dir);
    assertEquals(folders.replies.sort(), ["spare", "src dir"]);

    const shells = await complete(script, ["waypoint", "completions", ""], dir);
    assertEquals(shells.replies, [...SHELLS]);
    const help = await complete(script, ["waypoint", "help", "up"], dir);
    assertEquals(help.replies, ["upgrade"]);
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test("every completion script names every command and every option of the table", async () => {
  for (const shell of SHELLS) {
    const result = await runCli(["completions", shell]);
    assertEquals(result.code, 0, `${shell}: ${result.stderr}`);
    for (const command of COMMANDS) {
      assert(result.stdout.includes(command.name), `${shell}: ${command.name}`);
      for (const option of command.options) {
        const spelled = shell === "fish"
          ? `-l ${option.name}`
          : `--${option.name}`;
        assert(
          result.stdout.includes(spelled),
          `${shell}: ${command.name} ${spelled}`,
        );
      }
    }
  }
  const bash = await runCli(["completions", "bash"]);
  const syntax = await runCommand("bash", ["-n", "-c", bash.stdout]);
  assertEquals(syntax.code, 0, syntax.stderr);
});

Deno.test("completions needs one known shell", async () => {
  const missing = await runCli(["completions"]);
  assertEquals(missing.code, 2);
  assertMatch(
    missing.stderr,
    /completions: expected one of bash, zsh, fish, powershell/,
  );
  const unknown = await runCli(["completions", "tcsh"]);
  assertEquals(unknown.code, 2);
  assertMatch(unknown.stderr, /unknown shell 'tcsh'/);
  assertEquals(unknown.stderr.trim().split("\n").length, 1);
  const extra = await runCli(["completions", "bash", "zsh"]);
  assertEquals(extra.code, 2);
});

Deno.test("every option in the table is accepted by its command's parser", async () => {
  const { parseCommandArgs } = await import("../src/cli/args.ts");
  for (const command of COMMANDS) {
    for (const option of command.options) {
      const args = option.value
        ? [`--${option.name}`, "x"]
        : [`--${option.name}`];
      if (command.operand?.kind === "choice") {
        args.push(command.operand.choices![0]);
      }
      const parsed = parseCommandArgs(command.name, args);
      assert(
        parsed.values[option.name] !== undefined,
        `${command.name} --${option.name}`,
      );
    }
  }
});

Deno.test({
  ...requires(
    "the fish completion completes a command and an option (where fish is installed)",
    needsFish(),
  ),
  fn: async () => {
    const dir = await makeTempDir();
    try {
      const script = (await runCli(["completions", "fish"])).stdout;
      const path = join(dir, "waypoint.fish");
      await Deno.writeTextFile(path, script);
      const result = await runCommand("fish", [
        "--no-config",
        "-c",
        `source ${path}; complete -C'waypoint do'; complete -C'waypoint init --dr'`,
      ]);
      assertEquals(result.code, 0, result.stderr);
      assertEquals(
        result.stdout.split("\n").map((line) => line.split("\t")[0]),
        ["doctor", "--dry-run", ""],
      );
    } finally {
      await removeTempDir(dir);
    }
  },
});
