/**
 * The line format the published Node package read frontmatter with: every
 * `key: value` line sets a key (the text after the first `: `, surrounding
 * quotes removed; a later line with the same key wins) and every `- item`
 * line adds to the list of the last key that had no value. Strict YAML
 * refuses some of what this reads (`summary: Deploys: how they work`,
 * `- step: deploy`, duplicate keys, values starting with `*`), so the
 * indexes fall back to it to keep such docs routed, with a warning.
 *
 * @module
 */

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;
const ITEM_LINE = /^[ \t]*-[ \t]+(.*?)[ \t]*$/;

function unquote(value: string): string {
  if (
    value.length >= 2 &&
    (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]
  ) return value.slice(1, -1);
  return value;
}

/** Reads `yaml` (the text between the `---` lines) the old package's way. */
export function readLegacyLines(yaml: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let listKey: string | undefined;
  for (const raw of yaml.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const pair = KEY_LINE.exec(line);
    if (pair && pair[1] !== "__proto__") {
      const value = pair[2] ?? "";
      if (value === "") {
        data[pair[1]] = [];
        listKey = pair[1];
      } else {
        data[pair[1]] = unquote(value);
        listKey = undefined;
      }
      continue;
    }
    const item = ITEM_LINE.exec(line);
    if (item && listKey !== undefined && item[1] !== "") {
      (data[listKey] as string[]).push(unquote(item[1]));
    }
  }
  return data;
}
