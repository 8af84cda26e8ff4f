/**
 * The fast frontmatter reader against js-yaml: on every text the fast reader
 * accepts, both must give the same mapping. Generated texts mix plain lines
 * with every odd token the bad-input tests and the old line format use.
 */
import { seededRandom } from "./support/random.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { CORE_SCHEMA, load } from "js-yaml";
import { readPlainYaml } from "../src/indexes/plain_yaml.ts";
import { readLegacyLines } from "../src/indexes/legacy_lines.ts";
import { expandsBeyond } from "../src/indexes/yaml.ts";

function strict(yaml: string): unknown {
  try {
    return load(yaml, { schema: CORE_SCHEMA });
  } catch {
    return "js-yaml refused";
  }
}

function assertAgrees(yaml: string): boolean {
  const fast = readPlainYaml(yaml);
  if (fast.kind !== "ok") return false;
  assertEquals(
    fast.data,
    strict(yaml),
    `fast reader differs on ${JSON.stringify(yaml)}`,
  );
  return true;
}

const HAND_WRITTEN = [
  "summary: Flow list doc\nlast_updated: 2026-03-06\nread_when: [adding routes, changing auth]\n",
  "summary: >\n  A folded summary\n  over two lines\nlast_updated: '2026-03-07'\nread_when:\n  - one\n  - two\n",
  'summary: Windows doc\r\nlast_updated: "2026-03-08"\r\nread_when:\r\n  - on windows\r\n',
  "summary: Deploys: how they work\nlast_updated: 2026-01-01\nread_when:\n  - deploying\n",
  "summary: s\nlast_updated: x\nread_when:\n  - step: deploy\n",
  "summary: one\nsummary: two\nlast_updated: x\nread_when:\n  - a\n",
  "summary: *important* notes\nlast_updated: x\nread_when:\n  - a\n",
  "summary: &a x\nlast_updated: *a\nread_when:\n  - *a\n",
  // Colons, brackets and braces inside block plain scalars are text; a colon
  // before a space or at the end of the value is not.
  "name: code-guide-audit\ndescription: Reports violations, each with file:line evidence.\n",
  "description: keeps the [YYYY-MM-DD HH:MM TZ] timestamps\n",
  "summary: see http://example.com/a?b=1#frag and a{b}c, d[e]f\nread_when:\n  - step:deploy\n  - x]\n",
  "summary: ends with a colon:\n",
  "summary: a:b: c\n",
  "summary: v1:2\nread_when:\n  - '12:30'\n  - 12:30\n",
  "summary: a #not a comment\n",
  "summary: a# is text\n",
  "summary: 'it''s'\nlast_updated: x\nread_when:\n- a\n- b\n",
  'summary: "tab\\there"\nlast_updated: x\nread_when:\n  - a\n',
  "summary: yes\nlast_updated: 2026\nread_when:\n  - true\n  - null\n  - ~\n  - 1e3\n  - .inf\n  - 0x1F\n",
  "summary: C# and F# tips # comment\nlast_updated: x\nread_when:\n  - a\n",
  "summary: a\n  continued\nlast_updated: x\nread_when:\n  - a\n",
  "summary:\nlast_updated:\nread_when:\n",
  "# comment\nsummary: x\n\nlast_updated: x\nread_when:\n\n  - a\n",
  "summary: x\nread_when:\n  - a\n    - b\n",
  "summary: x\nread_when:\n  - a\n - b\n",
  "summary: x   \nlast_updated: 2026-01-01   \nread_when:\n  - a  \n",
  "__proto__: x\nsummary: y\n",
  "status: active\nsummary: Tracker\nlast_updated: 2026-01-01\nread_when:\n  - resuming\n",
  "summary: [not, a, string]\n",
  "summary: {a: 1}\n",
  "summary: ünïcödé — dash\nlast_updated: 2026-01-01\nread_when:\n  - 日本語\n",
  "summary: emoji 🚀\n",
  "summary: x\tand tab\n",
  "summary: \u0085next line\n",
  "? complex\n: key\n",
  "summary: |\n  literal\n",
  "summary: !!str tagged\n",
  "summary: @at\n",
  "summary: `tick\n",
  "summary: %pct\n",
  "summary: -dash\n",
  "summary: - dash space\n",
  "summary: ?q\n",
  "summary: :colon\n",
  "summary: a:b\n",
  "summary: a:\n",
  "summary: x\n---\n",
  "summary: x\n...\n",
  "key with space: x\n",
  "summary : x\n",
  "Summary: x\nsummary: y\n",
  'summary: "a \\" b"\n',
  'summary: "a # b: c"\n',
  "summary: 'a # b: c'\n",
  "summary: ''\n",
  'summary: ""\n',
  "summary: '\n",
  "summary: x'\n",
  "summary: (parenthesised) text\n",
  "summary: /path/to/thing\n",
  "summary: 12 ways\n",
  "summary: 2026-01-01T10:00\n",
  "read_when:\n- a\nsummary: x\n- b\n",
  "a: b\n\ufeffc: d\n",
  "",
  "\n\n",
];

Deno.test("the fast frontmatter reader agrees with js-yaml on hand-written odd cases", () => {
  let accepted = 0;
  for (const yaml of HAND_WRITTEN) if (assertAgrees(yaml)) accepted++;
  // It must still take the common shapes, or it would not be a fast path.
  assert(accepted >= 10, `only ${accepted} accepted`);
  for (
    const common of [
      HAND_WRITTEN[2],
      'summary: Generated doc 1 about subsystem 2 and its failure modes\nlast_updated: "2026-11-02"\nread_when:\n  - changing subsystem 1\n  - debugging incident class 1\n',
      "summary: Code guide\nlast_updated: 2026-01-01\nread_when:\n  - writing code\n",
      // Prose with commas and apostrophes, as in the code-guide template.
      'summary: The rules, with do and don\'t examples.\nlast_updated: "2026-11-24"\nread_when:\n  - reviewing a change or running code-guide-audit\n  - deciding whether to add an abstraction, a fallback or a compatibility path\n',
      // Colons and brackets in prose, as in two skill templates' descriptions.
      "name: code-guide-audit\ndescription: Reports violations, each with file:line evidence.\n",
      "description: keeps the [YYYY-MM-DD HH:MM TZ] timestamps\n",
    ]
  ) assertEquals(readPlainYaml(common).kind, "ok", common);
});

const KEYS = [
  "summary",
  "last_updated",
  "read_when",
  "status",
  "a",
  "x-y",
  "null",
  "true",
  "_k",
  "K1",
];
const PIECES = [
  "word",
  "two words",
  "Deploys",
  ":",
  ": ",
  " #",
  "#",
  "*",
  "&",
  "!",
  "|",
  ">",
  "-",
  "- ",
  "?",
  "'",
  '"',
  "\\",
  "[",
  "]",
  "{",
  "}",
  ",",
  "%",
  "@",
  "`",
  "~",
  "null",
  "true",
  "False",
  "yes",
  "no",
  "1",
  "0x1f",
  "0o7",
  "1e3",
  ".5",
  ".inf",
  ".NaN",
  "2026-01-01",
  "12:30",
  "+1",
  "-1",
  "1_000",
  " ",
  "  ",
  "\t",
  "é",
  "—",
  "日本",
  "\u00a0",
  "\u2028",
  "\ufeff",
  "\u0085",
  "🚀",
  "\r",
  "C#",
  "a:b",
  "http://x.y/z",
  "=",
  "<<",
];

const SAFE = [
  "word",
  "two words",
  "Deploys",
  "é",
  "2026-01-01",
  "C#",
  "—",
  "日本",
  "(x)",
  "/p",
];

function randomValue(random: () => number): string {
  if (random() < 0.5) {
    return SAFE[Math.floor(random() * SAFE.length)] +
      (random() < 0.5 ? " " + SAFE[Math.floor(random() * SAFE.length)] : "");
  }
  const count = 1 + Math.floor(random() * 4);
  let value = "";
  for (let i = 0; i < count; i++) {
    value += PIECES[Math.floor(random() * PIECES.length)];
    if (random() < 0.4) value += " ";
  }
  const quote = random();
  if (quote < 0.1) return `"${value}"`;
  if (quote < 0.2) return `'${value}'`;
  return value;
}

function randomYaml(random: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const key = KEYS[Math.floor(random() * KEYS.length)];
    const shape = random();
    if (shape < 0.35) {
      lines.push(`${key}:`);
      const indent = " ".repeat(Math.floor(random() * 3));
      const items = Math.floor(random() * 4);
      for (let j = 0; j < items; j++) {
        lines.push(`${random() < 0.1 ? " " : indent}- ${randomValue(random)}`);
        if (random() < 0.05) lines.push("");
      }
    } else if (shape < 0.4) lines.push(`# ${randomValue(random)}`);
    else if (shape < 0.43) lines.push(`  ${randomValue(random)}`);
    else lines.push(`${key}: ${randomValue(random)}`);
  }
  const eol = random() < 0.2 ? "\r\n" : "\n";
  return lines.join(eol) + eol;
}

Deno.test("the fast frontmatter reader agrees with js-yaml on 20,000 generated texts", () => {
  const random = seededRandom(13);
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    if (assertAgrees(randomYaml(random))) accepted++;
  }
  assert(accepted > 2_000, `only ${accepted} accepted`);
});

Deno.test("the old line format reads what strict YAML refuses", () => {
  assertEquals(
    readLegacyLines(
      "summary: Deploys: how they work\nsummary: *second* wins\nlast_updated: '2026-01-01'\nread_when:\n  - step: deploy\n  - \"quoted\"\n",
    ),
    {
      summary: "*second* wins",
      last_updated: "2026-01-01",
      read_when: ["step: deploy", "quoted"],
    },
  );
});

Deno.test("alias expansion is counted with repeats and stops at the budget", () => {
  const leaf = ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"];
  let bomb: unknown = leaf;
  for (let i = 0; i < 9; i++) bomb = Array(10).fill(bomb);
  assert(expandsBeyond(bomb, 10_000));
  assert(!expandsBeyond({ a: leaf, b: leaf }, 10_000));
});
