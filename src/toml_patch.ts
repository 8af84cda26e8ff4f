/**
 * Setting a few string keys in a TOML document by editing its text, never by
 * re-serialising it: every other byte (comments, order, quoting, blank lines)
 * stays as the user wrote it. Used by `waypoint trust` on the user's Codex
 * config, where waypoint owns nothing but the keys it adds. The caller parses
 * the result to prove that only those keys changed.
 *
 * @module
 */

/** One key to set: `[table…] key = "value"`. */
export interface TomlStringEdit {
  /** Path of the table, e.g. `["hooks", "state", "/abs/.codex/hooks.json:…"]`. */
  table: readonly string[];
  key: string;
  value: string;
}

const BARE = /^[A-Za-z0-9_-]+$/;

/** A key segment as TOML writes it: bare when it can be, else a basic string. */
export function tomlKey(segment: string): string {
  return BARE.test(segment) ? segment : JSON.stringify(segment);
}

/** Parses the key path of a `[a."b".'c']` header line; `undefined` when the line is no plain table header. */
export function parseHeader(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("[") || trimmed.startsWith("[[")) return undefined;
  const segments: string[] = [];
  let i = 1;
  const skip = () => {
    while (trimmed[i] === " " || trimmed[i] === "\t") i++;
  };
  for (;;) {
    skip();
    const c = trimmed[i];
    if (c === '"') {
      let value = "";
      i++;
      while (i < trimmed.length && trimmed[i] !== '"') {
        if (trimmed[i] === "\\") {
          const escape = trimmed.slice(i, i + 2);
          const simple: Record<string, string> = {
            "\\\\": "\\",
            '\\"': '"',
            "\\n": "\n",
            "\\t": "\t",
            "\\r": "\r",
            "\\b": "\b",
            "\\f": "\f",
          };
          if (escape in simple) {
            value += simple[escape];
            i += 2;
          } else if (escape === "\\u" || escape === "\\U") {
            const width = escape === "\\u" ? 4 : 8;
            const hex = trimmed.slice(i + 2, i + 2 + width);
            if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) {
              return undefined;
            }
            value += String.fromCodePoint(parseInt(hex, 16));
            i += 2 + width;
          } else return undefined;
        } else value += trimmed[i++];
      }
      if (trimmed[i] !== '"') return undefined;
      i++;
      segments.push(value);
    } else if (c === "'") {
      const end = trimmed.indexOf("'", i + 1);
      if (end < 0) return undefined;
      segments.push(trimmed.slice(i + 1, end));
      i = end + 1;
    } else {
      const match = trimmed.slice(i).match(/^[A-Za-z0-9_-]+/);
      if (!match) return undefined;
      segments.push(match[0]);
      i += match[0].length;
    }
    skip();
    if (trimmed[i] === ".") {
      i++;
      continue;
    }
    if (trimmed[i] !== "]") return undefined;
    const rest = trimmed.slice(i + 1).trim();
    return rest === "" || rest.startsWith("#") ? segments : undefined;
  }
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/** The header line waypoint writes for a table. */
export function tomlHeader(table: readonly string[]): string {
  return `[${table.map(tomlKey).join(".")}]`;
}

function isHeaderLike(line: string): boolean {
  return /^\s*\[/.test(line);
}

/**
 * Returns `text` with each edit applied: the key's line replaced in its table
 * when both exist, the key inserted below the table's header when only the
 * table does, else the table appended at the end. The line ending of the
 * file is kept, and so is a missing final newline unless a table is
 * appended. Keys must be bare keys (`trusted_hash`, `trust_level`).
 */
export function applyTomlStringEdits(
  text: string,
  edits: readonly TomlStringEdit[],
): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text === "" ? [] : text.split(/\r?\n/);
  // split leaves one empty entry after a final newline; it is put back below.
  const finalNewline = text === "" || /\r?\n$/.test(text);
  if (finalNewline && lines.length) lines.pop();
  let appended = false;
  for (const edit of edits) {
    const assignment = `${tomlKey(edit.key)} = ${JSON.stringify(edit.value)}`;
    const header = lines.findIndex((line) => {
      const path = parseHeader(line);
      return path !== undefined && sameKey(path, edit.table);
    });
    if (header < 0) {
      if (lines.length && lines[lines.length - 1].trim() !== "") {
        lines.push("");
      }
      lines.push(tomlHeader(edit.table), assignment);
      appended = true;
      continue;
    }
    let end = header + 1;
    while (end < lines.length && !isHeaderLike(lines[end])) end++;
    const keyPattern = new RegExp(
      `^\\s*(?:${edit.key}|"${edit.key}"|'${edit.key}')\\s*=`,
    );
    const existing = lines.slice(header + 1, end).findIndex((line) =>
      keyPattern.test(line)
    );
    if (existing >= 0) lines[header + 1 + existing] = assignment;
    else lines.splice(header + 1, 0, assignment);
  }
  const closing = (finalNewline || appended) && lines.length ? eol : "";
  return lines.join(eol) + closing;
}
