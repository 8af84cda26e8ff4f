/**
 * Tests for the frontend-ship-audit helper script. The script ships inside
 * scaffolded repositories and must run under a plain POSIX shell, so it is
 * executed with `dash` (the strictest common `/bin/sh`) exactly as an agent
 * would run it, in throwaway repositories.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import {
  makeTempDir,
  pathExists,
  PROJECT_ROOT,
  removeTempDir,
} from "./support/cli.ts";
import {
  needsDash,
  needsGit,
  needsShellcheck,
  requires,
} from "./support/requires.ts";

const SKILLS = "templates/.agents/skills";
const SCRIPT_TEMPLATE =
  ".agents/skills/frontend-ship-audit/scripts/create-frontend-audit.sh";
const SCRIPT = join(PROJECT_ROOT, "templates", ...SCRIPT_TEMPLATE.split("/"));
const REPORT_TEMPLATE = join(
  PROJECT_ROOT,
  SKILLS,
  "frontend-ship-audit",
  "references",
  "report-template.md",
);
const NAME_PATTERN = /^\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-frontend-audit\.md$/;

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the script with dash in `cwd`; `env` entries override the parent's. */
async function runScript(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  const base = Deno.env.toObject();
  // A developer's own git settings must not decide which root the script picks.
  delete base.GIT_DIR;
  delete base.GIT_WORK_TREE;
  const output = await new Deno.Command("dash", {
    args: [SCRIPT, ...args],
    cwd,
    env: { ...base, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** The `dd-mm-yyyy-hh-mm` stamp of `date` in local time, as `date(1)` prints it. */
function localStamp(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return [
    pad(date.getDate()),
    pad(date.getMonth() + 1),
    String(date.getFullYear()),
    pad(date.getHours()),
    pad(date.getMinutes()),
  ].join("-");
}

/** The `# ` and `## ` lines of the skeleton block in report-template.md. */
async function skeletonHeadings(): Promise<string[]> {
  const text = await Deno.readTextFile(REPORT_TEMPLATE);
  const block = text.split("## Skeleton")[1]?.split("```markdown\n")[1]
    ?.split("\n```")[0];
  assert.ok(block, "report-template.md has a fenced skeleton block");
  const headings = block.split("\n").filter((line) => /^##? /.test(line));
  assert.ok(headings.length >= 5, "skeleton has a title and sections");
  return headings;
}

/** Asserts the report follows the template skeleton, headings in order. */
async function assertSkeleton(report: string, stamp: string): Promise<void> {
  const [day, month, year, hour, minute] = stamp.split("-");
  const lines = report.split("\n");
  assert.equal(
    lines[0],
    `# Frontend Ship Audit: ${day}-${month}-${year} ${hour}:${minute}`,
  );
  const [title, ...sections] = await skeletonHeadings();
  assert.ok(title.startsWith("# Frontend Ship Audit: "));
  const reportSections = lines.filter((line) => line.startsWith("## "));
  assert.deepEqual(reportSections, sections);
}

/** Creates a temp directory and returns its real path (what `pwd -P` sees). */
async function realTempDir(): Promise<string> {
  return await Deno.realPath(await makeTempDir("waypoint-audit-"));
}

/** A `.waypoint/audit/<name>` stdout line, checked and reduced to the name. */
function reportedName(result: ScriptResult): string {
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, "");
  const match = result.stdout.match(/^\.waypoint\/audit\/([^\n/]+)\n$/);
  assert.ok(match, `one repo-relative path on stdout, got ${result.stdout}`);
  return match[1];
}

Deno.test({
  ...requires(
    "audit script: creates a report named and titled by the local time",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const repo = join(tmp, "repo");
      const nested = join(repo, "src", "app");
      await Deno.mkdir(join(repo, ".waypoint"), { recursive: true });
      await Deno.mkdir(nested, { recursive: true });
      const before = new Date();
      const result = await runScript([], nested, {
        GIT_CEILING_DIRECTORIES: tmp,
      });
      const after = new Date();
      const name = reportedName(result);
      assert.match(name, NAME_PATTERN);
      const stamp = name.slice(0, 16);
      // The run may straddle a minute boundary; either side is correct.
      assert.ok(
        [localStamp(before), localStamp(after)].includes(stamp),
        `${stamp} is not the current local time`,
      );
      const report = await Deno.readTextFile(
        join(repo, ".waypoint", "audit", name),
      );
      await assertSkeleton(report, stamp);
      assert.ok(!(await pathExists(join(nested, ".waypoint"))));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: --scope fills the scope line without shell expansion",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const scope = 'checkout `id` $HOME "quoted" 100%';
      const name = reportedName(
        await runScript(["--scope", scope], tmp, {
          GIT_CEILING_DIRECTORIES: tmp,
        }),
      );
      const report = await Deno.readTextFile(
        join(tmp, ".waypoint", "audit", name),
      );
      assert.ok(report.includes(`\n- **Requested scope:** ${scope}\n`));

      const second = reportedName(
        await runScript(["--scope=line one\nline two"], tmp, {
          GIT_CEILING_DIRECTORIES: tmp,
        }),
      );
      const report2 = await Deno.readTextFile(
        join(tmp, ".waypoint", "audit", second),
      );
      assert.ok(
        report2.includes("\n- **Requested scope:** line one line two\n"),
      );
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: never overwrites, adds -2 and -3 within one minute",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      // A fixed clock makes "the same minute" certain; the stub also proves
      // the script asks date(1) for exactly this format.
      const bin = join(tmp, "bin");
      await Deno.mkdir(bin);
      const stub = join(bin, "date");
      await Deno.writeTextFile(
        stub,
        '#!/bin/sh\n[ "$1" = "+%d-%m-%Y-%H-%M" ] || exit 3\necho 05-06-2027-08-09\n',
      );
      await Deno.chmod(stub, 0o755);
      const repo = join(tmp, "repo");
      await Deno.mkdir(join(repo, ".waypoint"), { recursive: true });
      const env = {
        PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
        GIT_CEILING_DIRECTORIES: tmp,
      };
      const audit = join(repo, ".waypoint", "audit");

      const first = reportedName(await runScript([], repo, env));
      assert.equal(first, "05-06-2027-08-09-frontend-audit.md");
      await assertSkeleton(
        await Deno.readTextFile(join(audit, first)),
        "05-06-2027-08-09",
      );
      await Deno.writeTextFile(join(audit, first), "work in progress\n");

      const second = reportedName(await runScript([], repo, env));
      assert.equal(second, "05-06-2027-08-09-frontend-audit-2.md");
      const third = reportedName(await runScript([], repo, env));
      assert.equal(third, "05-06-2027-08-09-frontend-audit-3.md");

      assert.equal(
        await Deno.readTextFile(join(audit, first)),
        "work in progress\n",
      );
      await assertSkeleton(
        await Deno.readTextFile(join(audit, third)),
        "05-06-2027-08-09",
      );
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: --root decides the repository from any directory",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const repo = join(tmp, "repo");
      const elsewhere = join(tmp, "elsewhere");
      await Deno.mkdir(repo);
      // A .waypoint/ around the cwd must not win over an explicit --root.
      await Deno.mkdir(join(elsewhere, ".waypoint"), { recursive: true });
      const env = { GIT_CEILING_DIRECTORIES: tmp };
      const name = reportedName(
        await runScript(["--root", repo], elsewhere, env),
      );
      assert.match(name, NAME_PATTERN);
      assert.ok(await pathExists(join(repo, ".waypoint", "audit", name)));
      assert.ok(!(await pathExists(join(elsewhere, ".waypoint", "audit"))));

      const relative = reportedName(
        await runScript(["--root=../repo"], elsewhere, env),
      );
      assert.ok(await pathExists(join(repo, ".waypoint", "audit", relative)));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: uses the git top level when run from a subdirectory",
    needsDash(),
    needsGit(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const init = await new Deno.Command("git", {
        args: ["init", "-q", tmp],
        stdout: "null",
        stderr: "piped",
      }).output();
      assert.equal(init.code, 0, new TextDecoder().decode(init.stderr));
      const nested = join(tmp, "packages", "web");
      await Deno.mkdir(nested, { recursive: true });
      const name = reportedName(await runScript([], nested));
      assert.ok(await pathExists(join(tmp, ".waypoint", "audit", name)));
      assert.ok(!(await pathExists(join(nested, ".waypoint"))));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: without git or .waypoint/ it uses the current folder",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const name = reportedName(
        await runScript([], tmp, { GIT_CEILING_DIRECTORIES: tmp }),
      );
      assert.ok(await pathExists(join(tmp, ".waypoint", "audit", name)));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: bad arguments fail with one stderr line, no file",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const cases: [string[], RegExp][] = [
        [["--frobnicate"], /unknown option: --frobnicate/],
        [["-x"], /unknown option: -x/],
        [["stray"], /unexpected argument: stray/],
        [["--scope"], /--scope needs a value/],
        [["--root"], /--root needs a value/],
        [["--root", join(tmp, "missing")], /missing: not a directory/],
      ];
      for (const [args, message] of cases) {
        const result = await runScript(args, tmp, {
          GIT_CEILING_DIRECTORIES: tmp,
        });
        assert.notEqual(result.code, 0, `${args.join(" ")} must fail`);
        assert.equal(result.stdout, "");
        const lines = result.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, `one line for ${args.join(" ")}`);
        assert.match(lines[0], /^create-frontend-audit: /);
        assert.match(lines[0], message);
      }
      assert.ok(!(await pathExists(join(tmp, ".waypoint"))));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires(
    "audit script: --help prints usage and creates nothing",
    needsDash(),
  ),
  fn: async () => {
    const tmp = await realTempDir();
    try {
      const result = await runScript(["--help"], tmp, {
        GIT_CEILING_DIRECTORIES: tmp,
      });
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.match(result.stdout, /^Usage: /);
      assert.match(result.stdout, /--scope TEXT/);
      assert.match(result.stdout, /--root DIR/);
      assert.ok(!(await pathExists(join(tmp, ".waypoint"))));
    } finally {
      await removeTempDir(tmp);
    }
  },
});

Deno.test({
  ...requires("audit script: passes shellcheck as POSIX sh", needsShellcheck()),
  fn: async () => {
    const output = await new Deno.Command("shellcheck", {
      args: ["--shell=sh", "--severity=style", SCRIPT],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assert.equal(
      output.code,
      0,
      decoder.decode(output.stdout) + decoder.decode(output.stderr),
    );
  },
});

Deno.test("audit script: is a /bin/sh script embedded as executable", async () => {
  const text = await Deno.readTextFile(SCRIPT);
  assert.ok(text.startsWith("#!/bin/sh\n"));
  assert.match(text, /^set -eu$/m);
  const mode = (await Deno.stat(SCRIPT)).mode;
  if (mode !== null) {
    assert.ok((mode & 0o111) !== 0, "execute bit in templates/");
  }
  const embedded = EMBEDDED_TEMPLATES[SCRIPT_TEMPLATE];
  assert.ok(embedded, `${SCRIPT_TEMPLATE} is embedded`);
  assert.equal(embedded.content, text);
  assert.equal(embedded.executable, true);
});

Deno.test("audit skills: every bundled file a SKILL.md names exists", async () => {
  const skills = [
    "backend-context-interview",
    "frontend-context-interview",
    "backend-ship-audit",
    "frontend-ship-audit",
  ];
  let checked = 0;
  for (const skill of skills) {
    const dir = join(PROJECT_ROOT, SKILLS, skill);
    const text = await Deno.readTextFile(join(dir, "SKILL.md"));
    for (const [ref] of text.matchAll(/\b(?:references|scripts)\/[\w.-]+/g)) {
      assert.ok(
        await pathExists(join(dir, ...ref.split("/"))),
        `${skill}/SKILL.md names ${ref}, which does not exist`,
      );
      checked++;
    }
  }
  assert.ok(checked >= 6, "the audit skills point at their references");
  const frontend = await Deno.readTextFile(
    join(PROJECT_ROOT, SKILLS, "frontend-ship-audit", "SKILL.md"),
  );
  assert.ok(frontend.includes(`sh ${SCRIPT_TEMPLATE} --scope "`));
});
