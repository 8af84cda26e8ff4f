/**
 * Argument parsing shared by every command: strict options, at most one
 * `[dir]` positional resolved to an absolute path.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import { UsageError } from "../errors.ts";

/** Option definitions in `node:util` `parseArgs` form. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Parsed values keyed by option name. */
export type OptionValues = Record<string, string | boolean | undefined>;

/** The result of {@link parseCommandArgs}. */
export interface CommandArgs {
  /** Option values; absent boolean flags are `undefined`. */
  values: OptionValues;
  /** The `[dir]` argument resolved to an absolute path (cwd by default). */
  dir: string;
  /** Whether `--help` or `-h` was given. */
  help: boolean;
}

/**
 * Parses `args` for `command`, rejecting unknown options and extra
 * positionals with a {@link UsageError}.
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: OptionSpec,
): CommandArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      `${command}: ${
        parseErrorMessage(error)
      } (see 'waypoint ${command} --help')`,
    );
  }
  const { help, ...values } = parsed.values as OptionValues;
  if (parsed.positionals.length > 1) {
    throw new UsageError(
      `${command}: expected at most one directory, got ${parsed.positionals.length}: ${
        parsed.positionals.join(" ")
      } (see 'waypoint ${command} --help')`,
    );
  }
  const dir = resolve(parsed.positionals[0] ?? ".");
  return { values, dir, help: help === true };
}

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = message.match(/Unknown option '([^']+)'/);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = message.match(/Option '([^']+)' argument missing/);
  if (missing) {
    return `option ${missing[1].replace(/^-\w, /, "")} needs a value`;
  }
  return message.split("\n")[0].replace(/\.$/, "");
}
