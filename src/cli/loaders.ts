/**
 * The lazy loader of each command module, so that a run only loads the code
 * it needs. Kept apart from the command table, which the modules themselves
 * read: the table imports none of them, and only the entry point imports
 * this.
 *
 * @module
 */

/** The signature every command module exports as `run`. */
export type CommandRun = (args: string[]) => Promise<number>;

/** Each command's loader, by command name. */
export const COMMAND_LOADERS: Readonly<
  Record<string, () => Promise<CommandRun>>
> = {
  init: async () => (await import("./init.ts")).run,
  doctor: async () => (await import("./doctor.ts")).run,
  trust: async () => (await import("./trust.ts")).run,
  sync: async () => (await import("./sync.ts")).run,
  context: async () => (await import("./context.ts")).run,
  upgrade: async () => (await import("./upgrade.ts")).run,
  remove: async () => (await import("./remove.ts")).run,
  completions: async () => (await import("./completions.ts")).run,
};
