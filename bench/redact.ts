/**
 * `deno run -A bench/redact.ts`: what secret redaction costs. Prints the
 * module's import time, the first call (regexes compile lazily), the time
 * per MB of ordinary text (this repo's sources and docs), per short line
 * (a doc index entry, a terminal message) and on the secret corpus. Each
 * figure is the best of several rounds: the machine is shared.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const ROUNDS = 5;
const root = fileURLToPath(new URL("..", import.meta.url));

async function sourceText(bytes: number): Promise<string> {
  let text = "";
  for (const dir of ["src/context", "src/indexes", "src/cli"]) {
    for await (const entry of Deno.readDir(join(root, dir))) {
      if (entry.name.endsWith(".ts")) {
        text += await Deno.readTextFile(join(root, dir, entry.name));
      }
    }
  }
  text += await Deno.readTextFile(join(root, "README.md"));
  while (text.length < bytes) text += text;
  return text.slice(0, bytes);
}

function best(run: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const startImport = performance.now();
const { redactSecrets } = await import("../src/redact/mod.ts");
const importMs = performance.now() - startImport;
const startFirst = performance.now();
redactSecrets("- Wrote .waypoint/context/RECENT_THREAD.md");
const firstMs = performance.now() - startFirst;

const megabyte = await sourceText(1_000_000);
const lines = megabyte.match(/[^\n]{20,200}/g) ?? [];
const { SECRET_SHAPES } = await import("../tests/support/secret_corpus.ts");
const corpus = SECRET_SHAPES.map((shape) => shape.text);

const mbMs = best(() => redactSecrets(megabyte));
const linesMs = best(() => lines.forEach((line) => redactSecrets(line)));
const corpusMs = best(() => corpus.forEach((text) => redactSecrets(text)));

console.log("| redaction | time |");
console.log("| --- | --- |");
console.log(`| import src/redact/mod.ts | ${importMs.toFixed(1)} ms |`);
console.log(`| first call (lazy regex compile) | ${firstMs.toFixed(1)} ms |`);
console.log(`| 1 MB of source and docs | ${mbMs.toFixed(0)} ms |`);
console.log(
  `| ${lines.length} lines of 20-200 chars | ${
    (linesMs / lines.length * 1000).toFixed(1)
  } µs a line |`,
);
console.log(
  `| ${corpus.length} corpus shapes | ${
    (corpusMs / corpus.length * 1000).toFixed(1)
  } µs a shape |`,
);
