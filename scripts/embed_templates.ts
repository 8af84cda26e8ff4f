/**
 * Regenerates `src/templates/embedded.json` from `templates/`, and
 * `src/templates/history.json` from every template text ever committed (git
 * history of `templates/`), the texts embedded before this run and the table
 * as it was: the history only grows, so a checkout without git keeps it.
 * With `--check`, writes nothing and exits 1 when either is stale.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  readTemplateDir,
  renderEmbeddedJson,
} from "../src/templates/generate.ts";
import {
  committedTemplateTexts,
  renderHistoryJson,
} from "../src/templates/history_generate.ts";

const repoDir = fileURLToPath(new URL("..", import.meta.url));
const templatesDir = fileURLToPath(new URL("../templates", import.meta.url));
const onDisk = await readTemplateDir(templatesDir);

async function textsOf(name: string): Promise<string[]> {
  const path = fileURLToPath(new URL(`../${name}`, import.meta.url));
  const text = await Deno.readTextFile(path).catch(() => undefined);
  if (text === undefined) return [];
  const data = JSON.parse(text) as Record<string, string | { content: string }>;
  return Object.values(data).map((value) =>
    typeof value === "string" ? value : value.content
  );
}

const outputs: [string, string][] = [
  ["src/templates/embedded.json", renderEmbeddedJson(onDisk)],
  [
    "src/templates/history.json",
    renderHistoryJson(
      [
        ...await textsOf("src/templates/history.json"),
        ...await textsOf("src/templates/embedded.json"),
        ...await committedTemplateTexts(repoDir),
      ],
      onDisk.map((file) => file.content),
    ),
  ],
];

let stale = false;
for (const [name, source] of outputs) {
  const target = fileURLToPath(new URL(`../${name}`, import.meta.url));
  const current = await Deno.readTextFile(target).catch(() => "");
  if (Deno.args.includes("--check")) {
    if (current !== source) {
      console.error(`${name} is stale: run 'deno task embed'`);
      stale = true;
    } else console.log(`${name} matches templates/`);
  } else if (current !== source) {
    const temp = `${target}.tmp`;
    await Deno.writeTextFile(temp, source);
    await Deno.rename(temp, target);
    console.log(`Wrote ${name}`);
  } else {
    console.log(`${name} is up to date`);
  }
}
if (stale) Deno.exit(1);
