/**
 * Builds `src/templates/history.json`: every template text this project ever
 * committed below `templates/`, keyed by its SHA-256, minus the texts embedded
 * today. The manifest of a scaffold records the hash of each file waypoint
 * wrote, so with this table any later build can get back the exact base of a
 * three-way merge, whichever earlier commit wrote the scaffold. Used only by
 * `scripts/embed_templates.ts` and its test.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Hex SHA-256 of `text` as UTF-8 (as the manifest records it). */
function hashOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Every UTF-8 text any commit reachable from HEAD held below `templates/`,
 * read with git from `repoDir`; empty when `repoDir` is not a git checkout
 * (a source tarball keeps the table it shipped with).
 */
export async function committedTemplateTexts(
  repoDir: string,
): Promise<string[]> {
  const run = async (args: string[], input?: string): Promise<string> => {
    const child = new Deno.Command("git", {
      args: ["-c", "core.quotePath=false", ...args],
      cwd: repoDir,
      stdin: input === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    if (input !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(input));
      await writer.close();
    }
    const { code, stdout } = await child.output();
    if (code !== 0) throw new Error(`git ${args[0]} failed`);
    return new TextDecoder().decode(stdout);
  };
  let commits: string[];
  try {
    commits =
      (await run(["rev-list", "--full-history", "HEAD", "--", "templates"]))
        .split("\n").filter(Boolean);
  } catch {
    return [];
  }
  const blobs = new Set<string>();
  for (const commit of commits) {
    for (
      const line of (await run(["ls-tree", "-r", commit, "--", "templates/"]))
        .split("\n")
    ) {
      const match = /^\d+ blob ([0-9a-f]+)\t/.exec(line);
      if (match) blobs.add(match[1]);
    }
  }
  if (blobs.size === 0) return [];
  const child = new Deno.Command("git", {
    args: ["cat-file", "--batch"],
    cwd: repoDir,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode([...blobs].join("\n") + "\n"));
  await writer.close();
  const { stdout } = await child.output();
  const texts: string[] = [];
  let at = 0;
  const ascii = new TextDecoder();
  while (at < stdout.length) {
    const newline = stdout.indexOf(10, at);
    const header = ascii.decode(stdout.subarray(at, newline)).split(" ");
    const size = Number(header[2]);
    const body = stdout.subarray(newline + 1, newline + 1 + size);
    at = newline + 1 + size + 1;
    try {
      texts.push(strictUtf8.decode(body));
    } catch {
      // Templates are text; a binary blob can never be a merge base.
    }
  }
  return texts;
}

/**
 * The JSON text of the history table: `hash -> text` for every text in
 * `texts` that is not among `current` (those the program embeds anyway),
 * sorted by hash and written in ASCII only, like `embedded.json`.
 */
export function renderHistoryJson(
  texts: Iterable<string>,
  current: Iterable<string>,
): string {
  const skip = new Set<string>();
  for (const text of current) skip.add(hashOf(text));
  const table = new Map<string, string>();
  for (const text of texts) {
    const hash = hashOf(text);
    if (!skip.has(hash)) table.set(hash, text);
  }
  const entries = [...table.keys()].sort().map((hash) =>
    `  ${JSON.stringify(hash)}: ${JSON.stringify(table.get(hash))}`
  );
  return `{\n${entries.join(",\n")}\n}\n`.replace(
    /[\u007f-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
