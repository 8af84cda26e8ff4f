/**
 * `waypoint doctor` on whether the AGENTS.md text reaches the model: the
 * limit in effect (the user's `project_doc_max_bytes`, the trusted repo's, or
 * 32 KiB), a root `AGENTS.override.md` that hides AGENTS.md, a project marked
 * untrusted, and a block an older init left past the limit. Subprocess runs
 * with a throwaway Codex home.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import { readRepoFile, runCli, writeRepoFile } from "./support/cli.ts";
import { START_MARKER } from "../src/scaffold/agents_block.ts";
import {
  type CodexScaffold,
  doctorFindings,
  type JsonFinding,
  withCodexScaffold,
} from "./support/codex_scaffold.ts";

const withScaffold = (fn: (box: CodexScaffold) => Promise<void>) =>
  withCodexScaffold("waypoint-agents-size-", fn);
const doctor = doctorFindings;

const about = (findings: JsonFinding[], pattern: RegExp) =>
  findings.filter((finding) => pattern.test(finding.message));

Deno.test("doctor: a root AGENTS.override.md hides the block, even empty", async () => {
  await withScaffold(async (box) => {
    assertEquals(about(await doctor(box, box.trust), /override/i), []);
    await writeRepoFile(box.repo, "AGENTS.override.md", "");
    const found = about(await doctor(box, box.trust), /AGENTS\.override\.md/);
    assertEquals(found.length, 1, JSON.stringify(found));
    assertEquals(found[0].severity, "warn");
    assertMatch(
      found[0].message,
      /^AGENTS\.override\.md at the repo root hides AGENTS\.md: Codex reads the override instead \(even an empty one\), so the waypoint block never reaches the model\.$/,
    );
    assertEquals(found[0].paths, ["AGENTS.override.md", "AGENTS.md"]);
    // init says so on the AGENTS.md line too.
    const init = await runCli(["init", box.repo], {
      env: { CODEX_HOME: box.home },
    });
    assertMatch(
      init.stdout,
      /- Kept AGENTS\.md: waypoint block up to date; Codex reads AGENTS\.override\.md instead of this file/,
    );
  });
});

Deno.test("doctor: a project marked untrusted gets no AGENTS.md at all", async () => {
  await withScaffold(async (box) => {
    const found = about(
      await doctor(box, box.trust.replace('"trusted"', '"untrusted"')),
      /reads no AGENTS\.md/,
    );
    assertEquals(found.length, 1);
    assertMatch(
      found[0].message,
      /config\.toml:1 sets trust_level = "untrusted"/,
    );
  });
});

Deno.test("doctor: the limit is the user's project_doc_max_bytes, or the trusted repo's", async () => {
  await withScaffold(async (box) => {
    await writeRepoFile(
      box.repo,
      "AGENTS.md",
      (await readRepoFile(box.repo, "AGENTS.md")) + "x".repeat(5_000) + "\n",
    );
    const over =
      /^Combined user instructions use \d+ bytes, above the (\d+)-byte `project_doc_max_bytes` setting \((.*)\) for a session started in the repo root/;
    assertEquals(about(await doctor(box, box.trust), over), []);
    const user = about(
      await doctor(box, `project_doc_max_bytes = 6000\n${box.trust}`),
      over,
    );
    assertEquals(user.length, 1);
    assertMatch(
      user[0].message,
      /above the 6000-byte .*\(.*home\/config\.toml:1\)/,
    );

    await writeRepoFile(
      box.repo,
      ".codex/config.toml",
      "# ours\nproject_doc_max_bytes = 7000\n",
    );
    const project = about(await doctor(box, box.trust), over);
    assertMatch(
      project[0].message,
      /above the 7000-byte .*\(\.codex\/config\.toml:2\)/,
    );
    // Not trusted: Codex ignores .codex/, and so does the limit.
    assertEquals(about(await doctor(box, ""), over), []);

    await writeRepoFile(
      box.repo,
      ".codex/config.toml",
      "project_doc_max_bytes = 0\n",
    );
    const zero = about(await doctor(box, box.trust), /is 0/);
    assertMatch(
      zero[0].message,
      /^project_doc_max_bytes is 0 \(\.codex\/config\.toml:1\): Codex reads no AGENTS\.md at all/,
    );
  });
});

Deno.test("doctor: a block left past the limit is a warning until init or doctor --fix moves it up", async () => {
  await withScaffold(async (box) => {
    const agents = await readRepoFile(box.repo, "AGENTS.md");
    const block = agents.slice(agents.indexOf(START_MARKER)).trim();
    await writeRepoFile(
      box.repo,
      "AGENTS.md",
      `# Ours\n\n${"our own words\n".repeat(2_600)}\n${block}\n`,
    );
    const found = about(await doctor(box, box.trust), /out of Codex's reach/);
    assertEquals(found.length, 1, "reported once");
    assertEquals(found[0].severity, "warn");
    assertMatch(
      found[0].message,
      /^The waypoint block in AGENTS\.md is out of Codex's reach: it ended at byte \d+, past Codex's 32768-byte project_doc_max_bytes \(the default\), so Codex never read it/,
    );
    assert(found[0].remediation.includes("waypoint init"));
    const init = await runCli(["init", box.repo, "--dry-run"], {
      env: { CODEX_HOME: box.home },
    });
    assertMatch(
      init.stdout,
      /- Would update AGENTS\.md: moved the waypoint block to the top;/,
    );
    // doctor --fix moves it too, within the user's own, smaller limit.
    await writeRepoFile(
      box.repo,
      "AGENTS.md",
      `# Ours\n\n${"our own words\n".repeat(1_500)}\n${block}\n`,
    );
    assertEquals(
      about(await doctor(box, box.trust), /out of Codex's reach/),
      [],
    );
    await Deno.writeTextFile(
      join(box.home, "config.toml"),
      `project_doc_max_bytes = 20000\n${box.trust}`,
    );
    const fixed = await runCli(["doctor", box.repo, "--fix"], {
      env: { CODEX_HOME: box.home },
    });
    assertMatch(fixed.stdout, /- Fixed: updated AGENTS\.md/);
    assertEquals(
      about(
        await doctor(box, `project_doc_max_bytes = 20000\n${box.trust}`),
        /out of Codex's reach/,
      ),
      [],
    );
    assert(
      (await readRepoFile(box.repo, "AGENTS.md")).startsWith(
        `# Ours\n\n${START_MARKER}`,
      ),
    );
  });
});

Deno.test("init: a zero or tiny project_doc_max_bytes is said on the AGENTS.md line", async () => {
  await withScaffold(async (box) => {
    const run = async (user: string) => {
      await Deno.writeTextFile(join(box.home, "config.toml"), user);
      const result = await runCli(["init", box.repo], {
        env: { CODEX_HOME: box.home },
      });
      assertEquals(result.code, 0, result.stderr);
      return result.stdout;
    };
    assertMatch(
      await run("project_doc_max_bytes = 0\n"),
      /- Kept AGENTS\.md: waypoint block up to date; project_doc_max_bytes is 0 \(.*config\.toml:1\), so Codex reads no AGENTS\.md at all\n/,
    );
    assertMatch(
      await run("\nproject_doc_max_bytes = 1000\n"),
      /- Kept AGENTS\.md: waypoint block up to date; the waypoint block ends at byte \d+, past Codex's 1000-byte project_doc_max_bytes \(.*config\.toml:2\): Codex reads only part of it; raise the limit there; the file is \d+ bytes, above that limit: Codex cuts your text after byte 1000\n/,
    );
    assertEquals(
      (await run("")).includes("AGENTS.md"),
      false,
      "nothing to say under the default limit",
    );
  });
});
