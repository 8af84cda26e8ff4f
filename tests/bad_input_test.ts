import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  pathExists,
  readRepoFile,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import {
  needsDenoRun,
  needsNonRoot,
  posixOnly,
  requires,
} from "./support/requires.ts";

/** Every bad input ends in one stderr line, a non-zero exit and no stack trace. */
function assertOneLine(
  result: { code: number; stderr: string },
  pattern: RegExp,
  expectedCode?: number,
): void {
  if (expectedCode === undefined) assert(result.code !== 0, "non-zero exit");
  else assertEquals(result.code, expectedCode, result.stderr);
  const lines = result.stderr.trim().split("\n");
  assertEquals(lines.length, 1, result.stderr);
  assertMatch(lines[0], pattern);
  assert(!result.stderr.includes("    at "), "no stack trace");
}

async function snapshot(
  root: string,
  prefix = "",
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) Object.assign(out, await snapshot(root, rel));
    else if (entry.isFile) {
      out[rel] = await Deno.readTextFile(join(root, rel)).catch(() =>
        "<binary>"
      );
    }
  }
  return out;
}

Deno.test("malformed config.toml: file, line and key named; nothing written", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      'version = 1\nprofile = "universal"\ndocs_dir = ".waypoint/docs\n',
    );
    const before = await snapshot(dir);
    for (const command of ["init", "sync"]) {
      const result = await runCli([command, dir]);
      assertOneLine(
        result,
        /^waypoint: \.waypoint\/config\.toml:3: invalid TOML \(key docs_dir\)/,
      );
    }
    assertEquals(await snapshot(dir), before);
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 2);
    assertMatch(
      doctor.stdout,
      /\[ERROR\] config: \.waypoint\/config\.toml:3: invalid TOML/,
    );
  }, { init: true });
});

Deno.test("wrong-typed config value: file, line and key named", async () => {
  await withTempRepo(async (dir) => {
    const config = await readRepoFile(dir, ".waypoint/config.toml");
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      config.replace("repo_skills = true", 'repo_skills = "yes"'),
    );
    const line =
      (await readRepoFile(dir, ".waypoint/config.toml")).split("\n").findIndex((
        l,
      ) => l.startsWith("repo_skills")) + 1;
    const result = await runCli(["init", dir]);
    assertOneLine(
      result,
      new RegExp(
        `^waypoint: \\.waypoint/config\\.toml:${line}: features\\.repo_skills must be true or false, found string "yes"$`,
      ),
    );
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      "version = 1\ndocs_dir = 5\n",
    );
    assertOneLine(
      await runCli(["sync", dir]),
      /^waypoint: \.waypoint\/config\.toml:2: docs_dir must be a non-empty string, found integer 5$/,
    );
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      'version = 1\ndocs_dir = "../outside"\n',
    );
    assertOneLine(
      await runCli(["sync", dir]),
      /docs_dir must be a path inside the repository/,
    );
  }, { init: true });
});

Deno.test("AGENTS.md with one marker or markers out of order: init refuses, --force repairs", async () => {
  await withTempRepo(async (dir) => {
    const cases = [
      "# Ours\n<!-- waypoint:start -->\nhalf a block\n",
      "# Ours\n<!-- waypoint:end -->\nx\n<!-- waypoint:start -->\n",
    ];
    for (const text of cases) {
      await writeRepoFile(dir, "AGENTS.md", text);
      const result = await runCli(["init", dir]);
      assertOneLine(
        result,
        /^waypoint: AGENTS\.md has .*waypoint will not guess/,
      );
      assertEquals(
        await readRepoFile(dir, "AGENTS.md"),
        text,
        "AGENTS.md untouched",
      );
      const doctor = await runCli(["doctor", dir]);
      assertEquals(doctor.code, 2);
      assertMatch(doctor.stdout, /\[ERROR\] install: AGENTS\.md has/);
    }
    const forced = await runCli(["init", dir, "--force"]);
    assertEquals(forced.code, 0, forced.stderr);
    const repaired = await readRepoFile(dir, "AGENTS.md");
    assert(repaired.startsWith("# Ours\n"));
    assertEquals(repaired.split("<!-- waypoint:start -->").length, 2);
    assertEquals(repaired.split("<!-- waypoint:end -->").length, 2);
    const backups = [...Deno.readDirSync(dir)].filter((e) =>
      e.name.startsWith("AGENTS.md.waypoint-backup-")
    );
    assertEquals(backups.length, 1);
  }, { init: true });
});

Deno.test("a doc that is not UTF-8, or binary: named, skipped, index still written", async () => {
  await withTempRepo(async (dir) => {
    await Deno.writeFile(
      join(dir, ".waypoint/docs/latin1.md"),
      new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0xff, 0x0a]),
    );
    await Deno.writeFile(
      join(dir, ".waypoint/docs/blob.md"),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
    );
    await writeRepoFile(
      dir,
      ".waypoint/docs/good.md",
      '---\nsummary: Good\nlast_updated: "2026-01-01"\nread_when: [always]\n---\n',
    );
    const result = await runCli(["sync", dir]);
    // The index is written, so sync succeeds; each doc left out is a warning.
    assertEquals(result.code, 0);
    const lines = result.stderr.trim().split("\n").sort();
    assertEquals(lines, [
      "waypoint: warning: .waypoint/docs/blob.md: is a binary file, not text",
      "waypoint: warning: .waypoint/docs/latin1.md: is not valid UTF-8 text",
    ]);
    assertMatch(await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"), /good\.md/);
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 1);
    assertMatch(
      doctor.stdout,
      /\[WARN\] docs: \.waypoint\/docs\/latin1\.md: is not valid UTF-8 text/,
    );
  }, { init: true });
});

Deno.test(
  requires(
    "a symlink loop under the docs root is reported, never followed forever",
    posixOnly(),
  ),
  async () => {
    await withTempRepo(async (dir) => {
      const docs = join(dir, ".waypoint", "docs");
      await Deno.mkdir(join(docs, "sub"));
      await Deno.symlink(docs, join(docs, "sub", "back-to-root"));
      await Deno.symlink(join(docs, "self"), join(docs, "self"));
      await writeRepoFile(
        dir,
        ".waypoint/docs/sub/real.md",
        '---\nsummary: Real\nlast_updated: "2026-01-01"\nread_when: [x]\n---\n',
      );
      const result = await runCli(["sync", dir]);
      assertEquals(result.code, 0);
      assertMatch(
        result.stderr,
        /warning: \.waypoint\/docs\/sub\/back-to-root: symlink loop/,
      );
      assertMatch(result.stderr, /\.waypoint\/docs\/self: symlink loop/);
      assertMatch(
        await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"),
        /sub\/real\.md/,
      );
      const doctor = await runCli(["doctor", dir]);
      assertEquals(doctor.code, 1);
    }, { init: true });
  },
);

Deno.test({
  ...requires("an unreadable doc is named and skipped", needsDenoRun()),
}, async () => {
  await withTempRepo(async (dir) => {
    const secret = join(dir, ".waypoint", "docs", "secret.md");
    await Deno.writeTextFile(
      secret,
      '---\nsummary: s\nlast_updated: "1"\nread_when: [x]\n---\n',
    );
    // Root ignores file modes, so deny the read through Deno's permissions instead.
    const result = await runCli(["sync", dir], {
      denoFlags: [`--deny-read=${secret}`],
    });
    assertOneLine(
      result,
      /^waypoint: warning: \.waypoint\/docs\/secret\.md: cannot read: .*permission denied/,
      0,
    );
  }, { init: true });
});

Deno.test("a docs root that is a file is an error", async () => {
  await withTempRepo(async (dir) => {
    await Deno.remove(join(dir, ".waypoint", "docs"), { recursive: true });
    await Deno.writeTextFile(join(dir, ".waypoint", "docs"), "not a folder");
    assertOneLine(
      await runCli(["sync", dir]),
      /^waypoint: warning: \.waypoint\/docs: docs root is a file, not a directory$/,
      0,
    );
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 2);
    assertMatch(
      doctor.stdout,
      /\[ERROR\] docs: Docs root \.waypoint\/docs is a file/,
    );
  }, { init: true });
});

Deno.test({
  ...requires("a read-only repo: one line, nothing written", needsDenoRun()),
}, async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "README.md", "# Project\n");
    const result = await runCli(["init", dir], {
      denoFlags: [`--deny-write=${dir}`],
    });
    assertOneLine(
      result,
      /^waypoint: \S+: cannot (write|create folder): permission denied \(is the repository read-only\?\)$/,
    );
    assertEquals(await snapshot(dir), { "README.md": "# Project\n" });
  });
});

Deno.test({
  ...requires(
    "a read-only repo (file modes), when not running as root",
    needsNonRoot(),
    posixOnly(),
  ),
}, async () => {
  await withTempRepo(async (dir) => {
    await Deno.chmod(dir, 0o555);
    const result = await runCli(["init", dir]);
    assertOneLine(result, /permission denied/);
    assert(!(await pathExists(join(dir, ".waypoint"))));
  });
});

Deno.test("a corrupt manifest is named, not a crash", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".waypoint/manifest.json", "{ nope");
    assertOneLine(
      await runCli(["init", dir]),
      /^waypoint: \.waypoint\/manifest\.json is not valid JSON/,
    );
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 2);
  }, { init: true });
});

Deno.test("WAYPOINT_DEBUG=1 shows the stack of an unexpected failure", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".waypoint/config.toml", "version = [");
    const plain = await runCli(["sync", dir]);
    assert(!plain.stderr.includes("    at "));
    const debug = await runCli(["sync", dir], { env: { WAYPOINT_DEBUG: "1" } });
    assert(debug.stderr.includes("    at "), debug.stderr);
  }, { init: true });
});
