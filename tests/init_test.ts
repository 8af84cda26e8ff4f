import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { sha256 as sha256Hex } from "../src/scaffold/manifest.ts";
import { join } from "node:path";
import {
  pathExists,
  readRepoFile,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { VERSION } from "../src/version.ts";
import { needsDenoRun, requires } from "./support/requires.ts";

const SKILL = ".agents/skills/planning/SKILL.md";

/**
 * Makes the manifest say an older waypoint wrote `path` with other content,
 * as after an upgrade whose template for it changed: only then is a new
 * version worth offering beside an edit.
 */
async function recordOlderTemplate(dir: string, path: string): Promise<void> {
  const file = join(dir, ".waypoint", "manifest.json");
  const manifest = JSON.parse(await Deno.readTextFile(file));
  manifest.files[path] = { sha256: "0".repeat(64) };
  await Deno.writeTextFile(file, JSON.stringify(manifest, null, 2) + "\n");
}

async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listFiles(root, rel));
    else out.push(rel);
  }
  return out.sort();
}

Deno.test("init scaffolds every template and a manifest", async () => {
  await withTempRepo(async (dir) => {
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stderr, "");
    const files = await listFiles(dir);
    for (const template of Object.keys(EMBEDDED_TEMPLATES)) {
      if (
        template === "agents-block.md" || template === "gitignore-snippet.txt"
      ) continue;
      assert(files.includes(template), `missing ${template}`);
    }
    for (
      const expected of [
        "AGENTS.md",
        ".gitignore",
        ".waypoint/manifest.json",
        ".waypoint/DOCS_INDEX.md",
        ".waypoint/TRACKS_INDEX.md",
      ]
    ) {
      assert(files.includes(expected), expected);
    }
    assert(
      !files.some((file) => file.includes(".waypoint-tmp")),
      "no temp files left",
    );
    const agents = await readRepoFile(dir, "AGENTS.md");
    assert(agents.startsWith("<!-- waypoint:start -->"));
    assertMatch(agents, /waypoint context/);
    const manifest = JSON.parse(
      await readRepoFile(dir, ".waypoint/manifest.json"),
    );
    assert(manifest.files[SKILL].sha256.length === 64);
    assert(
      !(".waypoint/WORKSPACE.md" in manifest.files),
      "seeded files are the user's",
    );
    const script =
      ".agents/skills/frontend-ship-audit/scripts/create-frontend-audit.sh";
    if (EMBEDDED_TEMPLATES[script] && Deno.build.os !== "windows") {
      assert(
        ((await Deno.stat(join(dir, script))).mode! & 0o111) !== 0,
        "script is executable",
      );
    }
  });
});

Deno.test("init creates a missing target directory", async () => {
  await withTempRepo(async (dir) => {
    const target = join(dir, "a", "b");
    const result = await runCli(["init", target]);
    assertEquals(result.code, 0, result.stderr);
    assert(await pathExists(join(target, ".waypoint", "config.toml")));
  });
});

Deno.test("init --dry-run prints the plan and writes nothing", async () => {
  await withTempRepo(async (dir) => {
    const result = await runCli(["init", dir, "--dry-run", "--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /create\s+\.waypoint\/SOUL\.md/);
    assertMatch(result.stdout, /create\s+AGENTS\.md/);
    assertEquals(await listFiles(dir), []);
    await runCli(["init", dir]);
    await writeRepoFile(dir, SKILL, "my own planning notes\n");
    await recordOlderTemplate(dir, SKILL);
    const before = await listFiles(dir);
    const again = await runCli(["init", dir, "--dry-run", "--verbose"]);
    assertMatch(again.stdout, /keep\s+\.waypoint\/SOUL\.md/);
    assertMatch(
      again.stdout,
      /conflict\s+\.agents\/skills\/planning\/SKILL\.md/,
    );
    assertEquals(await listFiles(dir), before, "dry run wrote nothing");
  });
});

Deno.test("a second init keeps everything and rewrites nothing", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    const manifest = await readRepoFile(dir, ".waypoint/manifest.json");
    const soulInfo = await Deno.stat(join(dir, ".waypoint", "SOUL.md"));
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(
      result.stdout,
      `Waypoint ${VERSION} in ${dir} is up to date: nothing changed.\n`,
    );
    assertEquals(await readRepoFile(dir, ".waypoint/manifest.json"), manifest);
    assertEquals(
      (await Deno.stat(join(dir, ".waypoint", "SOUL.md"))).mtime,
      soulInfo.mtime,
    );
  });
});

Deno.test("a byte-order mark or a stray byte added to a managed file is an edit, never up to date", async () => {
  const template = new TextEncoder().encode(EMBEDDED_TEMPLATES[SKILL].content);
  const variants: [string, Uint8Array][] = [
    [
      "a UTF-8 byte-order mark",
      new Uint8Array([0xef, 0xbb, 0xbf, ...template]),
    ],
    ["an invalid byte at the end", new Uint8Array([...template, 0xff])],
    ["a NUL at the end", new Uint8Array([...template, 0])],
  ];
  for (const [what, bytes] of variants) {
    await withTempRepo(async (dir) => {
      await runCli(["init", dir]);
      await Deno.writeFile(join(dir, SKILL), bytes);
      const result = await runCli(["init", dir, "--json"]);
      assertEquals(result.code, 0, result.stderr);
      const action = JSON.parse(result.stdout).actions.find((
        candidate: { path: string },
      ) => candidate.path === SKILL);
      assertEquals(
        [action.kind, action.edited],
        ["keep", true],
        `${what}: ${action.detail}`,
      );
      assertEquals(await Deno.readFile(join(dir, SKILL)), bytes, what);
    });
  }
});

Deno.test("an edited managed file survives init; the new version goes beside it", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    const edited = (await readRepoFile(dir, SKILL)) +
      "\nOur team always plans in pairs.\n";
    await writeRepoFile(dir, SKILL, edited);
    await recordOlderTemplate(dir, SKILL);

    const second = await runCli(["init", dir]);
    assertEquals(second.code, 0, second.stderr);
    assertEquals(await readRepoFile(dir, SKILL), edited, "the edit survives");
    assertEquals(
      await readRepoFile(dir, `${SKILL}.waypoint-new`),
      EMBEDDED_TEMPLATES[SKILL].content,
    );
    assertMatch(
      second.stdout,
      /Conflict \.agents\/skills\/planning\/SKILL\.md: .*SKILL\.md\.waypoint-new/,
    );

    const doctor = await runCli(["doctor", dir]);
    assertEquals(doctor.code, 1, doctor.stdout);
    assertMatch(
      doctor.stdout,
      /\[WARN\] install: A new waypoint version of \.agents\/skills\/planning\/SKILL\.md is waiting/,
    );

    // Keeping ours: delete the offer. The next init does not offer the same version again.
    await Deno.remove(join(dir, `${SKILL}.waypoint-new`));
    const third = await runCli(["init", dir]);
    assertEquals(third.code, 0);
    assert(
      !(await pathExists(join(dir, `${SKILL}.waypoint-new`))),
      "not offered twice",
    );
    assertEquals(await readRepoFile(dir, SKILL), edited);
    const clean = await runCli(["doctor", dir]);
    assertMatch(
      clean.stdout,
      /\[INFO\] install: 1 managed file\(s\) were edited locally/,
    );
  });
});

Deno.test("taking waypoint's version resolves the conflict", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    await writeRepoFile(dir, SKILL, "edited\n");
    await recordOlderTemplate(dir, SKILL);
    await runCli(["init", dir]);
    await Deno.rename(join(dir, `${SKILL}.waypoint-new`), join(dir, SKILL));
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0);
    assert(!/Conflict/.test(result.stdout), result.stdout);
    const manifest = JSON.parse(
      await readRepoFile(dir, ".waypoint/manifest.json"),
    );
    assertEquals(manifest.files[SKILL].offered, undefined);
  });
});

Deno.test("init --force overwrites an edited file after a backup", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    await writeRepoFile(dir, SKILL, "precious edit\n");
    const result = await runCli(["init", dir, "--force"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(
      await readRepoFile(dir, SKILL),
      EMBEDDED_TEMPLATES[SKILL].content,
    );
    const backups = (await listFiles(dir, ".agents/skills/planning")).filter((
      f,
    ) => f.includes(".waypoint-backup-"));
    assertEquals(backups.length, 1);
    assertEquals(await readRepoFile(dir, backups[0]), "precious edit\n");
    assertMatch(result.stdout, /saved at .*waypoint-backup-/);
  });
});

Deno.test("an outdated, unedited managed file is updated", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    // Simulate a file written by an older waypoint: content and manifest hash agree, template differs.
    const old = "old waypoint text\n";
    await writeRepoFile(dir, SKILL, old);
    const manifestPath = ".waypoint/manifest.json";
    const manifest = JSON.parse(await readRepoFile(dir, manifestPath));
    const hash = await sha256Hex(old);
    manifest.files[SKILL] = { sha256: hash };
    manifest.waypoint = "0.1.0";
    await writeRepoFile(dir, manifestPath, JSON.stringify(manifest));
    const doctor = await runCli(["doctor", dir]);
    assertMatch(
      doctor.stdout,
      /\[INFO\] install: This repo was scaffolded by waypoint 0\.1\.0/,
    );
    const result = await runCli(["init", dir, "--verbose"]);
    assertMatch(result.stdout, /1 updated/);
    assertMatch(
      result.stdout,
      /update\s+\.agents\/skills\/planning\/SKILL\.md/,
    );
    assertEquals(
      await readRepoFile(dir, SKILL),
      EMBEDDED_TEMPLATES[SKILL].content,
    );
  });
});

Deno.test("config: user keys, comments and unknown keys are kept; missing keys filled in", async () => {
  await withTempRepo(async (dir) => {
    const userConfig = `# our settings
version = 1
docs_dir = "handbook"   # we keep docs elsewhere
team = "platform"

[features]
docs_index = false
`;
    await writeRepoFile(dir, ".waypoint/config.toml", userConfig);
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    const merged = await readRepoFile(dir, ".waypoint/config.toml");
    for (const line of userConfig.trim().split("\n")) {
      assert(merged.includes(line), `kept: ${line}`);
    }
    assertMatch(merged, /^profile = "universal"/m);
    assertMatch(merged, /^workspace_file = /m);
    assertMatch(merged, /\[features\]\nrepo_skills = true/);
    assert(
      !/docs_index = true/.test(merged),
      "the user's docs_index stays false",
    );
    assert(
      !(await pathExists(join(dir, ".waypoint", "DOCS_INDEX.md"))),
      "docs index off",
    );
    const again = await runCli(["init", dir]);
    assertEquals(
      await readRepoFile(dir, ".waypoint/config.toml"),
      merged,
      "stable on refresh",
    );
    assertEquals(again.code, 0);
  });
});

Deno.test("profile: --app-friendly is saved and survives a plain refresh", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir, "--app-friendly"]);
    assertMatch(
      await readRepoFile(dir, ".waypoint/config.toml"),
      /^profile = "app-friendly"/m,
    );
    await runCli(["init", dir]);
    assertMatch(
      await readRepoFile(dir, ".waypoint/config.toml"),
      /^profile = "app-friendly"/m,
    );
    await runCli(["init", dir, "--universal"]);
    assertMatch(
      await readRepoFile(dir, ".waypoint/config.toml"),
      /^profile = "universal"/m,
    );
    const both = await runCli(["init", dir, "--universal", "--app-friendly"]);
    assertEquals(both.code, 2);
  });
});

Deno.test("AGENTS.md: text outside the block is preserved; a new block goes after the title", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, "AGENTS.md", "# Our repo\n\nUse pnpm.\n");
    await runCli(["init", dir]);
    const first = await readRepoFile(dir, "AGENTS.md");
    assert(
      first.startsWith("# Our repo\n\n<!-- waypoint:start -->"),
      first.slice(0, 80),
    );
    assert(first.endsWith("<!-- waypoint:end -->\n\nUse pnpm.\n"));
    await writeRepoFile(
      dir,
      "AGENTS.md",
      first.replace(
        "<!-- waypoint:start -->",
        "<!-- waypoint:start -->\nOBSOLETE-LINE-4711",
      ) + "\n## Backend Context\n\nInternal tool.\n",
    );
    await runCli(["init", dir]);
    const second = await readRepoFile(dir, "AGENTS.md");
    assert(second.startsWith("# Our repo\n\n<!-- waypoint:start -->"));
    // No news in the template: the edit inside the block is the user's, kept
    // as an edited managed file is (tests/three_way_test.ts merges one).
    assert(second.includes("OBSOLETE-LINE-4711"), "edit inside the block kept");
    assert(
      second.endsWith(
        "<!-- waypoint:end -->\n\nUse pnpm.\n\n## Backend Context\n\nInternal tool.\n",
      ),
      second.slice(-120),
    );
    assertEquals(
      second.split("<!-- waypoint:start -->").length,
      2,
      "one block",
    );
  });
});

const WAYPOINT_IGNORES =
  "# waypoint:start (waypoint init rewrites the lines up to waypoint:end)\n.waypoint/DOCS_INDEX.md\n.waypoint/TRACKS_INDEX.md\n.waypoint/context/\n# waypoint:end\n";

Deno.test(".gitignore: waypoint's lines are appended once, between markers", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, ".gitignore", "node_modules/\n");
    await runCli(["init", dir]);
    await runCli(["init", dir]);
    assertEquals(
      await readRepoFile(dir, ".gitignore"),
      `node_modules/\n\n${WAYPOINT_IGNORES}`,
    );
  });
});

Deno.test(".gitignore: the block is refreshed in place, the user's lines around it kept, nothing repeated", async () => {
  await withTempRepo(async (dir) => {
    // An older block (no end marker, a line nothing creates) between the
    // user's lines, and one of waypoint's lines already the user's own.
    await writeRepoFile(
      dir,
      ".gitignore",
      "node_modules/\n# Waypoint state\n.waypoint/DOCS_INDEX.md\n.waypoint/state/\n.waypoint/context/\ndist/\n.waypoint/TRACKS_INDEX.md\n",
    );
    const first = await runCli(["init", dir]);
    assertEquals(first.code, 0, first.stderr);
    const expected =
      "node_modules/\n# waypoint:start (waypoint init rewrites the lines up to waypoint:end)\n.waypoint/DOCS_INDEX.md\n.waypoint/context/\n# waypoint:end\ndist/\n.waypoint/TRACKS_INDEX.md\n";
    assertEquals(await readRepoFile(dir, ".gitignore"), expected);
    // An edit inside the markers is put back; the rest stays.
    await writeRepoFile(
      dir,
      ".gitignore",
      expected.replace(".waypoint/context/\n", "") + "coverage/\n",
    );
    await runCli(["init", dir]);
    assertEquals(
      await readRepoFile(dir, ".gitignore"),
      expected + "coverage/\n",
    );
  });
});

Deno.test(".gitignore: broken markers are left alone, and doctor says how to mend them", async () => {
  await withTempRepo(async (dir) => {
    const broken = "node_modules/\n# waypoint:start\n.waypoint/context/\n";
    await writeRepoFile(dir, ".gitignore", broken);
    const init = await runCli(["init", dir]);
    assertEquals(init.code, 0, init.stderr);
    assertEquals(await readRepoFile(dir, ".gitignore"), broken);
    const doctor = await runCli(["doctor", dir]);
    assertMatch(
      doctor.stdout,
      /\.gitignore: left alone: its waypoint markers are broken/,
    );
    // The advice, followed: add the end marker.
    await writeRepoFile(dir, ".gitignore", broken + "# waypoint:end\n");
    await runCli(["doctor", "--fix", dir]);
    assertEquals(
      await readRepoFile(dir, ".gitignore"),
      `node_modules/\n${WAYPOINT_IGNORES}`,
    );
    const again = await runCli(["doctor", dir]);
    assertEquals(again.stdout.includes(".gitignore"), false, again.stdout);
  });
});

/** Writes a synthetic table of the published package's template hashes and returns its path. */
async function legacyTable(
  dir: string,
  files: Record<string, string>,
): Promise<string> {
  const table: Record<string, string[]> = {};
  for (const [path, content] of Object.entries(files)) {
    table[path] = [await sha256Hex(content)];
  }
  const path = join(dir, "..", `${dir.split("/").pop()}-legacy.json`);
  await Deno.writeTextFile(
    path,
    JSON.stringify({ about: "synthetic, for a test", files: table }),
  );
  return path;
}

Deno.test("migration from a repo scaffolded by the published 0.9.0 package", async () => {
  await withTempRepo(async (dir) => {
    const legacy = {
      ".waypoint/scripts/prepare-context.mjs": "// builds .waypoint/context\n",
      ".waypoint/scripts/build-docs-index.mjs":
        "// writes .waypoint/DOCS_INDEX.md\n",
      ".agents/skills/waypoint-planning/SKILL.md": "old skill\n",
      ".agents/skills/waypoint-planning/agents/openai.yaml": "interface: {}\n",
      ".waypoint/agent-operating-manual.md":
        "# Manual, as the old version wrote it\n",
      ".agents/skills/planning/SKILL.md": "# Planning, the old words\n",
    };
    const table = await legacyTable(dir, legacy);
    await writeRepoFile(
      dir,
      "WORKSPACE.md",
      "# Workspace\n\n## Active Goal\n\nShip the importer.\n",
    );
    await writeRepoFile(
      dir,
      "DOCS_INDEX.md",
      "# Docs Index\n\nAuto-generated by `waypoint docs-index`. Read matching docs before working on a task.\n\n## docs/\n\nNo routable docs found.\n",
    );
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      'version = 1\nprofile = "universal"\n',
    );
    for (const [path, content] of Object.entries(legacy)) {
      await writeRepoFile(dir, path, content);
    }
    // Edited after the package wrote it: not in the table, so it is the user's.
    await writeRepoFile(
      dir,
      ".agents/skills/planning/agents/openai.yaml",
      "interface:\n  display_name: Our planning\n",
    );
    await writeRepoFile(
      dir,
      ".waypoint/scripts/ours.mjs",
      "// a team script\n",
    );
    await writeRepoFile(
      dir,
      ".agents/skills/error-audit/SKILL.md",
      "a skill we wrote under a retired name\n",
    );
    await writeRepoFile(dir, "docs/README.md", "# Our own docs readme\n");
    await writeRepoFile(
      dir,
      ".waypoint/SOUL.md",
      EMBEDDED_TEMPLATES[".waypoint/SOUL.md"].content,
    );

    const result = await runCli(["init", dir], {
      env: { WAYPOINT_TEST_LEGACY_TABLE: table },
    });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(
      await readRepoFile(dir, ".waypoint/WORKSPACE.md"),
      "# Workspace\n\n## Active Goal\n\nShip the importer.\n",
    );
    assert(!(await pathExists(join(dir, "WORKSPACE.md"))), "workspace moved");
    assert(!(await pathExists(join(dir, "DOCS_INDEX.md"))), "index removed");
    assert(
      !(await pathExists(join(dir, ".waypoint/scripts/prepare-context.mjs"))),
    );
    assert(
      !(await pathExists(join(dir, ".waypoint/scripts/build-docs-index.mjs"))),
    );
    assert(
      await pathExists(join(dir, ".waypoint/scripts/ours.mjs")),
      "unknown script kept",
    );
    assert(
      !(await pathExists(join(dir, ".agents/skills/waypoint-planning"))),
      "retired skill, every file provably the package's: removed",
    );
    assertEquals(
      await readRepoFile(dir, ".agents/skills/error-audit/SKILL.md"),
      "a skill we wrote under a retired name\n",
      "a retired skill name holding the user's file is kept",
    );
    assertEquals(
      await readRepoFile(dir, "docs/README.md"),
      "# Our own docs readme\n",
      "unknown retired file kept",
    );
    assertMatch(result.stdout, /docs\/README\.md: retired/);
    // Unedited files the package wrote are updated silently; no offers.
    assertEquals(
      await readRepoFile(dir, ".waypoint/agent-operating-manual.md"),
      EMBEDDED_TEMPLATES[".waypoint/agent-operating-manual.md"].content,
    );
    assertEquals(
      await readRepoFile(dir, SKILL),
      EMBEDDED_TEMPLATES[SKILL].content,
    );
    assert(
      !(await pathExists(
        join(dir, ".waypoint/agent-operating-manual.md.waypoint-new"),
      )),
    );
    // The one real edit is kept, with waypoint's version offered beside it.
    assertEquals(
      await readRepoFile(dir, ".agents/skills/planning/agents/openai.yaml"),
      "interface:\n  display_name: Our planning\n",
    );
    assert(
      await pathExists(
        join(dir, ".agents/skills/planning/agents/openai.yaml.waypoint-new"),
      ),
    );
    const manifest = JSON.parse(
      await readRepoFile(dir, ".waypoint/manifest.json"),
    );
    assert(manifest.files[".waypoint/SOUL.md"]);
  });
});

Deno.test("without proof, nothing of the published package's layout is deleted", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(
      dir,
      ".waypoint/scripts/prepare-context.mjs",
      "// edited by us\n",
    );
    await writeRepoFile(dir, "DOCS_INDEX.md", "# Docs Index\n\nOur notes.\n");
    await writeRepoFile(dir, ".agents/skills/error-audit/SKILL.md", "ours\n");
    const result = await runCli(["init", dir]);
    assertEquals(result.code, 0, result.stderr);
    for (
      const path of [
        ".waypoint/scripts/prepare-context.mjs",
        "DOCS_INDEX.md",
        ".agents/skills/error-audit/SKILL.md",
      ]
    ) assert(await pathExists(join(dir, path)), `${path} kept`);
  });
});

Deno.test("a target that is a file is refused with one line", async () => {
  await withTempRepo(async (dir) => {
    const file = join(dir, "notes.txt");
    await Deno.writeTextFile(file, "x");
    const result = await runCli(["init", file]);
    assertEquals(result.code, 1);
    assertEquals(result.stderr.trim().split("\n").length, 1);
    assertMatch(result.stderr, /notes\.txt is not a directory/);
  });
});

Deno.test({
  ...requires("init never reads templates/ at run time", needsDenoRun()),
}, async () => {
  await withTempRepo(async (dir) => {
    const program = join(dir, "program");
    const root = new URL("../", import.meta.url);
    await Deno.mkdir(program);
    for (const name of ["main.ts", "deno.json", "deno.lock"]) {
      await Deno.copyFile(new URL(name, root), join(program, name));
    }
    await copyTree(new URL("src/", root).pathname, join(program, "src"));
    assert(!(await pathExists(join(program, "templates"))));
    const repo = join(dir, "repo");
    const result = await runCli(["init", repo], {
      script: join(program, "main.ts"),
      cwd: program,
    });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(
      await readRepoFile(repo, SKILL),
      EMBEDDED_TEMPLATES[SKILL].content,
    );
  });
});

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      await copyTree(join(from, entry.name), join(to, entry.name));
    } else await Deno.copyFile(join(from, entry.name), join(to, entry.name));
  }
}

Deno.test("init --force twice, in a row and at once: every backup kept, none overwritten", async () => {
  await withTempRepo(async (dir) => {
    await runCli(["init", dir]);
    await writeRepoFile(dir, SKILL, "first edit\n");
    await recordOlderTemplate(dir, SKILL);
    const first = await runCli(["init", dir, "--force"]);
    assertEquals(first.code, 0, first.stderr);
    await writeRepoFile(dir, SKILL, "second edit\n");
    await recordOlderTemplate(dir, SKILL);
    const second = await runCli(["init", dir, "--force"]);
    assertEquals(second.code, 0, second.stderr);
    const contents = async () => {
      const backups = (await listFiles(dir, ".agents/skills/planning")).filter(
        (f) => f.includes(".waypoint-backup-"),
      );
      return await Promise.all(backups.map((b) => readRepoFile(dir, b)));
    };
    assertEquals((await contents()).sort(), ["first edit\n", "second edit\n"]);

    await writeRepoFile(dir, SKILL, "third edit\n");
    await recordOlderTemplate(dir, SKILL);
    const both = await Promise.all([
      runCli(["init", dir, "--force"]),
      runCli(["init", dir, "--force"]),
    ]);
    for (const run of both) assertEquals(run.code, 0, run.stderr);
    const after = await contents();
    assert(after.includes("third edit\n"), "the third edit is backed up");
    assert(after.includes("first edit\n") && after.includes("second edit\n"));
  });
});
