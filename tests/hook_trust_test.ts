/**
 * Hook trust said out loud: doctor's findings about waypoint's SessionStart
 * hook, `waypoint trust`, and the proof against the real Codex CLI that
 * waypoint's key and hash are Codex's own.
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  removeTempDir,
  runCli,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import { hooksJsonOf, listHooks } from "./support/codex_app_server.ts";
import { ensureCodex } from "./support/codex_cli.ts";
import { CODEX_VERSION, codexEnv } from "./support/codex_cli.ts";
import {
  mockProviderConfig,
  startMockResponses,
} from "./support/mock_responses.ts";
import { parse } from "smol-toml";
import {
  hookTrustHash,
  SESSION_START_LABEL,
  WAYPOINT_HOOK_MATCHER,
  waypointHandler,
} from "../src/codex_hooks.ts";

interface JsonFinding {
  severity: string;
  message: string;
  remediation: string;
  paths: string[];
}

async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = await makeTempDir("waypoint-codex-home-");
  try {
    return await fn(home);
  } finally {
    await removeTempDir(home);
  }
}

async function waypointHash(): Promise<string> {
  return await hookTrustHash(
    SESSION_START_LABEL,
    WAYPOINT_HOOK_MATCHER,
    waypointHandler(),
  );
}

async function projectLines(dir: string): Promise<string> {
  return `[projects.${
    JSON.stringify(await Deno.realPath(dir))
  }]\ntrust_level = "trusted"\n`;
}

function hookLines(key: string, hash: string): string {
  return `[hooks.state.${JSON.stringify(key)}]\ntrusted_hash = ${
    JSON.stringify(hash)
  }\n`;
}

async function hookFindings(dir: string, home: string) {
  const result = await runCli(["doctor", dir, "--json"], {
    env: { CODEX_HOME: home },
  });
  const findings = JSON.parse(result.stdout).findings as JsonFinding[];
  return findings.filter((f) => f.paths.includes(".codex/hooks.json"));
}

Deno.test("doctor: an untrusted hook is a note with the exact [hooks.state] lines; a trusted one is silent; a stale hash is a warning naming both hashes", async () => {
  await withTempRepo(async (dir) => {
    await withHome(async (home) => {
      const key = `${hooksJsonOf(await Deno.realPath(dir))}:session_start:0:0`;
      const hash = await waypointHash();
      await Deno.writeTextFile(
        join(home, "config.toml"),
        await projectLines(dir),
      );
      const untrusted = await hookFindings(dir, home);
      assertEquals(untrusted.length, 1);
      assertEquals(untrusted[0].severity, "info");
      assertMatch(
        untrusted[0].message,
        /does not trust waypoint's SessionStart hook/,
      );
      assert(
        untrusted[0].remediation.includes(hookLines(key, hash).trimEnd()),
        untrusted[0].remediation,
      );
      assertMatch(untrusted[0].remediation, /waypoint trust/);

      await Deno.writeTextFile(
        join(home, "config.toml"),
        (await projectLines(dir)) + hookLines(key, hash),
      );
      assertEquals(await hookFindings(dir, home), []);

      const old = "sha256:" + "0".repeat(64);
      await Deno.writeTextFile(
        join(home, "config.toml"),
        (await projectLines(dir)) + hookLines(key, old),
      );
      const stale = await hookFindings(dir, home);
      assertEquals(stale.length, 1);
      assertEquals(stale[0].severity, "warn");
      assert(stale[0].message.includes(old) && stale[0].message.includes(hash));
      assert(stale[0].remediation.includes(hookLines(key, hash).trimEnd()));
    });
  }, { init: true });
});

const USER_CONFIG = `# my Codex settings
model = "o3"            # keep this comment
approval_policy = 'on-request'

[projects."/somewhere/else"]
trust_level = "trusted"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-server"]
`;

async function trust(dir: string, home: string, args: string[] = []) {
  return await runCli(["trust", dir, ...args], { env: { CODEX_HOME: home } });
}

Deno.test("waypoint trust adds exactly the project and hook entries, keeps every other byte, and a second run changes nothing", async () => {
  await withTempRepo(async (dir) => {
    await withHome(async (home) => {
      const path = join(home, "config.toml");
      await Deno.writeTextFile(path, USER_CONFIG);
      await Deno.chmod(path, 0o640);

      const dry = await trust(dir, home, ["--dry-run"]);
      assertEquals(dry.code, 0, dry.stderr);
      assertMatch(dry.stdout, /Would set in/);
      assertEquals(await Deno.readTextFile(path), USER_CONFIG);

      const result = await trust(dir, home);
      assertEquals(result.code, 0, result.stderr);
      const after = await Deno.readTextFile(path);
      assert(
        after.startsWith(USER_CONFIG),
        "the user's text is a prefix, byte for byte",
      );
      const real = await Deno.realPath(dir);
      const key = `${hooksJsonOf(real)}:session_start:0:0`;
      const expected = structuredClone(parse(USER_CONFIG)) as Record<
        string,
        Record<string, unknown>
      >;
      expected.projects[real] = { trust_level: "trusted" };
      expected.hooks = {
        state: { [key]: { trusted_hash: await waypointHash() } },
      };
      assertEquals(
        JSON.parse(JSON.stringify(parse(after))),
        JSON.parse(JSON.stringify(expected)),
      );
      assertEquals((await Deno.stat(path)).mode! & 0o777, 0o640);
      assertEquals(await hookFindings(dir, home), []);

      const again = await trust(dir, home);
      assertEquals(again.code, 0, again.stderr);
      assertMatch(again.stdout, /nothing changed/);
      assertEquals(await Deno.readTextFile(path), after);
    });
  }, { init: true });
});

Deno.test("waypoint trust replaces a stale trusted_hash in place and touches no other line", async () => {
  await withTempRepo(async (dir) => {
    await withHome(async (home) => {
      const path = join(home, "config.toml");
      const real = await Deno.realPath(dir);
      const key = `${hooksJsonOf(real)}:session_start:0:0`;
      const old = "sha256:" + "1".repeat(64);
      const before = (await projectLines(dir)) +
        `\n[hooks.state.${
          JSON.stringify(key)
        }]\nenabled = true\ntrusted_hash = "${old}"\n\n[tui]\nanimations = false\n`;
      await Deno.writeTextFile(path, before);
      const result = await trust(dir, home);
      assertEquals(result.code, 0, result.stderr);
      const after = await Deno.readTextFile(path);
      assertEquals(
        after,
        before.replace(old, await waypointHash()),
      );
    });
  }, { init: true });
});

Deno.test("waypoint trust refuses a config it cannot parse or cannot edit safely, and a project the user marked untrusted: one line, non-zero, file untouched", async () => {
  await withTempRepo(async (dir) => {
    const real = await Deno.realPath(dir);
    for (
      const [text, pattern] of [
        ['model = "o3"\n[projects\n', /config\.toml.*nothing was written/],
        [
          `hooks = { state = {} }\n${await projectLines(dir)}`,
          /cannot edit safely/,
        ],
        [
          `[projects.${JSON.stringify(real)}]\ntrust_level = "untrusted"\n`,
          /marks .* as trust_level = "untrusted", and waypoint leaves that as you set it; nothing was written/,
        ],
      ] as const
    ) {
      await withHome(async (home) => {
        const path = join(home, "config.toml");
        await Deno.writeTextFile(path, text);
        const result = await trust(dir, home);
        assert(result.code !== 0, `exit ${result.code} for ${text}`);
        assertMatch(result.stdout + result.stderr, pattern);
        assert(!/\n\s+at /.test(result.stderr), "no stack trace");
        assertEquals(await Deno.readTextFile(path), text);
        assertEquals(
          [...Deno.readDirSync(home)].map((entry) => entry.name),
          ["config.toml"],
          "no temp file left",
        );
      });
    }
  }, { init: true });
});

Deno.test("waypoint trust writes through a symlinked config (the link stays a link) and creates a missing one", async () => {
  await withTempRepo(async (dir) => {
    await withHome(async (home) => {
      const dotfiles = join(home, "dotfiles");
      await Deno.mkdir(dotfiles);
      await Deno.writeTextFile(join(dotfiles, "codex.toml"), USER_CONFIG);
      await Deno.symlink(
        join(dotfiles, "codex.toml"),
        join(home, "config.toml"),
      );
      const result = await trust(dir, home);
      assertEquals(result.code, 0, result.stderr);
      assertMatch(result.stdout, /a link: wrote through to .*codex\.toml/);
      assert((await Deno.lstat(join(home, "config.toml"))).isSymlink);
      const after = await Deno.readTextFile(join(dotfiles, "codex.toml"));
      assert(after.startsWith(USER_CONFIG) && after.includes("trusted_hash"));
    });
    await withHome(async (home) => {
      const nested = join(home, "fresh-home");
      const result = await runCli(["trust", dir], {
        env: { CODEX_HOME: nested },
      });
      assertEquals(result.code, 0, result.stderr);
      const created = await Deno.readTextFile(join(nested, "config.toml"));
      assertMatch(
        created,
        /^\[projects\."[^"]+"\]\ntrust_level = "trusted"\n\n\[hooks\.state\./,
      );
    });
  }, { init: true });
});

/** Real-CLI proof at one Codex version. */
async function proveAgainstCodex(version?: string): Promise<void> {
  const launcher = await ensureCodex(version);
  await withTempRepo(async (dir) => {
    // A user's own SessionStart group comes first, so waypoint's is group 1.
    await writeRepoFile(
      dir,
      ".codex/hooks.json",
      JSON.stringify(
        {
          hooks: {
            SessionStart: [{
              matcher: "startup",
              hooks: [{ type: "command", command: "echo mine" }],
            }],
          },
        },
        null,
        2,
      ),
    );
    const init = await runCli(["init", dir]);
    assertEquals(init.code, 0, init.stderr);
    await withHome(async (home) => {
      const real = await Deno.realPath(dir);
      await Deno.writeTextFile(
        join(home, "config.toml"),
        await projectLines(dir),
      );
      const before = await listHooks(launcher, home, real);
      assertEquals(before.warnings, []);
      const ours = before.hooks.find((hook) =>
        hook.command?.includes("waypoint context --hook")
      );
      assert(ours, JSON.stringify(before));
      const mine = before.hooks.find((hook) => hook.command === "echo mine");
      assertEquals(mine?.key, `${hooksJsonOf(real)}:session_start:0:0`);

      const finding = (await hookFindings(dir, home))[0];
      const [header, hashLine] = finding.remediation.split("\n").slice(-2);
      assertEquals(header, `[hooks.state.${JSON.stringify(ours.key)}]`);
      assertEquals(
        hashLine,
        `trusted_hash = ${JSON.stringify(ours.currentHash)}`,
      );
      assertEquals(ours.key, `${hooksJsonOf(real)}:session_start:1:0`);
      assertEquals(ours.currentHash, await waypointHash());
      assertEquals(ours.trustStatus, "untrusted");

      const trusted = await trust(dir, home);
      assertEquals(trusted.code, 0, trusted.stderr);
      const after = await listHooks(launcher, home, real);
      const oursAfter = after.hooks.find((hook) => hook.key === ours.key);
      assertEquals(oursAfter?.trustStatus, "trusted");
      // The user's hook is untouched: still theirs to review.
      assertEquals(
        after.hooks.find((hook) => hook.command === "echo mine")?.trustStatus,
        "untrusted",
      );

      // A hash for another command: Codex says "modified", doctor says stale.
      const config = await Deno.readTextFile(join(home, "config.toml"));
      await Deno.writeTextFile(
        join(home, "config.toml"),
        config.replace(ours.currentHash, "sha256:" + "2".repeat(64)),
      );
      const modified = await listHooks(launcher, home, real);
      assertEquals(
        modified.hooks.find((hook) => hook.key === ours.key)?.trustStatus,
        "modified",
      );
      assertEquals((await hookFindings(dir, home))[0].severity, "warn");
    });
  });
}

Deno.test(`the real Codex ${CODEX_VERSION} computes waypoint's hook key and hash exactly as waypoint does, and trusts the hook after 'waypoint trust'`, async () => {
  await proveAgainstCodex();
});

Deno.test("the same holds for Codex 0.171.0", async () => {
  await proveAgainstCodex("0.171.0");
});

Deno.test("after init and 'waypoint trust', a real codex exec session started in a subfolder runs the hook (waypoint found on PATH) and its context reaches the transcript", async () => {
  const launcher = await ensureCodex();
  const mock = startMockResponses({ lifetimeMs: 60_000 });
  try {
    await withTempRepo(async (dir) => {
      await withHome(async (home) => {
        const bin = join(home, "bin");
        await Deno.mkdir(bin);
        await Deno.writeTextFile(
          join(bin, "waypoint"),
          `#!/bin/sh\ncat > ${home}/hook-stdin.json\necho '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"WAYPOINT-HOOK-MARKER"}}'\n`,
        );
        await Deno.chmod(join(bin, "waypoint"), 0o755);
        await Deno.writeTextFile(
          join(home, "config.toml"),
          [
            mockProviderConfig(mock.baseUrl),
          ].join("\n"),
        );
        const trusted = await trust(dir, home);
        assertEquals(trusted.code, 0, trusted.stderr);
        // Codex finds the project root above a subfolder by its .git.
        await new Deno.Command("git", { args: ["init", "-q", dir] }).output();
        const sub = join(dir, "src");
        await Deno.mkdir(sub, { recursive: true });
        const run = await new Deno.Command(launcher, {
          args: ["exec", "--skip-git-repo-check", "hello"],
          cwd: sub,
          env: codexEnv(home, {
            WAYPOINT_MOCK_KEY: "mock-key",
            PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
          }),
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
          signal: AbortSignal.timeout(60_000),
        }).output();
        assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
        const event = JSON.parse(
          await Deno.readTextFile(join(home, "hook-stdin.json")),
        );
        assertEquals(event.hook_event_name, "SessionStart");
        assertEquals(event.source, "startup");
        assertEquals(event.cwd, await Deno.realPath(sub));
        const grep = await new Deno.Command("grep", {
          args: ["-rl", "WAYPOINT-HOOK-MARKER", join(home, "sessions")],
          stdout: "piped",
        }).output();
        assert(grep.success, "the hook's context is in the transcript");
      });
    }, { init: true });
  } finally {
    await mock.close();
  }
});

Deno.test("a repo reached through a symbolic link: Codex keys the hook by the linked path, and 'waypoint trust <link>' trusts it under both names", async () => {
  const launcher = await ensureCodex();
  await withTempRepo(async (dir) => {
    await withHome(async (home) => {
      const link = join(home, "linked-repo");
      await Deno.symlink(dir, link);
      const result = await trust(link, home);
      assertEquals(result.code, 0, result.stderr);
      const listed = await listHooks(launcher, home, link);
      const ours = listed.hooks.find((hook) =>
        hook.command?.includes("waypoint context --hook")
      );
      assertEquals(ours?.key, `${hooksJsonOf(link)}:session_start:0:0`);
      assertEquals(ours?.trustStatus, "trusted");
      const direct = await listHooks(launcher, home, await Deno.realPath(dir));
      assertEquals(direct.hooks[0]?.trustStatus, "trusted");
    });
  }, { init: true });
});
