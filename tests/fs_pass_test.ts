/**
 * `readOnlyPass`: inside a pass the folders above a path are looked at once,
 * so the pass must judge every path exactly as a fresh look does, must never
 * carry what it learned past its end, must always look at the path itself
 * again, and must refuse every write, create and delete.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { fingerprint } from "./support/sandbox.ts";
import {
  backupRepoFile,
  createRepoFileExclusive,
  ensureRepoDir,
  type Entry,
  inspect,
  readOnlyPass,
  readRepoText,
  removeRepoDirIfEmpty,
  removeRepoFile,
  removeRepoTree,
  removeStaleTemps,
  writeRepoFile,
} from "../src/fs/mod.ts";

async function untidyRepo(): Promise<{ root: string; outside: string }> {
  const root = await Deno.makeTempDir({ prefix: "waypoint-pass-" });
  const outside = await Deno.makeTempDir({ prefix: "waypoint-pass-out-" });
  await Deno.mkdir(join(root, "real/deeper"), { recursive: true });
  await Deno.writeTextFile(join(root, "real/deeper/file.md"), "inside\n");
  await Deno.writeTextFile(join(root, "real/file.md"), "inside\n");
  await Deno.writeTextFile(join(root, "plain"), "a file, not a folder\n");
  await Deno.writeTextFile(join(outside, "file.md"), "OUTSIDE SECRET\n");
  await Deno.symlink(outside, join(root, "linked"));
  await Deno.symlink(join(root, "real"), join(root, "linked-inside"));
  await Deno.symlink(join(root, "gone"), join(root, "dangling"));
  await new Deno.Command("mkfifo", { args: [join(root, "real/fifo")] })
    .output();
  return { root, outside };
}

const PATHS = [
  "real",
  "real/file.md",
  "real/deeper",
  "real/deeper/file.md",
  "real/deeper/missing.md",
  "real/fifo",
  "real/fifo/below",
  "plain",
  "plain/below.md",
  "plain/below/deeper.md",
  "linked",
  "linked/file.md",
  "linked/deeper/file.md",
  "linked-inside/file.md",
  "dangling",
  "dangling/file.md",
  "missing",
  "missing/file.md",
  "missing/deeper/file.md",
];

async function cleanUp(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await Deno.remove(dir, { recursive: true });
}

Deno.test("inside a pass every path is judged as a fresh look judges it, in any order", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const fresh = PATHS.map((path) => inspect(root, path));
    // Twice over, forwards and backwards, so each path meets a remembered parent.
    const inPass = await readOnlyPass(() => {
      const seen: Entry[][] = [];
      for (const order of [PATHS, [...PATHS].reverse(), PATHS]) {
        const entries = order.map((path) => inspect(root, path));
        seen.push(order === PATHS ? entries : entries.reverse());
      }
      return Promise.resolve(seen);
    });
    for (const entries of inPass) assertEquals(entries, fresh);
    assertEquals(
      fresh.find((entry) => entry.path === "linked/file.md")?.kind,
      "symlink",
    );
    assertEquals(
      fresh.find((entry) => entry.path === "plain/below.md")?.kind,
      "blocked",
    );
  } finally {
    await cleanUp(root, outside);
  }
});

Deno.test("a pass always looks at the path itself again", async () => {
  const { root, outside } = await untidyRepo();
  try {
    await readOnlyPass(async () => {
      assertEquals(inspect(root, "real/new.md").kind, "missing");
      // Another process changes the path itself while the pass runs.
      await Deno.writeTextFile(join(root, "real/new.md"), "new\n");
      assertEquals(inspect(root, "real/new.md").kind, "file");
      await Deno.remove(join(root, "real/file.md"));
      await Deno.symlink(join(outside, "file.md"), join(root, "real/file.md"));
      assertEquals(inspect(root, "real/file.md").kind, "symlink");
      let refused = "";
      try {
        readRepoText(root, "real/file.md");
      } catch (error) {
        refused = String(error);
      }
      assertMatch(refused, /real\/file\.md: is a symlink/);
    });
  } finally {
    await cleanUp(root, outside);
  }
});

Deno.test("nothing a pass learned outlives it, not even when the work throws", async () => {
  const { root, outside } = await untidyRepo();
  try {
    await readOnlyPass(() => {
      assertEquals(inspect(root, "real/deeper/file.md").kind, "file");
      return Promise.resolve();
    });
    // Swap a checked folder for a link out of the repo after the pass.
    await Deno.remove(join(root, "real"), { recursive: true });
    await Deno.mkdir(join(outside, "deeper"));
    await Deno.writeTextFile(join(outside, "deeper/file.md"), "OUTSIDE\n");
    await Deno.symlink(outside, join(root, "real"));
    assertEquals(inspect(root, "real/deeper/file.md"), {
      kind: "symlink",
      path: "real/deeper/file.md",
      link: "real",
    });
    const failed = await readOnlyPass(() => {
      assertEquals(inspect(root, "missing/file.md").kind, "missing");
      return Promise.reject(new Error("work failed"));
    }).catch((error) => String(error));
    assertMatch(failed, /work failed/);
    await Deno.mkdir(join(root, "missing"));
    await Deno.writeTextFile(join(root, "missing/file.md"), "now here\n");
    assertEquals(inspect(root, "missing/file.md").kind, "file");
    // A new pass starts from nothing as well.
    await readOnlyPass(() => {
      assertEquals(inspect(root, "missing/file.md").kind, "file");
      assertEquals(inspect(root, "real/deeper/file.md").kind, "symlink");
      return Promise.resolve();
    });
  } finally {
    await cleanUp(root, outside);
  }
});

Deno.test("a pass refuses every write, create and delete and changes nothing", async () => {
  const { root, outside } = await untidyRepo();
  try {
    await Deno.writeTextFile(join(root, "real/x.md.waypoint-tmp-1-1"), "t");
    const before = await fingerprint(root);
    const attempts: [string, () => unknown][] = [
      ["ensureRepoDir", () => ensureRepoDir(root, "real/new")],
      ["writeRepoFile", () => writeRepoFile(root, "real/new.md", "x")],
      ["writeRepoFile", () => writeRepoFile(root, "real/file.md", "x")],
      [
        "createRepoFileExclusive",
        () => createRepoFileExclusive(root, "real/new.md", "x"),
      ],
      ["backupRepoFile", () => backupRepoFile(root, "real/file.md")],
      [
        "removeRepoFile",
        () => removeRepoFile(root, "real/file.md", () => true),
      ],
      ["removeRepoDirIfEmpty", () => removeRepoDirIfEmpty(root, "real/deeper")],
      ["removeRepoTree", () => removeRepoTree(root, "real", () => true)],
      ["removeStaleTemps", () => removeStaleTemps(root, ["real"])],
    ];
    for (const [name, attempt] of attempts) {
      const outcome = await readOnlyPass(async () => {
        try {
          await attempt();
          return "went through";
        } catch (error) {
          return String(error);
        }
      });
      assertMatch(outcome, /internal: .* during a read-only pass/, name);
    }
    assertEquals(await fingerprint(root), before);
    // Outside a pass the same calls work.
    writeRepoFile(root, "real/new.md", "x");
    assertEquals(readRepoText(root, "real/new.md"), "x");
  } finally {
    await cleanUp(root, outside);
  }
});

Deno.test("passes nest: the inner one ends with the outer one, not before", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const outcome = await readOnlyPass(async () => {
      await readOnlyPass(() => Promise.resolve(inspect(root, "real/file.md")));
      try {
        writeRepoFile(root, "real/new.md", "x");
        return "went through";
      } catch (error) {
        return String(error);
      }
    });
    assertMatch(outcome, /during a read-only pass/);
    assert(
      (await Deno.lstat(join(root, "real/new.md")).catch(() => null)) === null,
      "nothing was written",
    );
  } finally {
    await cleanUp(root, outside);
  }
});
