/**
 * `waypoint context --hook` under the real, pinned Codex CLI: a trusted
 * project hook (`.codex/hooks.json`) runs it at session start, and Codex
 * must accept its JSON and put the text into the model's input as a
 * `hooks.additional_context` developer message. A second session's hook
 * must restore how the first one ended, and a compaction must fire it again
 * with what the compaction dropped.
 *
 * @module
 */
import assert from "node:assert/strict";
import { needsDenoRun, requires } from "./support/requires.ts";
import { join } from "node:path";
import { codexEnv, denoDir, ensureCodex } from "./support/codex_cli.ts";
import {
  mockProviderConfig,
  startMockResponses,
} from "./support/mock_responses.ts";
import { MAIN_TS, makeTempDir, removeTempDir } from "./support/cli.ts";
import { initRepo } from "./support/git.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

/** The hook texts Codex recorded in the transcript of `session`, in order. */
async function hookTexts(home: string, session: string): Promise<string[]> {
  const texts: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(`${session}.jsonl`)) {
        for (const line of (await Deno.readTextFile(path)).split("\n")) {
          if (!line.includes("hooks.additional_context")) continue;
          const record = JSON.parse(line);
          assert.equal(record.payload.role, "developer");
          texts.push(record.payload.content[0].text);
        }
      }
    }
  };
  await walk(join(home, "sessions"));
  return texts;
}

Deno.test({
  ...requires(
    "real Codex runs the hook and gives its text to the model; the next session gets the previous thread",
    needsDenoRun(),
  ),
  async fn() {
    const root = await makeTempDir("waypoint-hook-codex-");
    const mock = startMockResponses();
    try {
      const repo = join(root, "repo");
      const home = join(root, "home");
      await Deno.mkdir(join(repo, ".waypoint"), { recursive: true });
      await Deno.mkdir(join(repo, ".codex"), { recursive: true });
      await Deno.mkdir(home);
      await initRepo(repo);
      await Deno.writeTextFile(
        join(repo, ".waypoint", "config.toml"),
        EMBEDDED_TEMPLATES[".waypoint/config.toml"].content,
      );
      const command =
        `'${Deno.execPath()}' run -A --quiet '${MAIN_TS}' context --hook`;
      await Deno.writeTextFile(
        join(repo, ".codex", "hooks.json"),
        JSON.stringify({
          hooks: {
            SessionStart: [{
              matcher: "startup|clear|compact",
              hooks: [{ type: "command", command, timeout: 60 }],
            }],
          },
        }),
      );
      await Deno.writeTextFile(
        join(home, "config.toml"),
        [
          mockProviderConfig(mock.baseUrl),
          `[projects."${repo}"]`,
          `trust_level = "trusted"`,
          ``,
        ].join("\n"),
      );
      const launcher = await ensureCodex();
      const env = codexEnv(home, {
        WAYPOINT_MOCK_KEY: "mock-key",
        WAYPOINT_NO_UPDATE_CHECK: "1",
        DENO_DIR: await denoDir(),
      });
      const run = async (prompt: string, ...extra: string[]) => {
        const output = await new Deno.Command(launcher, {
          args: [
            "exec",
            "--skip-git-repo-check",
            "--dangerously-bypass-hook-trust",
            ...extra,
            prompt,
          ],
          cwd: repo,
          env,
          clearEnv: true,
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
          signal: AbortSignal.timeout(120_000),
        }).output();
        const stderr = new TextDecoder().decode(output.stderr);
        assert.equal(output.code, 0, stderr);
        assert.doesNotMatch(stderr, /hook: SessionStart Failed/, stderr);
        return stderr.match(/session id: ([0-9a-f-]{36})/)![1];
      };
      const first = await run("Please rename the parser module");
      const [text] = await hookTexts(home, first);
      assert.ok(text?.startsWith("# Waypoint session context\n"), text);
      assert.match(text, /\(startup\)/);
      assert.match(text, /No earlier Codex thread of this repository/);

      const second = await run("Carry on");
      const [next] = await hookTexts(home, second);
      assert.match(next, new RegExp(`previous thread \`${first}\``));
      assert.match(next, /### User[^\n]*\nPlease rename the parser module/);

      // A compaction (automatic, inside the resumed turn) fires the hook
      // again with source "compact": it restores what the compaction dropped.
      await run(
        "Now profile the cache",
        "-c",
        "model_auto_compact_token_limit=2000",
        "resume",
        first,
      );
      const texts = await hookTexts(home, first);
      assert.equal(texts.length, 2, texts.join("\n---\n"));
      assert.match(texts[1], /\(compact\)/);
      assert.match(texts[1], /### User[^\n]*\nPlease rename the parser module/);
    } finally {
      await mock.close();
      await removeTempDir(root);
    }
  },
});
