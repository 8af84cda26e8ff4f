/**
 * Differential test of the frontmatter cache: whatever the cache file holds
 * (bit flips, truncations, another repo's cache, an old header, wrong types,
 * huge numbers, swapped paths, a symlink, a FIFO, a huge file), `sync`
 * writes the same DOCS_INDEX.md and TRACKS_INDEX.md as a run with no cache,
 * and doctor reports the same findings.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempDir, removeTempDir, runCli } from "./support/cli.ts";
import {
  damagedCopies,
  putVariant,
  specialFiles,
} from "./support/hostile_files.ts";
import { recordLine } from "../src/indexes/cache.ts";

const DOC = (i: number) =>
  i % 7 === 3
    ? "no frontmatter here\n"
    : i % 5 === 2
    ? `---\nsummary: Lenient: ${i}\nlast_updated: 2026-01-0${
      i % 9 + 1
    }\nread_when: [step ${i}]\n---\n`
    : `---\nsummary: "Summary number ${i} \\u00e9"\nlast_updated: 2026-01-0${
      i % 9 + 1
    }\nread_when: [topic ${i}, other ${i}]\n---\n`;

const TRACKER = (i: number) =>
  `---\nsummary: Tracker ${i}\nstatus: ${
    i % 2 ? "active" : "done"
  }\nlast_updated: 2026-01-01\nread_when: [resume ${i}]\n---\n`;

interface Outcome {
  docsIndex: string;
  tracksIndex: string;
  findings: unknown;
}

async function writeRepo(root: string, summaryTag = ""): Promise<void> {
  const init = await runCli(["init", root]);
  assert.equal(init.code, 0, init.stderr);
  for (let i = 0; i < 24; i++) {
    await Deno.writeTextFile(
      join(root, ".waypoint", "docs", `doc-${i}.md`),
      DOC(i).replace("Summary", `Summary${summaryTag}`),
    );
  }
  for (let i = 0; i < 4; i++) {
    await Deno.writeTextFile(
      join(root, ".waypoint", "track", `t-${i}.md`),
      TRACKER(i),
    );
  }
}

/**
 * Removes the scan memos below `cacheDir`, so the next run reads through
 * the frontmatter cache (a memo that matches answers before it).
 */
async function forgetScans(cacheDir: string | undefined): Promise<void> {
  if (cacheDir) {
    await Deno.remove(join(cacheDir, "scans"), { recursive: true }).catch(
      () => {},
    );
  }
}

async function outcome(
  root: string,
  env: Record<string, string | undefined>,
  withDoctor: boolean,
  cacheOnly = false,
): Promise<Outcome> {
  if (cacheOnly) await forgetScans(env.WAYPOINT_CACHE_DIR);
  const sync = await runCli(["sync", root], { env });
  assert.equal(sync.code, 0, sync.stderr);
  let findings: unknown = null;
  if (withDoctor) {
    if (cacheOnly) await forgetScans(env.WAYPOINT_CACHE_DIR);
    const doctor = await runCli(["doctor", "--json", root], { env });
    findings = JSON.parse(doctor.stdout).findings;
  }
  return {
    docsIndex: await Deno.readTextFile(
      join(root, ".waypoint", "DOCS_INDEX.md"),
    ),
    tracksIndex: await Deno.readTextFile(
      join(root, ".waypoint", "TRACKS_INDEX.md"),
    ),
    findings,
  };
}

/** The one cache file below `cacheDir`. */
function cacheFileIn(cacheDir: string): string {
  const names = [...Deno.readDirSync(join(cacheDir, "frontmatter"))].map((e) =>
    e.name
  ).filter((name) => name.endsWith(".json"));
  assert.equal(names.length, 1, names.join(", "));
  return join(cacheDir, "frontmatter", names[0]);
}

Deno.test("any cache file gives the same indexes and findings as no cache", async () => {
  const base = await makeTempDir("waypoint-cache-hostile-");
  try {
    const root = join(base, "repo");
    const other = join(base, "other");
    await writeRepo(root);
    await writeRepo(other, " (other repo)");
    // Files changed within two seconds of a run are never cached.
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const none = await outcome(
      root,
      { WAYPOINT_INDEX_CACHE_MIN: undefined },
      true,
    );
    const cacheDir = join(base, "cache");
    const env = { WAYPOINT_CACHE_DIR: cacheDir, WAYPOINT_INDEX_CACHE_MIN: "0" };
    const otherDir = join(base, "other-cache");
    await outcome(other, { ...env, WAYPOINT_CACHE_DIR: otherDir }, false);
    const otherCache = await Deno.readFile(cacheFileIn(otherDir));
    // The first run writes the cache, the second is served from it.
    await outcome(root, env, false);
    const file = cacheFileIn(cacheDir);
    const good = await Deno.readFile(file);
    const served = await outcome(root, env, true, true);
    assert.deepEqual(served, none, "a good cache gives the same result");
    assert.deepEqual(await Deno.readFile(file), good, "and is kept as it is");

    const text = new TextDecoder().decode(good);
    const [header, ...lines] = text.trimEnd().split("\n");
    const { root: cachedRoot } = JSON.parse(header);
    const records = lines.map((line) => JSON.parse(line).slice(0, -1));
    const routable = records.filter((r) => r[5] === "r");
    assert.ok(routable.length >= 10 && records.length > routable.length);
    const encode = (parts: string[]) =>
      new TextEncoder().encode(parts.join("\n") + "\n");
    /** A cache whose records were rewritten (with right checksums, unless `raw`). */
    const rewritten = (
      change: (record: unknown[]) => unknown[],
      raw = false,
    ) =>
      encode([
        header,
        ...records.map((record) => {
          const changed = change([...record]);
          return raw
            ? JSON.stringify(changed)
            : recordLine(cachedRoot, changed);
        }),
      ]);

    const variants = damagedCopies(good, header.length + 1, 32, 24, 21);
    variants.push(
      ["another repo's cache", otherCache],
      [
        "another repo's cache under this root",
        new TextEncoder().encode(
          new TextDecoder().decode(otherCache).replace(
            JSON.stringify(other),
            JSON.stringify(cachedRoot),
          ),
        ),
      ],
      [
        "an old version's header",
        encode([
          JSON.stringify({ format: 3, waypoint: "0.9.0", root: cachedRoot }),
          ...records.map((r) => JSON.stringify(r)),
        ]),
      ],
      [
        "this version's header, records without checksums",
        encode([header, ...records.map((r) => JSON.stringify(r))]),
      ],
      [
        "summaries edited, checksums kept",
        encode([
          header,
          ...lines.map((line) => line.replace("Summary number", "Garbled sum")),
        ]),
      ],
      [
        "a number for a summary",
        rewritten((r) => r[5] === "r" ? (r[6] = 42, r) : r),
      ],
      [
        "a string for read_when",
        rewritten((r) => r[5] === "r" ? (r[8] = "topic", r) : r),
      ],
      [
        "a table for a status",
        rewritten((r) => (r[5] === "r" ? (r[9] = {}) : (r[7] = {}), r)),
      ],
      [
        "a huge lenient line number",
        rewritten((r) => r[5] === "r" ? (r[10] = 1e300, r) : r),
      ],
      [
        "a negative lenient line number",
        rewritten((r) => r[5] === "r" ? (r[10] = -3, r) : r),
      ],
      [
        "a fractional lenient line number",
        rewritten((r) => r[5] === "r" ? (r[10] = 2.5, r) : r),
      ],
      [
        "an invalid doc's flag out of range",
        rewritten((r) => r[5] === "i" ? (r[8] = 7, r) : r),
      ],
      [
        "extra fields",
        rewritten((r) => [...r, "extra"]),
      ],
      [
        "records pointing at each other's paths",
        encode([
          header,
          ...records.map((r, i) =>
            recordLine(cachedRoot, [
              records[(i + 1) % records.length][0],
              ...r.slice(1),
            ])
          ),
        ]),
      ],
      [
        "paths swapped without new checksums",
        encode([
          header,
          ...lines.map((line, i) =>
            line.replace(
              JSON.stringify(records[i][0]),
              JSON.stringify(records[(i + 1) % records.length][0]),
            )
          ),
        ]),
      ],
      [
        "lines in reverse order (each found out of order)",
        encode([header, ...lines.slice().reverse()]),
      ],
      [
        "a 3 MB damaged line first, longer than a read window",
        encode([header, `["${"x".repeat(3 * 1024 * 1024)}`, ...lines]),
      ],
      ["a header only", encode([header])],
      [
        "a symlink to another repo's cache",
        async (path) => {
          const target = join(base, "linked.json");
          await Deno.writeFile(target, otherCache);
          await Deno.symlink(target, path);
        },
      ],
      ...specialFiles(base, good, 300 * 1024 * 1024),
    );

    const differed: string[] = [];
    for (const [index, [label, content]] of variants.entries()) {
      await putVariant(file, content);
      // Doctor on every special case and every fourth generated one.
      const withDoctor = index % 4 === 0 ||
        !/^(bit flip|truncated)/.test(label);
      const result = await outcome(root, env, withDoctor, true);
      if (result.docsIndex !== none.docsIndex) {
        differed.push(`${label}: DOCS_INDEX.md`);
      }
      if (result.tracksIndex !== none.tracksIndex) {
        differed.push(`${label}: TRACKS_INDEX.md`);
      }
      if (
        withDoctor &&
        JSON.stringify(result.findings) !== JSON.stringify(none.findings)
      ) {
        differed.push(`${label}: doctor findings`);
      }
    }
    assert.deepEqual(
      differed,
      [],
      `${differed.length} differences over ${variants.length} cache files`,
    );
  } finally {
    await removeTempDir(base);
  }
});
