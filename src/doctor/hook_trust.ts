/**
 * Whether Codex will run waypoint's SessionStart hook. On top of project
 * trust, Codex runs a project hook only when the user's Codex config holds
 * `[hooks.state."<key>"] trusted_hash = "<hash>"` for that hook's current
 * hash; an untrusted hook is skipped without a word. Doctor says which of
 * the three it is (not trusted, trusted, trusted for another command) and
 * gives the exact lines; `waypoint trust` writes them.
 *
 * @module
 */
import { join } from "../path.ts";
import {
  type CommandHandler,
  findWaypointHook,
  HOOKS_JSON_PATH,
  hookStateKey,
  hookTrustHash,
  SESSION_START_LABEL,
} from "../codex_hooks.ts";
import { parseToml } from "../config.ts";
import { type RepoView, textProblem } from "../fs/mod.ts";
import { codexConfigHooks } from "../scaffold/hooks_json.ts";
import { CODEX_CONFIG_PATH } from "../scaffold/codex_config_migration.ts";
import { realRoot } from "./codex_user_config.ts";
import type { CodexSettings } from "./codex_settings.ts";
import type { Finding } from "./finding.ts";

/** Where waypoint's hook is declared and the trust entry Codex looks for. */
export interface WaypointHookTrustTarget {
  /** Repo-relative file declaring it: `.codex/hooks.json` or `.codex/config.toml`. */
  file: string;
  /** Codex's trust key (`<abs file>:session_start:<group>:<handler>`). */
  key: string;
  /** The hook's current hash, `sha256:<hex>`. */
  hash: string;
}

/** Codex's view of the hook's trust in the user config. */
export type HookTrustState =
  | { status: "trusted" }
  | { status: "untrusted" }
  | { status: "modified"; trustedHash: string }
  | { status: "disabled" };

/** The two lines that make Codex trust one hook. */
export function hookTrustLines(key: string, hash: string): string {
  return `[hooks.state.${JSON.stringify(key)}]\ntrusted_hash = ${
    JSON.stringify(hash)
  }`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Finds waypoint's hook in the repo at `root` (in `.codex/hooks.json`, else
 * a `[hooks]` table of `.codex/config.toml`) and computes its key and hash
 * the way Codex does. `undefined` when waypoint's hook is in neither.
 * Codex keys a hook by the path the session was started under, which for a
 * repo reached through a symbolic link is not its real path: `base` names
 * the repo as Codex will see it (default: the real path).
 */
export async function locateWaypointHook(
  repo: RepoView,
  base: string = realRoot(repo.root),
): Promise<WaypointHookTrustTarget | undefined> {
  let data: unknown;
  let file = HOOKS_JSON_PATH;
  const entry = repo.inspect(HOOKS_JSON_PATH);
  if (entry.kind === "file") {
    try {
      const bytes = repo.readInspected(entry);
      if (textProblem(bytes) === undefined) {
        data = JSON.parse(new TextDecoder().decode(bytes));
      }
    } catch {
      // A hooks.json that does not parse is the scaffold check's to report.
    }
  }
  let found = findWaypointHook(data);
  if (!found) {
    const tomlHooks = codexConfigHooks(repo);
    found = findWaypointHook({ hooks: tomlHooks });
    file = CODEX_CONFIG_PATH;
  }
  if (!found) return undefined;
  return {
    file,
    key: hookStateKey(
      join(base, file),
      SESSION_START_LABEL,
      found.group,
      found.handler,
    ),
    hash: await hookTrustHash(
      SESSION_START_LABEL,
      found.matcher,
      found.entry as CommandHandler,
    ),
  };
}

/** What the Codex user config text says about one hook key. Unparseable text reads as untrusted. */
export function hookTrustState(
  configText: string | undefined,
  target: WaypointHookTrustTarget,
): HookTrustState {
  if (configText === undefined) return { status: "untrusted" };
  let table: Record<string, unknown>;
  try {
    table = parseToml(configText, "config.toml");
  } catch {
    return { status: "untrusted" };
  }
  const hooks = table.hooks;
  const states = isTable(hooks) ? hooks.state : undefined;
  if (!isTable(states)) return { status: "untrusted" };
  // Codex trims the keys it reads; later entries win field by field.
  let enabled: unknown;
  let trusted: unknown;
  for (const [key, value] of Object.entries(states)) {
    if (key.trim() !== target.key || !isTable(value)) continue;
    if (value.enabled !== undefined) enabled = value.enabled;
    if (value.trusted_hash !== undefined) trusted = value.trusted_hash;
  }
  if (enabled === false) return { status: "disabled" };
  if (typeof trusted !== "string") return { status: "untrusted" };
  return trusted === target.hash
    ? { status: "trusted" }
    : { status: "modified", trustedHash: trusted };
}

/**
 * Doctor's findings about waypoint's hook trust for the repo, with the
 * user's Codex `settings` read once ({@link readCodexSettings}).
 */
export async function checkHookTrust(
  repo: RepoView,
  settings: CodexSettings,
): Promise<Finding[]> {
  const target = await locateWaypointHook(repo);
  if (!target) return [];
  const where = settings.userConfig;
  const state = hookTrustState(settings.userText, target);
  const lines = hookTrustLines(target.key, target.hash);
  // Pasting a second [hooks.state."…"] table for the key would make Codex refuse the whole file.
  const byHand = state.status === "modified"
    ? `in ${where}, set trusted_hash under this hook's table to its current hash:\n${lines}`
    : `put these lines in ${where}:\n${lines}`;
  const project = settings.trust;
  // `waypoint trust` refuses a project the user marked untrusted, and Codex runs none of its hooks.
  const first = project && project.level !== "trusted"
    ? `Set trust_level = "trusted" at ${where}:${project.line} first (waypoint leaves a project marked "${project.level}" as it is); then run \`waypoint trust\``
    : "Run `waypoint trust`";
  const fix =
    `${first}, accept the hook when Codex asks you to review it, or ${byHand}`;
  switch (state.status) {
    case "trusted":
    case "disabled":
      return [];
    case "untrusted":
      return [{
        severity: "info",
        category: "roles",
        message:
          `Codex does not trust waypoint's SessionStart hook in ${target.file} yet, so it skips it silently and sessions start without waypoint's context.`,
        remediation: fix,
        paths: [target.file],
      }];
    case "modified":
      return [{
        severity: "warn",
        category: "roles",
        message:
          `Codex trusts waypoint's SessionStart hook in ${target.file} for another command (${where} has ${state.trustedHash}, the hook is now ${target.hash}), so it skips it.`,
        remediation: fix,
        paths: [target.file],
      }];
  }
}
