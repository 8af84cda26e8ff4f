/**
 * Argument parsing shared by every command: strict options taken from the
 * command table, and at most one positional (a directory, or a choice).
 * Plain shapes go through the quick parser of `command_args.ts`; the rest
 * through `node:util` `parseArgs`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.ts";
import { type Command, HELP_OPTION } from "./command_spec.ts";
import {
  type CommandArgs,
  finishCommandArgs,
  type OptionValues,
  quickCommandArgs,
  tableCommand,
} from "./command_args.ts";

export type { CommandArgs, OptionValues } from "./command_args.ts";

/** Option definitions in `node:util` `parseArgs` form. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

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
  return quickCommandArgs(name, args) ?? fullCommandArgs(name, args);
}

/** {@link parseCommandArgs} through `node:util` `parseArgs` whatever the shape. */
export function fullCommandArgs(name: string, args: string[]): CommandArgs {
  const command = tableCommand(name);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: optionSpec(command),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `${name}: ${parseErrorMessage(error)} (see 'waypoint ${name} --help')`,
    );
  }
  return finishCommandArgs(
    command,
    parsed.values as OptionValues,
    parsed.positionals,
  );
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
