/**
 * Unit tests for the speed floor, the progress line and the switches of the
 * check before `init`, with injected clocks where a real one would be slow;
 * plus one real socket that accepts and never answers.
 */
import assert from "node:assert/strict";
import {
  formatRate,
  SPEED_FLOOR_BYTES_PER_S,
  SPEED_SAMPLE_MS,
  SPEED_WINDOW_MS,
  SpeedMeter,
  type Stall,
  stallDetail,
} from "../src/update/http.ts";
import {
  drawProgress,
  PROGRESS_REDRAW_MS,
  progressWanted,
  renderProgress,
} from "../src/update/progress.ts";
import { isCi, updateCheckWanted } from "../src/update/check_switch.ts";
import { chooseRegistry, fetchPackument } from "../src/update/registry.ts";

/**
 * Feeds a meter `bytesPerSample` every sample for `ms` and returns when
 * (ms after the start) it first reported a stall, or undefined.
 */
function runMeter(
  bytesAt: (at: number) => number,
  ms: number,
): { at: number; stall: Stall } | undefined {
  const meter = new SpeedMeter(0);
  for (let at = SPEED_SAMPLE_MS; at <= ms; at += SPEED_SAMPLE_MS) {
    meter.add(bytesAt(at));
    const stall = meter.sample(at);
    if (stall) return { at, stall };
  }
  return undefined;
}

Deno.test("the speed floor: a drip or silence gives up after one window", () => {
  const drip = runMeter(() => SPEED_SAMPLE_MS / 1000, 60_000);
  assert.equal(drip?.at, SPEED_WINDOW_MS);
  assert.equal(drip?.stall.bytes, 5);
  const silent = runMeter(() => 0, 60_000);
  assert.deepEqual(silent, {
    at: SPEED_WINDOW_MS,
    stall: { bytes: 0, spanMs: SPEED_WINDOW_MS },
  });
  // Just under the floor still gives up; nothing is judged before a window.
  const under = (SPEED_FLOOR_BYTES_PER_S - 1) * SPEED_SAMPLE_MS / 1000;
  assert.equal(runMeter(() => under, 60_000)?.at, SPEED_WINDOW_MS);
  assert.equal(runMeter(() => 0, SPEED_WINDOW_MS - 1), undefined);
});

Deno.test("the speed floor: slow but moving goes on, a late stall is caught", () => {
  const perSample = 20_000 * SPEED_SAMPLE_MS / 1000;
  assert.equal(runMeter(() => perSample, 600_000), undefined, "20 KB/s");
  // A 3 s pause in a 20 KB/s transfer averages 8 KB/s over the window.
  const paused = (at: number) => at > 10_000 && at <= 13_000 ? 0 : perSample;
  assert.equal(runMeter(paused, 600_000), undefined);
  // Fast for 20 s, then nothing: caught within a window of the stop.
  const stops = runMeter((at) => at <= 20_000 ? perSample : 0, 600_000);
  assert.ok(stops, "a stop is caught");
  assert.ok(stops.at > 20_000 && stops.at <= 20_000 + SPEED_WINDOW_MS);
  // The window slides: the bytes before it do not count.
  assert.ok(stops.stall.bytes < SPEED_FLOOR_BYTES_PER_S * 5);
});

Deno.test("the stall line names host and file, the rate and the limits", () => {
  assert.equal(
    stallDetail(
      "https://alice:secret@registry.example/x/-/x-1.0.0.tgz?token=1",
      { bytes: 3, spanMs: 5000 },
    ),
    "registry.example/x/-/x-1.0.0.tgz sent 3 bytes in 5 s (0.6 B/s), below the floor of 4 KiB/s over 5 s; giving up",
  );
  assert.match(
    stallDetail("http://h/a", { bytes: 1, spanMs: 5500 }),
    /^h\/a sent 1 byte in 5\.5 s \(0\.2 B\/s\)/,
  );
  assert.equal(formatRate(0), "0 B/s");
  assert.equal(formatRate(2048), "2 KiB/s");
  assert.equal(formatRate(3.5 * 1024 * 1024), "3.5 MiB/s");
});

Deno.test("a registry that accepts the connection and never answers gives up at the floor", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const { port } = listener.addr as Deno.NetAddr;
    const registry = chooseRegistry(
      (name) =>
        name === "WAYPOINT_REGISTRY" ? `http://127.0.0.1:${port}/` : undefined,
      new Map(),
    );
    const started = performance.now();
    await assert.rejects(
      fetchPackument(registry, "waypoint-codex", 60_000),
      (error: Error) => {
        assert.match(
          error.message,
          /^the registry is too slow: 127\.0\.0\.1:\d+\/waypoint-codex sent 0 bytes in 5(\.\d)? s \(0 B\/s\), below the floor of 4 KiB\/s over 5 s; giving up$/,
        );
        return true;
      },
    );
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= SPEED_WINDOW_MS && elapsed < SPEED_WINDOW_MS + 2000);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test("the progress line: bytes of total, percent, rate; cut to the terminal", () => {
  assert.equal(
    renderProgress("x@1.2.0", 1536 * 1024, 40 * 1024 * 1024, 2000),
    "waypoint: downloading x@1.2.0: 1.5 MiB / 40 MiB (3%), 768 KiB/s",
  );
  assert.equal(
    renderProgress("x@1.2.0", 900, undefined, 0),
    "waypoint: downloading x@1.2.0: 900 B",
  );
  assert.equal(renderProgress("x@1.2.0", 10, 10, 1000, 20).length, 19);
});

Deno.test("the progress line is redrawn in place at a bounded rate, then erased", () => {
  let now = 0;
  const writes: string[] = [];
  const progress = drawProgress("x", (text) => writes.push(text), () => now);
  // A chunk every 10 ms for 2 s.
  for (; now <= 2000; now += 10) progress.update(now * 10, 20_000);
  assert.equal(writes.length, 2000 / PROGRESS_REDRAW_MS + 1);
  assert.ok(
    writes.every((text) => text.startsWith("\r") && text.endsWith("\x1b[K")),
  );
  assert.match(writes[0], /0 B \/ 19\.5 KiB \(0%\)/);
  progress.done();
  assert.equal(writes.at(-1), "\r\x1b[K");
  // Nothing drawn: nothing to erase.
  const quiet: string[] = [];
  drawProgress("x", (text) => quiet.push(text)).done();
  assert.deepEqual(quiet, []);
});

Deno.test("progress only on a terminal that can redraw", () => {
  const env = (term?: string) => (name: string) =>
    name === "TERM" ? term : undefined;
  assert.equal(progressWanted(false, env("xterm-256color")), false);
  assert.equal(progressWanted(true, env("xterm-256color")), true);
  assert.equal(progressWanted(true, env(undefined)), true);
  assert.equal(progressWanted(true, env("dumb")), false);
});

Deno.test("CI is any non-empty value but false; the one switch turns the check off", () => {
  const env = (values: Record<string, string>) => (name: string) =>
    values[name];
  for (const value of ["true", "1", "yes", "gitlab", " true "]) {
    assert.equal(isCi(env({ CI: value })), true, value);
    assert.equal(updateCheckWanted(env({ CI: value })), false, value);
  }
  for (const value of ["", " ", "false", "False", "FALSE"]) {
    assert.equal(isCi(env({ CI: value })), false, JSON.stringify(value));
  }
  assert.equal(isCi(env({})), false);
  assert.equal(updateCheckWanted(env({})), true);
  assert.equal(
    updateCheckWanted(env({ WAYPOINT_NO_UPDATE_CHECK: "1" })),
    false,
  );
  assert.equal(updateCheckWanted(env({ WAYPOINT_NO_UPDATE_CHECK: "0" })), true);
});
