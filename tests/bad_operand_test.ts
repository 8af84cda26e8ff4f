/**
 * A directory operand that is not a waypoint repository gets advice that
 * fits what it is: a missing folder, a file, a path through a file, a folder
 * that cannot be read, a folder without waypoint. Every command that takes a
 * repository folder is swept with the same table.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  pathExists,
  removeTempDir,
  runCli,
} from "./support/cli.ts";
import { needsDenoRun, requires } from "./support/requires.ts";

/** Commands that work on an existing repository, and the exit code of a bad operand. */
const COMMANDS: [string[], number][] = [
  [["doctor"], 2],
  [["sync"], 1],
  [["context"], 1],
  [["upgrade", "--version", "1.0.0"], 1],
];

interface Operand {
  name: string;
  /** Makes the operand below `base`; returns the path given to the command. */
  make: (base: string) => Promise<string>;
  /** What the one stderr line must say. */
  says: RegExp;
  denoFlags?: (path: string) => string[];
}

const OPERANDS: Operand[] = [
  {
    name: "a missing folder",
    make: (base) => Promise.resolve(join(base, "no-such-folder")),
    says: /no-such-folder does not exist: give the repository's folder/,
  },
  {
    name: "a file",
    make: async (base) => {
      await Deno.writeTextFile(join(base, "notes.txt"), "hello\n");
      return join(base, "notes.txt");
    },
    says: /notes\.txt is not a folder: give the repository's folder/,
  },
  {
    name: "a path through a file",
    make: async (base) => {
      await Deno.writeTextFile(join(base, "file"), "x");
      return join(base, "file", "below");
    },
    says: /file\/below does not exist \(a part of it is a file\)/,
  },
  {
    name: "a folder it may not read",
    make: async (base) => {
      await Deno.mkdir(join(base, "locked"));
      return join(base, "locked");
    },
    // Root reads every folder, so the refusal comes from Deno's sandbox.
    denoFlags: (path) => [`--deny-read=${path}`],
    says: /locked cannot be read \(permission denied\)/,
  },
];

for (const operand of OPERANDS) {
  Deno.test({
    ...requires(
      `every repository command names the problem with ${operand.name}`,
      operand.denoFlags ? needsDenoRun() : undefined,
    ),
    async fn() {
      const base = await makeTempDir("waypoint-operand-");
      try {
        const path = await operand.make(base);
        for (const [command, code] of COMMANDS) {
          const result = await runCli([...command, path], {
            denoFlags: operand.denoFlags?.(path),
            env: { WAYPOINT_SELF_PATH: join(base, "waypoint-binary") },
          });
          const label = `${command[0]} with ${operand.name}`;
          assertEquals(result.code, code, `${label}: ${result.stderr}`);
          assertEquals(result.stdout, "", label);
          const lines = result.stderr.trimEnd().split("\n");
          assertEquals(lines.length, 1, `${label}: ${result.stderr}`);
          assertMatch(lines[0], operand.says, label);
          assert(!/\binit\b/.test(lines[0]), `${label} advises init`);
        }
        assertEquals(await pathExists(join(base, "waypoint-binary")), false);
        assertEquals(
          await pathExists(join(base, "no-such-folder")),
          false,
          "nothing was created",
        );
      } finally {
        await removeTempDir(base);
      }
    },
  });
}

Deno.test("a folder without waypoint is told to run init there", async () => {
  const base = await makeTempDir("waypoint-operand-");
  try {
    for (const [command, code] of COMMANDS.slice(0, 3)) {
      const result = await runCli([...command, base]);
      assertEquals(result.code, code, result.stderr);
      assertMatch(result.stdout + result.stderr, /waypoint init/);
    }
  } finally {
    await removeTempDir(base);
  }
});
