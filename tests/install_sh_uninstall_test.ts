/**
 * `install.sh --uninstall`, run under `dash` as a user would: it deletes the
 * binary the script installs and the folders it leaves empty, runs nothing
 * it finds, and refuses what the script never writes there.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { which } from "./support/install_tools.ts";
import { makeTempDir, PROJECT_ROOT, removeTempDir } from "./support/cli.ts";
import { type Finished, run } from "./support/standin_packages.ts";
import { needsDash, posixOnly, requires } from "./support/requires.ts";

const INSTALL_SH = join(PROJECT_ROOT, "install.sh");
const DASH = which("dash");

Deno.test({
  ...requires(
    "install.sh --uninstall removes the installed binary and empty folders, runs nothing, refuses a symlink (dash)",
    posixOnly(),
    needsDash(),
  ),
  async fn(t) {
    const dir = await makeTempDir();
    const home = join(dir, "home");
    await Deno.mkdir(home);
    const uninstall = (env: Record<string, string> = {}): Promise<Finished> =>
      run(DASH!, [INSTALL_SH, "--uninstall"], {
        clearEnv: true,
        env: {
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: home,
          ...env,
        },
      });
    const ran = join(dir, "binary-was-run");
    const plantBinary = async (root: string) => {
      await Deno.mkdir(join(root, "bin"), { recursive: true });
      await Deno.writeTextFile(
        join(root, "bin", "waypoint"),
        `#!/bin/sh\ntouch '${ran}'\necho 1.0.0\n`,
        { mode: 0o755 },
      );
    };
    try {
      await t.step(
        "the default root: binary, bin/ and the root go",
        async () => {
          const root = join(home, ".waypoint");
          await plantBinary(root);
          await Deno.writeTextFile(
            join(root, "bin", ".waypoint.99999.tmp"),
            "x",
          );
          const result = await uninstall();
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, /^Removed .*\.waypoint\/bin\/waypoint$/m);
          assert.match(result.stdout, /waypoint remove/);
          assert.equal(existsSync(root), false);
          assert.equal(existsSync(ran), false, "the binary was not run");
        },
      );

      await t.step(
        "WAYPOINT_INSTALL: other files in bin/ stay, and so does bin/",
        async () => {
          const root = join(dir, "custom");
          await plantBinary(root);
          await Deno.writeTextFile(join(root, "bin", "mine"), "keep me\n");
          const result = await uninstall({ WAYPOINT_INSTALL: root });
          assert.equal(result.code, 0, result.stderr);
          assert.equal(existsSync(join(root, "bin", "waypoint")), false);
          assert.equal(
            await Deno.readTextFile(join(root, "bin", "mine")),
            "keep me\n",
          );
        },
      );

      await t.step("nothing installed: says so, exit 0", async () => {
        const result = await uninstall({ WAYPOINT_INSTALL: join(dir, "none") });
        assert.equal(result.code, 0, result.stderr);
        assert.match(
          result.stdout,
          /No waypoint binary at .*; nothing to remove/,
        );
      });

      await t.step(
        "a symlink there is refused with one line and kept",
        async () => {
          const root = join(dir, "linked");
          await Deno.mkdir(join(root, "bin"), { recursive: true });
          const elsewhere = join(dir, "elsewhere");
          await Deno.writeTextFile(elsewhere, "someone else's\n");
          await Deno.symlink(elsewhere, join(root, "bin", "waypoint"));
          const result = await uninstall({ WAYPOINT_INSTALL: root });
          assert.equal(result.code, 1, result.stdout + result.stderr);
          const lines = result.stderr.trimEnd().split("\n");
          assert.equal(lines.length, 1, result.stderr);
          assert.match(lines[0], /^waypoint-install: .* is not a regular file/);
          assert.ok(Deno.lstatSync(join(root, "bin", "waypoint")).isSymlink);
          assert.equal(await Deno.readTextFile(elsewhere), "someone else's\n");
        },
      );

      await t.step("--help names --uninstall", async () => {
        const result = await run(DASH!, [INSTALL_SH, "--help"], {
          clearEnv: true,
          env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home },
        });
        assert.equal(result.code, 0);
        assert.match(result.stdout, /--uninstall/);
      });
    } finally {
      await removeTempDir(dir);
    }
  },
});
