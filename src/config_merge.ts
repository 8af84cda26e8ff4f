/**
 * Merging the config template into a user's `.waypoint/config.toml` without
 * losing anything they set: only missing keys are inserted, each where the
 * TOML parser proves it lands, and the user's lines stay byte for byte.
 *
 * @module
 */
import { parse } from "smol-toml";
import {
  CONFIG_PATH,
  findKeyLine,
  parseToml,
  type TomlTable,
  validateConfig,
} from "./config.ts";
import { sameJson } from "./same_json.ts";

/**
 * Merges the template into the user's config text. Keys the user set are
 * kept byte for byte (comments too); only missing keys are inserted, using the
 * template's lines. `profile`, when given, replaces the saved profile.
 * Returns the template (with `profile`) when there is no user file.
 *
 * Where a key goes is decided by the TOML parser, not by the look of a line:
 * each candidate place is tried and kept only when the parsed result is the
 * user's table plus exactly that key. A `[features]` line inside a multi-line
 * string is therefore never taken for a header, and a second run finds every
 * key present and returns the text unchanged.
 */
export function mergeConfigText(
  existing: string | undefined,
  template: string,
  profile?: string,
): string {
  const base = existing ?? template;
  const user = parseToml(base, CONFIG_PATH);
  validateConfig(user, base);
  const templateTable = parseToml(template, "templates/.waypoint/config.toml");
  const templateLines = template.split("\n");
  const eol = base.includes("\r\n") ? "\r\n" : "\n";
  let lines = base.split(/\r?\n/);
  let parsed = user;

  const templateLine = (key: string, section?: string): string => {
    const line = findKeyLine(template, key, section);
    if (!line) throw new Error(`internal: template config lacks ${key}`);
    return templateLines[line - 1].trimEnd();
  };
  /** Takes `next` as the text when it parses to exactly `expected`. */
  const acceptIfParsed = (next: string[], expected: TomlTable): boolean => {
    const table = tryParse(next.join("\n"));
    if (!table || !sameTable(table, expected)) return false;
    lines = next;
    parsed = table;
    return true;
  };
  /** Inserts `inserted` at the first candidate index whose parse is exactly `expected`. */
  const insertWhereParsed = (
    candidates: number[],
    inserted: string[],
    expected: TomlTable,
  ): boolean =>
    candidates.some((at) =>
      acceptIfParsed(
        [...lines.slice(0, at), ...inserted, ...lines.slice(at)],
        expected,
      )
    );

  const topMissing = Object.keys(templateTable).filter((key) => {
    if (typeof templateTable[key] === "object") return false;
    if (key === "docs_dir" && user.docs_dirs !== undefined) return false;
    return user[key] === undefined;
  });
  if (topMissing.length) {
    const expected = { ...parsed };
    for (const key of topMissing) expected[key] = templateTable[key];
    const firstHeader = lines.findIndex((line) => /^\s*\[/.test(line));
    const candidates = [
      firstHeader === -1 ? trimmedLength(lines) : firstHeader,
      0,
    ];
    insertWhereParsed(
      candidates,
      topMissing.map((key) => templateLine(key)),
      expected,
    );
  }

  for (const [section, value] of Object.entries(templateTable)) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      continue;
    }
    const userSection = parsed[section];
    if (
      userSection !== undefined &&
      (typeof userSection !== "object" || userSection === null ||
        Array.isArray(userSection))
    ) continue;
    const missing = Object.keys(value).filter((key) =>
      (userSection as TomlTable | undefined)?.[key] === undefined
    );
    if (!missing.length) continue;
    const inserted = missing.map((key) => templateLine(key, section));
    const expectedSection = { ...(userSection as TomlTable | undefined) };
    for (const key of missing) {
      expectedSection[key] = (value as TomlTable)[key];
    }
    const expected = { ...parsed, [section]: expectedSection };
    const header = new RegExp(`^\\s*\\[\\s*${section}\\s*\\]`);
    const candidates = lines.flatMap((line, index) =>
      header.test(line) ? [index + 1] : []
    );
    if (insertWhereParsed(candidates, inserted, expected)) continue;
    if (userSection === undefined) {
      const end = trimmedLength(lines);
      const appended = [
        ...lines.slice(0, end),
        "",
        `[${section}]`,
        ...inserted,
        ...lines.slice(end),
      ];
      acceptIfParsed(appended, expected);
    }
    // A dotted or inline `features` table the user wrote stays as it is; defaults cover the rest.
  }

  if (profile !== undefined && parsed.profile !== profile) {
    const expected = { ...parsed, profile };
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*profile\s*=/.test(lines[i])) continue;
      const replaced = lines[i].replace(
        /^(\s*profile\s*=\s*)("[^"]*"|'[^']*')/,
        `$1"${profile}"`,
      );
      const next = [...lines.slice(0, i), replaced, ...lines.slice(i + 1)];
      if (acceptIfParsed(next, expected)) break;
    }
  }
  let merged = lines.join(eol);
  if (!merged.endsWith(eol)) merged += eol;
  if (
    existing !== undefined &&
    merged.replace(/\s+$/, "") === existing.replace(/\s+$/, "")
  ) return existing;
  validateConfig(parseToml(merged, CONFIG_PATH), merged);
  return merged;
}

/** Deep equality of parsed TOML, ignoring key order and prototypes. */
function sameTable(a: TomlTable, b: TomlTable): boolean {
  return sameJson(a, b);
}

function tryParse(text: string): TomlTable | undefined {
  try {
    return parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

function trimmedLength(lines: string[]): number {
  let end = lines.length;
  while (end > 0 && lines[end - 1].trim() === "") end--;
  return end;
}
