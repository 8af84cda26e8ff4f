/**
 * A differential test of `sameJson` against `node:util` `isDeepStrictEqual`
 * on JSON round trips (what the config merge compared before): generated
 * tables, each compared with a copy in another key order, with one value
 * changed, and with another generated table.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { sameJson } from "../src/same_json.ts";

const KEYS = ["a", "b", "profile", "10", "2", "__proto__", "é", ""];
const LEAVES: unknown[] = [
  0,
  -0,
  1,
  1.5,
  NaN,
  Infinity,
  "",
  "x",
  "1",
  true,
  false,
  null,
  undefined,
  new Date(0),
  new Date("2026-01-02T03:04:05Z"),
];

function generated(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth > 2 || pick < 0.5) {
    return LEAVES[Math.floor(random() * LEAVES.length)];
  }
  const size = Math.floor(random() * 4);
  if (pick < 0.7) {
    return Array.from({ length: size }, () => generated(random, depth + 1));
  }
  const table: Record<string, unknown> = {};
  for (let index = 0; index < size; index++) {
    Object.defineProperty(table, KEYS[Math.floor(random() * KEYS.length)], {
      value: generated(random, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return table;
}

/** The same value with every object's keys in reverse order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== "object" || value instanceof Date) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(copy, key, {
      value: reordered((value as Record<string, unknown>)[key]),
      enumerable: true,
    });
  }
  return copy;
}

function oracle(a: unknown, b: unknown): boolean {
  const plain = (value: unknown) => {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  };
  return isDeepStrictEqual(plain(a), plain(b));
}

Deno.test("sameJson agrees with isDeepStrictEqual on JSON round trips", () => {
  const random = seededRandom(7);
  let equal = 0;
  for (let trial = 0; trial < 5_000; trial++) {
    const a = { root: generated(random, 0) };
    const others = [reordered(a), { root: generated(random, 0) }, {
      ...(reordered(a) as object),
      extra: generated(random, 2),
    }];
    for (const b of others) {
      const expected = oracle(a, b);
      if (expected) equal++;
      assertEquals(sameJson(a, b), expected, JSON.stringify([a, b]));
    }
  }
  // Both outcomes were exercised.
  assertEquals(equal > 1_000 && equal < 14_000, true, `${equal} equal`);
});
