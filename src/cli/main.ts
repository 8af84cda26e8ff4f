/**
 * Top-level dispatch: global flags, command lookup with suggestions, and the
 * mapping from thrown errors to one stderr line and an exit code.
 *
 * @module
 */
import { printBlock, printErrorLine, printLine } from "../output.ts";
import { COMMANDS, findCommand } from "./commands.ts";
import { COMMAND_LOADERS } from "./loaders.ts";
import { describeError, UsageError, WaypointError } from "../errors.ts";
import { VERSION } from "../version.ts";

const GLOBAL_HELP =
  `waypoint ${VERSION} — prepare a repository for the Codex coding agent

Usage: waypoint [--version] [--help] <command> [options] [dir]

Commands:
${
    COMMANDS.map((command) => `  ${command.name.padEnd(11)} ${command.summary}`)
      .join("\n")
  }

Without dir, a command works on the nearest folder at or above the current one
that holds .waypoint/config.toml (init: else the top of the git work tree).
Run 'waypoint <command> --help' for a command's options.
Set WAYPOINT_DEBUG=1 to see stack traces for unexpected failures.`;

/** Runs the CLI with `args` and returns the process exit code. */
export async function runMain(args: string[]): Promise<number> {
  try {
    return await dispatch(args);
  } catch (error) {
    return reportFailure(error);
  }
}

async function dispatch(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (
    first === undefined || first === "--help" || first === "-h" ||
    first === "help"
  ) {
    const topic = first === "help" ? rest[0] : undefined;
    const command = topic ? findCommand(topic) : undefined;
    if (topic && !command) throw unknownCommand(topic);
    printBlock(command ? command.help : GLOBAL_HELP, { own: true });
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-V" || first === "version") {
    printLine(VERSION);
    return 0;
  }
  if (first.startsWith("-")) {
    throw new UsageError(`unknown option ${first} (see 'waypoint --help')`);
  }
  const command = findCommand(first);
  if (!command) throw unknownCommand(first);
  if (rest.includes("--help") || rest.includes("-h")) {
    printBlock(command.help, { own: true });
    return 0;
  }
  const load = COMMAND_LOADERS[command.name];
  if (!load) throw new Error(`internal: no loader for ${command.name}`);
  const run = await load();
  return await run(rest);
}

function unknownCommand(name: string): UsageError {
  const suggestion = nearestCommand(name);
  const hint = suggestion ? ` Did you mean '${suggestion}'?` : "";
  return new UsageError(
    `Unknown command: ${name}.${hint} (see 'waypoint --help')`,
  );
}

/** Returns the command name closest to `input`, if any is close enough. */
export function nearestCommand(input: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const { name } of COMMANDS) {
    const distance = editDistance(input.toLowerCase(), name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const prefixMatch = best.name.startsWith(input.toLowerCase()) &&
    input.length >= 2;
  return best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ||
      prefixMatch
    ? best.name
    : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

function reportFailure(error: unknown): number {
  if (
    Deno.env.get("WAYPOINT_DEBUG") === "1" && !(error instanceof UsageError)
  ) {
    printBlock(
      error instanceof Error
        ? error.stack ?? String(error)
        : Deno.inspect(error),
      { stream: "stderr" },
    );
  }
  printErrorLine(`waypoint: ${describeError(error)}`);
  return error instanceof WaypointError ? error.exitCode : 1;
}
