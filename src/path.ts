/**
 * The path functions waypoint uses, `node:path`'s on Windows and a POSIX
 * fast path elsewhere. The first `node:` import of a run boots Deno's Node
 * compatibility layer (about 13 ms), and the session hook, which Codex runs
 * at every session start, needs nothing else from it. The POSIX functions
 * follow `node:path/posix` step for step; `tests/path_test.ts` checks them
 * against it over many generated inputs.
 *
 * @module
 */

/** `node:path` itself, loaded only on Windows, where its rules are used as they are. */
const windows = Deno.build.os === "windows"
  ? await import("node:path")
  : undefined;

/** The platform's path separator. */
export const sep: string = windows?.sep ?? "/";

/** Whether `path` is absolute. */
export function isAbsolute(path: string): boolean {
  return windows ? windows.isAbsolute(path) : path.startsWith("/");
}

/** `path` with `.` and `..` segments and repeated separators folded. */
export function normalize(path: string): string {
  return windows ? windows.normalize(path) : posixNormalize(path);
}

/** The non-empty `parts` joined with the separator, then normalized. */
export function join(...parts: string[]): string {
  if (windows) return windows.join(...parts);
  const joined = parts.filter((part) => part !== "").join("/");
  return joined === "" ? "." : posixNormalize(joined);
}

/**
 * The absolute path `parts` name, read right to left until one is absolute,
 * the current folder standing in front when none is.
 */
export function resolve(...parts: string[]): string {
  if (windows) return windows.resolve(...parts);
  let resolved = "";
  let absolute = false;
  for (let index = parts.length - 1; index >= -1 && !absolute; index--) {
    const part = index >= 0 ? parts[index] : Deno.cwd();
    if (part === "") continue;
    resolved = `${part}/${resolved}`;
    absolute = part.startsWith("/");
  }
  resolved = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${resolved}`;
  return resolved === "" ? "." : resolved;
}

/** The folder part of `path`. */
export function dirname(path: string): string {
  if (windows) return windows.dirname(path);
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  let end = -1;
  let matchedSlash = true;
  for (let index = path.length - 1; index >= 1; index--) {
    if (path[index] === "/") {
      if (!matchedSlash) {
        end = index;
        break;
      }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

/** The last segment of `path`, trailing separators aside. */
export function basename(path: string): string {
  if (windows) return windows.basename(path);
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  if (end === 0) return "";
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/** The extension of the last segment: from its last `.`, unless that starts it. */
export function extname(path: string): string {
  if (windows) return windows.extname(path);
  const base = basename(path);
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || base === "..") return "";
  return base.slice(dot);
}

/** The path from `from` to `to`, both resolved first. */
export function relative(from: string, to: string): string {
  if (windows) return windows.relative(from, to);
  if (from === to) return "";
  const fromParts = segments(resolve(from));
  const toParts = segments(resolve(to));
  let common = 0;
  while (
    common < fromParts.length && common < toParts.length &&
    fromParts[common] === toParts[common]
  ) common++;
  const up = fromParts.slice(common).map(() => "..");
  return [...up, ...toParts.slice(common)].join("/");
}

/** The segments of an absolute, normalized POSIX path. */
function segments(absolute: string): string[] {
  return absolute === "/" ? [] : absolute.slice(1).split("/");
}

function posixNormalize(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  let normalized = normalizeSegments(path, !absolute);
  if (normalized === "" && !absolute) normalized = ".";
  if (normalized !== "" && trailing) normalized += "/";
  return absolute ? `/${normalized}` : normalized;
}

/**
 * The segments of `path` without empty and `.` ones, each `..` taking the
 * segment before it away; a leading `..` stays only when `aboveRoot`.
 */
function normalizeSegments(path: string, aboveRoot: boolean): string {
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
      else if (aboveRoot) kept.push("..");
      continue;
    }
    kept.push(segment);
  }
  return kept.join("/");
}
