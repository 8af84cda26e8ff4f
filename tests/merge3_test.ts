/**
 * The refresh's three-way merge (src/scaffold/merge3.ts, node-diff3) against
 * `git merge-file` over seeded random line edits. "Same" means: where both
 * merge cleanly, the merged text is identical byte for byte; where git
 * reports a conflict, so does waypoint, and the reverse, except in a small,
 * measured share of cases where the two diff algorithms align repeated lines
 * differently (node-diff3 is LCS-based, git's xdiff is Myers): the test
 * bounds that share and prints it.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { seededRandom } from "./support/random.ts";
import { needsGit, requires } from "./support/requires.ts";
import { mergeThreeWay } from "../src/scaffold/merge3.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

function gitMergeFile(
  dir: string,
  yours: string,
  base: string,
  waypoint: string,
): { conflict: boolean; text: string } {
  Deno.writeTextFileSync(`${dir}/yours`, yours);
  Deno.writeTextFileSync(`${dir}/base`, base);
  Deno.writeTextFileSync(`${dir}/waypoint`, waypoint);
  const out = new Deno.Command("git", {
    args: [
      "merge-file",
      "-p",
      "-L",
      "yours",
      "-L",
      "base",
      "-L",
      "waypoint",
      `${dir}/yours`,
      `${dir}/base`,
      `${dir}/waypoint`,
    ],
    env: { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (out.code < 0 || out.code > 127) {
    throw new Error(new TextDecoder().decode(out.stderr));
  }
  return {
    conflict: out.code !== 0,
    text: new TextDecoder().decode(out.stdout),
  };
}

type Lines = string[];

/** Lines from a small alphabet: many repeats, the hard case for alignment. */
function smallAlphabet(random: () => number): () => string {
  const words = ["alpha", "beta", "gamma", "", "- item", "## Head", "text"];
  return () =>
    words[Math.floor(random() * words.length)] +
    (random() < 0.5 ? ` ${Math.floor(random() * 4)}` : "");
}

function edited(
  lines: Lines,
  random: () => number,
  line: () => string,
): Lines {
  const out = [...lines];
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const op = random();
    if (op < 0.33) out.splice(at, 0, line());
    else if (op < 0.66) out.splice(at, 1);
    else out.splice(at, 1, line());
  }
  return out;
}

const text = (lines: Lines) => lines.map((line) => `${line}\n`).join("");

interface Tally {
  cases: number;
  cleanBoth: number;
  conflictBoth: number;
  textDiffers: number;
  onlyWaypointConflicts: number;
  onlyGitConflicts: number;
}

function run(
  dir: string,
  seed: number,
  cases: number,
  baseOf: (random: () => number) => Lines,
  lineOf: (random: () => number) => () => string,
): Tally {
  const random = seededRandom(seed);
  const tally: Tally = {
    cases,
    cleanBoth: 0,
    conflictBoth: 0,
    textDiffers: 0,
    onlyWaypointConflicts: 0,
    onlyGitConflicts: 0,
  };
  const line = lineOf(random);
  for (let i = 0; i < cases; i++) {
    const base = baseOf(random);
    const yours = text(edited(base, random, line));
    const waypoint = text(edited(base, random, line));
    const ours = mergeThreeWay(text(base), yours, waypoint)!;
    const git = gitMergeFile(dir, yours, text(base), waypoint);
    if (!ours.conflict && !git.conflict) {
      tally.cleanBoth++;
      if (ours.text !== git.text) tally.textDiffers++;
    } else if (ours.conflict && git.conflict) tally.conflictBoth++;
    else if (ours.conflict) tally.onlyWaypointConflicts++;
    else tally.onlyGitConflicts++;
  }
  return tally;
}

Deno.test(
  requires(
    "merge: same clean text as git merge-file, and the same conflict decision in at least 97% of 2000 seeded cases",
    needsGit(),
  ),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "waypoint-merge3-" });
    try {
      const small = run(dir, 23, 1000, (random) => {
        const line = smallAlphabet(random);
        return Array.from({ length: 5 + Math.floor(random() * 20) }, line);
      }, smallAlphabet);
      const templateLines = Object.values(EMBEDDED_TEMPLATES)
        .filter((file) => file.content.split("\n").length > 30)
        .map((file) => file.content.split("\n").slice(0, -1));
      const real = run(dir, 24, 1000, (random) => {
        const lines =
          templateLines[Math.floor(random() * templateLines.length)];
        const start = Math.floor(random() * (lines.length - 30));
        return lines.slice(start, start + 30);
      }, (random) => () => `user line ${Math.floor(random() * 1e6)}`);
      console.log(JSON.stringify({ smallAlphabet: small, templateText: real }));
      // Template prose has few repeated lines: there, no difference at all.
      assertEquals(real.onlyGitConflicts + real.onlyWaypointConflicts, 0);
      for (const tally of [small, real]) {
        assertEquals(tally.textDiffers, 0, "clean merges differ from git's");
        const disagree = tally.onlyGitConflicts + tally.onlyWaypointConflicts;
        assertEquals(
          disagree <= tally.cases * 0.03,
          true,
          `conflict decisions differ from git's in ${disagree} of ${tally.cases}`,
        );
        assertEquals(tally.cleanBoth > 100 && tally.conflictBoth > 100, true);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test("merge: edits on separate lines merge; the same line edited twice is a conflict with git's markers", () => {
  const base = "one\ntwo\nthree\nfour\nfive\n";
  assertEquals(
    mergeThreeWay(
      base,
      "ONE\ntwo\nthree\nfour\nfive\n",
      "one\ntwo\nthree\nfour\nFIVE\n",
    ),
    { conflict: false, text: "ONE\ntwo\nthree\nfour\nFIVE\n" },
  );
  assertEquals(
    mergeThreeWay(
      base,
      "one\nmine\nthree\nfour\nfive\n",
      "one\ntheirs\nthree\nfour\nfive\n",
    ),
    {
      conflict: true,
      text:
        "one\n<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> waypoint\nthree\nfour\nfive\n",
    },
  );
  // The same change on both sides is no conflict.
  assertEquals(
    mergeThreeWay(
      base,
      "one\nX\nthree\nfour\nfive\n",
      "one\nX\nthree\nfour\nfive\n",
    )?.conflict,
    false,
  );
  // A last line without a newline stays without one.
  assertEquals(mergeThreeWay("a\nb", "A\nb", "a\nb")!.text, "A\nb");
});

Deno.test("merge: a file built to make the LCS slow is not merged, and saying so is fast", () => {
  const base = "x\n".repeat(3000);
  const started = performance.now();
  assertEquals(mergeThreeWay(base, "y\n" + base, base + "z\n"), undefined);
  assertEquals(performance.now() - started < 500, true);
  // The most repetitive real template still merges.
  const template = EMBEDDED_TEMPLATES[
    ".agents/skills/backend-ship-audit/references/audit-framework.md"
  ].content;
  assertEquals(
    mergeThreeWay(template, "mine\n" + template, template + "theirs\n")
      ?.conflict,
    false,
  );
});
