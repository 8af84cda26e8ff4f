/**
 * The skill YAML fast reader against js-yaml: on every text it accepts, both
 * give the same mapping; every shipped `agents/openai.yaml` is accepted.
 */
import { seededRandom } from "./support/random.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { CORE_SCHEMA, load } from "js-yaml";
import { readPlainMappings } from "../src/doctor/plain_mappings.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

function assertAgrees(yaml: string): boolean {
  const fast = readPlainMappings(yaml);
  if (fast === undefined) return false;
  let strict: unknown;
  try {
    strict = load(yaml, { schema: CORE_SCHEMA });
  } catch {
    strict = "js-yaml refused";
  }
  assertEquals(fast, strict, `fast reader differs on ${JSON.stringify(yaml)}`);
  return true;
}

Deno.test("every shipped agents/openai.yaml is read by the fast reader, as js-yaml reads it", () => {
  const files = Object.entries(EMBEDDED_TEMPLATES).filter(([path]) =>
    path.endsWith("agents/openai.yaml")
  );
  assert(files.length > 0);
  for (const [path, file] of files) {
    assert(assertAgrees(file.content), `${path} left to js-yaml`);
  }
});

const HAND_WRITTEN = [
  'interface:\n  display_name: "X"\n  short_description: "Y: z"\npolicy:\n  allow_implicit_invocation: false\n',
  "interface:\n  a: true\n  b: True\n",
  "interface:\n  a: yes\n",
  "interface:\n    a: x\n  b: y\n",
  "interface:\n  a: x\n    b: y\n",
  "interface:\npolicy:\n  a: b\n",
  "interface:\n",
  "interface:\n  a:\n    b: c\n",
  "interface:\n  - a\n",
  "a: 1\n",
  "a: x\na: y\n",
  "interface:\n  a: x\n  a: y\n",
  "interface:\n  a: x # note\n",
  "interface:\n  # note\n  a: x\n",
  "# top\ninterface:\n  a: 'q'\n\n  b: \"r\"\n",
  "interface: {a: b}\n",
  'interface:\n  a: "x\\ty"\n',
  "interface:\r\n  a: x\r\n",
  "interface:\n\ta: x\n",
  "---\ninterface:\n  a: x\n",
  "__proto__:\n  a: x\n",
  "interface:\n  __proto__: x\n",
  "interface:\n  a: &x y\n  b: *x\n",
  "a: x\n  b: y\n",
  "",
  "interface:\n  a: false \n",
  "interface:\n  a: null\n  b: ~\n",
  "interface:\n  a: 2026-01-01\n",
];

Deno.test("hand-written texts: the fast reader agrees with js-yaml or leaves them", () => {
  let accepted = 0;
  for (const yaml of HAND_WRITTEN) if (assertAgrees(yaml)) accepted++;
  assert(accepted >= 3);
});

const TOKENS = [
  "interface:",
  "policy:",
  "  display_name: x",
  "  a: true",
  "  a: false",
  "  b: 'single'",
  '  c: "double"',
  "  d: with: colon",
  "  e: hash #x",
  "    f: deep",
  " g: one",
  "h: top",
  "  - item",
  "# comment",
  "  # comment",
  "",
  "  i: yes",
  "  j: 12",
  "  k: [a]",
  "  l: 'it''s'",
  '  m: "a\\"b"',
  "  n:",
  "o: ",
];

Deno.test("generated texts: the fast reader agrees with js-yaml or leaves them", () => {
  const random = seededRandom(24);
  let accepted = 0;
  for (let round = 0; round < 4000; round++) {
    const count = 1 + Math.floor(random() * 6);
    // Most texts open a block, as openai.yaml does, so many are accepted.
    const lines: string[] = random() < 0.7 ? ["interface:"] : [];
    for (let i = 0; i < count; i++) {
      lines.push(TOKENS[Math.floor(random() * TOKENS.length)]);
    }
    if (assertAgrees(lines.join("\n") + "\n")) accepted++;
  }
  assert(accepted > 150, `only ${accepted} generated texts accepted`);
});
