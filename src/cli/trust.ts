/**
 * `waypoint trust [dir] [--dry-run]`: records in the user's Codex config
 * (`$CODEX_HOME/config.toml`) that Codex may load the project's `.codex/`
 * and run waypoint's SessionStart hook. Only ever run by hand: it edits a
 * file outside the repository. The edit is textual (the two keys are added
 * or set, nothing else moves), proven by parsing before and after, written
 * atomically, and repeated runs change nothing.
 *
 * @module
 */
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { parseCommandArgs } from "./args.ts";
import { printLines } from "../output.ts";
import { printReport } from "./json_report.ts";
import { existingRoot } from "./root.ts";
import { sameJson } from "../same_json.ts";
import { parseToml } from "../config.ts";
import { WaypointError } from "../errors.ts";
import { replaceFileAtomically } from "../fs/atomic.ts";
import { findTrustEntry } from "../doctor/codex_project_rules.ts";
import {
  codexUserConfigPath,
  realRoot,
  trustRoot,
} from "../doctor/codex_user_config.ts";
import { hookTrustState, locateWaypointHook } from "../doctor/hook_trust.ts";
import {
  applyTomlStringEdits,
  tomlHeader,
  type TomlStringEdit,
} from "../toml_patch.ts";
import { Repo } from "../fs/mod.ts";

/** The `trust --json` document. */
export interface TrustReport {
  command: "trust";
  /** The repository, as found. */
  root: string;
  /** The path Codex's trust entry names (the repository's real path). */
  project: string;
  /** The Codex user config, as named (`$CODEX_HOME/config.toml`). */
  config: string;
  /** The file written, or that would be: the config, or what its link points to. */
  target: string;
  dryRun: boolean;
  /** Whether the config was written (never on a dry run). */
  changed: boolean;
  /** Whether the repository has waypoint's SessionStart hook to trust. */
  hook: boolean;
  /** The keys set (or that would be), each in its TOML table. */
  edits: { table: string[]; key: string; value: string }[];
  /** Sentences about what was left alone and why. */
  notes: string[];
}

/** Runs `waypoint trust`. */
export async function run(args: string[]): Promise<number> {
  const { values, dir: given } = parseCommandArgs("trust", args);
  const dryRun = values["dry-run"] === true;
  const json = values.json === true;
  const { root: found, cwd } = existingRoot(given);
  const root = resolve(cwd, found);
  const repo = Repo.open(root);
  const named = codexUserConfigPath();
  const { path, via } = followLink(named);
  const before = readConfig(path, named);

  const edits: TomlStringEdit[] = [];
  const lines: string[] = [];
  const project = realRoot(trustRoot(root));
  const entry = findTrustEntry(before, [...new Set([project, root])]);
  if (entry === undefined) {
    edits.push({
      table: ["projects", project],
      key: "trust_level",
      value: "trusted",
    });
  } else if (entry.level !== "trusted") {
    // The user said no to this project: its hook is not waypoint's to trust either.
    throw new WaypointError(
      `${named}:${entry.line} marks ${project} as trust_level = "${entry.level}", and waypoint leaves that as you set it; nothing was written. Change it to "trusted" yourself, then run 'waypoint trust' again`,
    );
  }
  const hook = await locateWaypointHook(repo);
  const targets = hook
    ? await Promise.all(
      namesOf(root, cwd, given === undefined).map((base) =>
        locateWaypointHook(repo, base)
      ),
    )
    : [];
  if (!hook) {
    lines.push(
      `No waypoint SessionStart hook in ${root}/.codex/hooks.json: run 'waypoint init' to add it, then run 'waypoint trust' again.`,
    );
  }
  for (const target of targets) {
    if (!target) continue;
    const state = hookTrustState(before, target);
    if (state.status === "disabled") {
      lines.push(
        `Left waypoint's hook disabled: ${named} sets enabled = false for ${target.key}.`,
      );
    } else if (state.status !== "trusted") {
      edits.push({
        table: ["hooks", "state", target.key],
        key: "trusted_hash",
        value: target.hash,
      });
    }
  }

  const report = (changed: boolean): TrustReport => ({
    command: "trust",
    root,
    project,
    config: named,
    target: path,
    dryRun,
    changed,
    hook: hook !== undefined,
    edits: edits.map(({ table, key, value }) => ({
      table: [...table],
      key,
      value,
    })),
    notes: lines,
  });

  if (!edits.length) {
    if (json) printReport(report(false));
    else {
      printLines([
        ...lines,
        `Codex already trusts ${project}${
          hook ? " and waypoint's SessionStart hook" : ""
        } (${named}): nothing changed.`,
      ]);
    }
    return 0;
  }

  const after = applyTomlStringEdits(before, edits);
  proveOnlyEdits(before, after, edits, named);
  const shown = edits.flatMap((edit) => [
    `  ${tomlHeader(edit.table)}`,
    `  ${edit.key} = ${JSON.stringify(edit.value)}`,
  ]);
  if (dryRun) {
    if (json) printReport(report(false));
    else printLines([...lines, `Would set in ${named}${via}:`, ...shown]);
    return 0;
  }
  if (readConfig(path, named) !== before) {
    throw new WaypointError(
      `${named} changed while waypoint was editing it; nothing was written. Run 'waypoint trust' again`,
    );
  }
  write(path, after);
  if (json) printReport(report(true));
  else printLines([...lines, `Set in ${named}${via}:`, ...shown]);
  return 0;
}

/**
 * The names Codex may key the repo's hook under: its real path, the path as
 * given, and (run from inside it through a symbolic link) the path the shell
 * shows in `$PWD`. Codex uses the path the session starts under, unresolved.
 */
function namesOf(root: string, cwd: string, fromCwd: boolean): string[] {
  const names = [realRoot(root), root];
  const pwd = Deno.env.get("PWD");
  if (fromCwd && pwd && isAbsolute(pwd)) {
    try {
      if (Deno.realPathSync(pwd) === realRoot(cwd)) {
        names.push(resolve(pwd, relative(cwd, root)));
      }
    } catch {
      // $PWD names nothing: only the other names count.
    }
  }
  return [...new Set(names)];
}

/**
 * Where to write: a config that is a symbolic link (dotfile managers link it
 * into place) is written through, at the file it points to, so the link keeps
 * working; the output says so.
 */
function followLink(path: string): { path: string; via: string } {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch {
    return { path, via: "" };
  }
  if (!info.isSymlink) return { path, via: "" };
  let target: string;
  try {
    target = Deno.realPathSync(path);
  } catch {
    throw new WaypointError(
      `${path} is a symbolic link to a file that does not exist; nothing was written`,
    );
  }
  return { path: target, via: ` (a link: wrote through to ${target})` };
}

function readConfig(path: string, named: string): string {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw new WaypointError(`${named} cannot be read (${String(error)})`);
  }
  if (!info.isFile) {
    throw new WaypointError(
      `${named} is not a regular file; nothing was written`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Deno.readFileSync(path),
    );
  } catch {
    throw new WaypointError(
      `${named} is not UTF-8 text; nothing was written`,
    );
  }
  try {
    parseToml(text, named);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WaypointError(
      `${reason}; waypoint edits only a config it can parse, so nothing was written`,
    );
  }
  return text;
}

/** Keys of parsed TOML, datetimes compared by their text. */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return `date:${String(value)}`;
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, comparable(inner)]),
    );
  }
  return value;
}

/** Throws unless `after` parses to `before` with exactly `edits` applied. */
function proveOnlyEdits(
  before: string,
  after: string,
  edits: readonly TomlStringEdit[],
  named: string,
): void {
  const expected = comparable(parseToml(before, named)) as Record<
    string,
    unknown
  >;
  for (const edit of edits) {
    let table = expected;
    for (const segment of edit.table) {
      const next = table[segment];
      if (typeof next !== "object" || next === null || Array.isArray(next)) {
        table[segment] = {};
      }
      table = table[segment] as Record<string, unknown>;
    }
    table[edit.key] = edit.value;
  }
  let parsed: unknown;
  try {
    parsed = comparable(parseToml(after, named));
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined || !sameJson(parsed, expected)
  ) {
    throw new WaypointError(
      `${named} is laid out in a way waypoint cannot edit safely (an inline or dotted table?); nothing was written. Add these lines yourself:\n${
        edits.map((edit) =>
          `${tomlHeader(edit.table)}\n${edit.key} = ${
            JSON.stringify(edit.value)
          }`
        ).join("\n")
      }`,
    );
  }
}

function write(path: string, text: string): void {
  let mode = 0o600;
  try {
    mode = Deno.statSync(path).mode! & 0o777;
  } catch {
    Deno.mkdirSync(dirname(path), { recursive: true });
  }
  try {
    replaceFileAtomically(dirname(path), basename(path), text, mode);
  } catch (error) {
    throw new WaypointError(`could not write ${path} (${String(error)})`);
  }
}
