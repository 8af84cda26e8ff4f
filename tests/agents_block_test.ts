/**
 * Where `placeBlock` puts the waypoint block in AGENTS.md text: a new block at
 * the top (after front matter and an H1 title), an existing one where it
 * stands unless it ends past the byte limit Codex reads, then at the top.
 *
 * @module
 */
import { assert, assertEquals } from "./support/assert.ts";
import {
  END_MARKER,
  placeBlock,
  START_MARKER,
  titleEnd,
} from "../src/scaffold/agents_block.ts";

const BLOCK = `${START_MARKER}\n## Waypoint\n\nNEW\n${END_MARKER}`;
const OLD = `${START_MARKER}\n## Waypoint\n\nOLD\n${END_MARKER}`;

Deno.test("a new block goes after a leading title, or first when there is none", () => {
  assertEquals(
    placeBlock("# Our repo\n\nUse pnpm.\n", BLOCK).text,
    `# Our repo\n\n${BLOCK}\n\nUse pnpm.\n`,
  );
  assertEquals(
    placeBlock("\n\n#   Spaced title\nUse pnpm.", BLOCK).text,
    `#   Spaced title\n\n${BLOCK}\n\nUse pnpm.\n`,
  );
  assertEquals(
    placeBlock("Use pnpm.\n\n# Later heading\n", BLOCK).text,
    `${BLOCK}\n\nUse pnpm.\n\n# Later heading\n`,
  );
  assertEquals(
    placeBlock("## Not a title\nx\n", BLOCK).text,
    `${BLOCK}\n\n## Not a title\nx\n`,
  );
  assertEquals(
    placeBlock("Our repo\n========\nx\n", BLOCK).text,
    `Our repo\n========\n\n${BLOCK}\n\nx\n`,
  );
  assertEquals(
    placeBlock("---\nowner: me\n---\n# T\nx\n", BLOCK).text,
    `---\nowner: me\n---\n# T\n\n${BLOCK}\n\nx\n`,
  );
  assertEquals(
    placeBlock("# Only a title", BLOCK).text,
    `# Only a title\n\n${BLOCK}\n`,
  );
  assertEquals(placeBlock(undefined, BLOCK).how, "created");
  assertEquals(placeBlock("# T\nx\n", BLOCK).how, "added");
});

Deno.test("a CRLF file gets a CRLF block at the top", () => {
  assertEquals(
    placeBlock("# T\r\n\r\nbody\r\n", BLOCK).text,
    `# T\r\n\r\n${BLOCK.replaceAll("\n", "\r\n")}\r\n\r\nbody\r\n`,
  );
});

Deno.test("titleEnd: only an opening H1 and front matter count", () => {
  assertEquals(titleEnd("# T\nbody"), 4);
  assertEquals(titleEnd("#T\nbody"), 0, "no space: not a heading");
  assertEquals(titleEnd("---\na: 1\nno close\n# T\n"), 0);
  assertEquals(titleEnd("# T"), 3);
});

Deno.test("an existing block stays where it is while it ends within the limit", () => {
  const text = `# T\n\n${"mine\n".repeat(20)}\n${OLD}\n\nafter\n`;
  const placed = placeBlock(text, BLOCK, { limit: 10_000 });
  assertEquals(placed.how, "refreshed");
  assertEquals(placed.text, text.replace(OLD, BLOCK));
  assertEquals(
    placed.blockEnd,
    new TextEncoder().encode(
      placed.text.slice(0, placed.text.indexOf(END_MARKER) + END_MARKER.length),
    ).length,
  );
  // Refreshing again changes nothing: the position is stable.
  assertEquals(
    placeBlock(placed.text, BLOCK, { limit: 10_000 }).text,
    placed.text,
  );
});

Deno.test("a block ending past the limit moves to the top, once; bytes, not characters, count", () => {
  const mine = "é".repeat(600); // 1,200 bytes, 600 characters
  const text = `# T\n\n${mine}\n\n${OLD}\n`;
  const placed = placeBlock(text, BLOCK, { limit: 1_000 });
  assertEquals(placed.how, "moved");
  assertEquals(placed.text, `# T\n\n${BLOCK}\n\n${mine}\n`);
  assert(placed.blockEnd <= 1_000);
  assertEquals(placed.bytes, new TextEncoder().encode(placed.text).length);
  const again = placeBlock(placed.text, BLOCK, { limit: 1_000 });
  assertEquals(again.how, "refreshed");
  assertEquals(again.text, placed.text);
  // Measured in characters the old block would have fit: it must still move.
  assert(text.indexOf(END_MARKER) < 1_000);
});

Deno.test("a limit smaller than the block: it goes to the very top and then stays", () => {
  const text = `# A long title ${"x".repeat(200)}\n\nmine\n\n${OLD}\n`;
  const placed = placeBlock(text, BLOCK, { limit: 10 });
  assertEquals(placed.how, "moved");
  assert(
    placed.text.startsWith(START_MARKER),
    "before the title, as early as it gets",
  );
  const again = placeBlock(placed.text, BLOCK, { limit: 10 });
  assertEquals(again.how, "refreshed", "no move back and forth");
  assertEquals(again.text, placed.text);
});

Deno.test("repairing markers puts the fresh block at the top", () => {
  const placed = placeBlock(`# T\n\nmine ${END_MARKER}\n`, BLOCK, {
    repairMarkers: true,
  });
  assertEquals(placed.text, `# T\n\n${BLOCK}\n\nmine\n`);
});
