/**
 * `SpooledBytes` holds exactly the UTF-8 of what was appended, whatever its
 * memory limit (so wherever it moves to its file), reads back the same any
 * number of times, leaves no file with a name behind, and stays in memory
 * when no temporary file can be made; a docs index read from a spool is
 * judged like one held in memory.
 *
 * @module
 */
import { join } from "node:path";
import { assertEquals } from "./support/assert.ts";
import { PROJECT_ROOT } from "./support/cli.ts";
import { SpooledBytes } from "../src/indexes/spool.ts";
import { concatBytes } from "../src/bytes.ts";
import { judgeIndexTarget } from "../src/indexes/generated.ts";
import { Repo } from "../src/fs/mod.ts";
import { pathToFileURL } from "node:url";

/** A small seeded generator, so a failure names a reproducible case. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = [
  "a",
  "é",
  "\u{1F600}",
  "\n",
  "- **x** — y\n",
  "\ud800",
  "\udc00",
];

function texts(seed: number): string[] {
  const random = generator(seed);
  return Array.from({ length: 1 + Math.floor(random() * 60) }, () => {
    let text = "";
    for (let n = Math.floor(random() * 40); n > 0; n--) {
      text += PIECES[Math.floor(random() * PIECES.length)];
    }
    return text;
  });
}

/** `bytes` with the digit of "doc 150" turned into another: same size, still an index. */
function digitChanged(bytes: Uint8Array): Uint8Array {
  const changed = bytes.slice();
  const at = new TextDecoder().decode(bytes).indexOf("doc 150") + 6;
  changed[at] = changed[at] === 0x30 ? 0x39 : 0x30;
  return changed;
}

/** The bytes the spool should hold: each text encoded on its own, in order. */
function expected(parts: string[]): Uint8Array {
  const encoder = new TextEncoder();
  return concatBytes(parts.map((part) => encoder.encode(part)));
}

function spooledNames(): string[] {
  const dir = Deno.env.get("TMPDIR") || "/tmp";
  return [...Deno.readDirSync(dir)]
    .map((entry) => entry.name)
    .filter((name) => name.startsWith("waypoint-index-"));
}

Deno.test("a spool holds the bytes appended, in memory or in its file, read back any number of times", () => {
  const before = new Set(spooledNames());
  for (let seed = 1; seed <= 200; seed++) {
    const parts = texts(seed);
    const want = expected(parts);
    for (const limit of [0, 1, 7, 100, 1000, Infinity]) {
      const spool = new SpooledBytes(limit);
      try {
        for (const part of parts) spool.appendText(part);
        assertEquals(
          spool.byteLength,
          want.length,
          `seed ${seed} limit ${limit}`,
        );
        for (const round of [1, 2]) {
          assertEquals(
            concatBytes([...spool.chunks()]),
            want,
            `seed ${seed} limit ${limit} read ${round}`,
          );
        }
        if (Deno.build.os !== "windows") {
          // Open, the file has no name: nothing is left to clean up.
          assertEquals(
            spooledNames().filter((name) => !before.has(name)),
            [],
            `seed ${seed} limit ${limit}`,
          );
        }
      } finally {
        spool.close();
      }
    }
  }
});

Deno.test("a closed spool refuses more text", () => {
  const spool = new SpooledBytes(0);
  spool.appendText("x");
  spool.close();
  let refused = false;
  try {
    spool.appendText("y");
  } catch {
    refused = true;
  }
  assertEquals(refused, true);
});

Deno.test("with no temporary file to be had, a spool keeps its bytes in memory", async () => {
  const probe = `
import { SpooledBytes } from "${
    pathToFileURL(join(PROJECT_ROOT, "src/indexes/spool.ts"))
  }";
const spool = new SpooledBytes(0);
for (let i = 0; i < 1000; i++) spool.appendText("line " + i + "\\n");
const text = new TextDecoder().decode(new Uint8Array([...spool.chunks()].flatMap((c) => [...c])));
console.log(JSON.stringify({ length: spool.byteLength, ok: text.startsWith("line 0\\n") && text.endsWith("line 999\\n") }));
`;
  const tmp = await Deno.makeTempDir();
  try {
    for (
      const [label, args, env] of [
        ["TMPDIR names no folder", [], { TMPDIR: join(tmp, "missing") }],
        ["writing the temporary folder is denied", [`--deny-write=${tmp}`], {
          TMPDIR: tmp,
        }],
      ] as [string, string[], Record<string, string>][]
    ) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["eval", "-A", ...args, "--ext=ts", probe],
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      assertEquals(output.success, true, `${label}: ${stderr}`);
      const result = JSON.parse(new TextDecoder().decode(output.stdout));
      assertEquals(result.ok, true, label);
      assertEquals(
        result.length,
        expected(
          Array.from({ length: 1000 }, (_, i) => `line ${i}\n`),
        ).length,
        label,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("an index read from a spool is judged as one held in memory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const parts = [
      "# Docs Index\n\nAuto-generated by `waypoint sync` / `waypoint doctor`. Read matching docs before working on a task.\n\n## .waypoint/docs/\n\n",
      ...Array.from(
        { length: 300 },
        (_, i) => `- **.waypoint/docs/d${i}.md** — doc ${i}\n  Read when: x\n`,
      ),
    ];
    const spool = new SpooledBytes(64);
    try {
      for (const part of parts) spool.appendText(part);
      const content = {
        byteLength: spool.byteLength,
        [Symbol.iterator]: () => spool.chunks(),
      };
      const bytes = expected(parts);
      const encoder = new TextEncoder();
      const variants: [string, Uint8Array, string][] = [
        ["same", bytes, "current"],
        ["shorter", bytes.subarray(0, bytes.length - 1), "stale"],
        ["longer", concatBytes([bytes, encoder.encode("\n")]), "stale"],
        ["one digit changed", digitChanged(bytes), "stale"],
      ];
      for (const [label, file, want] of variants) {
        await Deno.writeFile(join(dir, "INDEX.md"), file);
        assertEquals(
          judgeIndexTarget(Repo.open(dir), "INDEX.md", content).kind,
          want,
          label,
        );
      }
    } finally {
      spool.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
