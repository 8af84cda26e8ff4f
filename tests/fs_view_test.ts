/**
 * `Repo.readOnlyView()`: inside a view the folders above a path are looked
 * at once, so the view must judge every path exactly as a fresh look does,
 * must never share what it learned with the repo or another view, must
 * always look at the path itself again, and has no way to write (its type
 * has no write methods: `deno check` rejects one, shown by a subprocess).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { fingerprint } from "./support/sandbox.ts";
import { type Entry, Repo } from "../src/fs/mod.ts";
import { PROJECT_ROOT } from "./support/cli.ts";

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

Deno.test("inside a view every path is judged as a fresh look judges it, in any order", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const repo = Repo.open(root);
    const fresh = PATHS.map((path) => repo.inspect(path));
    // Twice over, forwards and backwards, so each path meets a remembered parent.
    const view = repo.readOnlyView();
    const inPass: Entry[][] = [];
    for (const order of [PATHS, [...PATHS].reverse(), PATHS]) {
      const entries = order.map((path) => view.inspect(path));
      inPass.push(order === PATHS ? entries : entries.reverse());
    }
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

Deno.test("a view always looks at the path itself again", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const view = Repo.open(root).readOnlyView();
    {
      assertEquals(view.inspect("real/new.md").kind, "missing");
      // Another process changes the path itself while the pass runs.
      await Deno.writeTextFile(join(root, "real/new.md"), "new\n");
      assertEquals(view.inspect("real/new.md").kind, "file");
      await Deno.remove(join(root, "real/file.md"));
      await Deno.symlink(join(outside, "file.md"), join(root, "real/file.md"));
      assertEquals(view.inspect("real/file.md").kind, "symlink");
      let refused = "";
      try {
        view.readText("real/file.md");
      } catch (error) {
        refused = String(error);
      }
      assertMatch(refused, /real\/file\.md: is a symlink/);
    }
  } finally {
    await cleanUp(root, outside);
  }
});

Deno.test("nothing a view learned reaches the repo or another view", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const repo = Repo.open(root);
    const first = repo.readOnlyView();
    assertEquals(first.inspect("real/deeper/file.md").kind, "file");
    // Swap a checked folder for a link out of the repo after the pass.
    await Deno.remove(join(root, "real"), { recursive: true });
    await Deno.mkdir(join(outside, "deeper"));
    await Deno.writeTextFile(join(outside, "deeper/file.md"), "OUTSIDE\n");
    await Deno.symlink(outside, join(root, "real"));
    assertEquals(repo.inspect("real/deeper/file.md"), {
      kind: "symlink",
      path: "real/deeper/file.md",
      link: "real",
    });
    assertEquals(first.inspect("missing/file.md").kind, "missing");
    await Deno.mkdir(join(root, "missing"));
    await Deno.writeTextFile(join(root, "missing/file.md"), "now here\n");
    assertEquals(repo.inspect("missing/file.md").kind, "file");
    // A new view starts from nothing.
    const second = repo.readOnlyView();
    assertEquals(second.inspect("missing/file.md").kind, "file");
    assertEquals(second.inspect("real/deeper/file.md").kind, "symlink");
  } finally {
    await cleanUp(root, outside);
  }
});

const WRITE_METHODS = [
  "write",
  "createExclusive",
  "backup",
  "ensureDir",
  "remove",
  "removeDirIfEmpty",
  "removeTree",
  "removeStaleTemps",
];

Deno.test("a view has no write method at run time either, and changes nothing", async () => {
  const { root, outside } = await untidyRepo();
  try {
    const before = await fingerprint(root);
    const repo = Repo.open(root);
    const view = repo.readOnlyView();
    for (const path of PATHS) view.inspect(path);
    view.listDir("real");
    view.walkDirs("");
    for (const name of WRITE_METHODS) {
      assertEquals(name in view, false, name);
      assertEquals(name in repo, true, name);
    }
    assertEquals(await fingerprint(root), before);
    repo.write("real/new.md", "x");
    assertEquals(view.readText("real/new.md"), "x");
  } finally {
    await cleanUp(root, outside);
  }
});

/** Runs `deno check` on a module that writes through `through`; its exit code and errors. */
async function checkWriteThrough(
  through: string,
): Promise<{ code: number; errors: string }> {
  const dir = await Deno.makeTempDir({ prefix: "waypoint-view-check-" });
  const file = join(dir, "writes.ts");
  const mod = join(PROJECT_ROOT, "src/fs/mod.ts");
  await Deno.writeTextFile(
    file,
    [
      `import { Repo, type RepoView } from ${JSON.stringify(mod)};`,
      `const repo: Repo = Repo.open(Deno.cwd());`,
      `const view: RepoView = repo.readOnlyView();`,
      `${through}.write("planned.md", "x");`,
      `${through}.ensureDir("planned");`,
      `await ${through}.remove("planned.md", () => true);`,
      `console.log(view.root);`,
      "",
    ].join("\n"),
  );
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--no-config", file],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    return {
      code: output.code,
      errors: new TextDecoder().decode(output.stderr),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("deno check rejects a write through the read-only view, and accepts it through the Repo", async () => {
  const view = await checkWriteThrough("view");
  assert(view.code !== 0, "deno check must fail for a write through the view");
  for (const name of ["write", "ensureDir", "remove"]) {
    assertMatch(
      view.errors,
      new RegExp(`Property '${name}' does not exist on type 'RepoView'`),
    );
  }
  const repo = await checkWriteThrough("repo");
  assertEquals(repo.errors.trim(), "");
  assertEquals(repo.code, 0);
});
