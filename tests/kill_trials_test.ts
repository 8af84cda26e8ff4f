/**
 * `kill -9` at random moments during `init` and `sync`: every file is either
 * absent, the old version or the new one, never torn; the next complete run
 * leaves no temp file behind.
 */
import { seededRandom } from "./support/random.ts";
import { join } from "node:path";
import { assert, assertEquals } from "./support/assert.ts";
import { MAIN_TS, makeTempDir, removeTempDir, runCli } from "./support/cli.ts";
import { tempFilesBelow } from "./support/sandbox.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";
import { posixOnly, requires } from "./support/requires.ts";

const INIT_TRIALS = 60;
const SYNC_TRIALS = 40;

/** Starts the CLI and SIGKILLs it after `delayMs`; resolves when it is gone. */
async function killAfter(args: string[], delayMs: number): Promise<void> {
  await killWhen(args, undefined, delayMs);
}

/**
 * Starts the CLI and SIGKILLs it `delayMs` after `marker` appears (the first
 * write has begun; without a marker, after the start), or after 30 s at the
 * latest.
 */
async function killWhen(
  args: string[],
  marker: string | undefined,
  delayMs: number,
): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN_TS, ...args],
    env: { WAYPOINT_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const deadline = Date.now() + 30_000;
  while (marker && !exited && Date.now() < deadline) {
    try {
      Deno.lstatSync(marker);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const kill = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // It finished first.
    }
  }, delayMs);
  await status;
  clearTimeout(kill);
}

/** Whether some but not all scaffold files exist (the kill landed mid-write). */
async function partlyWritten(repo: string): Promise<boolean> {
  let present = 0;
  const paths = Object.keys(EMBEDDED_TEMPLATES).filter((path) =>
    path.startsWith(".agents/")
  );
  for (const path of paths) {
    if (await Deno.stat(join(repo, path)).then(() => true, () => false)) {
      present++;
    }
  }
  const manifest = await Deno.stat(join(repo, ".waypoint", "manifest.json"))
    .then(() => true, () => false);
  return present > 0 && (present < paths.length || !manifest);
}

/** Median wall time of a complete run of `args` on fresh repos, in ms. */
async function timeFullRun(args: string[], runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await makeTempDir("waypoint-kill-time-");
    const started = performance.now();
    await killAfter([...args, dir], 60_000);
    times.push(performance.now() - started);
    await removeTempDir(dir);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** Every scaffold file is absent or complete (the templates are the only versions there are). */
async function assertNoTornScaffold(repo: string, trial: string) {
  for (const [path, template] of Object.entries(EMBEDDED_TEMPLATES)) {
    if (
      !path.startsWith(".waypoint/") && !path.startsWith(".agents/") &&
      !path.startsWith(".codex/")
    ) continue;
    if (path === ".waypoint/config.toml") continue;
    let text: string;
    try {
      text = await Deno.readTextFile(join(repo, path));
    } catch {
      continue;
    }
    assertEquals(text, template.content, `${trial}: ${path} is torn`);
  }
  for (const path of [".waypoint/manifest.json"]) {
    const text = await Deno.readTextFile(join(repo, path)).catch(() => "");
    if (text) JSON.parse(text);
  }
  const agents = await Deno.readTextFile(join(repo, "AGENTS.md")).catch(() =>
    undefined
  );
  if (agents !== undefined) {
    assert(
      agents.trimEnd().endsWith("<!-- waypoint:end -->"),
      `${trial}: AGENTS.md is torn`,
    );
  }
}

Deno.test({
  ...requires(
    `kill -9 during init (${INIT_TRIALS} trials): no torn file, no temp file after the next run`,
    posixOnly(),
  ),
  fn: async () => {
    const next = seededRandom(0x5eed);
    const repo = await makeTempDir("waypoint-kill-");
    let leftTemps = 0;
    let midRun = 0;
    try {
      const full = await timeFullRun(["init"], 3);
      for (let trial = 0; trial < INIT_TRIALS; trial++) {
        // Mostly fresh repos, killed once writing has begun; every fourth trial
        // runs over what the previous kill left, at a random moment.
        if (trial % 4 !== 3) {
          await Deno.remove(repo, { recursive: true });
          await Deno.mkdir(repo);
        }
        const delay = Math.floor(25 * next());
        if (trial % 4 === 3) {
          await killAfter(["init", repo], Math.floor(full * next()));
        } else {
          await killWhen(["init", repo], join(repo, ".waypoint"), delay);
        }
        await assertNoTornScaffold(repo, `trial ${trial} (${delay} ms)`);
        if ((await tempFilesBelow(repo)).length) leftTemps++;
        if (await partlyWritten(repo)) midRun++;
        if (trial % 10 === 9) {
          const result = await runCli(["init", repo]);
          assertEquals(result.code, 0, result.stderr);
          assertEquals(await tempFilesBelow(repo), [], `after trial ${trial}`);
        }
      }
      console.log(
        `${midRun} of ${INIT_TRIALS} kills landed while the scaffold was being written; ${leftTemps} left a temp file`,
      );
    } finally {
      await removeTempDir(repo);
    }
  },
});

Deno.test({
  ...requires(
    `kill -9 during sync (${SYNC_TRIALS} trials): each index is old or new, never torn`,
    posixOnly(),
  ),
  fn: async () => {
    const next = seededRandom(0xd0c5);
    const repo = await makeTempDir("waypoint-kill-sync-");
    try {
      const init = await runCli(["init", repo]);
      assertEquals(init.code, 0, init.stderr);
      for (let i = 0; i < 400; i++) {
        await Deno.writeTextFile(
          join(repo, ".waypoint", "docs", `doc-${i}.md`),
          `---\nsummary: Doc ${i}\nlast_updated: "2026-11-25"\nread_when: [topic ${i}]\n---\nBody.\n`,
        );
      }
      const index = join(repo, ".waypoint", "DOCS_INDEX.md");
      const toggled = join(repo, ".waypoint", "docs", "doc-0.md");
      for (let trial = 0; trial < SYNC_TRIALS; trial++) {
        const synced = await runCli(["sync", repo]);
        assertEquals(synced.code, 0, synced.stderr);
        const old = await Deno.readTextFile(index);
        await Deno.writeTextFile(
          toggled,
          `---\nsummary: Doc 0, version ${trial}\nlast_updated: "2026-11-25"\nread_when: [topic 0]\n---\n`,
        );
        const delay = 100 + Math.floor(next() * 700);
        await killAfter(["sync", repo], delay);
        const now = await Deno.readTextFile(index);
        assert(
          now === old ||
            now.includes(`Doc 0, version ${trial}`) &&
              now.trimEnd().endsWith("Read when: topic 99"),
          `trial ${trial} (${delay} ms): the index is torn`,
        );
      }
      const final = await runCli(["sync", repo]);
      assertEquals(final.code, 0, final.stderr);
      assertEquals(await tempFilesBelow(repo), []);
    } finally {
      await removeTempDir(repo);
    }
  },
});

Deno.test("temp files a killed run left are reported by doctor and removed by the next run", async () => {
  const repo = await makeTempDir("waypoint-stale-temp-");
  try {
    assertEquals((await runCli(["init", repo])).code, 0);
    const planted = [
      ".waypoint/.SOUL.md.waypoint-tmp-0a1b2c3d",
      ".agents/skills/planning/.SKILL.md.waypoint-tmp-0a1b2c3d4e5f",
      "./.AGENTS.md.waypoint-tmp-deadbeef",
    ];
    for (const path of planted) {
      await Deno.writeTextFile(join(repo, path), "half a fi");
    }
    // Not ours: a name that only looks similar is left alone.
    await Deno.writeTextFile(
      join(repo, ".waypoint", "notes.waypoint-tmp"),
      "x",
    );
    const doctor = await runCli(["doctor", repo]);
    assertEquals(doctor.code, 1, doctor.stdout);
    for (const path of planted) {
      assert(
        doctor.stdout.includes(
          `${
            path.replace("./", "")
          } is a temp file left by an interrupted waypoint run`,
        ),
        doctor.stdout,
      );
    }
    const init = await runCli(["init", repo]);
    assertEquals(init.code, 0, init.stderr);
    assertEquals(await tempFilesBelow(repo), []);
    assert(
      await Deno.stat(join(repo, ".waypoint", "notes.waypoint-tmp")).then(
        () => true,
        () => false,
      ),
    );
    await Deno.mkdir(join(repo, ".waypoint", "context"), { recursive: true });
    await Deno.writeTextFile(
      join(repo, ".waypoint", "context", ".MANIFEST.md.waypoint-tmp-00aa11bb"),
      "x",
    );
    await Deno.writeTextFile(
      join(repo, ".waypoint", ".DOCS_INDEX.md.waypoint-tmp-00aa11bb"),
      "x",
    );
    assertEquals((await runCli(["sync", repo])).code, 0);
    assertEquals((await runCli(["context", repo])).code, 0);
    assertEquals(await tempFilesBelow(repo), []);
  } finally {
    await removeTempDir(repo);
  }
});
