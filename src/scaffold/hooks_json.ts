/**
 * `.codex/hooks.json`: waypoint's SessionStart hook merged into whatever
 * hooks the user already has. Codex keys hook trust by position
 * (`<path>:<event>:<group>:<handler>`), so waypoint's group is only ever
 * appended after the user's groups or updated where it already is; the
 * user's hooks keep their places, meaning and trust. A file that does not
 * parse, or does not have the shape Codex reads, is never rewritten (only
 * `--force` replaces it, after a backup).
 *
 * @module
 */
import {
  findWaypointHook,
  HOOKS_JSON_PATH,
  WAYPOINT_HOOK_COMMAND,
  WAYPOINT_HOOK_MATCHER,
  WAYPOINT_HOOK_STATUS,
  WAYPOINT_HOOK_TIMEOUT,
  waypointGroup,
  waypointHandler,
} from "../codex_hooks.ts";
import { parseToml } from "../config.ts";
import { type RepoView, textProblem } from "../fs/mod.ts";
import { CODEX_CONFIG_PATH } from "./codex_config_migration.ts";
import { type ManifestEntry, sha256 } from "./manifest.ts";
import type { PlanAction, PlanNote } from "./action.ts";

export { HOOKS_JSON_PATH };

/** What {@link planHooksJson} decided. */
export interface HooksJsonPlan {
  actions: PlanAction[];
  notes: PlanNote[];
  /** The manifest entry after applying; `undefined` drops it. */
  entry?: ManifestEntry;
}

/** Options of {@link planHooksJson}. */
export interface HooksJsonOptions {
  /** `[features] session_hook`: whether waypoint's hook belongs in the file. */
  enabled: boolean;
  /** Replace a file that does not parse (after a backup). */
  force: boolean;
  /** The manifest's entry for the file, if any. */
  recorded?: ManifestEntry;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The hooks.json waypoint writes when there is none. */
export function freshHooksJson(): string {
  return JSON.stringify(
    { hooks: { SessionStart: [waypointGroup()] } },
    null,
    2,
  ) +
    "\n";
}

/** The lines to add to a `[hooks]` table in `.codex/config.toml` instead of writing hooks.json. */
export function hookTomlLines(): string {
  return [
    "[[hooks.SessionStart]]",
    `matcher = ${JSON.stringify(WAYPOINT_HOOK_MATCHER)}`,
    "",
    "[[hooks.SessionStart.hooks]]",
    'type = "command"',
    `command = ${JSON.stringify(WAYPOINT_HOOK_COMMAND)}`,
    `timeout = ${WAYPOINT_HOOK_TIMEOUT}`,
    `statusMessage = ${JSON.stringify(WAYPOINT_HOOK_STATUS)}`,
  ].join("\n");
}

/**
 * Why a parsed hooks.json does not have the shape Codex reads
 * (`{"hooks": {"<Event>": [{"matcher"?, "hooks": [{"type", …}]}]}}`), or
 * `undefined` when it does.
 */
export function hooksShapeProblem(data: unknown): string | undefined {
  if (!isObject(data)) return "the top level is not a JSON object";
  if (data.hooks === undefined) return undefined;
  if (!isObject(data.hooks)) return `"hooks" is not an object`;
  for (const [event, groups] of Object.entries(data.hooks)) {
    if (!Array.isArray(groups)) return `"hooks.${event}" is not a list`;
    for (const [index, group] of groups.entries()) {
      const where = `"hooks.${event}[${index}]"`;
      if (!isObject(group)) return `${where} is not an object`;
      if (
        group.matcher !== undefined && group.matcher !== null &&
        typeof group.matcher !== "string"
      ) return `${where}.matcher is not a string`;
      if (group.hooks === undefined) continue;
      if (!Array.isArray(group.hooks)) return `${where}.hooks is not a list`;
      for (const handler of group.hooks) {
        if (!isObject(handler) || typeof handler.type !== "string") {
          return `${where}.hooks has an entry without a "type"`;
        }
      }
    }
  }
  return undefined;
}

/** Whether the project's `.codex/config.toml` declares hooks of its own (a `[hooks]` table with events). */
export function codexConfigHooks(repo: RepoView): Json | undefined {
  const entry = repo.inspect(CODEX_CONFIG_PATH);
  if (entry.kind !== "file") return undefined;
  let table: Json;
  try {
    const bytes = repo.readInspected(entry);
    if (textProblem(bytes) !== undefined) return undefined;
    table = parseToml(new TextDecoder().decode(bytes), CODEX_CONFIG_PATH);
  } catch {
    return undefined;
  }
  const hooks = table.hooks;
  if (!isObject(hooks)) return undefined;
  return Object.keys(hooks).some((key) => key !== "state") ? hooks : undefined;
}

/** The text's indentation and line ending, so a rewrite looks like the user's file. */
function styleOf(text: string): { indent: string | number; eol: string } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = text.match(/\n([ \t]+)\S/)?.[1];
  return { indent: indent ?? (text.trim().includes("\n") ? 2 : 0), eol };
}

function serialise(data: unknown, original: string): string {
  const { indent, eol } = styleOf(original);
  let text = JSON.stringify(data, null, indent);
  if (eol !== "\n") text = text.replaceAll("\n", eol);
  return /\r?\n$/.test(original) || original === "" ? text + eol : text;
}

function isCanonical(group: unknown, handler: unknown): boolean {
  if (!isObject(group) || group.matcher !== WAYPOINT_HOOK_MATCHER) return false;
  return JSON.stringify(handler) === JSON.stringify(waypointHandler());
}

/** Plans `.codex/hooks.json` for the repo at `root`. Reads; writes nothing. */
export async function planHooksJson(
  repo: RepoView,
  options: HooksJsonOptions,
): Promise<HooksJsonPlan> {
  const path = HOOKS_JSON_PATH;
  const entry = repo.inspect(path);
  if (entry.kind === "missing") {
    if (!options.enabled) return { actions: [], notes: [] };
    const tomlHooks = codexConfigHooks(repo);
    if (tomlHooks) {
      // The user already added waypoint's hook to their [hooks] table.
      if (findWaypointHook({ hooks: tomlHooks })) {
        return { actions: [], notes: [] };
      }
      return {
        actions: [],
        notes: [{
          path: CODEX_CONFIG_PATH,
          message:
            `it has a [hooks] table, so waypoint does not create ${path} (Codex warns when one layer has both); to load waypoint's session context, add these lines to it:\n${hookTomlLines()}`,
        }],
      };
    }
    const content = freshHooksJson();
    return {
      actions: [{
        kind: "create",
        path,
        detail: "SessionStart hook that runs `waypoint context --hook`",
        write: { path, content, executable: false },
      }],
      notes: [],
      entry: { sha256: await sha256(content) },
    };
  }
  if (entry.kind !== "file") {
    return {
      actions: [{
        kind: "conflict",
        path,
        detail: `left alone: it ${
          entry.kind === "symlink"
            ? "is a symbolic link"
            : "is not a regular file"
        }`,
        leftAlone: true,
      }],
      notes: [],
      entry: options.recorded,
    };
  }
  const bytes = repo.readInspected(entry);
  const currentHash = await sha256(bytes);
  let data: unknown;
  // Phrased to follow "it": "it is not valid JSON (…)".
  let problem = textProblem(bytes);
  const text = new TextDecoder().decode(bytes);
  if (problem === undefined) {
    try {
      data = JSON.parse(text);
      const shape = hooksShapeProblem(data);
      if (shape) problem = `does not have the shape Codex reads (${shape})`;
    } catch (error) {
      problem = `is not valid JSON (${
        error instanceof Error ? error.message : String(error)
      })`;
    }
  }
  if (problem !== undefined) {
    if (options.force && options.enabled) {
      const content = freshHooksJson();
      return {
        actions: [{
          kind: "update",
          path,
          detail:
            `it ${problem}; replaced with waypoint's hook (--force); your version is saved beside it`,
          write: { path, content, executable: false },
          backup: `${path}.waypoint-backup-<time>`,
        }],
        notes: [],
        entry: { sha256: await sha256(content) },
      };
    }
    return {
      actions: [{
        kind: "conflict",
        path,
        detail:
          `left alone: it ${problem}; fix it by hand, or run 'waypoint init --force' to replace it (a backup is kept)`,
        leftAlone: true,
        invalid: true,
      }],
      notes: [],
      entry: options.recorded,
    };
  }
  const file = data as Json;
  const found = findWaypointHook(file);
  const keep = (detail: string): HooksJsonPlan => ({
    actions: [{ kind: "keep", path, detail }],
    notes: [],
    entry: { sha256: currentHash },
  });
  if (!options.enabled) {
    if (!found) return { actions: [], notes: [], entry: undefined };
    const hooks = file.hooks as Json;
    const groups = hooks.SessionStart as unknown[];
    const group = groups[found.group] as Json;
    (group.hooks as unknown[]).splice(found.handler, 1);
    const shifted = groups.length - 1 - found.group;
    if ((group.hooks as unknown[]).length === 0) groups.splice(found.group, 1);
    if (groups.length === 0) delete hooks.SessionStart;
    const onlyOurs = Object.keys(file).length === 1 &&
      Object.keys(hooks).length === 0;
    if (onlyOurs) {
      return {
        actions: [{
          kind: "remove",
          path,
          detail: "held only waypoint's hook ([features] session_hook = false)",
          remove: "file",
          proof: [currentHash],
        }],
        notes: [],
      };
    }
    const content = serialise(file, text);
    return {
      actions: [{
        kind: "update",
        path,
        detail:
          `removed waypoint's SessionStart hook ([features] session_hook = false)${
            shifted > 0 && (group.hooks as unknown[]).length === 0
              ? `; the ${shifted} group(s) after it moved up, so Codex asks to trust them again`
              : ""
          }`,
        write: { path, content, executable: false },
      }],
      notes: [],
    };
  }
  if (found) {
    const groups = (file.hooks as Json).SessionStart as Json[];
    const group = groups[found.group];
    const handlers = group.hooks as unknown[];
    if (isCanonical(group, handlers[found.handler])) {
      return keep("waypoint's SessionStart hook up to date");
    }
    group.matcher = WAYPOINT_HOOK_MATCHER;
    handlers[found.handler] = waypointHandler();
    const content = serialise(file, text);
    return {
      actions: [{
        kind: "update",
        path,
        detail:
          `refreshed waypoint's SessionStart hook in place (group ${found.group})`,
        write: { path, content, executable: false },
      }],
      notes: [],
      entry: { sha256: await sha256(content) },
    };
  }
  file.hooks ??= {};
  const hooks = file.hooks as Json;
  hooks.SessionStart ??= [];
  const groups = hooks.SessionStart as unknown[];
  const before = groups.length;
  groups.push(waypointGroup());
  const content = serialise(file, text);
  return {
    actions: [{
      kind: "update",
      path,
      detail: before
        ? `appended waypoint's SessionStart hook after your ${before} group(s)`
        : "added waypoint's SessionStart hook; your hooks are unchanged",
      write: { path, content, executable: false },
    }],
    notes: [],
    entry: { sha256: await sha256(content) },
  };
}
