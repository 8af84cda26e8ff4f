/**
 * No module of `src/` is over {@link LINE_LIMIT} lines unless its module doc
 * says why, in a line starting "Why this file is long:" (issue 22: one job
 * per module). The generated template data under `src/templates/` is JSON
 * (`embedded.json`, `history.json`), so reading only `.ts` files leaves it
 * out.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { PROJECT_ROOT } from "./support/cli.ts";

/** Lines (as `wc -l` counts them) a module may have without a stated reason. */
const LINE_LIMIT = 400;

/**
 * Long files issue 22 is splitting now, in other branches: allowed here
 * until their split is merged. A listed file that is no longer long, or no
 * longer exists, fails the test, so the list cannot go stale; empty it as
 * the splits land.
 */
const PENDING_SPLITS: readonly string[] = [];

/** Lines of `text` as `wc -l` counts them: its newlines. */
export function lineCount(text: string): number {
  let count = 0;
  for (const char of text) if (char === "\n") count++;
  return count;
}

/** Whether the module doc (the first block comment, before any code) states why the file is long. */
export function statesLength(text: string): boolean {
  const doc = text.match(/^\s*\/\*\*([\s\S]*?)\*\//)?.[1];
  return doc !== undefined && /^\s*\*\s*Why this file is long:/m.test(doc);
}

/** What is wrong with one module, or `undefined`. */
export function sizeProblem(
  path: string,
  text: string | undefined,
  pending: ReadonlySet<string>,
): string | undefined {
  if (text === undefined) {
    return pending.has(path)
      ? `${path} is in PENDING_SPLITS but does not exist: remove it from the list`
      : undefined;
  }
  const lines = lineCount(text);
  if (pending.has(path)) {
    return lines > LINE_LIMIT
      ? undefined
      : `${path} is in PENDING_SPLITS but has ${lines} lines (limit ${LINE_LIMIT}): remove it from the list`;
  }
  if (lines <= LINE_LIMIT || statesLength(text)) return undefined;
  return `${path} has ${lines} lines (limit ${LINE_LIMIT}) and its module doc has no "Why this file is long:" line`;
}

/** Every `.ts` file below `src/`, by path relative to the project root. */
async function sourceFiles(dir = "src"): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(PROJECT_ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await sourceFiles(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) found.push(path);
  }
  return found;
}

Deno.test("sizeProblem: a long file needs its reason in the module doc; a pending one must still be long", () => {
  const long = "x\n".repeat(LINE_LIMIT + 1);
  const reasoned =
    "/**\n * One table.\n *\n * Why this file is long: it is one table.\n *\n * @module\n */\n" +
    long;
  const none = new Set<string>();
  assertEquals(lineCount("a\nb\n"), 2);
  assertEquals(lineCount("a\nb"), 1);
  assertEquals(
    sizeProblem("src/a.ts", "x\n".repeat(LINE_LIMIT), none),
    undefined,
  );
  assertEquals(
    sizeProblem("src/a.ts", long, none),
    `src/a.ts has ${
      LINE_LIMIT + 1
    } lines (limit ${LINE_LIMIT}) and its module doc has no "Why this file is long:" line`,
  );
  assertEquals(sizeProblem("src/a.ts", reasoned, none), undefined);
  // The reason counts only in the module doc, not in a later comment.
  const later =
    "/** Doc. */\nconst a = 1;\n/**\n * Why this file is long: no.\n */\n" +
    long;
  assertEquals(sizeProblem("src/a.ts", later, none) !== undefined, true);
  const pending = new Set(["src/a.ts"]);
  assertEquals(sizeProblem("src/a.ts", long, pending), undefined);
  assertEquals(
    sizeProblem("src/a.ts", "short\n", pending),
    `src/a.ts is in PENDING_SPLITS but has 1 lines (limit ${LINE_LIMIT}): remove it from the list`,
  );
  assertEquals(
    sizeProblem("src/a.ts", undefined, pending),
    "src/a.ts is in PENDING_SPLITS but does not exist: remove it from the list",
  );
});

Deno.test(`no module of src/ is over ${LINE_LIMIT} lines without "Why this file is long:" in its module doc`, async () => {
  const files = await sourceFiles();
  assertEquals(files.includes("src/cli/main.ts"), true, "src/ was read");
  const pending = new Set(PENDING_SPLITS);
  const problems: string[] = [];
  for (const path of [...new Set([...files, ...PENDING_SPLITS])].sort()) {
    const text = files.includes(path)
      ? await Deno.readTextFile(join(PROJECT_ROOT, path))
      : undefined;
    const problem = sizeProblem(path, text, pending);
    if (problem) problems.push(problem);
  }
  assertEquals(problems, []);
});
