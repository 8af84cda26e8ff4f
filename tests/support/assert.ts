/**
 * The assertions the tests use, from `node:assert/strict`, under the names
 * Deno's standard library gives them. Without a message, Node's own message
 * (with its diff) is kept.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";

/** Asserts that `condition` is truthy. */
export function assert(
  condition: unknown,
  message?: string,
): asserts condition {
  if (message === undefined) ok(condition);
  else ok(condition, message);
}

/** Asserts deep strict equality. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  if (message === undefined) deepStrictEqual(actual, expected);
  else {deepStrictEqual(
      actual,
      expected,
      `${message}\nactual: ${JSON.stringify(actual)}\nexpected: ${
        JSON.stringify(expected)
      }`,
    );}
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(
  text: string,
  pattern: RegExp,
  message?: string,
): void {
  if (message === undefined) match(text, pattern);
  else match(text, pattern, message);
}
