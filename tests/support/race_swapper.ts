/**
 * The attacker of tests/fs_race_test.ts: swaps the folder `dir` between the
 * real folder and a symlink to `outside`, as fast as it can, until killed.
 * The real folder waits at `<spare>/stash` while the link is in place.
 * Prints `ready` once the first swap has happened.
 *
 *   deno run -A tests/support/race_swapper.ts <dir> <outside> <spare>
 *
 * @module
 */
import { join } from "node:path";

const [dir, outside, spare] = Deno.args;
const stash = join(spare, "stash");
const link = join(spare, "link");
Deno.mkdirSync(spare, { recursive: true });
Deno.symlinkSync(outside, link);

function swap(): void {
  Deno.renameSync(dir, stash);
  Deno.renameSync(link, dir);
  Deno.renameSync(dir, link);
  Deno.renameSync(stash, dir);
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
