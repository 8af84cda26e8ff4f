/**
 * Upgrading a repo the published Node package scaffolded. Its files are not
 * in this repository, so a synthetic table of "what the package wrote" is
 * injected (`WAYPOINT_TEST_LEGACY_TABLE`); the real, embedded table is
 * checked for shape.
 */
import { sha256 as sha256Hex } from "../src/scaffold/manifest.ts";
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import {
  makeTempDir,
  pathExists,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import {
  embeddedLegacyTable,
  legacyTableProblem,
} from "../src/scaffold/legacy.ts";
import { scaffoldFiles } from "../src/scaffold/layout.ts";

/** The old package's version of a file: different words, same path. */
function oldVersion(path: string): string {
  return `${path}: as the published package wrote it\nRun node .waypoint/scripts/prepare-context.mjs first.\n`;
}

/**
 * Builds a repo as the published package left it: every managed file in its
 * old wording (listed in the synthetic table), its Node scripts, no manifest,
 * and the user's own work. Returns the table's path.
 */
async function publishedPackageRepo(repo: string): Promise<string> {
  const table: Record<string, string[]> = {};
  const managed = scaffoldFiles().filter((file) => file.kind === "managed");
  for (const file of managed) {
    const text = oldVersion(file.target);
    await writeRepoFile(repo, file.target, text);
    table[file.target] = [await sha256Hex(text)];
  }
  for (
    const script of ["prepare-context.mjs", "build-docs-index.mjs"]
  ) {
    const path = `.waypoint/scripts/${script}`;
    const text = `// ${script} from the package\n`;
    await writeRepoFile(repo, path, text);
    table[path] = [await sha256Hex(text)];
  }
  const retiredSkill = ".agents/skills/agi-help/SKILL.md";
  await writeRepoFile(repo, retiredSkill, "retired skill text\n");
  table[retiredSkill] = [await sha256Hex("retired skill text\n")];
  await writeRepoFile(
    repo,
    ".waypoint/config.toml",
    'version = 1\nprofile = "universal"\nworkspace_file = ".waypoint/WORKSPACE.md"\n',
  );
  await writeRepoFile(
    repo,
    "AGENTS.md",
    "# Team\n\nOur own rules.\n\n<!-- waypoint:start -->\nold block\n<!-- waypoint:end -->\n",
  );
  await writeRepoFile(
    repo,
    ".waypoint/WORKSPACE.md",
    EMBEDDED_TEMPLATES[".waypoint/WORKSPACE.md"].content +
      "\n- [2026-11-20 10:00 UTC] Shipped the importer.\n",
  );
  await writeRepoFile(
    repo,
    ".waypoint/docs/deploys.md",
    '---\nsummary: How deploys work\nlast_updated: "2026-11-01"\nread_when: [deploying]\n---\nSteps.\n',
  );
  await writeRepoFile(
    repo,
    ".gitignore",
    "node_modules/\n\n# Waypoint state\n",
  );
  const path = `${repo}-table.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ about: "synthetic", files: table }),
  );
  return path;
}

const EDITED = [
  ".waypoint/agent-operating-manual.md",
  ".waypoint/agents/plan-reviewer.md",
  ".waypoint/agents/code-reviewer.md",
];

Deno.test("a repo from the published package with three edits needs exactly one init", async () => {
  const repo = await makeTempDir("waypoint-legacy-");
  try {
    const table = await publishedPackageRepo(repo);
    for (const path of EDITED) {
      await writeRepoFile(
        repo,
        path,
        oldVersion(path) + "Our team's own addition.\n",
      );
    }
    const env = { WAYPOINT_TEST_LEGACY_TABLE: table };
    const init = await runCli(["init", repo], { env });
    assertEquals(init.code, 0, init.stderr);

    const offers: string[] = [];
    const walk = async (dir: string, rel: string) => {
      for await (const entry of Deno.readDir(dir)) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory) await walk(join(dir, entry.name), child);
        else if (child.endsWith(".waypoint-new")) offers.push(child);
      }
    };
    await walk(repo, "");
    assertEquals(
      offers.sort(),
      EDITED.map((path) => `${path}.waypoint-new`).sort(),
    );
    for (const path of EDITED) {
      assertEquals(
        await readRepoFile(repo, path),
        oldVersion(path) + "Our team's own addition.\n",
        `${path}: the user's edit is intact`,
      );
    }
    assertEquals(
      await readRepoFile(repo, ".waypoint/SOUL.md"),
      EMBEDDED_TEMPLATES[".waypoint/SOUL.md"].content,
      "unedited files are updated silently",
    );
    assert(!(await pathExists(join(repo, ".waypoint/scripts"))));
    assert(!(await pathExists(join(repo, ".agents/skills/agi-help"))));
    assertMatch(
      await readRepoFile(repo, "AGENTS.md"),
      /^# Team\n\nOur own rules\.\n\n<!-- waypoint:start -->/,
    );
    assertMatch(
      await readRepoFile(repo, ".waypoint/WORKSPACE.md"),
      /Shipped the importer/,
    );
    assertMatch(
      await readRepoFile(repo, ".waypoint/DOCS_INDEX.md"),
      /deploys\.md\*\* — How deploys work/,
    );
    assertMatch(
      await readRepoFile(repo, ".gitignore"),
      /^node_modules\/\n\n# waypoint:start [^\n]*\n\.waypoint\/DOCS_INDEX\.md\n\.waypoint\/TRACKS_INDEX\.md\n\.waypoint\/context\/\n# waypoint:end\n$/,
    );

    const doctor = await runCli(["doctor", repo, "--json"], { env });
    const report = JSON.parse(doctor.stdout);
    const serious = report.findings.filter((
      finding: { severity: string; message: string },
    ) => finding.severity !== "info");
    const pending = serious.filter((finding: { message: string }) =>
      /A new waypoint version of .* is waiting/.test(finding.message)
    );
    assertEquals(pending.length, 3, doctor.stdout);
    // The three kept files still tell the agent to run the removed Node helper.
    const stale = serious.filter((finding: { message: string }) =>
      /still points at \.waypoint\/scripts\//.test(finding.message)
    );
    assertEquals(
      stale.map((finding: { paths: string[] }) => finding.paths[0]).sort(),
      [...EDITED].sort(),
    );
    assertEquals(serious.length, 6, doctor.stdout);
  } finally {
    await removeTempDir(repo);
    await Deno.remove(`${repo}-table.json`).catch(() => {});
  }
});

Deno.test("no offer without news: an edit with an unchanged template is just kept", async () => {
  const repo = await makeTempDir("waypoint-no-news-");
  try {
    assertEquals((await runCli(["init", repo])).code, 0);
    const path = ".waypoint/SOUL.md";
    await writeRepoFile(repo, path, "our soul\n");
    const again = await runCli(["init", repo]);
    assertEquals(again.code, 0, again.stderr);
    assert(!(await pathExists(join(repo, `${path}.waypoint-new`))));
    const doctor = await runCli(["doctor", repo]);
    assertEquals(doctor.code, 0, doctor.stdout);
    assertMatch(
      doctor.stdout,
      /\[INFO\] install: 1 managed file\(s\) were edited/,
    );
  } finally {
    await removeTempDir(repo);
  }
});

Deno.test("a custom workspace_file is used by init, doctor, doctor --fix and context", async () => {
  const repo = await makeTempDir("waypoint-workspace-file-");
  try {
    await writeRepoFile(
      repo,
      ".waypoint/config.toml",
      'version = 1\nworkspace_file = "notes/STATE.md"\n',
    );
    const init = await runCli(["init", repo]);
    assertEquals(init.code, 0, init.stderr);
    assert(await pathExists(join(repo, "notes/STATE.md")));
    assert(!(await pathExists(join(repo, ".waypoint/WORKSPACE.md"))));
    assertEquals((await runCli(["doctor", repo])).code, 0);
    await Deno.remove(join(repo, "notes/STATE.md"));
    const broken = await runCli(["doctor", repo]);
    assertMatch(broken.stdout, /Workspace file notes\/STATE\.md is missing/);
    const fixed = await runCli(["doctor", repo, "--fix"]);
    assertEquals(fixed.code, 0, fixed.stdout);
    assert(await pathExists(join(repo, "notes/STATE.md")));
    assertEquals((await runCli(["context", repo])).code, 0);
    assertMatch(
      await readRepoFile(repo, ".waypoint/context/MANIFEST.md"),
      /- notes\/STATE\.md/,
    );
  } finally {
    await removeTempDir(repo);
  }
});

Deno.test("the embedded table of the published package's files is well formed", async () => {
  const table = embeddedLegacyTable();
  assertEquals(legacyTableProblem(table), undefined);
  assert(Object.keys(table.files).length > 100);
  const shared = new URL(
    "../../shared/legacy-template-hashes.json",
    import.meta.url,
  );
  const original = await Deno.readTextFile(shared).catch(() => undefined);
  if (original !== undefined) {
    assertEquals(table, JSON.parse(original), "same facts as shared/");
  }
  assertMatch(
    legacyTableProblem({ about: "x", files: { "../x": ["a".repeat(64)] } })!,
    /bad path/,
  );
  assertMatch(
    legacyTableProblem({ about: "x", files: { "a.md": ["not-a-hash"] } })!,
    /bad hash list/,
  );
});
