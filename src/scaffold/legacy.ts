/**
 * What the published Node package (`waypoint-codex` 0.1 to 1.1.3) wrote: the
 * sha256 of every file it could copy from its templates, by path, embedded at
 * build time. A file whose hash is listed for its path was written by that
 * package and never edited since, so a refresh may update or retire it
 * without asking; anything else is the user's.
 *
 * @module
 */
import table from "./legacy_hashes.json" with { type: "json" };

/**
 * Paths the package wrote in two places over its versions: early versions at
 * the repo root or `docs/`, later ones under `.waypoint/`. A hash listed for
 * either place proves the file at both.
 */
const ALIASES: Readonly<Record<string, string>> = {
  "WORKSPACE.md": ".waypoint/WORKSPACE.md",
  "MEMORY.md": ".waypoint/MEMORY.md",
  "docs/README.md": ".waypoint/docs/README.md",
  "docs/code-guide.md": ".waypoint/docs/code-guide.md",
};

/** The shape of `legacy_hashes.json`. */
export interface LegacyTable {
  about: string;
  files: Record<string, string[]>;
}

function buildIndex(source: LegacyTable): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  const add = (path: string, hashes: string[]) => {
    const set = index.get(path) ?? new Set<string>();
    for (const hash of hashes) set.add(hash);
    index.set(path, set);
  };
  for (const [path, hashes] of Object.entries(source.files)) {
    add(path, hashes);
    const alias = ALIASES[path] ??
      Object.entries(ALIASES).find(([, later]) => later === path)?.[0];
    if (alias) add(alias, hashes);
  }
  return index;
}

/**
 * Why a table is not well formed, or `undefined`: keys must be plain
 * repo-relative paths, values non-empty lists of lowercase hex sha256.
 */
export function legacyTableProblem(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return "not an object";
  const record = data as Record<string, unknown>;
  if (typeof record.about !== "string") return "no 'about' text";
  const files = record.files;
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    return "no 'files' mapping";
  }
  for (const [path, hashes] of Object.entries(files)) {
    if (
      path === "" || path.startsWith("/") || path.split("/").includes("..") ||
      path.includes("\\")
    ) return `bad path ${JSON.stringify(path)}`;
    if (
      !Array.isArray(hashes) || hashes.length === 0 ||
      hashes.some((hash) =>
        typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)
      )
    ) return `bad hash list for ${path}`;
  }
  return undefined;
}

function loadExtraTable(): LegacyTable | undefined {
  // Tests inject synthetic entries; the real table has no test-only content.
  const extra = Deno.env.get("WAYPOINT_TEST_LEGACY_TABLE");
  if (!extra) return undefined;
  const data = JSON.parse(Deno.readTextFileSync(extra));
  const problem = legacyTableProblem(data);
  if (problem) throw new Error(`WAYPOINT_TEST_LEGACY_TABLE: ${problem}`);
  return data as LegacyTable;
}

let index: Map<string, Set<string>> | undefined;

function legacyIndex(): Map<string, Set<string>> {
  if (!index) {
    index = buildIndex(table as LegacyTable);
    const extra = loadExtraTable();
    if (extra) {
      for (const [path, hashes] of buildIndex(extra)) {
        const set = index.get(path) ?? new Set<string>();
        for (const hash of hashes) set.add(hash);
        index.set(path, set);
      }
    }
  }
  return index;
}

/** The embedded table as shipped (for its own test). */
export function embeddedLegacyTable(): LegacyTable {
  return table as LegacyTable;
}

/** Whether the published package wrote exactly these bytes (hash) at `path`. */
export function isLegacyTemplate(path: string, sha256: string): boolean {
  return legacyIndex().get(path)?.has(sha256) ?? false;
}

/** Every path the published package could have written, aliases included. */
export function legacyPaths(): string[] {
  return [...legacyIndex().keys()].sort();
}
