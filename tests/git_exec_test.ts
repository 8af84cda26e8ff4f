import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cleanEnv,
  FIXED_OVERRIDES,
  overrideEnv,
  parseScopedNames,
  repositoryOverrides,
  runGit,
} from "../src/context/git_exec.ts";
import { judgeNestedGit } from "../src/context/git_pointer.ts";
import { git, initRepo } from "./support/git.ts";
import { makeTempDir, removeTempDir } from "./support/cli.ts";

Deno.test("repository-scoped driver keys switch the whole driver off; the user's own scopes are trusted", () => {
  const overrides = new Map(repositoryOverrides([
    ["local", "filter.ev=il.clean"],
    ["worktree", "diff.a.b.textconv"],
    ["local", "pager.log"],
    ["local", "protocol.ext.allow"],
    ["local", "credential.https://x.example.helper"],
    ["local", "gpg.weird.program"],
    ["local", "remote.origin.promisor"],
    ["local", "merge.m.driver"],
    ["global", "filter.lfs.clean"],
    ["system", "diff.sys.textconv"],
    ["command", "filter.cmd.clean"],
    ["local", "user.email"],
  ]));
  assert.deepEqual(Object.fromEntries(overrides), {
    "filter.ev=il.clean": "",
    "filter.ev=il.smudge": "",
    "filter.ev=il.process": "",
    "filter.ev=il.required": "false",
    "diff.a.b.textconv": "",
    "diff.a.b.command": "",
    "pager.log": "false",
    "protocol.ext.allow": "never",
    "credential.https://x.example.helper": "",
    "gpg.weird.program": "",
    "remote.origin.promisor": "false",
    "merge.m.driver": "",
  });
});

Deno.test("scoped names parse from NUL-separated pairs", () => {
  assert.deepEqual(
    parseScopedNames("local\0core.bare\0command\0waypoint.guarded\0"),
    [["local", "core.bare"], ["command", "waypoint.guarded"]],
  );
  assert.deepEqual(parseScopedNames(""), []);
});

Deno.test("the cleaned environment drops every GIT_* but the config-file choices, and the pager, editor and askpass", () => {
  const env = cleanEnv({
    PATH: "/bin",
    HOME: "/home/u",
    GIT_DIR: "/elsewhere/.git",
    GIT_WORK_TREE: "/elsewhere",
    GIT_INDEX_FILE: "/tmp/i",
    GIT_EXTERNAL_DIFF: "evil",
    GIT_SSH_COMMAND: "evil",
    GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='evil'",
    GIT_CONFIG_COUNT: "1",
    git_pager: "evil",
    GIT_CONFIG_GLOBAL: "/home/u/.gitconfig-work",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CEILING_DIRECTORIES: "/home",
    PAGER: "evil",
    EDITOR: "evil",
    SSH_ASKPASS: "evil",
    GH_TOKEN: "kept",
  });
  assert.deepEqual(env, {
    PATH: "/bin",
    HOME: "/home/u",
    GIT_CONFIG_GLOBAL: "/home/u/.gitconfig-work",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CEILING_DIRECTORIES: "/home",
    GH_TOKEN: "kept",
  });
});

Deno.test("overrides travel as GIT_CONFIG_KEY/VALUE pairs and the fixed ones are all honoured by this git", async () => {
  assert.deepEqual(overrideEnv([["a.b", "1"], ["c.d=e.f", ""]]), {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: "a.b",
    GIT_CONFIG_VALUE_0: "1",
    GIT_CONFIG_KEY_1: "c.d=e.f",
    GIT_CONFIG_VALUE_1: "",
  });
  const dir = await makeTempDir("waypoint-git-exec-");
  try {
    await initRepo(dir);
    await git(dir, "config", "core.fsmonitor", "/evil");
    await git(dir, "config", "filter.x=y.clean", "/evil");
    const listed = await runGit(dir, ["config", "--list", "-z"], {
      timeoutMs: 10_000,
    });
    assert.equal(listed.kind, "ok");
    if (listed.kind !== "ok") return;
    // The last value of a key is the one git uses.
    const last = new Map<string, string>();
    for (const entry of listed.stdout.split("\0")) {
      const newline = entry.indexOf("\n");
      if (newline > 0) {
        last.set(entry.slice(0, newline), entry.slice(newline + 1));
      }
    }
    for (const [key, value] of FIXED_OVERRIDES) {
      assert.equal(last.get(key.toLowerCase()), value, key);
    }
    assert.equal(last.get("filter.x=y.clean"), "");
  } finally {
    await removeTempDir(dir);
  }
});

Deno.test("a subcommand outside the vetted list is refused without running git", async () => {
  const outcome = await runGit(".", ["fetch"], { timeoutMs: 1_000 });
  assert.equal(outcome.kind, "error");
});

Deno.test("nested .git rule: folders and pointers into the root's .git/modules or worktrees only", async () => {
  const root = await Deno.realPath(await makeTempDir("waypoint-git-ptr-"));
  try {
    await Deno.mkdir(join(root, ".git", "modules", "sub"), { recursive: true });
    await Deno.mkdir(join(root, "vendor", "evil.git"), { recursive: true });
    const cases: [string, string | null, string][] = [
      ["sub", "gitdir: ../.git/modules/sub\n", "repo"],
      ["abs", `gitdir: ${join(root, ".git", "modules", "sub")}`, "repo"],
      ["pkg", "gitdir: ../vendor/evil.git\n", "vendor/evil.git"],
      ["far", "gitdir: /\n", "outside the repository"],
      ["gone", "gitdir: ../nowhere\n", "does not exist"],
      ["junk", "not a pointer\n", "not a one-line"],
      ["two", "gitdir: ../.git/modules/sub\nmore\n", "not a one-line"],
      ["esc", "gitdir: ../.git/modules/../../..\n", "outside the repository"],
    ];
    for (const [name, text] of cases) {
      await Deno.mkdir(join(root, name));
      if (text !== null) {
        await Deno.writeTextFile(join(root, name, ".git"), text);
      }
    }
    for (const [name, , expected] of cases) {
      const judged = judgeNestedGit(root, join(root, name), "file");
      if (expected === "repo") {
        assert.equal(judged.kind, "repo", name);
      } else {
        assert.equal(judged.kind, "left-out", name);
        if (judged.kind === "left-out") {
          assert.ok(
            judged.reason.includes(expected),
            `${name}: ${judged.reason}`,
          );
        }
      }
    }
    assert.equal(
      judgeNestedGit(root, join(root, "x"), "directory").kind,
      "repo",
    );
    const link = judgeNestedGit(root, join(root, "x"), "symlink");
    assert.deepEqual(link, {
      kind: "left-out",
      reason: "its .git is a symlink",
    });
  } finally {
    await removeTempDir(root);
  }
});
