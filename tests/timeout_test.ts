/**
 * `timeout()`: resolves with its value after the delay, never once
 * cancelled, and does not hold a finished test (or process) open.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { timeout } from "../src/timeout.ts";

Deno.test("timeout resolves with its value after the delay", async () => {
  const started = performance.now();
  assertEquals(await timeout(30, "late").promise, "late");
  assertEquals(performance.now() - started >= 25, true);
});

Deno.test("a cancelled timeout never resolves; the work it bounded wins the race", async () => {
  const late = timeout(20, "late");
  late.cancel();
  const work = new Promise<string>((done) =>
    queueMicrotask(() => done("work"))
  );
  const other = timeout(60, "other");
  assertEquals(await Promise.race([late.promise, other.promise]), "other");
  assertEquals(
    await Promise.race([work, timeout(1_000, "late").promise]),
    "work",
  );
});
