import { assertEquals } from "./support/assert.ts";
import { fileURLToPath } from "node:url";
import {
  readTemplateDir,
  renderEmbeddedJson,
} from "../src/templates/generate.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { sha256 } from "../src/scaffold/manifest.ts";
import { needsGit, requires } from "./support/requires.ts";

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
  const generated = renderEmbeddedJson(onDisk);
  const current = await Deno.readTextFile(
    new URL("../src/templates/embedded.json", import.meta.url),
  );
  assertEquals(
    current,
    generated,
    "src/templates/embedded.json is stale: run deno task embed",
  );
  // Non-ASCII text is escaped, so the module loads without a UTF-16 copy.
  const wide = [...current].findIndex((char) => char.charCodeAt(0) > 0x7e);
  assertEquals(wide, -1, "embedded.json holds a character outside ASCII");
  assertEquals(
    onDisk.some((file) => [...file.content].some((char) => char > "~")),
    true,
    "the templates hold non-ASCII text, so the escaping is exercised",
  );
});

Deno.test(
  requires(
    "the template history holds every template text committed before, by hash, in ASCII",
    needsGit(),
  ),
  async () => {
    const { committedTemplateTexts, renderHistoryJson } = await import(
      "../src/templates/history_generate.ts"
    );
    const { templateTextByHash } = await import("../src/templates/history.ts");
    const repoDir = fileURLToPath(new URL("..", import.meta.url));
    const committed = await committedTemplateTexts(repoDir);
    assertEquals(committed.length > 0, true, "git history of templates/ read");
    for (const text of committed) {
      assertEquals(await templateTextByHash(await sha256(text)), text);
    }
    assertEquals(await templateTextByHash("0".repeat(64)), undefined);
    const current = await Deno.readTextFile(
      new URL("../src/templates/history.json", import.meta.url),
    );
    const wide = [...current].findIndex((char) => char.charCodeAt(0) > 0x7e);
    assertEquals(wide, -1, "history.json holds a character outside ASCII");
    // Today's templates are not repeated in the history.
    const onDisk = await readTemplateDir(templatesDir);
    assertEquals(
      renderHistoryJson(
        [...committed, ...onDisk.map((f) => f.content)],
        onDisk.map((f) => f.content),
      ),
      renderHistoryJson(committed, onDisk.map((f) => f.content)),
    );
  },
);
