/**
 * The attacker of tests/fs_race_test.ts: swaps the folder `dir` between the
 * real folder and a symlink to `outside`, as fast as it can, until killed.
 * The real folder waits at `<spare>/stash` while the link is in place.
 * Prints `ready` once the first swap has happened. With `hold` (µs), the
 * real folder stays in place for a random time up to that between swaps, so
 * a command that refuses links gets far enough to write; `linkHold` does
 * the same for the link.
 *
 *   deno run -A tests/support/race_swapper.ts <dir> <outside> <spare> [hold] [linkHold]
 *
 * @module
 */
import { join } from "node:path";

const [dir, outside, spare, holdArg, linkHoldArg] = Deno.args;
const hold = Number(holdArg ?? "0") / 1000;
const linkHold = Number(linkHoldArg ?? "0") / 1000;

function busy(ms: number): void {
  const until = performance.now() + Math.random() * ms;
  while (performance.now() < until) {
    // Busy: a timer would hand the CPU away for far longer than asked.
  }
}
const stash = join(spare, "stash");
const link = join(spare, "link");
Deno.mkdirSync(spare, { recursive: true });
Deno.symlinkSync(outside, link);

function swap(): void {
  Deno.renameSync(dir, stash);
  Deno.renameSync(link, dir);
  if (linkHold > 0) busy(linkHold);
  Deno.renameSync(dir, link);
  Deno.renameSync(stash, dir);
  if (hold > 0) busy(hold);
}

swap();
console.log("ready");
for (;;) {
  try {
    swap();
  } catch {
    // The command under test moved something in between (it made the
    // folder while it was missing): put the pieces back and go on.
    try {
      if (Deno.lstatSync(dir).isSymlink) Deno.renameSync(dir, link);
    } catch {
      // Nothing at dir.
    }
    try {
      Deno.renameSync(stash, dir);
    } catch {
      // No stash, or dir is a real folder again.
    }
  }
}
