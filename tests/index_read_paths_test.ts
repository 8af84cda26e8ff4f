/**
 * The fast doc reader (`src/fs/doc_heads.ts`: FFI, folders held open) and
 * the cached index entries change nothing: over a generated corpus mixed
 * with hostile docs (links in and out of the repo, a FIFO, binary and
 * non-UTF-8 files, unclosed and oversized frontmatter, secrets and
 * invisible characters to redact and escape, odd file names, docs only the
 * old line format or js-yaml reads), `sync` writes byte-identical indexes
 * and prints the same lines, and `doctor` gives the same findings, whichever
 * reader runs, with no cache, a cold cache or a warm one. The reference is
 * the old path: Deno's file API, no cache, every entry rendered afresh.
 */
import { assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { posixOnly, requires } from "./support/requires.ts";
import { SECRET_SHAPES } from "./support/secret_corpus.ts";

/** The bench's generated doc (bench/scaffold.ts). */
function generatedDoc(index: number): string {
  return `---
summary: Generated doc ${index} about subsystem ${
    index % 37
  } and its failure modes
last_updated: "2026-11-${String(1 + (index % 28)).padStart(2, "0")}"
read_when:
  - changing subsystem ${index % 37}
  - debugging incident class ${index % 11}
---

# Doc ${index}

${"Body text that an agent would read when the routing says so. ".repeat(20)}
`;
}

const doc = (summary: string, readWhen = "[always]") =>
  `---\nsummary: ${
    JSON.stringify(summary)
  }\nlast_updated: "2026-01-01"\nread_when: ${readWhen}\n---\n`;

async function buildCorpus(dir: string, outside: string): Promise<void> {
  const docs = join(dir, ".waypoint", "docs");
  for (let i = 0; i < 700; i++) {
    await writeRepoFile(
      dir,
      `.waypoint/docs/area-${
        String(Math.floor(i / 100)).padStart(3, "0")
      }/doc-${i}.md`,
      generatedDoc(i),
    );
  }
  const hostile: Record<string, string | Uint8Array> = {
    "secrets/plain.md": doc("Nothing secret here"),
    "top.md": doc("A doc at the top of the docs root"),
    "deep/a/b/c/d/e.md": doc("Deep down"),
    "lenient.md":
      `---\nsummary: Deploys: how they work\nlast_updated: 2026-01-01\nread_when: [deploying]\n---\n`,
    "flow.md":
      `---\nsummary: >\n  Folded summary\n  over lines\nlast_updated: 2026-02-03\nread_when: [a, "b: c", 'd']\n---\n`,
    "crlf.md":
      `---\r\nsummary: CRLF doc\r\nlast_updated: "2026-01-01"\r\nread_when: [crlf]\r\n---\r\n`,
    "bom.md": `\ufeff${doc("Starts with a BOM")}`,
    "invisible.md": doc(
      "Zero\u200bwidth, tag\u{e0041}, bidi\u202e, bell\u0007",
    ),
    "no-frontmatter.md": "# Just a title\n",
    "unclosed.md": "---\nsummary: never closed\n",
    "oversized.md": `---\nsummary: big\n${"x: y\n".repeat(300_000)}`,
    "empty.md": "",
    "bare.md": "---\n---\n",
    "missing-fields.md": "---\nsummary: no read_when\n---\n",
    "alias-bomb.md":
      `---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nsummary: bomb\nlast_updated: "2026-01-01"\nread_when: [x]\n---\n`,
    "binary.md": new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x0a]),
    "latin1.md": new Uint8Array([
      ...new TextEncoder().encode("---\nsummary: caf"),
      0xe9,
      ...new TextEncoder().encode('\nlast_updated: "2026-01-01"\n---\n'),
    ]),
    'odd name "quoted" \\ back.md': doc("Odd name"),
    "ünïcode-é.md": doc("Non-ASCII name"),
    "_underscore.md": doc("Underscore name"),
    "README.md": doc("Never routed"),
    "status.md":
      `---\nsummary: With a status\nstatus: active\nlast_updated: "2026-01-01"\nread_when: [x]\n---\n`,
  };
  SECRET_SHAPES.forEach((shape, i) => {
    hostile[`secrets/shape-${i}.md`] = doc(
      `Secret ${shape.name}: ${shape.text}`,
      JSON.stringify([shape.text.split("\n")[0]]),
    );
  });
  for (const [name, content] of Object.entries(hostile)) {
    const path = join(docs, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
  await Deno.writeTextFile(join(outside, "outside.md"), doc("OUTSIDE"));
  await writeRepoFile(dir, "notes/inside.md", doc("Linked from inside"));
  await Deno.symlink(join(outside, "outside.md"), join(docs, "out-link.md"));
  await Deno.symlink(outside, join(docs, "out-dir"));
  await Deno.symlink(join(dir, "notes/inside.md"), join(docs, "in-link.md"));
  await Deno.symlink(join(dir, "notes"), join(docs, "in-dir"));
  await Deno.symlink(join(docs, "nowhere.md"), join(docs, "broken.md"));
  await Deno.symlink(docs, join(docs, "deep", "loop"));
  const fifo = await new Deno.Command("mkfifo", {
    args: [join(docs, "fifo.md")],
  }).output();
  assertEquals(fifo.success, true, "mkfifo");
  for (const [name, status] of [["a", "active"], ["b", "done"], ["c", "?"]]) {
    await writeRepoFile(
      dir,
      `.waypoint/track/${name}.md`,
      `---\nsummary: Tracker ${name}\nstatus: ${status}\nlast_updated: "2026-01-01"\nread_when: [x]\n---\n`,
    );
  }
}

interface Outcome {
  sync: { code: number; stdout: string; stderr: string };
  docsIndex: Uint8Array;
  tracksIndex: Uint8Array;
  doctor: { code: number; stdout: string; stderr: string };
}

async function outcome(
  dir: string,
  env: Record<string, string>,
): Promise<Outcome> {
  const docsIndex = join(dir, ".waypoint", "DOCS_INDEX.md");
  const tracksIndex = join(dir, ".waypoint", "TRACKS_INDEX.md");
  await Deno.remove(docsIndex).catch(() => {});
  await Deno.remove(tracksIndex).catch(() => {});
  const sync = await runCli(["sync", dir], { env });
  const doctor = await runCli(["doctor", dir], { env });
  return {
    sync: { code: sync.code, stdout: sync.stdout, stderr: sync.stderr },
    docsIndex: await Deno.readFile(docsIndex),
    tracksIndex: await Deno.readFile(tracksIndex),
    doctor: { code: doctor.code, stdout: doctor.stdout, stderr: doctor.stderr },
  };
}

Deno.test(
  requires(
    "the fast reader and the cached entries give the old path's indexes and findings, byte for byte",
    posixOnly(),
  ),
  async () => {
    const dir = await makeTempDir();
    const outside = await makeTempDir("waypoint-outside-");
    const caches = await makeTempDir("waypoint-cache-");
    try {
      assertEquals((await runCli(["init", dir])).code, 0);
      await buildCorpus(dir, outside);
      // Files changed within two seconds of a run are never cached.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const noCache = { WAYPOINT_INDEX_CACHE_MIN: "100000000" };
      const withCache = (name: string) => ({
        WAYPOINT_INDEX_CACHE_MIN: "0",
        WAYPOINT_CACHE_DIR: join(caches, name),
      });
      const reference = await outcome(dir, {
        ...noCache,
        WAYPOINT_DOC_HEADS: "deno",
        WAYPOINT_CACHE_DIR: join(caches, "none"),
      });
      // The corpus reaches every kind of finding it was built for.
      for (
        const expected of [
          "out-link.md",
          "fifo.md",
          "binary.md",
          "latin1.md",
          "lenient.md",
          "unclosed.md",
          "oversized.md",
        ]
      ) {
        assertEquals(
          reference.sync.stdout.includes(expected) ||
            reference.sync.stderr.includes(expected),
          true,
          `sync names ${expected}`,
        );
      }
      const variants: [string, Record<string, string>][] = [
        ["fast reader, no cache", { ...noCache }],
        ["fast reader, cold cache", withCache("fast")],
        ["fast reader, warm cache", withCache("fast")],
        ["fast reader, warm cache again", withCache("fast")],
        ["Deno reader, cold cache", {
          ...withCache("deno"),
          WAYPOINT_DOC_HEADS: "deno",
        }],
        ["Deno reader, warm cache", {
          ...withCache("deno"),
          WAYPOINT_DOC_HEADS: "deno",
        }],
        // A cache the other reader wrote serves this one the same.
        ["fast reader on the Deno reader's cache", withCache("deno")],
        // The docs listing written to a temporary file from its first byte,
        // and past 1 KB, is written and compared the same.
        ["docs listing spooled from its first byte", {
          ...noCache,
          WAYPOINT_INDEX_SPOOL_BYTES: "0",
        }],
        ["docs listing spooled past 1 KB, warm cache", {
          ...withCache("fast"),
          WAYPOINT_INDEX_SPOOL_BYTES: "1024",
        }],
      ];
      for (const [name, env] of variants) {
        const got = await outcome(dir, env);
        assertEquals(got.sync, reference.sync, `${name}: sync output`);
        assertEquals(got.docsIndex, reference.docsIndex, `${name}: docs index`);
        assertEquals(
          got.tracksIndex,
          reference.tracksIndex,
          `${name}: tracks index`,
        );
        assertEquals(got.doctor, reference.doctor, `${name}: doctor`);
      }
      // The warm runs were served from the cache: its records hold the entries.
      for (const name of ["fast", "deno"]) {
        const folder = join(caches, name, "frontmatter");
        const [file] = [...Deno.readDirSync(folder)];
        const lines = (await Deno.readTextFile(join(folder, file.name)))
          .trimEnd().split("\n").slice(1).map((line) => JSON.parse(line));
        assertEquals(
          lines.filter((r) => r[5] === "r" && r[12] !== "").length >= 700,
          true,
          `${name}: cached entries`,
        );
      }
    } finally {
      await removeTempDir(dir);
      await removeTempDir(outside);
      await removeTempDir(caches);
    }
  },
);
