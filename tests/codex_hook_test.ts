/**
 * The session-start hook on the real Codex CLI (every pinned version), with
 * whole sessions against the local Responses mock: what the model receives
 * is read from the requests the mock captured, never from our own idea of
 * it. When Codex cannot be installed these tests fail; they never skip.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import { CODEX_VERSIONS } from "./support/codex_cli.ts";
import { listHooks } from "./support/codex_app_server.ts";
import {
  codexExec,
  HOOK_HEADING,
  type HookBox,
  hookTexts,
  openHookBox,
  waypointIn,
} from "./support/codex_hook_box.ts";
import type { Json } from "./support/mock_responses.ts";

/** A token pasted into the first session; built in two parts so no scanner flags this file. */
const PASTED = "ghp_" + "Zq8Wm3Lp5Rt7Yv9Bx2Nc4Hd6Jf1Kg0Ls3Qa";

/** Compaction as the local path asks for it. */
function isCompactionRequest(request: Json): boolean {
  return JSON.stringify(request).includes("CONTEXT CHECKPOINT COMPACTION");
}

async function initAndTrust(box: HookBox): Promise<void> {
  const init = await waypointIn(box, ["init"]);
  assertEquals(init.code, 0, init.stderr);
  const trust = await waypointIn(box, ["trust"]);
  assertEquals(trust.code, 0, trust.stderr);
}

/** Trusts every hook Codex lists for the repo, with the hashes Codex itself reports. */
async function trustEveryHook(box: HookBox): Promise<void> {
  const listed = await listHooks(box.launcher, box.home, box.repo);
  const lines = listed.hooks.map((hook) =>
    `\n[hooks.state.${
      JSON.stringify(hook.key)
    }]\ntrusted_hash = "${hook.currentHash}"\n`
  );
  const path = join(box.home, "config.toml");
  await Deno.writeTextFile(
    path,
    (await Deno.readTextFile(path)) + lines.join(""),
  );
}

for (const version of CODEX_VERSIONS) {
  Deno.test(`Codex ${version}: the trusted hook's context reaches a new session, survives compaction, restores the previous thread, and never carries a pasted secret`, async () => {
    const box = await openHookBox(version);
    try {
      await initAndTrust(box);

      const first = await codexExec(
        box,
        `Remember the codeword PELICAN-7; the deploy token is ${PASTED}.`,
      );
      const opening = hookTexts(first.requests[0]);
      assertEquals(opening.length, 1, "one hook text in the first request");
      assert(opening[0].startsWith(HOOK_HEADING));
      assertMatch(opening[0], /Start the parser service/);

      const second = await codexExec(box, "Second: sketch the lexer.", {
        resume: first.id,
      });
      assertEquals(
        hookTexts(second.requests[0]).length,
        1,
        "a resume adds no second copy",
      );

      const third = await codexExec(
        box,
        "Third: after the compaction, test it.",
        {
          resume: first.id,
          args: ["-c", "model_auto_compact_token_limit=2000"],
        },
      );
      const compactAt = third.requests.findIndex(isCompactionRequest);
      assert(compactAt !== -1, "Codex compacted before the third turn");
      const afterCompaction = third.requests[compactAt + 1];
      assert(afterCompaction, "a request followed the compaction");
      const restored = hookTexts(afterCompaction);
      assert(restored.length >= 1, "the hook fired again after the compaction");
      const compactText = restored.at(-1)!;
      assertMatch(compactText, /PELICAN-7/, "the dropped turns are restored");
      assertEquals(compactText.includes(PASTED), false, "redacted");

      const next = await codexExec(box, "What were we doing?");
      const context = hookTexts(next.requests[0]);
      assertEquals(context.length, 1);
      assertMatch(context[0], /PELICAN-7/, "the previous thread is restored");
      for (const request of next.requests) {
        assertEquals(
          JSON.stringify(request).includes(PASTED),
          false,
          "the pasted token never reaches a later session",
        );
      }
    } finally {
      await box.close();
    }
  });

  Deno.test(`Codex ${version}: an untrusted hook is skipped silently, and doctor says so with the lines that trust it`, async () => {
    const box = await openHookBox(version);
    try {
      const init = await waypointIn(box, ["init"]);
      assertEquals(init.code, 0, init.stderr);
      const run = await codexExec(box, "Hello.");
      assertEquals(run.requests.flatMap(hookTexts), []);
      const doctor = await waypointIn(box, ["doctor", "--json"]);
      const findings = JSON.parse(doctor.stdout).findings as {
        message: string;
        remediation: string;
      }[];
      const finding = findings.find((item) =>
        item.message.includes("does not trust waypoint's SessionStart hook")
      );
      assert(finding, doctor.stdout);
      assertMatch(finding.remediation, /waypoint trust/);
      // The advice, followed, works.
      const trust = await waypointIn(box, ["trust"]);
      assertEquals(trust.code, 0, trust.stderr);
      const after = await codexExec(box, "Hello again.");
      assertEquals(hookTexts(after.requests[0]).length, 1);
    } finally {
      await box.close();
    }
  });

  Deno.test(`Codex ${version}: a user's own SessionStart hook keeps running, and keeps its trust, after init adds waypoint's`, async () => {
    const box = await openHookBox(version);
    try {
      const marker = join(box.base, "user-hook-ran");
      const mine = {
        hooks: {
          SessionStart: [{
            matcher: "startup",
            hooks: [{ type: "command", command: `touch '${marker}'` }],
          }],
        },
      };
      await Deno.mkdir(join(box.repo, ".codex"));
      const text = JSON.stringify(mine, null, 2) + "\n";
      await Deno.writeTextFile(join(box.repo, ".codex", "hooks.json"), text);
      await trustEveryHook(box);
      const before = await codexExec(box, "Before waypoint.");
      assertEquals((await Deno.stat(marker)).isFile, true);
      assertEquals(before.requests.flatMap(hookTexts), []);
      await Deno.remove(marker);

      const init = await waypointIn(box, ["init"]);
      assertEquals(init.code, 0, init.stderr);
      const merged = JSON.parse(
        await Deno.readTextFile(join(box.repo, ".codex", "hooks.json")),
      );
      assertEquals(merged.hooks.SessionStart[0], mine.hooks.SessionStart[0]);
      const trust = await waypointIn(box, ["trust"]);
      assertEquals(trust.code, 0, trust.stderr);
      const listed = await listHooks(box.launcher, box.home, box.repo);
      assertEquals(
        listed.hooks.map((hook) => hook.trustStatus),
        ["trusted", "trusted"],
        "the user's hook kept its position, so its trust still holds",
      );

      const after = await codexExec(box, "After waypoint.");
      assertEquals((await Deno.stat(marker)).isFile, true, "their hook ran");
      assertEquals(hookTexts(after.requests[0]).length, 1, "and waypoint's");
    } finally {
      await box.close();
    }
  });
}
