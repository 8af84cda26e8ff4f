/**
 * What waypoint prints goes through secret redaction: an error naming a
 * path with a token in it, and an index warning naming such a doc.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  makeTempDir,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

const TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
const CONFIG = EMBEDDED_TEMPLATES[".waypoint/config.toml"].content;

Deno.test("an error line naming a path with a token prints it redacted", async () => {
  const root = await Deno.realPath(await makeTempDir("waypoint-out-"));
  try {
    const result = await runCli(["sync", join(root, `missing-${TOKEN}`)]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /\[REDACTED\]/);
    assert.ok(
      !`${result.stdout}${result.stderr}`.includes(TOKEN),
      result.stderr,
    );
  } finally {
    await removeTempDir(root);
  }
});

Deno.test("a sync warning naming a doc with a token prints it redacted", async () => {
  const root = await Deno.realPath(await makeTempDir("waypoint-out-"));
  try {
    await writeRepoFile(root, ".waypoint/config.toml", CONFIG);
    await writeRepoFile(
      root,
      `.waypoint/docs/notes-${TOKEN}.md`,
      "---\nsummary: [unclosed\n---\n",
    );
    const result = await runCli(["sync", root]);
    assert.match(result.stderr, /warning: .*\[REDACTED\]/);
    assert.ok(
      !`${result.stdout}${result.stderr}`.includes(TOKEN),
      result.stderr,
    );
    const index = await Deno.readTextFile(
      join(root, ".waypoint/DOCS_INDEX.md"),
    );
    assert.ok(!index.includes(TOKEN), index);
  } finally {
    await removeTempDir(root);
  }
});
