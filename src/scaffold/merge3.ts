/**
 * The three-way merge of a refresh: the user's file and waypoint's new
 * template, both taken from the base waypoint wrote. Line-based, through
 * `node-diff3` (no git: waypoint runs where git is absent, and never hands
 * user content to git in a repo that may configure it). Conflicts are written
 * with git's markers, so editors and `git diff` recognise them.
 *
 * @module
 */
import { diff3Merge } from "node-diff3";

/** The outcome of merging one file. */
export interface MergeResult {
  /** Whether some change of the user's and some of waypoint's touch the same lines. */
  conflict: boolean;
  /** The merged text; on a conflict, with `<<<<<<< yours` … `>>>>>>> waypoint` around each clash. */
  text: string;
}

/** Marker labels: the user's side first, as `git merge-file -L yours -L base -L waypoint` writes them. */
export const CONFLICT_MARKERS = {
  yours: "<<<<<<< yours",
  split: "=======",
  waypoint: ">>>>>>> waypoint",
} as const;

/** Splits text into lines that keep their `\n`, so a missing last newline is a difference like any other. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function withNewline(lines: readonly string[]): string {
  const text = lines.join("");
  return text === "" || text.endsWith("\n") ? text : text + "\n";
}

/**
 * The most pairs of equal lines one diff may have to weigh. node-diff3's LCS
 * works in time that grows with these pairs: measured, 50,176 pairs (224
 * equal lines a side) took 44 ms, 250,000 took 183 ms and 1,000,000 took
 * 3.4 s. The most repetitive template has 4,825, so real files stay far
 * below; a file built to be slow is not merged.
 */
export const MAX_MATCH_PAIRS = 60_000;

/** Pairs of equal lines between `a` and `b`: the work an LCS of the two may do. */
function matchPairs(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of a) counts.set(line, (counts.get(line) ?? 0) + 1);
  let pairs = 0;
  for (const line of b) pairs += counts.get(line) ?? 0;
  return pairs;
}

/**
 * Merges `yours` and `waypoint`, both edited from `base`; `undefined` when
 * the texts repeat lines so much that the merge could take seconds
 * ({@link MAX_MATCH_PAIRS}), and the caller falls back to offering
 * waypoint's version whole.
 */
export function mergeThreeWay(
  base: string,
  yours: string,
  waypoint: string,
): MergeResult | undefined {
  const [o, a, b] = [linesOf(base), linesOf(yours), linesOf(waypoint)];
  if (
    matchPairs(o, a) > MAX_MATCH_PAIRS || matchPairs(o, b) > MAX_MATCH_PAIRS
  ) return undefined;
  const regions = diff3Merge(a, o, b, {
    excludeFalseConflicts: true,
  }) as { ok?: string[]; conflict?: { a: string[]; b: string[] } }[];
  let conflict = false;
  let text = "";
  for (const region of regions) {
    if (region.ok) {
      text += region.ok.join("");
      continue;
    }
    conflict = true;
    if (text !== "" && !text.endsWith("\n")) text += "\n";
    text += `${CONFLICT_MARKERS.yours}\n${
      withNewline(region.conflict!.a)
    }${CONFLICT_MARKERS.split}\n${
      withNewline(region.conflict!.b)
    }${CONFLICT_MARKERS.waypoint}\n`;
  }
  return { conflict, text };
}
