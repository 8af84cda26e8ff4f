/**
 * A fast reader for the YAML shape of a skill's `agents/openai.yaml`:
 * top-level `key: value` lines and one level of indented `key: value`
 * lines under an empty key, with the plain, single- or double-quoted text
 * values of the frontmatter reader (`src/indexes/plain_yaml.ts`) and the
 * booleans `true` and `false`. Anything else (lists, deeper maps, comments
 * after a value or indented, odd indentation, duplicate keys, tabs, …)
 * makes it give up, and the caller hands the text to js-yaml.
 * `tests/plain_mappings_test.ts` proves it agrees with js-yaml's core
 * schema on every text it accepts.
 *
 * @module
 */
import { plainScalar } from "../indexes/plain_yaml.ts";

const KEY_LINE = /^( *)([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +(.*))?$/;

function value(raw: string): string | boolean | undefined {
  const trimmed = raw.replace(/ +$/, "");
  if (trimmed === "true") return true;
  if (trimmed === "false") return false;
  return plainScalar(raw);
}

/**
 * The mapping `yaml` holds, exactly as js-yaml's core schema reads it, or
 * `undefined` when the text is not plain enough to be sure.
 */
export function readPlainMappings(
  yaml: string,
): Record<string, unknown> | undefined {
  const data: Record<string, unknown> = {};
  const lines = yaml.split("\n");
  if (lines.at(-1) === "") lines.pop();
  // The open block's mapping and its indentation (-1 until its first line).
  let block: Record<string, unknown> | undefined;
  let indent = -1;
  let keys = 0;
  for (let line of lines) {
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.includes("\r") || line.includes("\t")) return undefined;
    if (/^ *$/.test(line)) continue;
    if (line.startsWith("#")) continue;
    const pair = KEY_LINE.exec(line);
    if (!pair) return undefined;
    const [, spaces, key, raw = ""] = pair;
    const empty = /^ *$/.test(raw);
    if (spaces.length > 0) {
      if (block === undefined || empty) return undefined;
      if (indent === -1) indent = spaces.length;
      else if (spaces.length !== indent) return undefined;
      if (key === "__proto__" || Object.hasOwn(block, key)) return undefined;
      const parsed = value(raw);
      if (parsed === undefined) return undefined;
      block[key] = parsed;
      continue;
    }
    if (key === "__proto__" || Object.hasOwn(data, key)) return undefined;
    keys++;
    if (block !== undefined && indent === -1) {
      // The previous empty key had no indented lines: it holds null.
      return undefined;
    }
    block = undefined;
    if (empty) {
      block = {};
      indent = -1;
      data[key] = block;
      continue;
    }
    const parsed = value(raw);
    if (parsed === undefined) return undefined;
    data[key] = parsed;
  }
  if (keys === 0 || (block !== undefined && indent === -1)) return undefined;
  return data;
}
