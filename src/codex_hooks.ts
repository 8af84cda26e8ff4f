/**
 * Waypoint's Codex SessionStart hook and Codex's trust identity for hooks,
 * shared by `init` (which writes the hook), `doctor` (which says whether Codex
 * will run it) and `waypoint trust` (which records the trust).
 *
 * Codex runs a project hook only when the user's `$CODEX_HOME/config.toml`
 * holds `[hooks.state."<hooks.json path>:<event>:<group>:<handler>"]` with a
 * `trusted_hash` equal to the hook's current hash. That hash is SHA-256 of a
 * canonical JSON identity (codex-rs `hooks/src/engine/discovery.rs`,
 * `command_hook_hash`, and `config/src/fingerprint.rs`, `version_for_toml`):
 *
 *   { "event_name": "<snake_case event>", "matcher": <matcher, omitted when
 *     none>, "hooks": [ { "type": "command", "command": <text>,
 *     "timeout": <seconds, 600 when unset, at least 1>, "async": <bool>,
 *     "statusMessage": <text, omitted when none> } ] }
 *
 * serialised with every object's keys sorted and no whitespace, hashed, and
 * written as `sha256:<hex>`. The identity goes through TOML on Codex's side,
 * which is why absent values are omitted rather than `null`.
 *
 * @module
 */

/**
 * The command waypoint's hook runs. It never changes between versions,
 * platforms or install routes: Codex's trust hash covers this text, so any
 * change would silently untrust every install. Codex runs a hook through the
 * user's own shell with `-c` (bash, zsh or fish alike), so the script is
 * handed to POSIX `sh` in single quotes that every one of those shells passes
 * through untouched. It runs `waypoint` from PATH, else the curl installer's
 * `${WAYPOINT_INSTALL:-$HOME/.waypoint}/bin/waypoint`, else says so on stderr
 * and reads its stdin to the end (exiting before Codex has written the event
 * would fail Codex's write, and with it the hook). It always exits 0, so a
 * missing or failing waypoint never stops a session.
 */
export const WAYPOINT_HOOK_COMMAND =
  `sh -c 'if command -v waypoint >/dev/null 2>&1; then waypoint context --hook; else w="\${WAYPOINT_INSTALL:-$HOME/.waypoint}/bin/waypoint"; if [ -x "$w" ]; then "$w" context --hook; else echo "waypoint: not on PATH or in \${WAYPOINT_INSTALL:-$HOME/.waypoint}/bin; no session context added" >&2; cat >/dev/null; fi; fi; exit 0'`;

/** What marks a handler as waypoint's, in this or any future command text. */
const WAYPOINT_HOOK_SIGNATURE = "waypoint context --hook";

/**
 * Sources the hook fires on. Never `resume`: a resumed session still holds
 * the context it was given, and each resume would add another copy.
 */
export const WAYPOINT_HOOK_MATCHER = "startup|clear|compact";

/** Seconds Codex waits for the hook. */
export const WAYPOINT_HOOK_TIMEOUT = 60;

/** What Codex shows while the hook runs. */
export const WAYPOINT_HOOK_STATUS = "Loading waypoint session context";

/** Repo-relative path of the Codex project hooks file. */
export const HOOKS_JSON_PATH = ".codex/hooks.json";

/** Codex's label for the SessionStart event in trust keys and hashes. */
export const SESSION_START_LABEL = "session_start";

/** One `command` handler as it appears in hooks.json. */
export interface CommandHandler {
  type: "command";
  command: string;
  timeout?: number;
  async?: boolean;
  statusMessage?: string;
}

/** Waypoint's handler, as written to hooks.json. */
export function waypointHandler(): CommandHandler {
  return {
    type: "command",
    command: WAYPOINT_HOOK_COMMAND,
    timeout: WAYPOINT_HOOK_TIMEOUT,
    statusMessage: WAYPOINT_HOOK_STATUS,
  };
}

/** Waypoint's SessionStart matcher group, as written to hooks.json. */
export function waypointGroup(): { matcher: string; hooks: CommandHandler[] } {
  return { matcher: WAYPOINT_HOOK_MATCHER, hooks: [waypointHandler()] };
}

/** Whether a parsed hooks.json handler is waypoint's (by its command). */
export function isWaypointHandler(handler: unknown): boolean {
  if (typeof handler !== "object" || handler === null) return false;
  const command = (handler as Record<string, unknown>).command;
  return typeof command === "string" &&
    command.includes(WAYPOINT_HOOK_SIGNATURE);
}

/** Codex's trust key of one handler: `<hooks file>:<event>:<group>:<handler>`. */
export function hookStateKey(
  sourcePath: string,
  eventLabel: string,
  group: number,
  handler: number,
): string {
  return `${sourcePath}:${eventLabel}:${group}:${handler}`;
}

/** JSON with every object's keys sorted and no whitespace, as serde_json writes a canonical value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value).sort().map((key) =>
      `${JSON.stringify(key)}:${
        canonicalJson((value as Record<string, unknown>)[key])
      }`
    );
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The normalised identity Codex hashes for one command handler. */
export function hookIdentity(
  eventLabel: string,
  matcher: string | undefined,
  handler: CommandHandler,
): Record<string, unknown> {
  const normalized: Record<string, unknown> = {
    type: "command",
    command: handler.command,
    timeout: Math.max(1, handler.timeout ?? 600),
    async: handler.async ?? false,
  };
  if (handler.statusMessage !== undefined) {
    normalized.statusMessage = handler.statusMessage;
  }
  const identity: Record<string, unknown> = {
    event_name: eventLabel,
    hooks: [normalized],
  };
  if (matcher !== undefined) identity.matcher = matcher;
  return identity;
}

/** Codex's `currentHash` of one command handler: `sha256:<hex>`. */
export async function hookTrustHash(
  eventLabel: string,
  matcher: string | undefined,
  handler: CommandHandler,
): Promise<string> {
  const bytes = new TextEncoder().encode(
    canonicalJson(hookIdentity(eventLabel, matcher, handler)),
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256:" +
    Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Where waypoint's handler sits in a parsed hooks.json, if it is there. */
export interface WaypointHookPosition {
  group: number;
  handler: number;
  matcher?: string;
  entry: CommandHandler;
}

/** Finds waypoint's handler among the SessionStart groups of a parsed hooks.json. */
export function findWaypointHook(
  data: unknown,
): WaypointHookPosition | undefined {
  const hooks = (data as { hooks?: unknown } | null)?.hooks;
  const groups = (hooks as Record<string, unknown> | undefined)?.SessionStart;
  if (!Array.isArray(groups)) return undefined;
  for (const [g, group] of groups.entries()) {
    const handlers = (group as { hooks?: unknown } | null)?.hooks;
    if (!Array.isArray(handlers)) continue;
    for (const [h, handler] of handlers.entries()) {
      if (!isWaypointHandler(handler)) continue;
      const matcher = (group as { matcher?: unknown }).matcher;
      const entry = handler as Record<string, unknown>;
      return {
        group: g,
        handler: h,
        matcher: typeof matcher === "string" ? matcher : undefined,
        entry: {
          type: "command",
          command: entry.command as string,
          ...(typeof entry.timeout === "number"
            ? { timeout: entry.timeout }
            : {}),
          ...(typeof entry.async === "boolean" ? { async: entry.async } : {}),
          ...(typeof entry.statusMessage === "string"
            ? { statusMessage: entry.statusMessage }
            : {}),
        },
      };
    }
  }
  return undefined;
}
