/**
 * The simple TOML fast path against smol-toml: on every text it accepts,
 * smol-toml parses the same table (prototypes and -0 included); waypoint's
 * own config template and the plain configs people keep are accepted.
 */
import { parse } from "smol-toml";
import { seededRandom } from "./support/random.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { parseSimpleToml } from "../src/toml_simple.ts";
import { parseToml } from "../src/config.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

/** Checks agreement; true when the fast path took the text. */
function assertAgrees(text: string): boolean {
  const fast = parseSimpleToml(text);
  if (fast === undefined) return false;
  let strict: unknown;
  try {
    strict = parse(text);
  } catch (error) {
    strict = `smol-toml refused: ${(error as Error).message.split("\n")[0]}`;
  }
  assertEquals(
    fast as unknown,
    strict,
    `fast path differs on ${JSON.stringify(text)}`,
  );
  return true;
}

Deno.test("waypoint's config template is read by the fast path, as smol-toml reads it", () => {
  const text = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;
  assert(assertAgrees(text), "template left to smol-toml");
  assertEquals(parseToml(text, "x.toml"), parse(text));
});

const ACCEPTED = [
  "",
  "# only a comment\n",
  'model = "gpt-5"\napproval_policy = "on-request"\n',
  '[projects."/a/b"]\ntrust_level = "trusted"\n',
  "[a]\nx = 1\n[a.b]\ny = -2\n[a.c]\nz = +0\n",
  "[ a . b ]  # spaced\nk = true\n",
  "k = ['x', \"y\",]\nl = []\nm = [ ]\n",
  "k = 'C:\\path\\here'\n",
  'k = "tab\there"\r\nj = false\r\n',
  "k = -0\n",
  'k = "é ünïcode ✓"\n',
  "k = 9007199254740991\n",
];

const REFUSED = [
  'k = "a\\nb"\n',
  'k = """x"""\n',
  "k = '''x'''\n",
  "k = 1.5\n",
  "k = 1_000\n",
  "k = 01\n",
  "k = 9007199254740992\n",
  "k = 1979-05-27\n",
  "k = { a = 1 }\n",
  "a.b = 1\n",
  '"q" = 1\n',
  "[[t]]\nk = 1\n",
  "[a]\n[a]\n",
  "[a.b]\n[a]\n",
  "k = 1\nk = 2\n",
  "k = 1\n[k]\n",
  "k = [1, 2]\n",
  "k = [\n'a']\n",
  "k = 'a' 'b'\n",
  "\u00a0k = 1\n",
  "k = 1\n\u00a0\n",
  "\ufeffk = 1\n",
  "k = 1\r",
  "# bell \u0007\n",
  "[__proto__]\n",
  "__proto__ = 1\n",
  "k =\n",
  "k = True\n",
  "[a] x\n",
];

Deno.test("hand-written texts: the plain ones are taken, the rest are left to smol-toml", () => {
  for (const text of ACCEPTED) {
    assert(assertAgrees(text), `left to smol-toml: ${JSON.stringify(text)}`);
  }
  for (const text of REFUSED) {
    assertEquals(
      parseSimpleToml(text),
      undefined,
      `taken: ${JSON.stringify(text)}`,
    );
  }
});

const KEYS = ["a", "b", "model", "x-y", "k_2", "1", "trust_level"];
const PIECES = [
  '"',
  "'",
  "\\",
  "[",
  "]",
  ".",
  "=",
  "#",
  " ",
  "\t",
  "\r",
  "\n",
  ",",
  "0",
  "-",
  "+",
  "a",
  "_",
  "{",
  "}",
  "é",
  "\u00a0",
  "\u2028",
  "\u0000",
  "\u007f",
  "\ufeff",
  "true",
  "1.",
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function blanks(random: () => number): string {
  return pick(random, ["", "", " ", "  ", "\t", " \t"]);
}

function generatedValue(random: () => number): string {
  const text = () =>
    Array.from(
      { length: Math.floor(random() * 6) },
      () => pick(random, ["x", " ", "é", "#", "=", "[", "'", "\\", "\t"]),
    ).join("");
  switch (Math.floor(random() * 7)) {
    case 0:
      return `"${text().replaceAll("\\", "/").replaceAll('"', "")}"`;
    case 1:
      return `'${text().replaceAll("'", "")}'`;
    case 2:
      return pick(random, ["0", "-0", "+0", "7", "-42", "+13", "123456789"]);
    case 3:
      return pick(random, ["true", "false"]);
    case 4: {
      const items = Array.from(
        { length: Math.floor(random() * 3) },
        () => `${blanks(random)}"${text().replace(/["\\]/g, "")}"`,
      );
      return `[${items.join(",")}${pick(random, ["", ",", " "])}]`;
    }
    default:
      return `'${text().replaceAll("'", "")}'`;
  }
}

/** A valid document of the simple shape: unique headers, unique keys. */
function generatedDocument(random: () => number): string {
  const lines: string[] = [];
  const eol = random() < 0.2 ? "\r\n" : "\n";
  const headers = new Set<string>();
  let keys = new Set<string>();
  for (let count = Math.floor(random() * 12); count > 0; count--) {
    const roll = random();
    if (roll < 0.1) lines.push(`${blanks(random)}# ${generatedValue(random)}`);
    else if (roll < 0.15) lines.push(blanks(random));
    else if (roll < 0.3) {
      const parts = Array.from(
        { length: 1 + Math.floor(random() * 2) },
        () => pick(random, ["t", "u", "tools", '"/a/b"', "'x y'", '""']),
      );
      const name = parts.join(".");
      if (headers.has(name)) continue;
      headers.add(name);
      keys = new Set();
      lines.push(`[${blanks(random)}${parts.join(`${blanks(random)}.`)}]`);
    } else {
      const key = pick(random, KEYS);
      if (keys.has(key)) continue;
      keys.add(key);
      const comment = random() < 0.2 ? `${blanks(random)}# note` : "";
      lines.push(
        `${blanks(random)}${key}${blanks(random)}=${blanks(random)}${
          generatedValue(random)
        }${comment}`,
      );
    }
  }
  return lines.join(eol) + (random() < 0.8 ? eol : "");
}

function mutated(random: () => number, text: string): string {
  let result = text;
  for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
    const at = Math.floor(random() * (result.length + 1));
    const roll = random();
    if (roll < 0.45) {
      result = result.slice(0, at) + pick(random, PIECES) + result.slice(at);
    } else if (roll < 0.75) result = result.slice(0, at) + result.slice(at + 1);
    else {
      result = result.slice(0, at) + pick(random, PIECES) +
        result.slice(at + 1);
    }
  }
  return result;
}

Deno.test("generated documents and their mutations: whenever the fast path takes a text, smol-toml reads the same", () => {
  const random = seededRandom(0x70_6d_6c);
  let generatedTaken = 0;
  let mutantsTaken = 0;
  const documents = 4000;
  for (let trial = 0; trial < documents; trial++) {
    const document = generatedDocument(random);
    if (assertAgrees(document)) generatedTaken++;
    for (let variant = 0; variant < 4; variant++) {
      if (assertAgrees(mutated(random, document))) mutantsTaken++;
    }
  }
  // The generator only writes the simple shape, so nearly all of it must
  // be taken; mutants are mostly refused, but enough are taken to test.
  assert(generatedTaken > documents * 0.9, `took ${generatedTaken}`);
  assert(mutantsTaken > documents / 2, `took ${mutantsTaken} mutants`);
});
