/**
 * Regenerates `src/templates/embedded.ts` from `templates/`.
 * With `--check`, writes nothing and exits 1 when the embedding is stale.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import {
  readTemplateDir,
  renderEmbeddedModule,
} from "../src/templates/generate.ts";

const templatesDir = fileURLToPath(new URL("../templates", import.meta.url));
const target = fileURLToPath(
  new URL("../src/templates/embedded.ts", import.meta.url),
);
const source = renderEmbeddedModule(await readTemplateDir(templatesDir));
const current = await Deno.readTextFile(target).catch(() => "");

if (Deno.args.includes("--check")) {
  if (current !== source) {
    console.error("src/templates/embedded.ts is stale: run 'deno task embed'");
    Deno.exit(1);
  }
  console.log("src/templates/embedded.ts matches templates/");
} else if (current !== source) {
  const temp = `${target}.tmp`;
  await Deno.writeTextFile(temp, source);
  await Deno.rename(temp, target);
  console.log("Wrote src/templates/embedded.ts");
} else {
  console.log("src/templates/embedded.ts is up to date");
}
