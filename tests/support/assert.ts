/**
 * The assertions the tests use, from `node:assert/strict`, under the names
 * Deno's standard library gives them.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";

/** Asserts that `condition` is truthy. */
export function assert(
  condition: unknown,
  message?: string,
): asserts condition {
  ok(condition, message);
}

/** Asserts deep strict equality. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  deepStrictEqual(actual, expected, message);
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(
  text: string,
  pattern: RegExp,
  message?: string,
): void {
  match(text, pattern, message);
}
