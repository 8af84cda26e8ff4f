/**
 * What a command's arguments mean once parsed, and a quick parser for the
 * plain shapes commands are run with (`--flag`, `--name value`,
 * `--name=value`, one operand). Anything else is left to `args.ts`, which
 * runs `node:util` `parseArgs`: the first `node:` import of a run boots
 * Deno's Node compatibility layer, and the session hook, run at every
 * session start as `context --hook`, needs nothing else from it.
 * `tests/command_args_test.ts` checks that both parsers agree wherever the
 * quick one answers.
 *
 * @module
 */
import { resolve } from "../path.ts";
import { UsageError } from "../errors.ts";
import { type Command, HELP_OPTION } from "./command_spec.ts";
import { findCommand } from "./commands.ts";
import { currentDir } from "./root.ts";

/** Parsed values keyed by option name. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** The result of parsing a command's arguments. */
export interface CommandArgs {
  /** Option values; absent boolean flags are `undefined`. */
  values: OptionValues;
  /** The `[dir]` argument resolved to an absolute path, when one was given. */
  dir?: string;
  /** The positional argument as typed, when one was given. */
  operand?: string;
  /** Whether `--help` or `-h` was given. */
  help: boolean;
}

/** The command named `name` in the table; a missing one is a bug. */
export function tableCommand(name: string): Command {
  const command = findCommand(name);
  if (!command) throw new Error(`internal: no command ${name} in the table`);
  return command;
}

/**
 * Parses `args` for the command `name` when every argument is a long option
 * of the command (a flag, or one taking a value that does not start with
 * `-`) or a plain operand; `undefined` for any other shape, which the full
 * parser then reads (and rejects with its own message when it must).
 */
export function quickCommandArgs(
  name: string,
  args: readonly string[],
): CommandArgs | undefined {
  const command = tableCommand(name);
  const takesValue = new Map<string, boolean>();
  for (const option of [...command.options, HELP_OPTION]) {
    takesValue.set(option.name, option.value !== undefined);
  }
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") return undefined;
    const equals = arg.indexOf("=");
    const option = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const string = takesValue.get(option);
    if (string === undefined) return undefined;
    if (!string) {
      if (equals !== -1) return undefined;
      values[option] = true;
    } else if (equals !== -1) {
      values[option] = arg.slice(equals + 1);
    } else {
      const next = args[index + 1];
      if (next === undefined || next.startsWith("-")) return undefined;
      values[option] = next;
      index++;
    }
  }
  return finishCommandArgs(command, values, positionals);
}

/**
 * Turns parsed options and positionals into {@link CommandArgs}, rejecting
 * extra positionals and choices outside the table with a {@link UsageError}.
 */
export function finishCommandArgs(
  command: Command,
  parsed: OptionValues,
  positionals: readonly string[],
): CommandArgs {
  const name = command.name;
  const see = `(see 'waypoint ${name} --help')`;
  const { help, ...values } = parsed;
  const operand = command.operand;
  const limit = operand ? 1 : 0;
  if (positionals.length > limit) {
    const expected = operand
      ? `at most one ${operand.kind === "dir" ? "directory" : operand.name}`
      : "no arguments";
    throw new UsageError(
      `${name}: expected ${expected}, got ${positionals.length}: ${
        positionals.join(" ")
      } ${see}`,
    );
  }
  const given = positionals[0];
  if (operand?.kind === "choice" && help !== true) {
    if (given === undefined && !operand.optional) {
      throw new UsageError(
        `${name}: expected one of ${operand.choices!.join(", ")} ${see}`,
      );
    }
    if (given !== undefined && !operand.choices!.includes(given)) {
      throw new UsageError(
        `${name}: unknown ${operand.name} '${given}': expected one of ${
          operand.choices!.join(", ")
        } ${see}`,
      );
    }
  }
  return {
    values,
    dir: operand?.kind === "dir" && given !== undefined
      ? resolve(currentDir(), given)
      : undefined,
    operand: given,
    help: help === true,
  };
}
