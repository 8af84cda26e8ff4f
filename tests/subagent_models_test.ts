/**
 * `waypoint doctor` on the model in effect: a model Codex gives no subagents
 * is a warning naming the model and the file and line it was set in, read the
 * way Codex layers its config (the repo's `.codex/config.toml` only when the
 * project is trusted, over the user's `$CODEX_HOME/config.toml`, over the
 * default). Doctor runs as a subprocess with a throwaway Codex home.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import { writeRepoFile } from "./support/cli.ts";
import {
  type CodexScaffold,
  doctorFindings,
  type JsonFinding,
  withCodexScaffold,
} from "./support/codex_scaffold.ts";

const withScaffold = (fn: (box: CodexScaffold) => Promise<void>) =>
  withCodexScaffold("waypoint-subagent-models-", fn);

/** Doctor's findings about the model, with this user config and repo config. */
async function modelFindings(
  box: CodexScaffold,
  user: string,
  project?: string,
): Promise<JsonFinding[]> {
  await Deno.remove(join(box.repo, ".codex", "config.toml")).catch(() => {});
  if (project !== undefined) {
    await writeRepoFile(box.repo, ".codex/config.toml", project);
  }
  const findings = await doctorFindings(box, user);
  return findings.filter((finding) =>
    finding.category === "roles" && /\bmodel\b/i.test(finding.message)
  );
}

Deno.test("doctor: a user model without subagents is a warning naming the model, the file and line, and the fix", async () => {
  await withScaffold(async (box) => {
    const userConfig = join(box.home, "config.toml");
    const found = await modelFindings(
      box,
      `# mine\nmodel = "gpt-5.5"\n${box.trust}`,
    );
    assertEquals(found.length, 1, JSON.stringify(found));
    assertEquals(found[0].severity, "warn");
    assertMatch(
      found[0].message,
      new RegExp(
        `^Codex gives model "gpt-5\\.5" \\(set at ${
          userConfig.replaceAll(".", "\\.")
        }:2\\) no spawn_agent tool .*multi_agent_version none, not v2.*so the reviewer agents \\(code-reviewer, code-health-reviewer and plan-reviewer\\) cannot run\\.$`,
      ),
    );
    assertMatch(
      found[0].remediation,
      /^Set model = "gpt-6\.1-sol" in .*config\.toml:2, or delete that line to use Codex's default model; with the model as it is, the reviewer agents will not run\.$/,
    );
    const luna = await modelFindings(box, 'model = "gpt-5.6-luna"\n');
    assertMatch(luna[0].message, /multi_agent_version v1, not v2/);
  });
});

Deno.test("doctor: the repo's .codex/config.toml model counts only when Codex trusts the project", async () => {
  await withScaffold(async (box) => {
    const project =
      '# team settings\nmodel_reasoning_effort = "high"\nmodel = "gpt-5.5"\n';
    const trusted = await modelFindings(box, box.trust, project);
    assertEquals(trusted.length, 1, JSON.stringify(trusted));
    assertMatch(
      trusted[0].message,
      /^Codex gives model "gpt-5\.5" \(set at \.codex\/config\.toml:3\)/,
    );
    assertMatch(trusted[0].remediation, /in \.codex\/config\.toml:3, or/);

    // The project layer wins over the user's model.
    const over = await modelFindings(
      box,
      `model = "gpt-6.1-sol"\n${box.trust}`,
      project,
    );
    assertEquals(over.length, 1);
    // A good project model wins over a bad user one.
    assertEquals(
      await modelFindings(
        box,
        `model = "gpt-5.5"\n${box.trust}`,
        'model = "gpt-6.1-sol"\n',
      ),
      [],
    );
    // Untrusted: Codex ignores .codex/, so the repo's model is no finding.
    assertEquals(await modelFindings(box, "", project), []);
  });
});

Deno.test("doctor: an unknown model is a warning; the default and a model with subagents are none", async () => {
  await withScaffold(async (box) => {
    const unknown = await modelFindings(
      box,
      `model = "my-local-llm"\n${box.trust}`,
    );
    assertEquals(unknown.length, 1);
    assertEquals(unknown[0].severity, "warn");
    assertMatch(
      unknown[0].message,
      /^Model "my-local-llm" \(set at .*config\.toml:1\) is not in the model catalog of Codex 0\.169\.0 or 0\.171\.0; Codex offers no spawn_agent tool/,
    );
    assert(unknown[0].remediation.includes("`codex debug models`"));
    assertEquals(await modelFindings(box, box.trust), []);
    assertEquals(
      await modelFindings(box, `model = "gpt-5.6-sol"\n${box.trust}`),
      [],
    );
    // Known to the newer release only: a note, not a warning.
    const newer = await modelFindings(box, 'model = "gpt-6.2-sol"\n');
    assertEquals(newer.map((finding) => finding.severity), ["info"]);
    assertMatch(
      newer[0].message,
      /from Codex 0\.171\.0, but not in Codex 0\.169\.0/,
    );
  });
});
