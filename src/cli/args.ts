/**
 * Argument parsing shared by every command: strict options taken from the
 * command table, and at most one positional (a directory, or a choice).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { type Command, findCommand, HELP_OPTION } from "./commands.ts";
import { currentDir } from "./root.ts";

/** Option definitions in `node:util` `parseArgs` form. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed values keyed by option name. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** The result of {@link parseCommandArgs}. */
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

/** The `parseArgs` option spec for a command of the table. */
export function optionSpec(command: Command): OptionSpec {
  const spec: OptionSpec = {};
  for (const option of [...command.options, HELP_OPTION]) {
    spec[option.name] = {
      type: option.value ? "string" : "boolean",
      ...(option.short ? { short: option.short } : {}),
    };
  }
  return spec;
}

/**
 * Parses `args` for the command named `name`, rejecting unknown options,
 * extra positionals and choices outside the table with a {@link UsageError}.
 */
export function parseCommandArgs(name: string, args: string[]): CommandArgs {
  const command = findCommand(name);
  if (!command) throw new Error(`internal: no command ${name} in the table`);
  const see = `(see 'waypoint ${name} --help')`;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: optionSpec(command),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${name}: ${parseErrorMessage(error)} ${see}`);
  }
  const { help, ...values } = parsed.values as OptionValues;
  const operand = command.operand;
  const limit = operand ? 1 : 0;
  if (parsed.positionals.length > limit) {
    const expected = operand
      ? `at most one ${operand.kind === "dir" ? "directory" : operand.name}`
      : "no arguments";
    throw new UsageError(
      `${name}: expected ${expected}, got ${parsed.positionals.length}: ${
        parsed.positionals.join(" ")
      } ${see}`,
    );
  }
  const given = parsed.positionals[0];
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
    // Naming the current folder spares node:path loading `process` to ask
    // for it: 13 ms on the first relative path of every run.
    dir: operand?.kind === "dir" && given !== undefined
      ? resolve(currentDir(), given)
      : undefined,
    operand: given,
    help: help === true,
  };
}

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = message.match(/Option '([^']+)' argument missing/);
  if (missing) {
    const flag = missing[1].replace(/^-\w, /, "").replace(/ <value>$/, "");
    return `option ${flag} needs a value`;
  }
  return message.split("\n")[0].replace(/\.$/, "");
}
