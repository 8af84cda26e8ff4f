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

/** Merges `yours` and `waypoint`, both edited from `base`. */
export function mergeThreeWay(
  base: string,
  yours: string,
  waypoint: string,
): MergeResult {
  const regions = diff3Merge(linesOf(yours), linesOf(base), linesOf(waypoint), {
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
