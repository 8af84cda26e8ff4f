/**
 * `scripts/eager_compile.ts`: the rewritten module behaves as the original
 * (same exports, same names, a declaration used before its line, one that
 * reassigns its own name, shadowing, blocks, methods), the rewrite is a
 * fixed point, the committed hook bundle went through it, and V8 really
 * does take the rewritten functions from the code cache instead of
 * compiling them again in a second process.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "./support/cli.ts";
import { eagerCompile } from "../scripts/eager_compile.ts";

const SAMPLE = `
"use strict";
export const early = later(2);
function later(x) { return x * 3; }
function lazy() { lazy = () => "again"; return "first"; }
export const lazyResults = [lazy(), lazy()];
export const names = [later.name, lazy.name, (() => 0).name];
function shadow(f) { function f() { return "inner"; } return f(); }
export const shadowed = shadow(() => "param");
function outer(n) {
  "use strict";
  return helper(n) + [1, 2].map((x) => x + inner()).join(",");
  function helper(k) { return k * 10; }
  function inner() { return 100; }
}
export const nested = outer(4);
let inBlock;
{ function blockLocal() { return "block"; } inBlock = blockLocal(); }
export const block = inBlock;
async function asyncOne() { return "async"; }
function* counter() { yield 1; yield 2; }
export const generated = [...counter()];
export const asyncResult = await asyncOne();
class Box {
  #value;
  constructor(value) { this.#value = value; }
  get value() { return this.#value; }
  doubled() { return this.#value * 2; }
  static of(value) { return new Box(value); }
  field = () => this.#value + 1;
}
const object = { method() { return "m"; }, get prop() { return "p"; }, arrow: (a) => a, fn: function (a) { return a; } };
export const members = [Box.of(3).value, Box.of(3).doubled(), Box.of(3).field(), object.method(), object.prop, object.arrow("a"), object.fn("f")];
export const iife = (function () { return "iife"; })();
export const callbacks = [3, 1, 2].sort((a, b) => a - b).filter(function (x) { return x > 1; });
export function exported() { return typeof later; }
export default function () { return "default"; }
`;

async function importText(text: string): Promise<Record<string, unknown>> {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "module.js");
    await Deno.writeTextFile(file, text);
    const module = await import(pathToFileURL(file).href);
    return {
      ...module,
      default: module.default(),
      exported: module.exported(),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("eagerCompile: the rewritten module exports what the original does", async () => {
  const { code, stats } = eagerCompile(SAMPLE);
  assert(stats.hoisted >= 9, `hoisted ${stats.hoisted}`);
  assert(stats.wrapped >= 6, `wrapped ${stats.wrapped}`);
  const original = await importText(SAMPLE);
  assertEquals(await importText(code), original);
  assertEquals(original.early, 6);
  assertEquals(original.lazyResults, ["first", "again"]);
  assertEquals(original.names, ["later", "lazy", ""]);
  assertEquals(original.shadowed, "inner");
  assertEquals(original.nested, "40101,102");
  assertEquals(original.block, "block");
});

Deno.test("eagerCompile: declarations move to the start of their body; blocks, exports and methods stay", () => {
  const { code } = eagerCompile(SAMPLE);
  assert(code.includes(`var later=(function (x) { return x * 3; });`));
  // After the directive, before the first statement.
  assert(code.startsWith(`\n"use strict";var later=(`), code.slice(0, 60));
  assert(code.includes(`{ function blockLocal() {`));
  assert(code.includes(`export function exported() {`));
  assert(code.includes(`export default function () {`));
  assert(code.includes(`doubled() { return`));
  assert(code.includes(`get prop() {`));
  assert(code.includes(`.sort(((a, b) => a - b))`));
  assert(code.includes(`field = (() => this.#value + 1)`));
});

Deno.test("eagerCompile is a fixed point, and the committed hook bundle went through it", async () => {
  const once = eagerCompile(SAMPLE).code;
  assertEquals(eagerCompile(once), {
    code: once,
    stats: { wrapped: 0, hoisted: 0 },
  });
  const bundle = await Deno.readTextFile(
    join(PROJECT_ROOT, "src/cli/hook_bundle.js"),
  );
  assertEquals(eagerCompile(bundle).stats, { wrapped: 0, hoisted: 0 });
});

/** The functions of `file` V8 compiled from source in one run of it. */
async function lazilyCompiled(
  file: string,
  denoDir: string,
  log: string,
): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--v8-flags=--log-function-events,--logfile=${log},--no-logfile-per-isolate`,
      file,
    ],
    env: { DENO_DIR: denoDir, NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const lines = (await Deno.readTextFile(log)).split("\n");
  const ids = new Set(
    lines.filter((line) =>
      line.startsWith("script-details,") && line.includes(file)
    ).map((line) => line.split(",")[1]),
  );
  return lines.map((line) => line.split(",")).filter((fields) =>
    fields[0] === "function" && fields[1] === "parse-function" &&
    ids.has(fields[2])
  ).map((fields) => fields.at(-1) ?? "");
}

Deno.test("eagerCompile: a second process takes the rewritten functions from the code cache", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const source = `
function first(x) { return second(x) + 1; }
function second(x) { return [x].map((y) => y * 2)[0]; }
console.log(first(20));
`;
    const plain = join(dir, "plain.js");
    const eager = join(dir, "eager.js");
    await Deno.writeTextFile(plain, source);
    await Deno.writeTextFile(eager, eagerCompile(source).code);
    const denoDir = join(dir, "deno");
    const log = join(dir, "v8.log");
    for (const file of [plain, eager]) {
      await lazilyCompiled(file, denoDir, log); // writes the code cache
    }
    // Without the rewrite, each function is compiled again in every process.
    assertEquals(
      (await lazilyCompiled(plain, denoDir, log)).sort(),
      ["", "first", "second"],
    );
    assertEquals(await lazilyCompiled(eager, denoDir, log), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
