/**
 * The swap race of issue 22: while a command runs, a background process
 * swaps a managed folder between the real folder and a symlink to a folder
 * outside the repo (tests/support/race_swapper.ts). Whatever the timing, no
 * write, create, rename or delete may land in that outside folder.
 *
 * `WAYPOINT_RACE_TRIALS` sets the trials per command (default 12, sized for
 * CI); the hand run of the issue uses 500.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { join } from "node:path";
import { MAIN_TS, PROJECT_ROOT, runCli } from "./support/cli.ts";
import { posixOnly, requires } from "./support/requires.ts";
import {
  fingerprint,
  makeSandbox,
  removeSandbox,
  type Sandbox,
} from "./support/sandbox.ts";

const TRIALS = Number(Deno.env.get("WAYPOINT_RACE_TRIALS") ?? "12");
const SWAPPER = join(PROJECT_ROOT, "tests", "support", "race_swapper.ts");

/** Files a user might keep in the folder a link points to. */
const CANARIES: Record<string, string> = {
  "README.md": "# My own notes\n",
  "SKILL.md": "mine\n",
  "code-guide.md": "mine\n",
  "hooks.json": "{}\n",
  "DOCS_INDEX.md": "mine\n",
  "MANIFEST.md": "mine\n",
};

interface RaceCase {
  command: string[];
  /** The folder swapped in trial `i`. */
  target: (i: number) => string;
  /** Makes the command write in the target again before trial `i`. */
  prepare: (repo: string, target: string, i: number) => Promise<void>;
  /**
   * Fill the outside folder with a copy of the target first, so reads
   * through the link succeed and the command goes on to write.
   */
  mirror?: boolean;
  /** The longest time (µs) the swapper leaves the real folder in place between swaps. */
  hold?: number;
  /** The same for the link. */
  linkHold?: number;
}

async function removeFilesIn(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile) await Deno.remove(join(dir, entry.name));
  }
}

const INIT_TARGETS = [".waypoint/docs", ".agents/skills/planning", ".codex"];

const CASES: RaceCase[] = [
  {
    command: ["init"],
    target: (i) => INIT_TARGETS[i % INIT_TARGETS.length],
    prepare: (repo, target) => removeFilesIn(join(repo, target)),
  },
  {
    command: ["doctor", "--fix"],
    target: () => ".waypoint/docs",
    prepare: (repo, target) =>
      Deno.remove(join(repo, target, "README.md")).catch(() => {}),
  },
  {
    command: ["sync"],
    target: () => ".waypoint",
    mirror: true,
    hold: 2000,
    linkHold: 300,
    prepare: async (repo, _target, i) => {
      await Deno.mkdir(join(repo, ".waypoint", "docs"), { recursive: true });
      await Deno.writeTextFile(
        join(repo, ".waypoint", "docs", `note-${i}.md`),
        `---\nsummary: Note ${i}.\nlast_updated: "2026-01-01"\nread_when:\n  - testing\n---\n# Note ${i}\n`,
      );
    },
  },
  {
    command: ["context"],
    target: () => ".waypoint/context",
    prepare: (repo, target) =>
      Deno.mkdir(join(repo, target), { recursive: true }).then(() =>
        removeFilesIn(join(repo, target))
      ),
  },
];

function env(box: Sandbox): Record<string, string> {
  return {
    HOME: box.home,
    CODEX_HOME: join(box.home, ".codex"),
    WAYPOINT_CACHE_DIR: join(box.root, "cache"),
    GIT_CONFIG_NOSYSTEM: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
  };
}

async function resetOutside(outside: string, mirror?: string): Promise<void> {
  await Deno.remove(outside, { recursive: true }).catch(() => {});
  await Deno.mkdir(outside);
  if (mirror) {
    const copy = await new Deno.Command("cp", {
      args: ["-a", `${mirror}/.`, outside],
    }).output();
    if (!copy.success) throw new Error(`cannot copy ${mirror}`);
  }
  for (const [name, text] of Object.entries(CANARIES)) {
    await Deno.writeTextFile(join(outside, name), text);
  }
}

/** Puts the swapped folder back as a real folder after the swapper is killed. */
async function repair(dir: string, spare: string): Promise<void> {
  const stash = join(spare, "stash");
  const info = await Deno.lstat(dir).catch(() => undefined);
  if (info?.isSymlink) await Deno.remove(dir);
  if (await Deno.lstat(stash).catch(() => undefined)) {
    if (info?.isSymlink || info === undefined) await Deno.rename(stash, dir);
    else await Deno.remove(stash, { recursive: true });
  }
  await Deno.remove(join(spare, "link")).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
}

async function startSwapper(
  dir: string,
  outside: string,
  spare: string,
  hold = 0,
  linkHold = 0,
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      SWAPPER,
      dir,
      outside,
      spare,
      `${hold}`,
      `${linkHold}`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  if (!new TextDecoder().decode(value).startsWith("ready")) {
    throw new Error("the swapper did not start");
  }
  return child;
}

async function git(repo: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args: ["-C", repo, ...args],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!out.success) throw new Error(`git ${args.join(" ")} failed`);
}

for (const raceCase of CASES) {
  const name = raceCase.command.join(" ");
  Deno.test({
    ...requires(
      `swap race: ${name} writes nothing outside the repo`,
      posixOnly(),
    ),
    fn: async () => {
      const box = await makeSandbox();
      const outside = join(box.root, "victim");
      const spare = join(box.root, "spare");
      try {
        await git(box.repo, "init", "-q");
        const init = await runCli(["init", box.repo], { env: env(box) });
        assertEquals(init.code, 0, init.stderr);
        await git(box.repo, "add", "-A");
        await git(
          box.repo,
          "-c",
          "user.name=t",
          "-c",
          "user.email=t@t",
          "commit",
          "-qm",
          "init",
        );
        const mirror = raceCase.mirror
          ? join(box.repo, raceCase.target(0))
          : undefined;
        await resetOutside(outside, mirror);
        let clean = await fingerprint(outside);
        const hits: string[] = [];
        for (let i = 0; i < TRIALS; i++) {
          const target = raceCase.target(i);
          const dir = join(box.repo, target);
          await raceCase.prepare(box.repo, target, i);
          const swapper = await startSwapper(
            dir,
            outside,
            spare,
            raceCase.hold,
            raceCase.linkHold,
          );
          try {
            await runCli([...raceCase.command, box.repo], {
              env: env(box),
              timeoutMs: 30_000,
            });
          } finally {
            swapper.kill("SIGKILL");
            await swapper.status;
          }
          await repair(dir, spare);
          const now = await fingerprint(outside);
          const changed = Object.keys({ ...clean, ...now }).filter((key) =>
            clean[key] !== now[key]
          );
          if (changed.length) {
            hits.push(`trial ${i} (${target}): ${changed.join(", ")}`);
            await resetOutside(outside, mirror);
            clean = await fingerprint(outside);
          }
        }
        console.log(
          `swap race: ${name}: ${hits.length}/${TRIALS} trials changed the outside folder`,
        );
        assertEquals(hits, [], `writes landed outside the repo (${MAIN_TS})`);
      } finally {
        await removeSandbox(box);
      }
    },
  });
}
