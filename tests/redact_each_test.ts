/**
 * `redactEach` (groups of texts gated at once) gives exactly
 * `texts.map(redactSecrets)`: over the secret corpus and its look-alikes,
 * index entries, and texts cut at the edges the group gates could see
 * differently (a `-` at a text's start for the look-behind, halves of
 * keywords and tokens split over two texts, final sigmas, case folding that
 * changes length).
 */
import { assertEquals } from "./support/assert.ts";
import { redactEach, redactSecrets } from "../src/redact/mod.ts";
import { LOOK_ALIKES, SECRET_SHAPES } from "./support/secret_corpus.ts";
import { seededRandom } from "./support/random.ts";

const entry = (i: number, summary: string) =>
  `- **.waypoint/docs/area-${i}/doc-${i}.md** — ${summary}\n  Read when: changing subsystem ${i}; debugging\n`;

function corpus(): string[] {
  const texts: string[] = [];
  for (const shape of SECRET_SHAPES) {
    texts.push(shape.text, entry(texts.length, shape.text));
    // The secret cut in two, one half ending a text and one starting the next.
    const middle = shape.text.length >> 1;
    texts.push(shape.text.slice(0, middle), shape.text.slice(middle));
  }
  for (const [a, b] of LOOK_ALIKES) texts.push(a, b, entry(texts.length, a));
  texts.push(
    "-p",
    "-up",
    "--token",
    "x-p",
    "p",
    "ass",
    "word=hunter2hunter2",
    "ΣΑΣ",
    "ΑΣ",
    "İstanbul KEY=abc",
    "\u212Aey: value",
    "ab",
    "",
    "a",
    "ghp_",
    "0123456789abcdef0123456789abcdef01234567",
  );
  for (let i = 0; i < 400; i++) {
    texts.push(entry(i, `Generated doc ${i} about subsystem ${i % 37}`));
  }
  return texts;
}

Deno.test("redactEach gives what redactSecrets gives text by text, in any grouping", () => {
  const texts = corpus();
  const expected = texts.map(redactSecrets);
  // The corpus has secrets to redact and texts left alone.
  assertEquals(expected.some((text, i) => text !== texts[i]), true);
  assertEquals(expected.some((text, i) => text === texts[i]), true);
  assertEquals(redactEach(texts), expected);
  const random = seededRandom(7);
  for (let round = 0; round < 40; round++) {
    const order = texts.map((_, i) => i).sort(() => random() - 0.5);
    const size = 1 + Math.floor(random() * texts.length);
    const picked = order.slice(0, size);
    assertEquals(
      redactEach(picked.map((i) => texts[i])),
      picked.map((i) => expected[i]),
      `round ${round}`,
    );
  }
});

Deno.test("redactEach leaves clean entries alone without redacting each", () => {
  const texts = Array.from({ length: 300 }, (_, i) => entry(i, `Doc ${i}`));
  assertEquals(redactEach(texts), texts);
  assertEquals(redactEach([]), []);
});
