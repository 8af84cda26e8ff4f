/**
 * `.codex/hooks.json`: waypoint's SessionStart hook as `init` merges it into
 * a user's file, and the hook command itself as Codex's shell runs it.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  pathExists,
  readRepoFile,
  removeTempDir,
  runCli,
  runCommand,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import {
  WAYPOINT_HOOK_COMMAND,
  WAYPOINT_HOOK_MATCHER,
  waypointGroup,
} from "../src/codex_hooks.ts";
import { freshHooksJson } from "../src/scaffold/hooks_json.ts";
import { VERSION } from "../src/version.ts";

const HOOKS = ".codex/hooks.json";

/**
 * The command text, typed out. Codex's trust hash covers it, so changing it
 * untrusts the hook for every user: this test is the reminder.
 */
const PINNED_COMMAND =
  `sh -c 'if command -v waypoint >/dev/null 2>&1; then waypoint context --hook; else w="\${WAYPOINT_INSTALL:-$HOME/.waypoint}/bin/waypoint"; if [ -x "$w" ]; then "$w" context --hook; else echo "waypoint: not on PATH or in \${WAYPOINT_INSTALL:-$HOME/.waypoint}/bin; no session context added" >&2; cat >/dev/null; fi; fi; exit 0'`;

async function init(dir: string, args: string[] = [], env = {}) {
  return await runCli(["init", dir, ...args], { env });
}

async function hooksOf(dir: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readRepoFile(dir, HOOKS));
}

Deno.test("the hook command is one constant: no version, platform, path or install route in it", async () => {
  assertEquals(WAYPOINT_HOOK_COMMAND, PINNED_COMMAND);
  for (
    const varying of [VERSION, Deno.build.os, "deno", "npm", "/root", "/tmp"]
  ) {
    assert(
      !WAYPOINT_HOOK_COMMAND.includes(varying),
      `command mentions ${varying}`,
    );
  }
  // Different homes, PATHs and install roots write the same text.
  const seen = new Set<string>();
  for (
    const env of [
      {},
      { HOME: "/nowhere", WAYPOINT_INSTALL: "/opt/waypoint" },
      { PATH: "/usr/bin:/bin:/opt/bin" },
    ]
  ) {
    const dir = await makeTempDir();
    try {
      const result = await init(dir, [], env);
      assertEquals(result.code, 0, result.stderr);
      const group = ((await hooksOf(dir)).hooks as Record<string, unknown[]>)
        .SessionStart[0] as { hooks: { command: string }[] };
      seen.add(group.hooks[0].command);
    } finally {
      await removeTempDir(dir);
    }
  }
  assertEquals([...seen], [PINNED_COMMAND]);
});

/** A fake `waypoint` that prints its arguments and its stdin, then exits with `code`. */
async function fakeWaypoint(dir: string, code = 0): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, "waypoint");
  await Deno.writeTextFile(
    path,
    `#!/bin/sh\nprintf 'ran %s from ${dir} with ' "$*"\ncat\nexit ${code}\n`,
  );
  await Deno.chmod(path, 0o755);
}

async function runHook(
  shell: string,
  env: Record<string, string>,
  cwd: string,
) {
  return await runCommand(shell, ["-c", WAYPOINT_HOOK_COMMAND], {
    cwd,
    env: { PATH: "/usr/bin:/bin", ...env },
    clearEnv: true,
    stdin: '{"hook_event_name":"SessionStart","source":"startup"}',
  });
}

Deno.test("the hook command, run as Codex runs it (user's shell -c), finds waypoint on PATH, in ~/.waypoint/bin or $WAYPOINT_INSTALL/bin, and never fails when it is absent", async () => {
  const box = await makeTempDir();
  try {
    const onPath = join(box, "path-bin");
    const home = join(box, "home");
    const installed = join(home, ".waypoint", "bin");
    const custom = join(box, "custom");
    await fakeWaypoint(onPath);
    await fakeWaypoint(installed);
    await fakeWaypoint(join(custom, "bin"));
    const cwd = join(box, "repo", "sub");
    await Deno.mkdir(cwd, { recursive: true });
    // Codex runs a hook as `<the user's shell> -c <command>` (`/bin/bash -c`
    // here); zsh and fish users' shells are run too where they are installed.
    const shells = ["/bin/bash", "/bin/sh"];
    for (const extra of ["/usr/bin/zsh", "/usr/bin/fish"]) {
      if (await pathExists(extra)) shells.push(extra);
    }
    for (const shell of shells) {
      const path = await runHook(shell, {
        HOME: home,
        PATH: `${onPath}:/usr/bin:/bin`,
      }, cwd);
      assertEquals(path.code, 0);
      assertEquals(
        path.stdout,
        `ran context --hook from ${onPath} with {"hook_event_name":"SessionStart","source":"startup"}`,
      );

      const fallback = await runHook(shell, { HOME: home }, cwd);
      assertEquals(fallback.code, 0);
      assertMatch(
        fallback.stdout,
        new RegExp(`^ran context --hook from ${installed} `),
      );

      const chosen = await runHook(shell, {
        HOME: home,
        WAYPOINT_INSTALL: custom,
      }, cwd);
      assertMatch(
        chosen.stdout,
        new RegExp(`^ran context --hook from ${custom}/bin `),
      );

      const absent = await runHook(shell, { HOME: join(box, "empty") }, cwd);
      assertEquals(absent.code, 0);
      assertEquals(absent.stdout, "");
      assertEquals(absent.stderr.trim().split("\n").length, 1);
      assertMatch(
        absent.stderr,
        /^waypoint: not on PATH or in .*\.waypoint\/bin/,
      );
    }
    const failing = join(box, "failing");
    await fakeWaypoint(failing, 3);
    const failed = await runHook("/bin/bash", {
      HOME: home,
      PATH: `${failing}:/usr/bin:/bin`,
    }, cwd);
    assertEquals(failed.code, 0, "a failing waypoint must not fail the hook");
  } finally {
    await removeTempDir(box);
  }
});

Deno.test("a fresh init writes hooks.json with one SessionStart group (startup|clear|compact, never resume); a refresh keeps it byte for byte", async () => {
  await withTempRepo(async (dir) => {
    const result = await init(dir, ["--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /\.codex\/hooks\.json/);
    const text = await readRepoFile(dir, HOOKS);
    assertEquals(text, freshHooksJson());
    const group = waypointGroup();
    assertEquals(group.matcher, WAYPOINT_HOOK_MATCHER);
    assert(!group.matcher.includes("resume"));
    assertEquals(group.hooks[0].timeout, 60);
    assert(group.hooks[0].statusMessage);
    const manifest = JSON.parse(
      await readRepoFile(dir, ".waypoint/manifest.json"),
    );
    assert(manifest.files[HOOKS], "hooks.json is recorded in the manifest");

    const again = await init(dir);
    assertEquals(again.code, 0, again.stderr);
    assertMatch(again.stdout, /nothing changed/);
    assertEquals(await readRepoFile(dir, HOOKS), text);
  });
});

Deno.test("init --dry-run shows hooks.json and writes nothing", async () => {
  await withTempRepo(async (dir) => {
    const result = await init(dir, ["--dry-run", "--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(result.stdout, /create\s+\.codex\/hooks\.json/);
    assert(!(await pathExists(join(dir, HOOKS))));
  });
});

const USER_HOOKS = {
  hooks: {
    PreToolUse: [{
      matcher: "^Bash$",
      hooks: [{ type: "command", command: "./check-bash.sh", timeout: 5 }],
    }],
    SessionStart: [{
      matcher: "startup|resume",
      hooks: [{ type: "command", command: "echo mine", statusMessage: "Mine" }],
    }],
  },
  note: "a key Codex ignores",
};

Deno.test("a user's hooks.json keeps its hooks, order and indentation; waypoint's group is appended after theirs, and a refresh changes nothing", async () => {
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, HOOKS, JSON.stringify(USER_HOOKS, null, 4) + "\n");
    const result = await init(dir, ["--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stdout,
      /update\s+\.codex\/hooks\.json\s+appended waypoint's SessionStart hook after your 1 group/,
    );
    const text = await readRepoFile(dir, HOOKS);
    const data = JSON.parse(text);
    assertEquals(data.note, USER_HOOKS.note);
    assertEquals(data.hooks.PreToolUse, USER_HOOKS.hooks.PreToolUse);
    assertEquals(data.hooks.SessionStart.length, 2);
    assertEquals(data.hooks.SessionStart[0], USER_HOOKS.hooks.SessionStart[0]);
    assertEquals(data.hooks.SessionStart[1], waypointGroup());
    assertEquals(Object.keys(data.hooks), ["PreToolUse", "SessionStart"]);
    assertMatch(text, /^\{\n {4}"hooks": \{\n {8}"PreToolUse"/);

    const again = await init(dir);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(await readRepoFile(dir, HOOKS), text);
  });
});

Deno.test("an outdated waypoint group is refreshed where it is; the user's later group keeps its position", async () => {
  await withTempRepo(async (dir) => {
    const old = {
      hooks: {
        SessionStart: [
          {
            matcher: "startup|resume",
            hooks: [{
              type: "command",
              command: "waypoint context --hook --old",
            }],
          },
          USER_HOOKS.hooks.SessionStart[0],
        ],
      },
    };
    await writeRepoFile(dir, HOOKS, JSON.stringify(old, null, 2) + "\n");
    const result = await init(dir, ["--verbose"]);
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stdout,
      /refreshed waypoint's SessionStart hook in place \(group 0\)/,
    );
    const data = await hooksOf(dir) as typeof old;
    assertEquals(data.hooks.SessionStart.length, 2);
    assertEquals(data.hooks.SessionStart[0], waypointGroup());
    assertEquals(data.hooks.SessionStart[1], USER_HOOKS.hooks.SessionStart[0]);
  });
});

Deno.test("a hooks.json that does not parse, or has another shape, is left byte for byte with one line saying why; --force backs it up and replaces it", async () => {
  for (
    const [bytes, reason] of [
      ['{"hooks": {"SessionStart": [ }\n', /is not valid JSON/],
      [
        '{"hooks": []}\n',
        /does not have the shape Codex reads \("hooks" is not an object\)/,
      ],
      ["[1, 2]\n", /top level is not a JSON object/],
      [
        '{"hooks": {"SessionStart": [{"hooks": [{"command": "x"}]}]}}',
        /without a "type"/,
      ],
    ] as const
  ) {
    await withTempRepo(async (dir) => {
      await writeRepoFile(dir, HOOKS, bytes);
      const result = await init(dir);
      assertEquals(await readRepoFile(dir, HOOKS), bytes);
      const lines = result.stdout.split("\n").filter((line) =>
        line.includes(".codex/hooks.json")
      );
      assertEquals(lines.length, 1, result.stdout);
      assertMatch(lines[0], reason);
      assertMatch(lines[0], /left alone/);

      const forced = await init(dir, ["--force"]);
      assertEquals(forced.code, 0, forced.stderr);
      assertEquals(await readRepoFile(dir, HOOKS), freshHooksJson());
      const backup = [...Deno.readDirSync(join(dir, ".codex"))].find((entry) =>
        entry.name.startsWith("hooks.json.waypoint-backup-")
      );
      assert(backup, "a backup of the user's file is kept");
      assertEquals(
        await Deno.readTextFile(join(dir, ".codex", backup.name)),
        bytes,
      );
    });
  }
});

Deno.test("a [hooks] table in .codex/config.toml: no hooks.json, and init prints the TOML lines to add", async () => {
  await withTempRepo(async (dir) => {
    const toml =
      `[[hooks.PreToolUse]]\nmatcher = "Bash"\n\n[[hooks.PreToolUse.hooks]]\ntype = "command"\ncommand = "echo hi"\n`;
    await writeRepoFile(dir, ".codex/config.toml", toml);
    const result = await init(dir);
    assertEquals(result.code, 0, result.stderr);
    assert(!(await pathExists(join(dir, HOOKS))));
    assertEquals(await readRepoFile(dir, ".codex/config.toml"), toml);
    assertMatch(
      result.stdout,
      /\.codex\/config\.toml: it has a \[hooks\] table/,
    );
    assertMatch(
      result.stdout,
      /\[\[hooks\.SessionStart\]\]\n {4}matcher = "startup\|clear\|compact"/,
    );
    assertMatch(
      result.stdout,
      /\[\[hooks\.SessionStart\.hooks\]\]\n {4}type = "command"\n {4}command = "sh -c /,
    );

    // Once the user pastes the lines in, init is quiet and doctor finds the hook there.
    const lines = result.stdout.slice(
      result.stdout.indexOf("[[hooks.SessionStart]]"),
    ).split("\n").slice(0, 8).join("\n");
    await writeRepoFile(dir, ".codex/config.toml", `${toml}\n${lines}\n`);
    const quiet = await init(dir);
    assertEquals(quiet.code, 0, quiet.stderr);
    assert(!quiet.stdout.includes("[hooks] table"), quiet.stdout);
    assert(!(await pathExists(join(dir, HOOKS))));
    const home = await makeTempDir("waypoint-codex-home-");
    try {
      const doctor = await runCli(["doctor", dir, "--json"], {
        env: { CODEX_HOME: home },
      });
      const finding = (JSON.parse(doctor.stdout).findings as {
        paths: string[];
        remediation: string;
      }[]).find((f) => f.paths.includes(".codex/config.toml"));
      assertMatch(
        finding?.remediation ?? "",
        /\[hooks\.state\."[^"]+\/\.codex\/config\.toml:session_start:0:0"\]/,
      );
    } finally {
      await removeTempDir(home);
    }
  });
});

Deno.test("[features] session_hook = false takes waypoint's group out and keeps the user's; a file that held only waypoint's is removed", async () => {
  await withTempRepo(async (dir) => {
    assertEquals((await init(dir)).code, 0);
    const config = await readRepoFile(dir, ".waypoint/config.toml");
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      config.replace("[features]\n", "[features]\nsession_hook = false\n"),
    );
    const off = await init(dir);
    assertEquals(off.code, 0, off.stderr);
    assert(!(await pathExists(join(dir, HOOKS))), off.stdout);

    await writeRepoFile(dir, HOOKS, JSON.stringify(USER_HOOKS, null, 2));
    assertEquals((await init(dir)).code, 0);
    assertEquals(await hooksOf(dir), USER_HOOKS);
  });
  await withTempRepo(async (dir) => {
    await writeRepoFile(dir, HOOKS, JSON.stringify(USER_HOOKS, null, 2));
    assertEquals((await init(dir)).code, 0);
    const config = await readRepoFile(dir, ".waypoint/config.toml");
    await writeRepoFile(
      dir,
      ".waypoint/config.toml",
      config.replace("[features]\n", "[features]\nsession_hook = false\n"),
    );
    const off = await init(dir, ["--verbose"]);
    assertEquals(off.code, 0, off.stderr);
    assertMatch(off.stdout, /removed waypoint's SessionStart hook/);
    assertEquals(await hooksOf(dir), USER_HOOKS);
  });
});

Deno.test("doctor reports a missing hooks.json and --fix restores it; in a user's file without waypoint's group, --fix appends it and keeps theirs", async () => {
  await withTempRepo(async (dir) => {
    await Deno.remove(join(dir, HOOKS));
    const home = await makeTempDir("waypoint-codex-home-");
    try {
      const env = { CODEX_HOME: home };
      const report = await runCli(["doctor", dir, "--json"], { env });
      const findings = JSON.parse(report.stdout).findings as {
        severity: string;
        message: string;
      }[];
      assert(
        findings.some((f) =>
          f.severity === "error" &&
          f.message === "Managed file .codex/hooks.json is missing."
        ),
        report.stdout,
      );
      const fixed = await runCli(["doctor", dir, "--fix"], { env });
      assertMatch(fixed.stdout, /Fixed: restored \.codex\/hooks\.json/);
      assertEquals(await readRepoFile(dir, HOOKS), freshHooksJson());

      await writeRepoFile(dir, HOOKS, JSON.stringify(USER_HOOKS, null, 2));
      const appended = await runCli(["doctor", dir, "--fix"], { env });
      assertMatch(appended.stdout, /Fixed: updated \.codex\/hooks\.json/);
      const data = await hooksOf(dir) as {
        hooks: { SessionStart: unknown[]; PreToolUse: unknown[] };
      };
      assertEquals(
        data.hooks.SessionStart[0],
        USER_HOOKS.hooks.SessionStart[0],
      );
      assertEquals(data.hooks.SessionStart[1], waypointGroup());
      assertEquals(data.hooks.PreToolUse, USER_HOOKS.hooks.PreToolUse);
    } finally {
      await removeTempDir(home);
    }
  }, { init: true });
});
