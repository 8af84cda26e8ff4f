import { assertEquals } from "./support/assert.ts";
import { fileURLToPath } from "node:url";
import {
  readTemplateDir,
  renderEmbeddedModule,
} from "../src/templates/generate.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { sha256 } from "../src/scaffold/manifest.ts";

const templatesDir = fileURLToPath(new URL("../templates", import.meta.url));

Deno.test("the embedded template set equals templates/ byte for byte", async () => {
  const onDisk = await readTemplateDir(templatesDir);
  assertEquals(
    Object.keys(EMBEDDED_TEMPLATES).sort(),
    onDisk.map((file) => file.path),
  );
  for (const file of onDisk) {
    assertEquals(
      EMBEDDED_TEMPLATES[file.path].content,
      file.content,
      `${file.path} is stale: run deno task embed`,
    );
    assertEquals(
      EMBEDDED_TEMPLATES[file.path].executable,
      file.executable,
      `${file.path} mode`,
    );
    assertEquals(
      EMBEDDED_TEMPLATES[file.path].sha256,
      await sha256(file.content),
      `${file.path} hash`,
    );
  }
  const generated = renderEmbeddedModule(onDisk);
  const current = await Deno.readTextFile(
    new URL("../src/templates/embedded.ts", import.meta.url),
  );
  assertEquals(
    current,
    generated,
    "src/templates/embedded.ts is stale: run deno task embed",
  );
});
