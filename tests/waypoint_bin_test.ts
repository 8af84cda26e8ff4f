/**
 * The tests' subprocess runner drives whatever `WAYPOINT_BIN` names (a
 * compiled binary in CI), and refuses the runs only `deno run` can do.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempDir, removeTempDir, runCommand } from "./support/cli.ts";
import { posixOnly, requires } from "./support/requires.ts";

const CLI_TS = new URL("./support/cli.ts", import.meta.url).href;

Deno.test({
  ...requires(
    "runCli runs WAYPOINT_BIN with the arguments, cwd and environment",
    posixOnly(),
  ),
  async fn() {
    const dir = await makeTempDir();
    try {
      const fake = join(dir, "fake-waypoint");
      await Deno.writeTextFile(
        fake,
        '#!/bin/sh\necho "args: $*"\necho "cwd: $(pwd)"\n' +
          'echo "extra: $EXTRA"\necho "update check off: $WAYPOINT_NO_UPDATE_CHECK"\nexit 4\n',
      );
      await Deno.chmod(fake, 0o755);
      const script = `
        import { runCli } from "${CLI_TS}";
        const plain = await runCli(["doctor", "a b"], { cwd: ${
        JSON.stringify(dir)
      }, env: { EXTRA: "yes" } });
        let refused = "";
        try {
          await runCli(["init"], { denoFlags: ["--deny-write=/x"] });
        } catch (error) {
          refused = (error as Error).message;
        }
        console.log(JSON.stringify({ plain, refused }));
      `;
      const result = await runCommand(
        Deno.execPath(),
        ["eval", "--quiet", "--ext=ts", script],
        { env: { WAYPOINT_BIN: fake } },
      );
      assert.equal(result.code, 0, result.stderr);
      const { plain, refused } = JSON.parse(result.stdout);
      assert.equal(plain.code, 4);
      assert.equal(
        plain.stdout,
        `args: doctor a b\ncwd: ${await Deno.realPath(dir)}\nextra: yes\n` +
          "update check off: 1\n",
      );
      assert.match(refused, /needs `deno run main\.ts`, but WAYPOINT_BIN=/);
      assert.match(result.stderr, /tests: running .*fake-waypoint/);
    } finally {
      await removeTempDir(dir);
    }
  },
});
