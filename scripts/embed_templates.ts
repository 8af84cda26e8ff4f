/**
 * Regenerates `src/templates/embedded.json` from `templates/`.
 * With `--check`, writes nothing and exits 1 when the embedding is stale.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  readTemplateDir,
  renderEmbeddedJson,
} from "../src/templates/generate.ts";

const NAME = "src/templates/embedded.json";
const templatesDir = fileURLToPath(new URL("../templates", import.meta.url));
const target = fileURLToPath(new URL(`../${NAME}`, import.meta.url));
const source = renderEmbeddedJson(await readTemplateDir(templatesDir));
const current = await Deno.readTextFile(target).catch(() => "");

if (Deno.args.includes("--check")) {
  if (current !== source) {
    console.error(`${NAME} is stale: run 'deno task embed'`);
    Deno.exit(1);
  }
  console.log(`${NAME} matches templates/`);
} else if (current !== source) {
  const temp = `${target}.tmp`;
  await Deno.writeTextFile(temp, source);
  await Deno.rename(temp, target);
  console.log(`Wrote ${NAME}`);
} else {
  console.log(`${NAME} is up to date`);
}
