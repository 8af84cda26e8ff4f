/**
 * The scan memo (`src/indexes/scan_memo.ts`): a warm scan is answered from
 * it without a doc being read, and whatever the memo file holds (bit flips,
 * truncations, another repo's memo, an old version's, a stale one, a
 * symlink, a FIFO, a huge file), `sync` writes the same indexes and
 * `doctor` reports the same findings as a run with no cache at all.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  makeTempDir,
  PROJECT_ROOT,
  removeTempDir,
  runCli,
} from "./support/cli.ts";
import {
  damagedCopies,
  putVariant,
  specialFiles,
} from "./support/hostile_files.ts";

/** Routable, lenient (strict YAML refuses it) and invalid docs, by index. */
const DOC = (i: number, tag = "") =>
  i % 7 === 3
    ? "no frontmatter here\n"
    : i % 5 === 2
    ? `---\nsummary: Lenient: ${i}${tag}\nlast_updated: 2026-01-0${
      i % 9 + 1
    }\nread_when:\n  - step ${i}\n---\n`
    : `---\nsummary: "Summary ${i}${tag} \\u00e9"\nlast_updated: 2026-01-0${
      i % 9 + 1
    }\nread_when: [topic ${i}, other ${i}]\n---\n`;

async function writeRepo(root: string, tag = ""): Promise<void> {
  const init = await runCli(["init", root]);
  assert.equal(init.code, 0, init.stderr);
  for (let i = 0; i < 30; i++) {
    await Deno.writeTextFile(
      join(root, ".waypoint", "docs", `doc-${i}.md`),
      DOC(i, tag),
    );
  }
  // Docs read whole but unreadable as text: their problems are remembered.
  await Deno.writeFile(
    join(root, ".waypoint", "docs", "binary.md"),
    new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x0a]),
  );
  await Deno.writeFile(
    join(root, ".waypoint", "docs", "latin-1.md"),
    new TextEncoder().encode("---\nsummary: caf\u0000\n---\n").map((
      byte,
    ) => byte === 0 ? 0xe9 : byte),
  );
  // A doc reached through a symlink: its real path differs from its path.
  await Deno.mkdir(join(root, "notes"));
  await Deno.writeTextFile(join(root, "notes", "linked.md"), DOC(1, " link"));
  await Deno.symlink(
    "../../notes/linked.md",
    join(root, ".waypoint", "docs", "linked.md"),
  );
}

interface Outcome {
  docsIndex: string;
  tracksIndex: string;
  findings: unknown;
}

async function outcome(
  root: string,
  env: Record<string, string | undefined>,
): Promise<Outcome> {
  const sync = await runCli(["sync", root], { env });
  assert.equal(sync.code, 0, sync.stderr);
  const doctor = await runCli(["doctor", "--json", root], { env });
  const read = (name: string) =>
    Deno.readTextFile(join(root, ".waypoint", name));
  return {
    docsIndex: await read("DOCS_INDEX.md"),
    tracksIndex: await read("TRACKS_INDEX.md"),
    findings: JSON.parse(doctor.stdout).findings,
  };
}

/** The one memo file below `cacheDir`. */
function memoIn(cacheDir: string): string {
  const names = [...Deno.readDirSync(join(cacheDir, "scans"))].map((entry) =>
    entry.name
  );
  assert.equal(names.length, 1, names.join(", "));
  return join(cacheDir, "scans", names[0]);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 2100));

const PROBE = join(PROJECT_ROOT, "tests", "support", "scan_probe.ts");

/** The docs scan of `root` in a fresh process (`stat-only`: no doc may be read); undefined when it failed. */
async function probe(
  root: string,
  env: Record<string, string>,
  statOnly = false,
): Promise<Record<string, unknown> | undefined> {
  const run = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      PROBE,
      root,
      ...(statOnly ? ["stat-only"] : []),
    ],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return run.success
    ? JSON.parse(new TextDecoder().decode(run.stdout))
    : undefined;
}

Deno.test("a warm scan is answered by the memo without reading a doc, and a changed doc is read again", async () => {
  const base = await makeTempDir("waypoint-memo-");
  try {
    const root = join(base, "repo");
    await writeRepo(root);
    // Files changed within two seconds of a run are never remembered.
    await pause();
    const env = {
      WAYPOINT_CACHE_DIR: join(base, "cache"),
      WAYPOINT_INDEX_CACHE_MIN: "0",
    };
    assert.equal(await probe(root, env, true), undefined, "no memo yet");
    const read = await probe(root, env);
    assert.ok(read);
    assert.ok((read.count as number) >= 20);
    assert.ok((read.invalid as unknown[]).length > 0);
    assert.ok((read.lenient as unknown[]).length > 0);
    assert.deepEqual(read.problems, [
      {
        path: ".waypoint/docs/binary.md",
        message: "is a binary file, not text",
      },
      { path: ".waypoint/docs/latin-1.md", message: "is not valid UTF-8 text" },
    ]);
    assert.deepEqual(await probe(root, env, true), read, "served by the memo");

    // A hand-edited index is judged, and rebuilt, against the memo's listing.
    const sync = await runCli(["sync", root], { env });
    assert.equal(sync.code, 0, sync.stderr);
    const indexPath = join(root, ".waypoint", "DOCS_INDEX.md");
    const index = await Deno.readTextFile(indexPath);
    assert.match(index, /Summary 1 /);
    await Deno.writeTextFile(indexPath, index.replace("Summary 1 ", "Edited "));
    const doctor = await runCli(["doctor", "--json", root], { env });
    assert.match(
      JSON.stringify(JSON.parse(doctor.stdout).findings),
      /DOCS_INDEX\.md is stale/,
    );
    const rebuilt = await runCli(["sync", root], { env });
    assert.match(rebuilt.stdout, /Rebuilt \.waypoint\/DOCS_INDEX\.md/);
    assert.equal(await Deno.readTextFile(indexPath), index);
    assert.deepEqual(await probe(root, env, true), read, "still the memo's");

    // Same size, same mtime, new content: only the ctime tells, and it must.
    const path = join(root, ".waypoint", "docs", "doc-0.md");
    const info = await Deno.stat(path);
    await Deno.writeTextFile(path, DOC(0).replace("Summary 0", "Summary X"));
    await Deno.utime(path, info.atime!, info.mtime!);
    assert.equal(await probe(root, env, true), undefined, "the memo missed");
    const changed = await probe(root, env);
    assert.match(String(changed?.listing), /Summary X/);
  } finally {
    await removeTempDir(base);
  }
});

Deno.test("any memo file gives the same indexes and findings as no cache", async () => {
  const base = await makeTempDir("waypoint-memo-hostile-");
  try {
    const root = join(base, "repo");
    const other = join(base, "other");
    await writeRepo(root);
    await writeRepo(other, " (other repo)");
    await pause();
    const none = await outcome(root, { WAYPOINT_INDEX_CACHE_MIN: undefined });
    const cacheDir = join(base, "cache");
    const env = { WAYPOINT_CACHE_DIR: cacheDir, WAYPOINT_INDEX_CACHE_MIN: "0" };
    const otherDir = join(base, "other-cache");
    await outcome(other, { ...env, WAYPOINT_CACHE_DIR: otherDir });
    const otherMemo = await Deno.readFile(memoIn(otherDir));
    await outcome(root, env);
    const file = memoIn(cacheDir);
    const good = await Deno.readFile(file);
    assert.deepEqual(await outcome(root, env), none, "a good memo");
    assert.deepEqual(await Deno.readFile(file), good, "and is kept");

    const headerBytes = good.indexOf(0x0a) + 1;
    const header = new TextDecoder().decode(good.subarray(0, headerBytes));
    const withHeader = (text: string) =>
      new Uint8Array([
        ...new TextEncoder().encode(text),
        ...good.subarray(headerBytes),
      ]);
    const variants = damagedCopies(good, headerBytes, 24, 12, 33);
    const otherText = new TextDecoder().decode(otherMemo);
    variants.push(
      ["another repo's memo", otherMemo],
      [
        "another repo's memo under this root",
        new TextEncoder().encode(
          otherText.replace(JSON.stringify(other), JSON.stringify(root)),
        ),
      ],
      [
        "an old version's header",
        withHeader(header.replace(/"waypoint":"[^"]*"/, '"waypoint":"0.9.0"')),
      ],
      [
        "another docs root's header",
        withHeader(header.replace('"dir":".waypoint/docs"', '"dir":"docs"')),
      ],
      [
        "a file count one short",
        withHeader(
          header.replace(/"files":(\d+)/, (_, n) => `"files":${Number(n) - 1}`),
        ),
      ],
      [
        "lengths moved between parts",
        withHeader(
          header.replace(
            /"outcome":(\d+),"paths":(\d+)/,
            (_, a, b) => `"outcome":${Number(a) + 4},"paths":${Number(b) - 4}`,
          ),
        ),
      ],
      ["a header that is not JSON", withHeader("{not json\n")],
      ["extra bytes at the end", new Uint8Array([...good, 0x0a])],
      ...specialFiles(base, good, 600 * 1024 * 1024),
    );

    const differed: string[] = [];
    for (const [label, content] of variants) {
      await putVariant(file, content);
      const result = await outcome(root, env);
      for (const key of ["docsIndex", "tracksIndex", "findings"] as const) {
        if (JSON.stringify(result[key]) !== JSON.stringify(none[key])) {
          differed.push(`${label}: ${key}`);
        }
      }
    }
    assert.deepEqual(
      differed,
      [],
      `${differed.length} differences over ${variants.length} memo files`,
    );

    // A memo from before an edit: the edited doc's key no longer matches.
    await Deno.remove(file, { recursive: true }).catch(() => {});
    await outcome(root, env);
    const before = await Deno.readFile(memoIn(cacheDir));
    await Deno.writeTextFile(
      join(root, ".waypoint", "docs", "doc-4.md"),
      DOC(4, " edited"),
    );
    await Deno.remove(join(root, ".waypoint", "docs", "doc-5.md"));
    const fresh = await outcome(root, { WAYPOINT_INDEX_CACHE_MIN: undefined });
    assert.match(fresh.docsIndex, /Summary 4 edited/);
    await Deno.writeFile(memoIn(cacheDir), before);
    assert.deepEqual(await outcome(root, env), fresh, "a stale memo");
  } finally {
    await removeTempDir(base);
  }
});
