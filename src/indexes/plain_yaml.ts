/**
 * A fast reader for the frontmatter almost every doc has: top-level
 * `key: value` lines and `- item` lists under an empty key, with plain,
 * single- or double-quoted text values. Anything it is not certain to read
 * exactly as js-yaml's core schema would (numbers, booleans, nulls spelled
 * out, escapes, anchors, aliases, nested maps, comments after values,
 * duplicate keys, tabs, …) makes it give up and name the line, and the
 * caller hands the text to js-yaml. `tests/plain_yaml_test.ts` proves the
 * two agree on everything this reader accepts.
 *
 * @module
 */

/** The outcome of {@link readPlainYaml}. */
export type PlainYaml =
  | { kind: "ok"; data: Record<string, unknown> }
  /** `line` is the 1-based line of the YAML text where the fast reader gave up. */
  | { kind: "unsure"; line: number };

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
// Printable text without tabs, control characters, lone surrogates or a BOM.
const PRINTABLE = /^[\x20-\x7E\u00A0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]*$/;
const PLAIN_START = /^[A-Za-z0-9_/(\u00A0-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]/;
// In block context a colon ends a plain scalar only before a space or the end
// of the line, and `#` starts a comment only after a space; flow brackets and
// commas are text there (the first character is checked apart).
const PLAIN_UNSAFE = /: |:$| #/;
const CORE_WORD =
  /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads one value as js-yaml's core schema would, or `undefined` when unsure. */
export function plainScalar(raw: string): string | undefined {
  // YAML trims spaces and tabs only (JS trim would also eat a BOM or NBSP).
  const value = raw.replace(/ +$/, "");
  if (value === "" || !PRINTABLE.test(value)) return undefined;
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    if (value.length < 2 || value[value.length - 1] !== quote) return undefined;
    const inner = value.slice(1, -1);
    if (inner.includes(quote) || (quote === '"' && inner.includes("\\"))) {
      return undefined;
    }
    return inner;
  }
  if (!PLAIN_START.test(value) || PLAIN_UNSAFE.test(value)) return undefined;
  if (CORE_WORD.test(value)) return undefined;
  if (/^[0-9]/.test(value) && !DATE.test(value)) return undefined;
  return value;
}

/** Reads `yaml` (the text between the `---` lines) if it is plain enough. */
export function readPlainYaml(yaml: string): PlainYaml {
  const data: Record<string, unknown> = {};
  const lines = yaml.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let listKey: string | undefined;
  let listIndent = -1;
  let keys = 0;
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index];
    if (line.endsWith("\r")) line = line.slice(0, -1);
    const unsure = { kind: "unsure", line: index + 1 } as const;
    if (line.includes("\r") || line.includes("\t")) return unsure;
    if (/^ *$/.test(line) || line.startsWith("#")) continue;
    const item = listKey === undefined ? null : ITEM_LINE.exec(line);
    if (item) {
      if (listIndent === -1) listIndent = item[1].length;
      else if (item[1].length !== listIndent) return unsure;
      const value = plainScalar(item[2]);
      if (value === undefined) return unsure;
      let list = data[listKey!];
      if (list === null) list = data[listKey!] = [];
      (list as string[]).push(value);
      continue;
    }
    const pair = KEY_LINE.exec(line);
    if (!pair) return unsure;
    const key = pair[1];
    if (key === "__proto__" || Object.hasOwn(data, key)) return unsure;
    keys++;
    const raw = pair[2] ?? "";
    if (/^ *$/.test(raw)) {
      data[key] = null;
      listKey = key;
      listIndent = -1;
      continue;
    }
    listKey = undefined;
    const value = plainScalar(raw);
    if (value === undefined) return unsure;
    data[key] = value;
  }
  if (keys === 0) return { kind: "unsure", line: 1 };
  return { kind: "ok", data };
}
