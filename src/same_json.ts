/**
 * Deep equality of values as JSON sees them, object keys in any order: what
 * `isDeepStrictEqual` says of their JSON round trips, without loading
 * `node:util` (the first `node:` import of a run boots Deno's Node
 * compatibility layer, and the session hook loads this module's user,
 * `config.ts`). `tests/same_json_test.ts` compares the two.
 *
 * @module
 */

/** Whether `a` and `b` are equal once both are turned into JSON. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON text with every object's keys sorted, so key order does not count. */
function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      return item;
    }
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(item).sort()) {
      Object.defineProperty(sorted, key, {
        value: (item as Record<string, unknown>)[key],
        enumerable: true,
      });
    }
    return sorted;
  });
}
