/**
 * A fast path in front of smol-toml for the plain TOML waypoint writes and
 * most people keep: comments, `[table]` headers of bare keys, and
 * `key = value` lines whose value is a basic string without escapes, a
 * literal string, a decimal integer, a boolean, or a one-line array of such
 * strings; header parts may be quoted. Anything else (escapes, floats,
 * dates, dotted or quoted keys on the left of `=`, inline tables, multi-line values, a table opened twice, a control
 * character) gets `undefined`, and the caller asks smol-toml, which also
 * reports every error. The first parse in a process is what it saves: on
 * waypoint's own config it measured 0.85–0.90 ms here against smol-toml's
 * 1.6–2.2 ms, on every command and every session-start hook.
 *
 * `tests/toml_simple_test.ts` proves the two agree on every text this one
 * accepts, over generated documents and mutations of them.
 *
 * @module
 */

/** A parsed TOML table, as smol-toml returns it (no prototype). */
export type SimpleTable = Record<string, unknown>;

function newTable(): SimpleTable {
  return Object.create(null);
}

/** A value read from the start of a text, and what follows it. */
type Read<T> = { value: T; rest: string } | undefined;

const BARE_KEY = "[A-Za-z0-9_-]+";
const BARE = new RegExp(`^${BARE_KEY}`);
const ASSIGNMENT = new RegExp(`^(${BARE_KEY})[ \\t]*=[ \\t]*([^]*)$`);
const INTEGER = /^[+-]?(?:0|[1-9][0-9]*)$/;
const WORD = /^[^ \t#,\]]+/;
/** What may follow a value or header: TOML blanks and a comment. */
const TRAILER = /^[ \t]*(?:#[^]*)?$/;
/** TOML's blanks are space and tab only (JavaScript's trim takes more). */
const LEADING_BLANKS = /^[ \t]*/;
/** Tab is the one control character TOML allows in comments and strings. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Keys left to smol-toml: a caller copying the table into a plain object could give them meaning. */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function skipBlanks(text: string): string {
  return text.replace(LEADING_BLANKS, "");
}

/** A simple string (no escapes, one line) at the start of `text`. */
function readString(text: string): Read<string> {
  const quote = text[0];
  const end = text.indexOf(quote, 1);
  if (end < 0) return undefined;
  // `"""` or `'''` opens a multi-line string.
  if (end === 1 && text[2] === quote) return undefined;
  const body = text.slice(1, end);
  if (quote === '"' && body.includes("\\")) return undefined;
  return { value: body, rest: text.slice(end + 1) };
}

/** A one-line array of simple strings, e.g. `["a", 'b',]`. */
function readStringArray(text: string): Read<string[]> {
  const items: string[] = [];
  let rest = skipBlanks(text.slice(1));
  while (rest[0] !== "]") {
    if (rest[0] !== '"' && rest[0] !== "'") return undefined;
    const item = readString(rest);
    if (item === undefined) return undefined;
    items.push(item.value);
    rest = skipBlanks(item.rest);
    if (rest[0] === ",") rest = skipBlanks(rest.slice(1));
    else if (rest[0] !== "]") return undefined;
  }
  return { value: items, rest: rest.slice(1) };
}

/** One simple value at the start of `text`. */
function readValue(text: string): Read<unknown> {
  const first = text[0];
  if (first === '"' || first === "'") return readString(text);
  if (first === "[") return readStringArray(text);
  const word = WORD.exec(text)?.[0];
  if (word === undefined) return undefined;
  const rest = text.slice(word.length);
  if (word === "true") return { value: true, rest };
  if (word === "false") return { value: false, rest };
  if (!INTEGER.test(word)) return undefined;
  // smol-toml reads `-0` as 0, not as JavaScript's -0.
  const value = Number(word) + 0;
  return Number.isSafeInteger(value) ? { value, rest } : undefined;
}

/** The dotted path of a `[table]` header line and what follows it. */
function readHeader(line: string): Read<string[]> {
  const path: string[] = [];
  let rest = line.slice(1);
  for (;;) {
    rest = skipBlanks(rest);
    let part: string;
    if (rest[0] === '"' || rest[0] === "'") {
      const quoted = readString(rest);
      if (quoted === undefined) return undefined;
      part = quoted.value;
      rest = quoted.rest;
    } else {
      const bare = BARE.exec(rest)?.[0];
      if (bare === undefined) return undefined;
      part = bare;
      rest = rest.slice(bare.length);
    }
    path.push(part);
    rest = skipBlanks(rest);
    if (rest[0] === "]") return { value: path, rest: rest.slice(1) };
    if (rest[0] !== ".") return undefined;
    rest = rest.slice(1);
  }
}

/** The table a header names, made on the way; undefined if any part exists as a non-table or the table itself exists. */
function openTable(
  root: SimpleTable,
  path: string[],
  tables: Set<object>,
): SimpleTable | undefined {
  let table = root;
  for (const [depth, part] of path.entries()) {
    if (UNSAFE_KEYS.has(part)) return undefined;
    const next = Object.hasOwn(table, part) ? table[part] : undefined;
    if (next === undefined) {
      const made = newTable();
      table[part] = made;
      tables.add(made);
      table = made;
    } else if (depth < path.length - 1 && tables.has(next as object)) {
      // Reopening a parent is fine; reopening the table itself (or a
      // parent after its child, valid but rare) is left to smol-toml.
      table = next as SimpleTable;
    } else return undefined;
  }
  return table;
}

/**
 * `text` parsed, when it stays within the simple subset described above;
 * `undefined` otherwise (including every invalid document).
 */
export function parseSimpleToml(text: string): SimpleTable | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const root = newTable();
  const tables = new Set<object>([root]);
  let current = root;
  const lines = text.split("\n");
  for (const [index, rawLine] of lines.entries()) {
    // A carriage return counts as part of a line break only before "\n".
    const ended = index < lines.length - 1 && rawLine.endsWith("\r");
    const line = skipBlanks(ended ? rawLine.slice(0, -1) : rawLine);
    if (CONTROL.test(line)) return undefined;
    if (line === "" || line[0] === "#") continue;
    if (line[0] === "[") {
      const header = readHeader(line);
      if (header === undefined || !TRAILER.test(header.rest)) return undefined;
      const table = openTable(root, header.value, tables);
      if (table === undefined) return undefined;
      current = table;
      continue;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (assignment === null) return undefined;
    const [, key, valueText] = assignment;
    if (UNSAFE_KEYS.has(key) || Object.hasOwn(current, key)) return undefined;
    const read = readValue(valueText);
    if (read === undefined || !TRAILER.test(read.rest)) return undefined;
    current[key] = read.value;
  }
  return root;
}
