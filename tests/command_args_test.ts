/**
 * A differential test of the quick argument parser against `node:util`
 * `parseArgs` (through `fullCommandArgs`): for every command of the table,
 * generated argument lists mixing its options, unknown ones, short ones,
 * `--`, `=` values and operands. Wherever the quick parser answers, the
 * full one must give the same result, or the same usage error.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { HELP_OPTION } from "../src/cli/command_spec.ts";
import { quickCommandArgs } from "../src/cli/command_args.ts";
import { fullCommandArgs, parseCommandArgs } from "../src/cli/args.ts";

type Outcome = { ok: unknown } | { error: string };

function outcome(parse: () => unknown): Outcome {
  try {
    return { ok: parse() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

Deno.test("the quick parser agrees with node:util parseArgs wherever it answers", () => {
  const random = seededRandom(11);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)];
  let answered = 0;
  let declined = 0;
  for (const command of COMMANDS) {
    const options = [...command.options, HELP_OPTION];
    const words = [
      ...options.flatMap((option) => [
        `--${option.name}`,
        `--${option.name}=`,
        `--${option.name}=v=w`,
        ...(option.short ? [`-${option.short}`] : []),
      ]),
      ...(command.operand?.choices ?? []),
      "dir",
      "./a b",
      "",
      "-",
      "--",
      "-x",
      "--nope",
      "--nope=1",
      "-v",
      "value",
      "-value",
    ];
    for (let trial = 0; trial < 800; trial++) {
      const args = Array.from(
        { length: Math.floor(random() * 5) },
        () => pick(words),
      );
      const quick = outcome(() => quickCommandArgs(command.name, args));
      const full = outcome(() => fullCommandArgs(command.name, args));
      const what = `${command.name} ${JSON.stringify(args)}`;
      if ("ok" in quick && quick.ok === undefined) {
        declined++;
        continue;
      }
      answered++;
      assertEquals(quick, full, what);
      assertEquals(outcome(() => parseCommandArgs(command.name, args)), full);
    }
  }
  // Both paths were exercised.
  assertEquals(
    answered > 500 && declined > 500,
    true,
    `${answered}/${declined}`,
  );
});

Deno.test("the quick parser answers the shapes the commands are run with", () => {
  for (
    const [name, args] of [
      ["context", ["--hook"]],
      ["context", ["--thread-id", "abc", "--json"]],
      ["context", ["dir", "--thread-id=abc"]],
      ["sync", []],
      ["init", ["--app-friendly", "."]],
    ] as const
  ) {
    const quick = quickCommandArgs(name, [...args]);
    assertEquals(quick, fullCommandArgs(name, [...args]), `${name} ${args}`);
  }
});
