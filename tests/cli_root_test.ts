/**
 * Root discovery, as a user in a subfolder meets it: every command finds the
 * repository above it like git does, init sets up the top of a git work tree,
 * an explicit directory wins, and folders that only look like a waypoint repo
 * (a symlinked `.waypoint`, one owned by someone else) do not count.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  pathExists,
  runCli,
  runCommand,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import { findWaypointRoot } from "../src/cli/root.ts";
import { VERSION } from "../src/version.ts";

async function gitInit(dir: string): Promise<void> {
  const result = await runCommand("git", ["init", "-q", dir]);
  assertEquals(result.code, 0, result.stderr);
}

Deno.test("from src/ of a git project, init sets up the top and every command then works from src/", async () => {
  await withTempRepo(async (dir) => {
    await gitInit(dir);
    const src = join(dir, "src");
    await Deno.mkdir(join(src, "deep"), { recursive: true });

    const dry = await runCli(["init", "--dry-run"], { cwd: src });
    assertEquals(dry.code, 0, dry.stderr);
    assertEquals(
      dry.stdout.split("\n")[0],
      `No waypoint repository at or above ${src}: using the top of this git work tree, ${dir}.`,
    );
    assert(!(await pathExists(join(dir, ".waypoint"))), "dry run wrote");

    const init = await runCli(["init"], { cwd: src });
    assertEquals(init.code, 0, init.stderr);
    assertMatch(
      init.stdout.split("\n")[0],
      /using the top of this git work tree/,
    );
    assert(await pathExists(join(dir, ".waypoint", "config.toml")));
    assert(!(await pathExists(join(src, ".waypoint"))), "no scaffold in src/");

    const deep = join(src, "deep");
    const again = await runCli(["init"], { cwd: deep });
    assertEquals(again.code, 0, again.stderr);
    assertEquals(
      again.stdout,
      `Waypoint ${VERSION} in ${dir} is up to date: nothing changed.\n`,
    );
    const dryAgain = await runCli(["init", "--dry-run"], { cwd: deep });
    assertEquals(dryAgain.stdout, `Dry run: nothing would change in ${dir}.\n`);

    const doctor = await runCli(["doctor"], {
      cwd: deep,
      env: { CODEX_HOME: join(dir, "no-codex-home") },
    });
    assertEquals(doctor.code, 0, doctor.stdout + doctor.stderr);
    assertMatch(doctor.stdout, /0 error\(s\), 0 warning\(s\)|no findings/);

    await writeRepoFile(
      dir,
      ".waypoint/docs/api.md",
      "---\nsummary: The API\nlast_updated: 2026-01-01\nread_when: [changing the API]\n---\n",
    );
    const sync = await runCli(["sync"], { cwd: src });
    assertEquals(sync.code, 0, sync.stderr);
    assertMatch(sync.stdout, /Rebuilt \.waypoint\/DOCS_INDEX\.md/);

    const context = await runCli(["context"], {
      cwd: src,
      env: { CODEX_HOME: join(dir, "no-codex-home") },
    });
    assertEquals(context.code, 0, context.stderr);
    assert(await pathExists(join(dir, ".waypoint", "context", "MANIFEST.md")));
    assert(!(await pathExists(join(src, ".waypoint"))), "nothing in src/");
  });
});

Deno.test("outside any waypoint repository, doctor, sync and context say so in one line naming where they looked", async () => {
  await withTempRepo(async (dir) => {
    const sub = join(dir, "a", "b");
    await Deno.mkdir(sub, { recursive: true });
    for (const command of ["doctor", "sync", "context"]) {
      const result = await runCli([command], {
        cwd: sub,
        env: { CODEX_HOME: join(dir, "no-codex-home") },
      });
      assertEquals(result.code, command === "doctor" ? 2 : 1, command);
      assertEquals(result.stdout, "", command);
      const lines = result.stderr.trim().split("\n");
      assertEquals(lines.length, 1, result.stderr);
      assertMatch(
        lines[0],
        new RegExp(
          `not in a waypoint repository: no \\.waypoint/config\\.toml in ${sub} or any folder above it`,
        ),
      );
    }
    assert(!(await pathExists(join(sub, ".waypoint"))));
  });
});

Deno.test("outside git and waypoint, init sets up the current folder without a preamble", async () => {
  await withTempRepo(async (dir) => {
    const result = await runCli(["init"], { cwd: dir });
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout.split("\n")[0], /^Waypoint .* is set up in /);
    assert(await pathExists(join(dir, ".waypoint", "config.toml")));
  });
});

Deno.test("without git on PATH there is no git root: init uses the current folder", async () => {
  await withTempRepo(async (dir) => {
    await gitInit(dir);
    const src = join(dir, "src");
    await Deno.mkdir(src);
    const result = await runCli(["init", "--quiet"], {
      cwd: src,
      env: { PATH: join(dir, "no-such-bin") },
    });
    assertEquals(result.code, 0, result.stderr);
    assert(await pathExists(join(src, ".waypoint", "config.toml")));
  });
});

Deno.test("an explicit directory wins over the repository around the current folder", async () => {
  await withTempRepo(async (outer) => {
    await withTempRepo(async (other) => {
      const src = join(outer, "src");
      await Deno.mkdir(src);
      const result = await runCli(["init", other, "--quiet"], { cwd: src });
      assertEquals(result.code, 0, result.stderr);
      assert(await pathExists(join(other, ".waypoint", "config.toml")));
      const doctor = await runCli(["doctor", other], {
        cwd: src,
        env: { CODEX_HOME: join(other, "no-codex-home") },
      });
      assertEquals(doctor.code, 0, doctor.stdout);
    });
    const bare = join(outer, "bare");
    await Deno.mkdir(bare);
    const doctor = await runCli(["doctor", bare], {
      cwd: outer,
      env: { CODEX_HOME: join(outer, "no-codex-home") },
    });
    assertEquals(doctor.code, 2);
    assertMatch(doctor.stdout, /\.waypoint\/config\.toml is missing/);
  }, { init: true });
});

Deno.test("the nearest repository wins, and a broken config there is named rather than skipped", async () => {
  await withTempRepo(async (outer) => {
    const inner = join(outer, "packages", "inner");
    await Deno.mkdir(inner, { recursive: true });
    const init = await runCli(["init", inner, "--quiet"]);
    assertEquals(init.code, 0, init.stderr);
    const sync = await runCli(["sync", "--json"], { cwd: join(inner) });
    assertEquals(JSON.parse(sync.stdout).root, inner);

    await writeRepoFile(inner, ".waypoint/config.toml", "profile = [\n");
    const broken = await runCli(["sync"], { cwd: inner });
    assertEquals(broken.code, 1);
    assertMatch(
      broken.stderr,
      /^waypoint: \.waypoint\/config\.toml:\d+: invalid TOML/,
    );
  }, { init: true });
});

Deno.test("a symlinked .waypoint does not make a repository root", async () => {
  await withTempRepo(async (outer) => {
    const inner = join(outer, "inner");
    await Deno.mkdir(inner);
    await Deno.symlink(join(outer, ".waypoint"), join(inner, ".waypoint"));
    const sync = await runCli(["sync", "--json"], { cwd: inner });
    assertEquals(sync.code, 0, sync.stderr);
    assertEquals(JSON.parse(sync.stdout).root, outer, "passed over inner/");

    const search = findWaypointRoot(inner);
    assertEquals(search.root, outer);
    assertEquals(search.passedOver, [{
      path: inner,
      reason: ".waypoint is a symlink",
    }]);
  }, { init: true });
});

Deno.test("a .waypoint owned by another user does not count (a planted /tmp/.waypoint cannot capture commands)", async () => {
  await withTempRepo(async (outer) => {
    const sub = join(outer, "project");
    await Deno.mkdir(sub);
    const owners = (path: string) =>
      path === join(outer, ".waypoint") ? 4242 : 1000;
    const search = findWaypointRoot(sub, owners, 1000);
    assertEquals(search.root, undefined);
    assertEquals(search.passedOver, [{
      path: outer,
      reason: ".waypoint belongs to another user",
    }]);
    assertEquals(findWaypointRoot(sub, owners, 4242).root, outer);
    assertEquals(findWaypointRoot(sub, () => null, 1000).root, outer);
    assertEquals(
      findWaypointRoot(sub, () => 0, 1000).root,
      outer,
      "root's is trusted",
    );
  }, { init: true });
});
