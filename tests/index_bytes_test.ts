/**
 * Unit tests for the byte-level pieces behind the indexes: chunked UTF-8
 * output (drained and refilled), and judging an index file against chunked content by streaming it
 * (chunk edges of the content and of the file fall anywhere).
 */
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { makeTempDir, removeTempDir } from "./support/cli.ts";
import { join } from "node:path";
import { ByteChunks } from "../src/indexes/bytes.ts";
import { contentOf, judgeIndexTarget } from "../src/indexes/generated.ts";
import { Repo } from "../src/fs/mod.ts";

const PIECES = ["a", "é", "—", "😀", "\n", "  Read when: x; y\n", "0123456789"];

function randomText(random: () => number, length: number): string {
  let text = "";
  while (text.length < length) {
    text += PIECES[Math.floor(random() * PIECES.length)];
  }
  return text;
}

function joined(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Splits `bytes` into chunks at random places (some empty). */
function randomSplit(random: () => number, bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = Math.floor(random() * random() * 600_000);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

Deno.test("ByteChunks encodes each text as on its own, lone surrogates included", () => {
  const random = seededRandom(11);
  const pieces = ["\ud83d", "\ude00", "a", "\ud83d\ude00", "é", ""];
  for (let trial = 0; trial < 200; trial++) {
    const builder = new ByteChunks();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 1 + Math.floor(random() * 40); i++) {
      const text = pieces[Math.floor(random() * pieces.length)];
      builder.appendText(text);
      parts.push(new TextEncoder().encode(text));
    }
    assertEquals(joined(builder.chunks()), joined(parts));
  }
});

Deno.test("ByteChunks holds exactly the UTF-8 of what was appended, across chunk edges", () => {
  const random = seededRandom(7);
  for (let trial = 0; trial < 20; trial++) {
    const builder = new ByteChunks();
    const expected: string[] = [];
    for (let i = 0; i < 200; i++) {
      const text = randomText(random, Math.floor(random() * 5000));
      if (random() < 0.3) builder.append(new TextEncoder().encode(text));
      else builder.appendText(text);
      expected.push(text);
    }
    assertEquals(
      joined(builder.chunks()),
      new TextEncoder().encode(expected.join("")),
    );
  }
});

Deno.test("ByteChunks.drain hands out every byte once, and appends after it reuse its buffers intact", () => {
  const random = seededRandom(23);
  for (let trial = 0; trial < 20; trial++) {
    const builder = new ByteChunks();
    const expected: string[] = [];
    const drained: Uint8Array[] = [];
    for (let i = 0; i < 120; i++) {
      // Up to 400 KB at once: a reused buffer may be too small for one.
      const text = randomText(
        random,
        Math.floor(random() * random() * 400_000),
      );
      if (random() < 0.3) builder.append(new TextEncoder().encode(text));
      else builder.appendText(text);
      expected.push(text);
      // Copied: the next append may write into the same buffer.
      if (random() < 0.2) builder.drain((chunk) => drained.push(chunk.slice()));
    }
    const got = joined([...drained, ...builder.chunks()]);
    const want = new TextEncoder().encode(expected.join(""));
    // Compared here: the assertion's message would print megabytes.
    let same = got.length === want.length;
    for (let k = 0; same && k < got.length; k++) same = got[k] === want[k];
    assertEquals(same, true, `trial ${trial}`);
  }
});

Deno.test("judgeIndexTarget says current exactly when the file's bytes are the content's", async () => {
  const dir = await makeTempDir();
  const random = seededRandom(11);
  try {
    const header = "# Docs Index\n\n## docs/\n\n";
    for (let trial = 0; trial < 12; trial++) {
      const body = Array.from(
        { length: 2 + Math.floor(random() * 30_000) },
        (_, i) =>
          `- **d/${i}.md** — ${randomText(random, 40)}\n`.replace(
            /\n(?!$)/g,
            " ",
          ),
      ).join("");
      const content = new TextEncoder().encode(header + body);
      const chunks = randomSplit(random, content);
      const variants: [string, Uint8Array, string][] = [
        ["same", content, "current"],
        ["shorter", content.subarray(0, content.length - 1), "stale"],
        ["longer", joined([content, new TextEncoder().encode("\n")]), "stale"],
      ];
      const changed = content.slice();
      const at = header.length +
        Math.floor(random() * (content.length - header.length));
      changed[at] = changed[at] === 0x61 ? 0x62 : 0x61;
      variants.push(["one byte changed", changed, "stale-or-refused"]);
      for (const [label, bytes, expected] of variants) {
        await Deno.writeFile(join(dir, "INDEX.md"), bytes);
        const { kind } = judgeIndexTarget(
          Repo.open(dir),
          "INDEX.md",
          contentOf(chunks),
        );
        if (expected === "stale-or-refused") {
          // The changed byte may break the UTF-8 or the grammar; either way it is not current.
          assertEquals(kind === "current", false, `${label} (trial ${trial})`);
        } else assertEquals(kind, expected, `${label} (trial ${trial})`);
      }
    }
  } finally {
    await removeTempDir(dir);
  }
});
