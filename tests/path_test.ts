/**
 * A differential test of `src/path.ts` against `node:path/posix`: every
 * function, over thousands of generated paths built from the pieces where
 * path rules have corners (empty parts, `.`, `..`, `...`, repeated and
 * trailing separators, dot files, a leading `//`).
 *
 * @module
 */
import { posixOnly, requires } from "./support/requires.ts";
import posix from "node:path/posix";
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import * as path from "../src/path.ts";

const PIECES = [
  "",
  "/",
  "//",
  ".",
  "..",
  "...",
  "a",
  "b.c",
  ".d",
  "e.",
  "f..g",
  "h i",
  "é",
  "a/",
  "/a",
  "./",
  "../",
];

function generatedPath(random: () => number): string {
  const count = Math.floor(random() * 6);
  let text = "";
  for (let index = 0; index < count; index++) {
    text += PIECES[Math.floor(random() * PIECES.length)];
    if (random() < 0.5) text += "/";
  }
  return text;
}

const TRIALS = 4_000;

Deno.test({
  ...requires(
    "src/path.ts agrees with node:path/posix on one-path functions",
    posixOnly(),
  ),
  fn() {
    const random = seededRandom(26);
    for (let trial = 0; trial < TRIALS; trial++) {
      const input = generatedPath(random);
      const what = JSON.stringify(input);
      assertEquals(path.normalize(input), posix.normalize(input), what);
      assertEquals(path.dirname(input), posix.dirname(input), what);
      assertEquals(path.basename(input), posix.basename(input), what);
      assertEquals(path.extname(input), posix.extname(input), what);
      assertEquals(path.isAbsolute(input), posix.isAbsolute(input), what);
      assertEquals(path.resolve(input), posix.resolve(input), what);
    }
  },
});

Deno.test({
  ...requires(
    "src/path.ts agrees with node:path/posix on join, resolve and relative",
    posixOnly(),
  ),
  fn() {
    const random = seededRandom(3);
    for (let trial = 0; trial < TRIALS; trial++) {
      const parts = Array.from(
        { length: Math.floor(random() * 4) },
        () => generatedPath(random),
      );
      const what = JSON.stringify(parts);
      assertEquals(path.join(...parts), posix.join(...parts), what);
      assertEquals(path.resolve(...parts), posix.resolve(...parts), what);
      const [from, to] = [generatedPath(random), generatedPath(random)];
      assertEquals(
        path.relative(from, to),
        posix.relative(from, to),
        JSON.stringify([from, to]),
      );
    }
    assertEquals(path.sep, posix.sep);
  },
});

Deno.test({
  ...requires(
    "src/path.ts agrees with node:path/posix on hand-picked corners",
    posixOnly(),
  ),
  fn() {
    const corners = [
      "",
      "/",
      "//",
      "///",
      "//a",
      "/a/..",
      "a/..",
      "..",
      "../..",
      "./",
      "a//b/",
      "/.",
      "/..",
      ".a.b",
      "a.b.",
      "..a",
    ];
    for (const from of corners) {
      for (const to of corners) {
        const what = JSON.stringify([from, to]);
        assertEquals(path.join(from, to), posix.join(from, to), what);
        assertEquals(path.resolve(from, to), posix.resolve(from, to), what);
        assertEquals(path.relative(from, to), posix.relative(from, to), what);
      }
      const what = JSON.stringify(from);
      assertEquals(path.normalize(from), posix.normalize(from), what);
      assertEquals(path.dirname(from), posix.dirname(from), what);
      assertEquals(path.basename(from), posix.basename(from), what);
      assertEquals(path.extname(from), posix.extname(from), what);
    }
  },
});
