/**
 * The indexes in an untidy or hostile repo, driven through the CLI: links
 * out of the repo, FIFOs and devices among the docs, an alias bomb, an
 * index path pointed at a user's file, frontmatter only the old line format
 * reads, and docs left out of the index.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import { posixOnly, requires } from "./support/requires.ts";

const doc = (summary: string) =>
  `---\nsummary: ${summary}\nlast_updated: "2026-01-01"\nread_when: [always]\n---\n`;

function stderrLines(stderr: string): string[] {
  return stderr.trim().split("\n").filter((line) => line !== "");
}

Deno.test(
  requires(
    "a docs folder or doc linked outside the repo is never read",
    posixOnly(),
  ),
  async () => {
    const outside = await makeTempDir("waypoint-outside-");
    try {
      await Deno.writeTextFile(
        join(outside, "secret.md"),
        doc("OUTSIDE SECRET"),
      );
      await withTempRepo(async (dir) => {
        const config = await readRepoFile(dir, ".waypoint/config.toml");
        await writeRepoFile(
          dir,
          ".waypoint/config.toml",
          config.replace(
            /^docs_dir = .*$/m,
            'docs_dirs = [".waypoint/docs", "handbook"]',
          ),
        );
        await Deno.symlink(outside, join(dir, "handbook"));
        await Deno.symlink(outside, join(dir, ".waypoint/docs/linked-dir"));
        await Deno.symlink(
          join(outside, "secret.md"),
          join(dir, ".waypoint/docs/linked.md"),
        );
        // A link to a doc inside the repo is still followed.
        await writeRepoFile(dir, "notes/inside.md", doc("Inside doc"));
        await Deno.symlink(
          join(dir, "notes/inside.md"),
          join(dir, ".waypoint/docs/inside-link.md"),
        );
        const result = await runCli(["sync", dir]);
        assertEquals(result.code, 0, result.stderr);
        const index = await readRepoFile(dir, ".waypoint/DOCS_INDEX.md");
        assert(!index.includes("OUTSIDE SECRET"), index);
        assertMatch(index, /inside-link\.md\*\* — Inside doc/);
        for (
          const name of [
            "handbook",
            ".waypoint/docs/linked-dir",
            ".waypoint/docs/linked.md",
          ]
        ) {
          assert(
            result.stderr.includes(
              `waypoint: warning: ${name}: is a symlink to outside the repository`,
            ),
            `${name} named: ${result.stderr}`,
          );
        }
        const doctor = await runCli(["doctor", dir]);
        assert(!doctor.stdout.includes("OUTSIDE SECRET"));
        assertMatch(
          doctor.stdout,
          /linked\.md: is a symlink to outside the repository/,
        );
      }, { init: true });
    } finally {
      await removeTempDir(outside);
    }
  },
);

Deno.test(
  requires(
    "a FIFO or a /dev/zero link among the docs is skipped with a warning, never read",
    posixOnly(),
  ),
  async () => {
    await withTempRepo(async (dir) => {
      const fifo = join(dir, ".waypoint/docs/pipe.md");
      const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
      assert(made.success, "mkfifo");
      await Deno.symlink("/dev/zero", join(dir, ".waypoint/docs/zero.md"));
      await writeRepoFile(dir, ".waypoint/docs/good.md", doc("Good doc"));
      for (const command of ["sync", "doctor"]) {
        const result = await runCli([command, dir]);
        const output = result.stderr + result.stdout;
        assertMatch(
          output,
          /\.waypoint\/docs\/pipe\.md: is not a regular file \(a FIFO, socket or device\); skipped/,
        );
        assertMatch(
          output,
          /\.waypoint\/docs\/zero\.md: is a symlink to outside the repository/,
        );
      }
      assertMatch(
        await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"),
        /good\.md\*\* — Good doc/,
      );
    }, { init: true });
  },
);

Deno.test("an alias bomb in one doc of 600 is named, costs nothing, and stays out of the cache", async () => {
  const cacheDir = await makeTempDir("waypoint-cache-");
  try {
    await withTempRepo(async (dir) => {
      const docs = join(dir, ".waypoint/docs/many");
      await Deno.mkdir(docs, { recursive: true });
      for (let i = 0; i < 600; i++) {
        await Deno.writeTextFile(join(docs, `doc-${i}.md`), doc(`Doc ${i}`));
      }
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 9; i++) {
        const prev = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        levels.push(
          `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`,
        );
      }
      await writeRepoFile(
        dir,
        ".waypoint/docs/bomb.md",
        `---\n${
          levels.join("\n")
        }\nsummary: *i\nlast_updated: x\nread_when: *i\n---\n`,
      );
      const started = performance.now();
      const result = await runCli(["sync", dir], {
        env: { WAYPOINT_CACHE_DIR: cacheDir },
      });
      const elapsed = performance.now() - started;
      assertEquals(result.code, 0, result.stderr);
      assertEquals(stderrLines(result.stderr), [
        "waypoint: warning: .waypoint/docs/bomb.md: left out of the index: frontmatter expands to more than 10,000 values through YAML aliases",
      ]);
      // Not a timing assertion: the bomb used to take minutes; a minute is a generous sign it is gone.
      assert(elapsed < 60_000, `took ${elapsed} ms`);
      let cacheBytes = 0;
      for (const entry of Deno.readDirSync(join(cacheDir, "frontmatter"))) {
        cacheBytes +=
          Deno.statSync(join(cacheDir, "frontmatter", entry.name)).size;
      }
      assert(cacheBytes < 200_000, `cache is ${cacheBytes} bytes`);
      const doctor = await runCli(["doctor", dir], {
        env: { WAYPOINT_CACHE_DIR: cacheDir },
      });
      assertMatch(
        doctor.stdout,
        /bomb\.md is not routable: frontmatter expands to more than 10,000 values/,
      );
    }, { init: true });
  } finally {
    await removeTempDir(cacheDir);
  }
});

Deno.test("docs_index_file pointed at the user's README: refused in one line, README untouched", async () => {
  await withTempRepo(async (dir) => {
    const readme = "# My project\n\nHand-written.\n";
    await writeRepoFile(dir, "README.md", readme);
    const config = await readRepoFile(dir, ".waypoint/config.toml");
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      config.replace(
        /^docs_index_file = .*$/m,
        'docs_index_file = "README.md"',
      ),
    );
    const result = await runCli(["sync", dir]);
    assertEquals(result.code, 1);
    assertEquals(stderrLines(result.stderr).length, 1, result.stderr);
    assertMatch(
      result.stderr,
      /^waypoint: README\.md: not written: it is not an index waypoint generated/,
    );
    assertEquals(await readRepoFile(dir, "README.md"), readme);
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 2);
    assertMatch(
      doctor.stdout,
      /README\.md: not written: it is not an index waypoint generated/,
    );
    assertEquals(await readRepoFile(dir, "README.md"), readme);
    const fix = await runCli(["doctor", "--fix", dir]);
    assert(fix.code !== 0);
    assertEquals(await readRepoFile(dir, "README.md"), readme);
  }, { init: true });
});

Deno.test(
  requires("an index is replaced only when waypoint generated it", posixOnly()),
  async () => {
    await withTempRepo(async (dir) => {
      const config = await readRepoFile(dir, ".waypoint/config.toml");
      await writeRepoFile(
        dir,
        ".waypoint/config.toml",
        config.replace(
          /^docs_index_file = .*$/m,
          'docs_index_file = "docs/INDEX.md"',
        ),
      );
      assertEquals((await runCli(["sync", dir])).code, 0);
      await writeRepoFile(dir, ".waypoint/docs/new.md", doc("New doc"));
      const again = await runCli(["sync", dir]);
      assertEquals(again.code, 0, again.stderr);
      assertMatch(
        await readRepoFile(dir, "docs/INDEX.md"),
        /new\.md\*\* — New doc/,
      );

      // A hand-edited index is the user's now, and so is a symlink in its place.
      const edited = (await readRepoFile(dir, "docs/INDEX.md")) +
        "\nMy own note.\n";
      await writeRepoFile(dir, "docs/INDEX.md", edited);
      await Deno.remove(join(dir, ".waypoint/TRACKS_INDEX.md"));
      await writeRepoFile(dir, "elsewhere.md", "# Mine\n");
      await Deno.symlink(
        join(dir, "elsewhere.md"),
        join(dir, ".waypoint/TRACKS_INDEX.md"),
      );
      const refused = await runCli(["sync", dir]);
      assertEquals(refused.code, 1);
      assertEquals(stderrLines(refused.stderr), [
        "waypoint: docs/INDEX.md: not written: it is not an index waypoint generated, and waypoint does not replace other files (move it aside, or point docs_index_file elsewhere)",
        "waypoint: .waypoint/TRACKS_INDEX.md: not written: it is a symlink; waypoint does not follow or replace symlinks",
      ]);
      assertEquals(await readRepoFile(dir, "docs/INDEX.md"), edited);
      assertEquals(await readRepoFile(dir, "elsewhere.md"), "# Mine\n");
    }, { init: true });
  },
);

Deno.test("frontmatter only the old line format reads is indexed, with a warning naming file, line and fix", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/docs/colon.md",
      '---\nsummary: Deploys: how they work\nlast_updated: "2026-01-01"\nread_when:\n  - deploying\n---\n',
    );
    await writeRepoFile(
      dir,
      ".waypoint/docs/step.md",
      '---\nsummary: Steps\nlast_updated: "2026-01-01"\nread_when:\n  - releasing\n  - step: deploy\n---\n',
    );
    await writeRepoFile(
      dir,
      ".waypoint/docs/dup.md",
      '---\nsummary: First\nlast_updated: "2026-01-01"\nsummary: Second\nread_when:\n  - x\n---\n',
    );
    await writeRepoFile(
      dir,
      ".waypoint/docs/star.md",
      '---\nsummary: *important* notes\nlast_updated: "2026-01-01"\nread_when:\n  - always\n---\n',
    );
    await writeRepoFile(
      dir,
      ".waypoint/track/legacy.md",
      "---\nstatus: active\nsummary: Work: in progress\nlast_updated: 2026-01-01\nread_when:\n  - resuming\n---\n",
    );
    const result = await runCli(["sync", dir]);
    assertEquals(result.code, 0, result.stderr);
    const index = await readRepoFile(dir, ".waypoint/DOCS_INDEX.md");
    assertMatch(
      index,
      /colon\.md\*\* — Deploys: how they work\n {2}Read when: deploying\n/,
    );
    assertMatch(
      index,
      /step\.md\*\* — Steps\n {2}Read when: releasing; step: deploy\n/,
    );
    assertMatch(index, /dup\.md\*\* — Second\n/);
    assertMatch(index, /star\.md\*\* — \*important\* notes\n/);
    assertMatch(
      await readRepoFile(dir, ".waypoint/TRACKS_INDEX.md"),
      /legacy\.md\*\* — \[active\] Work: in progress/,
    );
    const lines = stderrLines(result.stderr);
    assertEquals(lines.length, 5, result.stderr);
    for (
      const [file, line] of [["colon", 2], ["step", 6], ["dup", 4], [
        "star",
        2,
      ]] as const
    ) {
      const warning = lines.find((l) => l.includes(`/${file}.md:`));
      assert(warning, `${file} warned: ${result.stderr}`);
      assert(
        warning.startsWith(
          `waypoint: warning: .waypoint/docs/${file}.md:${line}: `,
        ),
        warning,
      );
      assertMatch(
        warning,
        /indexed as the old line format reads it; quote the value on that line/,
      );
    }
    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 1);
    assertMatch(
      doctor.stdout,
      /\[WARN\] docs: \.waypoint\/docs\/colon\.md:2: frontmatter is not valid YAML/,
    );
    assertMatch(
      doctor.stdout,
      /\[WARN\] track: \.waypoint\/track\/legacy\.md:3: /,
    );
    assert(!doctor.stdout.includes("is stale"), doctor.stdout);
  }, { init: true });
});

Deno.test("sync names each doc it left out and why, and still exits 0", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/docs/no-list.md",
      '---\nsummary: S\nlast_updated: "2026-01-01"\nread_when: 3\n---\n',
    );
    await writeRepoFile(dir, ".waypoint/docs/plain.md", "# No frontmatter\n");
    // Only the frontmatter is read: a stray byte in the body no longer hides the doc.
    await Deno.writeFile(
      join(dir, ".waypoint/docs/latin1-body.md"),
      new Uint8Array([
        ...new TextEncoder().encode(doc("Latin body")),
        0x0a,
        0xe9,
        0x0a,
      ]),
    );
    const result = await runCli(["sync", dir]);
    assertEquals(result.code, 0);
    assertEquals(stderrLines(result.stderr).sort(), [
      "waypoint: warning: .waypoint/docs/no-list.md: left out of the index: read_when must be a non-empty list",
      "waypoint: warning: .waypoint/docs/plain.md: left out of the index: no YAML frontmatter (--- block at the top)",
    ]);
    assertMatch(
      await readRepoFile(dir, ".waypoint/DOCS_INDEX.md"),
      /latin1-body\.md\*\* — Latin body/,
    );
  }, { init: true });
});

Deno.test("an index over 8 MiB is judged by streaming it: a generated one is refreshed, one with a line of prose at its end is refused", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".waypoint/docs/real.md", doc("The one real doc"));
    // What a repo with 60,000 docs left behind (about 10 MB), then its docs went.
    const entries = Array.from(
      { length: 60_000 },
      (_, i) =>
        `- **.waypoint/docs/area-${
          i % 600
        }/doc-${i}.md** — Generated doc ${i} about a subsystem and its failure modes\n  Read when: changing subsystem ${
          i % 37
        }; debugging incident class ${i % 11}\n`,
    ).join("");
    const header =
      "# Docs Index\n\nAuto-generated by `waypoint sync` / `waypoint doctor`. Read matching docs before working on a task.\n\n## .waypoint/docs/\n\n";
    const path = ".waypoint/DOCS_INDEX.md";

    for (const lineEnding of ["\n", "\r\n"]) {
      const big = (header + entries).replaceAll("\n", lineEnding);
      assert(big.length > 9 * 1024 * 1024);
      await writeRepoFile(dir, path, big);
      const doctor = await runCli(["doctor", dir]);
      assertMatch(doctor.stdout, /\.waypoint\/DOCS_INDEX\.md is stale/);
      assert(!/larger than/.test(doctor.stdout), doctor.stdout);
      const sync = await runCli(["sync", dir]);
      assertEquals(sync.code, 0, sync.stderr);
      assertEquals(sync.stderr, "");
      assertMatch(sync.stdout, /Rebuilt \.waypoint\/DOCS_INDEX\.md/);
      const index = await readRepoFile(dir, path);
      assertMatch(index, /real\.md\*\* — The one real doc/);
      assert(index.length < 2000);
    }

    // The same size with one line of the user's at the very end: not ours.
    const edited = header + entries + "\nMy own note.\n";
    await writeRepoFile(dir, path, edited);
    const refused = await runCli(["sync", dir]);
    assertEquals(refused.code, 1);
    assertEquals(stderrLines(refused.stderr), [
      "waypoint: .waypoint/DOCS_INDEX.md: not written: it is not an index waypoint generated, and waypoint does not replace other files (move it aside, or point docs_index_file elsewhere)",
    ]);
    assertEquals(await readRepoFile(dir, path), edited);
  }, { init: true });
});

Deno.test("an index with a NUL or a byte that is not UTF-8 is not waypoint's", async () => {
  await withTempRepo(async (dir) => {
    const path = join(dir, ".waypoint", "DOCS_INDEX.md");
    const valid = await Deno.readFile(path);
    for (const bad of [0x00, 0xff]) {
      const bytes = new Uint8Array([
        ...valid,
        ...new TextEncoder().encode("- **x.md** — "),
        bad,
        0x0a,
      ]);
      await Deno.writeFile(path, bytes);
      const sync = await runCli(["sync", dir]);
      assertEquals(sync.code, 1, sync.stderr);
      assertMatch(sync.stderr, /not an index waypoint generated/);
      assertEquals(await Deno.readFile(path), bytes);
    }
  }, { init: true });
});
