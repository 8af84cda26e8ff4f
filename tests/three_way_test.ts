/**
 * The three-way refresh across versions: version A (this tree) writes a
 * scaffold, the user edits it, and version B (a later commit of a copy of
 * this tree with changed templates, re-embedded; tests/support/version_b.ts)
 * refreshes it. Every step drives the CLI as a subprocess.
 *
 * @module
 */
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
import { needsGit, requires } from "./support/requires.ts";
import { buildVersionB, replaceInTemplate } from "./support/version_b.ts";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";

const MERGES = ".waypoint/agents/code-reviewer.md";
const CONFLICTS = ".waypoint/agents/plan-reviewer.md";
const UNEDITED = ".waypoint/agents/code-health-reviewer.md";

const B_PARAGRAPH = "Version B's new paragraph for reviewers.\n";

const LAST_RULE =
  "Act on every finding or say why you are not, before you report the work as done.\n";
const B_RULE = "Version B: one more rule for agents.\n";

async function editTemplates(templates: string): Promise<void> {
  await replaceInTemplate(
    templates,
    "agents-block.md",
    LAST_RULE,
    LAST_RULE + B_RULE,
  );
  await replaceInTemplate(
    templates,
    MERGES,
    "# Code Reviewer\n",
    `# Code Reviewer\n\n${B_PARAGRAPH}`,
  );
  await replaceInTemplate(
    templates,
    CONFLICTS,
    "# Plan Reviewer\n",
    "# Plan Reviewer (version B)\n",
  );
  await replaceInTemplate(
    templates,
    UNEDITED,
    "# Code Health Reviewer\n",
    "# Code Health Reviewer (version B)\n",
  );
}

async function templateOfB(bDir: string, path: string): Promise<string> {
  return await Deno.readTextFile(join(bDir, "templates", path));
}

Deno.test(
  requires(
    "three-way refresh from version A to B: a separate edit merges, an overlapping one is offered with markers, an unedited file is updated",
    needsGit(),
  ),
  async (t) => {
    const b = await buildVersionB(editTemplates);
    const repo = await makeTempDir("waypoint-three-way-");
    try {
      await initRepo(repo);
      await writeRepoFile(repo, "AGENTS.md", "# Team\n\nOur own rules.\n");
      await writeRepoFile(repo, ".gitignore", "node_modules/\n");
      await writeRepoFile(repo, "src/app.ts", "export const app = 1;\n");
      await git(repo, "add", "-A");
      await git(repo, "commit", "-q", "-m", "the user's project");
      const init = await runCli(["init", repo]);
      assertEquals(init.code, 0, init.stderr);
      const mine = "\nOur team's rule: reviewers name the ticket.\n";
      const merging = (await readRepoFile(repo, MERGES)) + mine;
      await writeRepoFile(repo, MERGES, merging);
      const agents = await readRepoFile(repo, "AGENTS.md");
      await writeRepoFile(
        repo,
        "AGENTS.md",
        agents.replace("## Waypoint\n", "## Waypoint (our notes kept)\n"),
      );
      const conflicting = (await readRepoFile(repo, CONFLICTS)).replace(
        "# Plan Reviewer\n",
        "# Our Plan Reviewer\n",
      );
      await writeRepoFile(repo, CONFLICTS, conflicting);

      await t.step(
        "--dry-run says which files would merge and which would conflict",
        async () => {
          const dry = await runCli(["init", repo, "--dry-run"], {
            script: b.mainTs,
          });
          assertEquals(dry.code, 0, dry.stderr);
          assertMatch(
            dry.stdout,
            new RegExp(
              `Would update ${MERGES}: would merge your edits into the new version`,
            ),
          );
          assertMatch(
            dry.stdout,
            new RegExp(
              `Conflict ${CONFLICTS}: you edited lines the new version changes too`,
            ),
          );
          assertEquals(await readRepoFile(repo, MERGES), merging);
          assert(!(await pathExists(join(repo, `${CONFLICTS}.waypoint-new`))));
        },
      );

      await t.step("init merges, offers and updates", async () => {
        const run = await runCli(["init", repo], { script: b.mainTs });
        assertEquals(run.code, 0, run.stderr);
        assertMatch(
          run.stdout,
          new RegExp(
            `Updated ${MERGES}: merged your edits into the new version`,
          ),
        );
        // Non-overlapping: B's text with the user's lines, and no offer.
        assertEquals(
          await readRepoFile(repo, MERGES),
          (await templateOfB(b.dir, MERGES)) + mine,
        );
        assert(!(await pathExists(join(repo, `${MERGES}.waypoint-new`))));
        // Overlapping: the user's file is byte-identical, one offer with markers.
        assertEquals(await readRepoFile(repo, CONFLICTS), conflicting);
        const offer = await readRepoFile(repo, `${CONFLICTS}.waypoint-new`);
        assertMatch(
          offer,
          /^<<<<<<< yours\n# Our Plan Reviewer\n=======\n# Plan Reviewer \(version B\)\n>>>>>>> waypoint\n\nYou check/,
        );
        assertEquals(
          (run.stdout.match(/\.waypoint-new/g) ?? []).length >= 1,
          true,
        );
        // The AGENTS block: the user's heading and B's new rule, said on its line.
        assertMatch(
          run.stdout,
          /Updated AGENTS\.md: merged your edits inside the waypoint markers into the new block/,
        );
        const block = await readRepoFile(repo, "AGENTS.md");
        assertMatch(block, /## Waypoint \(our notes kept\)\n/);
        assertMatch(
          block,
          new RegExp(`${LAST_RULE}${B_RULE}<!-- waypoint:end -->`),
        );
        // Unedited: simply updated.
        assertEquals(
          await readRepoFile(repo, UNEDITED),
          await templateOfB(b.dir, UNEDITED),
        );
      });

      await t.step("doctor explains the conflict", async () => {
        const doctor = await runCli(["doctor", repo], { script: b.mainTs });
        assertMatch(
          doctor.stdout,
          new RegExp(
            `You edited lines of ${CONFLICTS} that waypoint's new version changes too; the merge, with conflict markers, is waiting at ${CONFLICTS}\\.waypoint-new`,
          ),
        );
        assertMatch(doctor.stdout, /<<<<<<< yours/);
      });

      await t.step(
        "a second init changes nothing; after the user resolves, the next refresh starts from B",
        async () => {
          const again = await runCli(["init", repo], { script: b.mainTs });
          assertEquals(again.code, 0, again.stderr);
          assertEquals(
            await readRepoFile(repo, MERGES),
            (await templateOfB(b.dir, MERGES)) + mine,
          );
          assertEquals(await readRepoFile(repo, CONFLICTS), conflicting);
          // The user resolves: their heading wins, the offer goes.
          await Deno.remove(join(repo, `${CONFLICTS}.waypoint-new`));
          const settled = await runCli(["init", repo], { script: b.mainTs });
          assertEquals(settled.code, 0, settled.stderr);
          assert(!(await pathExists(join(repo, `${CONFLICTS}.waypoint-new`))));
          const manifest = JSON.parse(
            await readRepoFile(repo, ".waypoint/manifest.json"),
          );
          assertEquals(
            manifest.files[CONFLICTS].sha256,
            await sha256Of(await templateOfB(b.dir, CONFLICTS)),
          );
        },
      );

      await t.step(
        "remove: git status shows only the user's edited files, with their own text",
        async () => {
          // A manifest entry naming the user's file proves nothing.
          const manifestPath = join(repo, ".waypoint/manifest.json");
          const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
          manifest.files["src/app.ts"] = {
            sha256: await sha256Of("export const app = 1;\n"),
          };
          await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
          const dry = await runCli(["remove", repo, "--dry-run"], {
            script: b.mainTs,
          });
          assertEquals(dry.code, 0, dry.stderr);
          assertMatch(
            dry.stdout,
            new RegExp(`Would keep ${MERGES}: you edited it`),
          );
          assertMatch(dry.stdout, /Would remove \.waypoint\/manifest\.json/);
          assert(await pathExists(manifestPath), "dry run changed nothing");

          const removed = await runCli(["remove", repo], { script: b.mainTs });
          assertEquals(removed.code, 0, removed.stderr);
          assertMatch(
            removed.stdout,
            new RegExp(`Kept ${CONFLICTS}: you edited it`),
          );
          const status = await gitStatus(repo);
          const backup = status.find((path) =>
            path.startsWith("AGENTS.md.waypoint-backup-")
          );
          assert(backup, `the edited AGENTS block is saved: ${status}`);
          assertEquals(status, [MERGES, CONFLICTS, backup].sort());
          assertEquals(
            await readRepoFile(repo, MERGES),
            (await templateOfB(b.dir, MERGES)) + mine,
          );
          assertEquals(await readRepoFile(repo, CONFLICTS), conflicting);
          assertMatch(await readRepoFile(repo, backup), /our notes kept/);
          assertEquals(
            await readRepoFile(repo, "AGENTS.md"),
            "# Team\n\nOur own rules.\n",
          );
          assert(!(await pathExists(join(repo, ".codex"))));
          assert(!(await pathExists(join(repo, ".agents"))));
          assert(!(await pathExists(manifestPath)));
        },
      );
    } finally {
      await removeTempDir(repo);
      await removeTempDir(b.dir);
    }
  },
);

/** `git status --porcelain -uall`: the changed and untracked paths, sorted. */
async function gitStatus(repo: string): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["status", "--porcelain", "-uall"],
    cwd: repo,
    env: GIT_ISOLATION,
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)
    .map((line) => line.slice(3)).sort();
}

Deno.test(
  requires(
    "three-way refresh from version A to B: an edit inside the AGENTS markers that overlaps B's change is replaced, saved beside it and said on the line",
    needsGit(),
  ),
  async () => {
    const b = await buildVersionB(editTemplates);
    const repo = await makeTempDir("waypoint-three-way-agents-");
    try {
      assertEquals((await runCli(["init", repo])).code, 0);
      const before = (await readRepoFile(repo, "AGENTS.md")).replace(
        LAST_RULE,
        "Our own last rule.\n",
      );
      await writeRepoFile(repo, "AGENTS.md", before);
      const run = await runCli(["init", repo], { script: b.mainTs });
      assertEquals(run.code, 0, run.stderr);
      const line = run.stdout.split("\n").find((text) =>
        text.includes("AGENTS.md:")
      ) ?? "";
      assertMatch(
        line,
        /your edits inside the waypoint markers overlap the new block, so the new block replaced them; the previous file is saved at AGENTS\.md\.waypoint-backup-/,
      );
      const backup = line.match(/saved at (\S+)$/)![1];
      assertEquals(await readRepoFile(repo, backup), before);
      assertMatch(await readRepoFile(repo, "AGENTS.md"), new RegExp(B_RULE));
    } finally {
      await removeTempDir(repo);
      await removeTempDir(b.dir);
    }
  },
);

async function sha256Of(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return Array.from(
    new Uint8Array(digest),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
}

Deno.test(
  requires(
    "three-way refresh from version A to B: a scaffold whose manifest predates the AGENTS record gets its unedited block refreshed silently, an edited one saved first",
    needsGit(),
  ),
  async () => {
    const b = await buildVersionB(editTemplates);
    const repos = [
      await makeTempDir("waypoint-three-way-old-"),
      await makeTempDir("waypoint-three-way-old-edited-"),
    ];
    try {
      for (const repo of repos) {
        assertEquals((await runCli(["init", repo])).code, 0);
        const manifestPath = join(repo, ".waypoint/manifest.json");
        const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
        delete manifest.files["AGENTS.md"];
        await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
      }
      const edited = (await readRepoFile(repos[1], "AGENTS.md")).replace(
        "## Waypoint\n",
        "## Waypoint, our way\n",
      );
      await writeRepoFile(repos[1], "AGENTS.md", edited);

      const plain = await runCli(["init", repos[0], "--verbose"], {
        script: b.mainTs,
      });
      assertEquals(plain.code, 0, plain.stderr);
      assertMatch(plain.stdout, /AGENTS\.md\s+refreshed the waypoint block/);
      assert(!plain.stdout.includes("waypoint-backup"), plain.stdout);
      assertMatch(
        await readRepoFile(repos[0], "AGENTS.md"),
        new RegExp(B_RULE),
      );

      const saved = await runCli(["init", repos[1]], { script: b.mainTs });
      assertEquals(saved.code, 0, saved.stderr);
      assertMatch(
        saved.stdout,
        /Updated AGENTS\.md: replaced your edits inside the waypoint markers \(waypoint has no record of the block it wrote there\); the previous file is saved at AGENTS\.md\.waypoint-backup-/,
      );
      const backup = saved.stdout.match(/saved at (\S+)/)![1];
      assertEquals(await readRepoFile(repos[1], backup), edited);
    } finally {
      for (const repo of repos) await removeTempDir(repo);
      await removeTempDir(b.dir);
    }
  },
);
