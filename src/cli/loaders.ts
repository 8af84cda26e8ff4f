/**
 * The lazy loader of each command module, so that a run only loads the code
 * it needs. Kept apart from the command table, which the modules themselves
 * read: the table imports none of them, and only the entry point imports
 * this.
 *
 * The modules are named in {@link COMMAND_MODULES} and imported through a
 * computed specifier, not a literal `import()`: `deno run` reads and parses
 * every module a literal dynamic import can reach before the first line
 * runs, so `sync` used to read ahead `upgrade`'s and `context`'s code too.
 * `deno compile` cannot see them either, so its tasks pass each as
 * `--include` (see `COMPILE_INCLUDES` in `main.ts`).
 *
 * @module
 */

import type * as Completions from "./completions.ts";
import type * as Context from "./context.ts";
import type * as Doctor from "./doctor.ts";
import type * as Init from "./init.ts";
import type * as Remove from "./remove.ts";
import type * as Sync from "./sync.ts";
import type * as Trust from "./trust.ts";
import type * as Upgrade from "./upgrade.ts";

/** The signature every command module exports as `run`. */
export type CommandRun = (args: string[]) => Promise<number>;

/** A command module: `deno check` fails here if one's `run` does not fit. */
type CommandModule<M extends { run: CommandRun }> = M;
/** Every module {@link COMMAND_MODULES} names, held to {@link CommandModule}. */
export type CommandModules = {
  init: CommandModule<typeof Init>;
  doctor: CommandModule<typeof Doctor>;
  trust: CommandModule<typeof Trust>;
  sync: CommandModule<typeof Sync>;
  context: CommandModule<typeof Context>;
  upgrade: CommandModule<typeof Upgrade>;
  remove: CommandModule<typeof Remove>;
  completions: CommandModule<typeof Completions>;
};

/** Each command's module, by command name, as a path from this file. */
export const COMMAND_MODULES: Readonly<
  Record<keyof CommandModules, string>
> = {
  init: "./init.ts",
  doctor: "./doctor.ts",
  trust: "./trust.ts",
  sync: "./sync.ts",
  context: "./context.ts",
  upgrade: "./upgrade.ts",
  remove: "./remove.ts",
  completions: "./completions.ts",
};

/** Each command's loader, by command name. */
export const COMMAND_LOADERS: Readonly<
  Record<string, () => Promise<CommandRun>>
> = Object.fromEntries(
  Object.entries(COMMAND_MODULES).map(([name, path]) => [
    name,
    async () => {
      const module: { run: CommandRun } = await import(
        new URL(path, import.meta.url).href
      );
      return module.run;
    },
  ]),
);
