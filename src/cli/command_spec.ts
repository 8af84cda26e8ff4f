/**
 * What a command's table entry is made of (options, operand, help pieces)
 * and how its `--help` text is rendered from them. The table itself is in
 * `commands.ts`; the parser, `--help` and the completions read both.
 *
 * @module
 */

/** One option of a command. */
export interface OptionDef {
  /** Long name without the dashes, e.g. `dry-run`. */
  name: string;
  /** One-letter alias without the dash, if any. */
  short?: string;
  /** Placeholder shown in help for an option that takes a value, e.g. `ID`. */
  value?: string;
  /** One line (may wrap) for the help text. */
  description: string;
}

/** The positional argument a command takes. */
export interface Operand {
  /** Placeholder shown in usage, e.g. `dir`. */
  name: string;
  /** `dir`: a directory (completed as one); `choice`: one of `choices`. */
  kind: "dir" | "choice";
  /** The accepted words for a `choice` operand. */
  choices?: readonly string[];
  /** Whether the operand may be left out. */
  optional: boolean;
}

/** One entry of the command table. */
export interface Command {
  /** The command word, e.g. `init`. */
  name: string;
  /** One line for the global help. */
  summary: string;
  /** The positional argument, if the command takes one. */
  operand?: Operand;
  /** Every option except `--help`, which all commands accept. */
  options: readonly OptionDef[];
  /** Full help printed by `waypoint <name> --help`. */
  help: string;
}

/** The `--help` option every command accepts. */
export const HELP_OPTION: OptionDef = {
  name: "help",
  short: "h",
  description: "Show this help",
};

/** The optional `dir` operand most commands take: the repository to work on. */
export const DIR_OPERAND: Operand = {
  name: "dir",
  kind: "dir",
  optional: true,
};

/** The `--json` option, printing `what` as one JSON document. */
export const JSON_OPTION = (what: string): OptionDef => ({
  name: "json",
  description: `Print ${what} as one JSON document (shape below)`,
});

/**
 * The first line of a command's JSON section: where its JSON Schema lives
 * and what the leading "schema" number promises.
 */
export const jsonHeading = (name: string): string =>
  `JSON output (--json), described by schema/v1/${name}.json in the waypoint
repository. "schema" comes first; it is raised only by a change that can break
a reader (a key renamed, removed or retyped), never for an added key:`;

/** The pieces a command's help is made of. */
export interface CommandSpec {
  name: string;
  summary: string;
  operand?: Operand;
  options: readonly OptionDef[];
  /** What the command does, shown after the usage line. */
  description: string;
  /** Further sections (JSON output, Environment, Examples), verbatim. */
  sections: string;
}

/** Renders `--help` text from a command's table entry. */
export function renderHelp(spec: CommandSpec): string {
  const operand = spec.operand
    ? spec.operand.optional
      ? ` [${spec.operand.name}]`
      : ` <${
        spec.operand.kind === "choice"
          ? spec.operand.choices!.join("|")
          : spec.operand.name
      }>`
    : "";
  const options = [...spec.options, HELP_OPTION].map((option) => {
    const flag = `${option.short ? `-${option.short}, ` : ""}--${option.name}${
      option.value ? ` ${option.value}` : ""
    }`;
    const [first, ...rest] = option.description.split("\n");
    return [
      `  ${flag.padEnd(20)} ${first}`,
      ...rest.map((line) => `  ${"".padEnd(20)} ${line}`),
    ].join("\n");
  });
  return [
    `Usage: waypoint ${spec.name}${operand}${
      spec.options.length ? " [options]" : ""
    }`,
    "",
    spec.description,
    "",
    "Options:",
    ...options,
    ...(spec.sections ? ["", spec.sections] : []),
  ].join("\n");
}

/**
 * Makes a table entry from its pieces; the help text is rendered the first
 * time it is read.
 */
export function defineCommand(spec: CommandSpec): Command {
  let help: string | undefined;
  return {
    name: spec.name,
    summary: spec.summary,
    operand: spec.operand,
    options: spec.options,
    // Rendered on first read: every run loads the table, few print a help.
    get help() {
      return help ??= renderHelp(spec);
    },
  };
}
