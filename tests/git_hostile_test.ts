/**
 * Hostile git configuration: a repository (or a nested one) whose config,
 * attributes or `.git` pointer names a program must never make waypoint
 * start it. Every case plants a script that leaves a marker file, then runs
 * each command that runs git (`init` finding the top level, `doctor`,
 * `sync`, `context`) as a user would, and asserts the marker never appears
 * and each command still succeeds.
 *
 * @module
 */
import assert from "node:assert/strict";
import { needsRoot, requires } from "./support/requires.ts";
import { join } from "node:path";
import { git, GIT_ISOLATION, initRepo } from "./support/git.ts";
import {
  makeTempDir,
  pathExists,
  readRepoFile,
  removeTempDir,
  runCli,
} from "./support/cli.ts";

/** Where a case plants its hostile setup. */
type Place = "root" | "nested";

interface World {
  /** Sandbox folder (holds everything). */
  box: string;
  /** The repository waypoint runs in. */
  repo: string;
  /** A nested repository below it (`packages/lib`). */
  nested: string;
  /** The file any hostile program creates when it runs. */
  marker: string;
  /** A script that records its run, then copies stdin to stdout. */
  evilCat: string;
  /** A script that records its run, then fails. */
  evilFail: string;
  /** Environment for the CLI runs (throwaway Codex home, git isolation). */
  env: Record<string, string | undefined>;
}

async function writeScript(path: string, body: string): Promise<void> {
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
}

/** `git config` in `dir`, for planting hostile keys. */
function setConfig(dir: string, key: string, value: string): Promise<void> {
  return git(dir, "config", "--add", key, value);
}

/** A tracked file whose stat no longer matches the index, so git re-reads its content. */
async function makeStatDirty(dir: string, name: string): Promise<void> {
  const later = new Date(Date.now() + 3_600_000);
  await Deno.utime(join(dir, name), later, later);
}

async function makeWorld(): Promise<World> {
  const box = await Deno.realPath(await makeTempDir("waypoint-git-hostile-"));
  const repo = join(box, "repo");
  const nested = join(repo, "packages", "lib");
  const marker = join(box, "FIRED");
  const evilCat = join(box, "evil-cat.sh");
  const evilFail = join(box, "evil-fail.sh");
  await writeScript(
    evilCat,
    `echo "$0 $*" >> '${marker}'\nexec /bin/cat`,
  );
  await writeScript(evilFail, `echo "$0 $*" >> '${marker}'\nexit 1`);
  const home = join(box, "codex-home");
  await Deno.mkdir(home);
  await Deno.mkdir(nested, { recursive: true });
  await Deno.writeTextFile(
    join(home, "config.toml"),
    `[projects.${JSON.stringify(repo)}]\ntrust_level = "trusted"\n`,
  );
  for (const dir of [repo, nested]) {
    await initRepo(dir);
    await Deno.writeTextFile(join(dir, "a.txt"), "one\n");
    await Deno.writeTextFile(join(dir, "b.txt"), "bee\n");
    await git(dir, "add", "a.txt", "b.txt");
    await git(dir, "commit", "-q", "-m", "First");
  }
  await Deno.writeTextFile(join(repo, "a.txt"), "one\ntwo\n");
  return {
    box,
    repo,
    nested,
    marker,
    evilCat,
    evilFail,
    env: {
      ...GIT_ISOLATION,
      CODEX_HOME: home,
      CODEX_THREAD_ID: undefined,
      GNUPGHOME: join(box, "gnupg"),
    },
  };
}

/** Commits in `dir` with a real OpenPGP signature (a throwaway gpg key). */
async function gpgSignedCommit(world: World, dir: string): Promise<void> {
  const gnupg = world.env.GNUPGHOME!;
  await Deno.mkdir(gnupg, { recursive: true, mode: 0o700 });
  const env = { GNUPGHOME: gnupg };
  const keygen = await new Deno.Command("gpg", {
    args: [
      "--batch",
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "",
      "--quick-gen-key",
      "Signer <me@example.com>",
      "ed25519",
      "sign",
      "never",
    ],
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(keygen.success, new TextDecoder().decode(keygen.stderr));
  const commit = await new Deno.Command("git", {
    args: [
      "-c",
      "user.signingkey=me@example.com",
      "commit",
      "-q",
      "-S",
      "--allow-empty",
      "-m",
      "Signed with gpg",
    ],
    cwd: dir,
    env: { ...GIT_ISOLATION, ...env },
    stderr: "piped",
  }).output();
  assert.ok(commit.success, new TextDecoder().decode(commit.stderr));
  // The agent was started by the signing above; stop it by its home, not by name.
  await new Deno.Command("gpgconf", {
    args: ["--kill", "gpg-agent"],
    env,
  }).output();
}

/** Commits in `dir` with a real SSH signature; returns the allowed-signers file. */
async function sshSignedCommit(world: World, dir: string): Promise<string> {
  const key = join(world.box, `ssh-key-${crypto.randomUUID()}`);
  const keygen = await new Deno.Command("ssh-keygen", {
    args: ["-q", "-t", "ed25519", "-N", "", "-f", key],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(keygen.success, new TextDecoder().decode(keygen.stderr));
  await git(
    dir,
    "-c",
    "gpg.format=ssh",
    "-c",
    `user.signingkey=${key}`,
    "commit",
    "-q",
    "-S",
    "--allow-empty",
    "-m",
    "Signed with ssh",
  );
  const signers = join(dir, "allowed_signers");
  const pub = (await Deno.readTextFile(`${key}.pub`)).trim();
  await Deno.writeTextFile(signers, `me@example.com ${pub}\n`);
  return signers;
}

/** Plants every hook name git knows as an executable marker script. */
async function plantHooks(world: World, hooksDir: string): Promise<void> {
  await Deno.mkdir(hooksDir, { recursive: true });
  const names = [
    "post-index-change",
    "pre-commit",
    "post-checkout",
    "post-merge",
    "pre-auto-gc",
    "reference-transaction",
    "fsmonitor-watchman",
    "post-rewrite",
    "pre-push",
  ];
  for (const name of names) {
    await writeScript(
      join(hooksDir, name),
      `echo "hook ${name} $*" >> '${world.marker}'`,
    );
  }
}

/** A partial clone whose missing blob makes `diff` fetch from `url`. */
async function promisorRemote(dir: string, url: string): Promise<void> {
  await setConfig(dir, "core.repositoryformatversion", "1");
  await setConfig(dir, "extensions.partialClone", "origin");
  await setConfig(dir, "remote.origin.url", url);
  await setConfig(dir, "remote.origin.promisor", "true");
  // The committed b.txt's blob is gone: a diff of b.txt must ask the promisor.
  const blob = await gitOut(dir, "rev-parse", "HEAD:b.txt");
  await Deno.remove(
    join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)),
  );
  await Deno.writeTextFile(join(dir, "b.txt"), "bee\nchanged\n");
}

async function gitOut(dir: string, ...args: string[]): Promise<string> {
  const output = await new Deno.Command("git", {
    args,
    cwd: dir,
    env: GIT_ISOLATION,
    stderr: "piped",
  }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

/** A hostile setup, planted in `dir` (the root or the nested repository). */
interface HostileCase {
  name: string;
  places: Place[];
  plant: (world: World, dir: string) => Promise<void>;
  /** Extra PATH entry (a fake `gh`). */
  bin?: (world: World) => Promise<string>;
}

const CASES: HostileCase[] = [
  {
    name: "log.showSignature + gpg.program, gpg-signed HEAD",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await gpgSignedCommit(world, dir);
      await setConfig(dir, "log.showSignature", "true");
      await setConfig(dir, "gpg.program", world.evilCat);
    },
  },
  {
    name: "log.showSignature + gpg.openpgp.program, gpg-signed HEAD",
    places: ["nested"],
    plant: async (world, dir) => {
      await gpgSignedCommit(world, dir);
      await setConfig(dir, "log.showSignature", "true");
      await setConfig(dir, "gpg.openpgp.program", world.evilCat);
    },
  },
  {
    name: "log.showSignature + gpg.ssh.program, ssh-signed HEAD",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      const signers = await sshSignedCommit(world, dir);
      await setConfig(dir, "log.showSignature", "true");
      await setConfig(dir, "gpg.ssh.allowedSignersFile", signers);
      await setConfig(dir, "gpg.ssh.program", world.evilCat);
    },
  },
  {
    name: "core.fsmonitor hook",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await setConfig(dir, "core.fsmonitor", world.evilCat);
      await makeStatDirty(dir, "b.txt");
    },
  },
  {
    name: "core.pager and pager.<cmd>",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await setConfig(dir, "core.pager", world.evilCat);
      for (const cmd of ["log", "status", "diff", "branch", "config"]) {
        await setConfig(dir, `pager.${cmd}`, world.evilCat);
      }
    },
  },
  {
    name: "diff.external and a diff driver command",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* diff=ext\n");
      await setConfig(dir, "diff.external", world.evilFail);
      await setConfig(dir, "diff.ext.command", world.evilFail);
    },
  },
  {
    name: "textconv via .gitattributes",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* diff=tc\n");
      await setConfig(dir, "diff.tc.textconv", world.evilCat);
      await setConfig(dir, "diff.tc.cachetextconv", "false");
    },
  },
  {
    name: "clean filter via .gitattributes on a stat-dirty file",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* filter=ev\n");
      await setConfig(dir, "filter.ev.clean", world.evilCat);
      await makeStatDirty(dir, "b.txt");
    },
  },
  {
    name: "required process filter via .git/info/attributes",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await Deno.mkdir(join(dir, ".git", "info"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, ".git", "info", "attributes"),
        "* filter=pr\n",
      );
      await setConfig(dir, "filter.pr.process", world.evilCat);
      await setConfig(dir, "filter.pr.required", "true");
      await makeStatDirty(dir, "b.txt");
    },
  },
  {
    name: "smudge filter via .gitattributes",
    places: ["root"],
    plant: async (world, dir) => {
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* filter=sm\n");
      await setConfig(dir, "filter.sm.smudge", world.evilCat);
      await setConfig(dir, "filter.sm.clean", world.evilCat);
    },
  },
  {
    name: "hooks in .git/hooks and core.hooksPath",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await plantHooks(world, join(dir, ".git", "hooks"));
      await plantHooks(world, join(dir, "hostile-hooks"));
      await makeStatDirty(dir, "b.txt");
      await setConfig(dir, "core.hooksPath", join(dir, "hostile-hooks"));
    },
  },
  {
    name: "lazy fetch from a promisor over ext:: (protocol.ext.allow=always)",
    places: ["root"],
    plant: async (world, dir) => {
      await setConfig(dir, "protocol.ext.allow", "always");
      await setConfig(dir, "protocol.allow", "always");
      await promisorRemote(dir, `ext::${world.evilFail} %S`);
    },
  },
  {
    name: "lazy fetch over ssh: core.sshCommand, askpass, credential helper",
    places: ["root"],
    plant: async (world, dir) => {
      await setConfig(dir, "core.sshCommand", world.evilFail);
      await setConfig(dir, "core.askPass", world.evilFail);
      await setConfig(dir, "credential.helper", world.evilFail);
      await setConfig(dir, "protocol.ssh.allow", "always");
      await promisorRemote(dir, "ssh://example.invalid/repo.git");
    },
  },
  {
    name: "include.path to a file that sets the mechanisms",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await gpgSignedCommit(world, dir);
      const included = join(dir, "hostile.gitconfig");
      await Deno.writeTextFile(
        included,
        [
          "[log]\n\tshowSignature = true",
          `[gpg]\n\tprogram = ${world.evilCat}`,
          `[core]\n\tfsmonitor = ${world.evilCat}`,
          `[filter "inc"]\n\tclean = ${world.evilCat}`,
          "",
        ].join("\n"),
      );
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* filter=inc\n");
      await makeStatDirty(dir, "b.txt");
      await setConfig(dir, "include.path", included);
    },
  },
  {
    name: "includeIf gitdir: to a file that sets the mechanisms",
    places: ["root", "nested"],
    plant: async (world, dir) => {
      await gpgSignedCommit(world, dir);
      const included = join(dir, "hostile-if.gitconfig");
      await Deno.writeTextFile(
        included,
        `[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ${world.evilCat}\n` +
          `[diff "x"]\n\ttextconv = ${world.evilCat}\n`,
      );
      await Deno.writeTextFile(join(dir, ".gitattributes"), "* diff=x\n");
      await setConfig(dir, "includeIf.gitdir:/.path", included);
    },
  },
  {
    name: "gh's own git calls see the repository's config",
    places: ["root"],
    plant: async (world, dir) => {
      await gpgSignedCommit(world, dir);
      await setConfig(dir, "log.showSignature", "true");
      await setConfig(dir, "gpg.program", world.evilCat);
    },
    // A stand-in for gh that asks git about the repository, as gh does.
    bin: async (world) => {
      const bin = join(world.box, "bin");
      await Deno.mkdir(bin, { recursive: true });
      await writeScript(
        join(bin, "gh"),
        "git log -1 --format=%H >/dev/null 2>&1\necho '[]'",
      );
      return bin;
    },
  },
];

/** Runs every command that runs git; returns the failures. */
async function runAll(world: World, bin?: string): Promise<string[]> {
  const env = { ...world.env };
  if (bin) env.PATH = `${bin}:${Deno.env.get("PATH") ?? ""}`;
  const failures: string[] = [];
  const runs: [string, string[]][] = [
    ["init", ["init", "--skip-cli-update"]],
    ["doctor", ["doctor", world.repo]],
    ["sync", ["sync", world.repo]],
    ["context", ["context", world.repo]],
  ];
  for (const [label, args] of runs) {
    const result = await runCli(args, { cwd: world.repo, env });
    if (result.code !== 0) {
      failures.push(`${label} exited ${result.code}: ${result.stderr.trim()}`);
    }
  }
  return failures;
}

for (const hostile of CASES) {
  for (const place of hostile.places) {
    Deno.test(`hostile ${place} git config: ${hostile.name}`, async () => {
      const world = await makeWorld();
      try {
        await hostile.plant(
          world,
          place === "root" ? world.repo : world.nested,
        );
        const bin = hostile.bin ? await hostile.bin(world) : undefined;
        const failures = await runAll(world, bin);
        const fired = await pathExists(world.marker)
          ? await Deno.readTextFile(world.marker)
          : "";
        assert.equal(fired, "", `a hostile program ran:\n${fired}`);
        assert.deepEqual(failures, []);
        const changes = await readRepoFile(
          world.repo,
          ".waypoint/context/UNCOMMITTED_CHANGES.md",
        );
        // The sections still say what git says.
        assert.match(changes, /^ M a\.txt$/m);
        assert.match(
          await readRepoFile(world.repo, ".waypoint/context/RECENT_COMMITS.md"),
          /First/,
        );
        const nested = await readRepoFile(
          world.repo,
          ".waypoint/context/NESTED_REPOS.md",
        );
        assert.match(nested, /## packages\/lib\n\nBranch: main\n/);
        assert.match(nested, /First/);
      } finally {
        await removeTempDir(world.box);
      }
    });
  }
}

Deno.test("a .git file pointing at a bare repository in the tree is left out of NESTED_REPOS.md", async () => {
  const world = await makeWorld();
  try {
    const bare = join(world.repo, "vendor", "evil.git");
    await git(world.repo, "clone", "-q", "--bare", world.nested, bare);
    await setConfig(bare, "log.showSignature", "true");
    await setConfig(bare, "gpg.program", world.evilCat);
    await setConfig(bare, "core.fsmonitor", world.evilCat);
    // Sign a commit in the bare repository through a throwaway clone.
    const work = join(world.box, "work");
    await git(world.box, "clone", "-q", bare, work);
    await git(work, "config", "user.email", "me@example.com");
    await git(work, "config", "user.name", "Test Author");
    await gpgSignedCommit(world, work);
    await git(work, "push", "-q", "origin", "HEAD");
    const pkg = join(world.repo, "pkg");
    await Deno.mkdir(pkg);
    await Deno.writeTextFile(join(pkg, ".git"), "gitdir: ../vendor/evil.git\n");
    // And one pointing outside the repository altogether.
    const outside = join(world.box, "outside.git");
    await git(world.box, "clone", "-q", "--bare", world.nested, outside);
    await setConfig(outside, "log.showSignature", "true");
    await setConfig(outside, "gpg.program", world.evilCat);
    await Deno.mkdir(join(world.repo, "far"));
    await Deno.writeTextFile(
      join(world.repo, "far", ".git"),
      `gitdir: ${outside}\n`,
    );
    const failures = await runAll(world);
    assert.equal(await pathExists(world.marker), false);
    assert.deepEqual(failures, []);
    const nested = await readRepoFile(
      world.repo,
      ".waypoint/context/NESTED_REPOS.md",
    );
    assert.match(nested, /## packages\/lib\n\nBranch: main\n/);
    assert.match(nested, /^- pkg: .*left out/m);
    assert.match(nested, /^- far: .*left out/m);
    assert.ok(!nested.includes(outside), nested);
    assert.ok(!/## pkg|## far/.test(nested), nested);
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test("context neither waits for nor takes the user's index.lock, and never rewrites the index", async () => {
  const world = await makeWorld();
  try {
    const failures = await runAll(world);
    assert.deepEqual(failures, []);
    const index = join(world.repo, ".git", "index");
    await makeStatDirty(world.repo, "b.txt");
    const before = await Deno.readFile(index);
    const beforeStat = await Deno.stat(index);
    let result = await runCli(["context", world.repo], {
      cwd: world.repo,
      env: world.env,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await Deno.readFile(index), before);
    assert.equal(
      (await Deno.stat(index)).mtime?.getTime(),
      beforeStat.mtime?.getTime(),
    );
    // The user's own git holds the lock: waypoint must neither fail nor remove it.
    const lock = join(world.repo, ".git", "index.lock");
    await Deno.writeTextFile(lock, "held by the user\n");
    const started = performance.now();
    result = await runCli(["context", world.repo], {
      cwd: world.repo,
      env: world.env,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(performance.now() - started < 20_000);
    assert.equal(await Deno.readTextFile(lock), "held by the user\n");
    const changes = await readRepoFile(
      world.repo,
      ".waypoint/context/UNCOMMITTED_CHANGES.md",
    );
    assert.match(changes, /M a\.txt/);
    assert.match(changes, /a\.txt \| 1 \+/);
    assert.ok(!changes.includes("git failed"), changes);
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test("a submodule with a hostile filter is listed, and neither its config nor the root's status runs the filter", async () => {
  const world = await makeWorld();
  try {
    const source = join(world.box, "sub-source");
    await Deno.mkdir(source);
    await initRepo(source);
    await Deno.writeTextFile(join(source, "s.txt"), "sub\n");
    await Deno.writeTextFile(join(source, ".gitattributes"), "* filter=sub\n");
    await git(source, "add", ".");
    await git(source, "commit", "-q", "-m", "Sub first");
    await git(
      world.repo,
      "-c",
      "protocol.file.allow=always",
      "submodule",
      "add",
      "-q",
      source,
      "sub",
    );
    await git(world.repo, "commit", "-q", "-m", "Add sub");
    const sub = join(world.repo, "sub");
    await setConfig(sub, "filter.sub.clean", world.evilCat);
    await setConfig(sub, "core.fsmonitor", world.evilCat);
    await makeStatDirty(sub, "s.txt");
    await Deno.writeTextFile(join(sub, "s.txt"), "sub\ndirty\n");
    const failures = await runAll(world);
    const fired = await pathExists(world.marker)
      ? await Deno.readTextFile(world.marker)
      : "";
    assert.equal(fired, "", `a hostile program ran:\n${fired}`);
    assert.deepEqual(failures, []);
    const nested = await readRepoFile(
      world.repo,
      ".waypoint/context/NESTED_REPOS.md",
    );
    // Its .git file points into the root's .git/modules: git's own layout.
    assert.match(nested, /## sub\n\nBranch: (main|\(detached HEAD\))\n/);
    assert.match(nested, /Sub first/);
    assert.ok(!nested.includes("left out"), nested);
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test("a nested repository whose config git cannot read is left out in one line", async () => {
  const world = await makeWorld();
  try {
    await Deno.writeTextFile(
      join(world.nested, ".git", "config"),
      "[core\n\tfsmonitor = x\n",
    );
    const failures = await runAll(world);
    assert.deepEqual(failures, []);
    const nested = await readRepoFile(
      world.repo,
      ".waypoint/context/NESTED_REPOS.md",
    );
    assert.match(
      nested,
      /^- packages\/lib: left out: its git config cannot be read safely \(fatal: bad config line 1 in file .*\)\.$/m,
    );
    assert.ok(!nested.includes("## packages/lib"), nested);
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test("a git that ignores GIT_CONFIG_COUNT is not run in the repository", async () => {
  const world = await makeWorld();
  try {
    await setConfig(world.repo, "core.fsmonitor", world.evilCat);
    await makeStatDirty(world.repo, "b.txt");
    // Stands in for a git older than 2.31, which knows no GIT_CONFIG_COUNT.
    const bin = join(world.box, "old-git");
    await Deno.mkdir(bin);
    const which = await new Deno.Command("sh", {
      args: ["-c", "command -v git"],
    }).output();
    const real = new TextDecoder().decode(which.stdout).trim();
    await writeScript(
      join(bin, "git"),
      `unset GIT_CONFIG_COUNT\nexec '${real}' "$@"`,
    );
    const failures = await runAll(world, bin);
    assert.equal(await pathExists(world.marker), false);
    assert.deepEqual(failures, []);
    const changes = await readRepoFile(
      world.repo,
      ".waypoint/context/UNCOMMITTED_CHANGES.md",
    );
    assert.match(
      changes,
      /git could not be run: this git ignores GIT_CONFIG_COUNT/,
    );
    assert.ok(!changes.includes("a.txt"), changes);
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test({
  ...requires(
    "a nested repository owned by another user, or a .git that is no repository, is left out rather than read",
    // Handing a folder to another user needs root.
    needsRoot(),
  ),
  fn: async () => {
    const world = await makeWorld();
    try {
      await setConfig(world.nested, "log.showSignature", "true");
      await setConfig(world.nested, "gpg.program", world.evilCat);
      const chown = await new Deno.Command("chown", {
        args: ["-R", "65534", world.nested],
      }).output();
      assert.ok(chown.success);
      // An empty .git folder: git must not fall back to the root's repository.
      await Deno.mkdir(join(world.repo, "hollow", ".git"), { recursive: true });
      const failures = await runAll(world);
      assert.equal(await pathExists(world.marker), false);
      assert.deepEqual(failures, []);
      const nested = await readRepoFile(
        world.repo,
        ".waypoint/context/NESTED_REPOS.md",
      );
      assert.match(
        nested,
        /^- packages\/lib: left out: git does not read it as a repository \(.*dubious ownership.*\)\.$/m,
      );
      assert.match(
        nested,
        /^- hollow: left out: git does not read it as a repository \(fatal: not a git repository.*\)\.$/m,
      );
      assert.ok(!nested.includes("Branch:"), nested);
    } finally {
      await new Deno.Command("chown", { args: ["-R", "0", world.box] })
        .output();
      await removeTempDir(world.box);
    }
  },
});

Deno.test("git variables inherited from the caller's environment neither redirect git nor start a program", async () => {
  const world = await makeWorld();
  try {
    await runAll(world);
    await makeStatDirty(world.repo, "b.txt");
    // Another repository, with a commit only it has.
    const other = join(world.box, "other");
    await Deno.mkdir(other);
    await initRepo(other);
    await git(other, "commit", "-q", "--allow-empty", "-m", "Other repo only");
    const result = await runCli(["context", world.repo], {
      cwd: world.repo,
      env: {
        ...world.env,
        GIT_DIR: join(other, ".git"),
        GIT_WORK_TREE: other,
        GIT_INDEX_FILE: join(world.box, "no-index"),
        GIT_CONFIG_PARAMETERS: `'core.fsmonitor'='${world.evilCat}'`,
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "core.fsmonitor",
        GIT_CONFIG_VALUE_0: world.evilCat,
        GIT_EXTERNAL_DIFF: world.evilFail,
        GIT_PAGER: world.evilCat,
        PAGER: world.evilCat,
        GIT_ASKPASS: world.evilFail,
        GIT_SSH_COMMAND: world.evilFail,
        GIT_EDITOR: world.evilFail,
      },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await pathExists(world.marker), false);
    const commits = await readRepoFile(
      world.repo,
      ".waypoint/context/RECENT_COMMITS.md",
    );
    assert.match(commits, /First/);
    assert.ok(!commits.includes("Other repo only"), commits);
    assert.match(
      await readRepoFile(
        world.repo,
        ".waypoint/context/UNCOMMITTED_CHANGES.md",
      ),
      /^ M a\.txt$/m,
    );
  } finally {
    await removeTempDir(world.box);
  }
});

Deno.test("a root whose git config git cannot read gets one line per git section, and gh is not run there", async () => {
  const world = await makeWorld();
  try {
    await runAll(world);
    await Deno.writeTextFile(
      join(world.repo, ".git", "config"),
      "[core\n\tfsmonitor = x\n",
    );
    const bin = join(world.box, "bin");
    await Deno.mkdir(bin);
    await writeScript(join(bin, "gh"), `echo gh >> '${world.marker}'`);
    const result = await runCli(["context", world.repo], {
      cwd: world.repo,
      env: { ...world.env, PATH: `${bin}:${Deno.env.get("PATH") ?? ""}` },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await pathExists(world.marker), false);
    const changes = await readRepoFile(
      world.repo,
      ".waypoint/context/UNCOMMITTED_CHANGES.md",
    );
    assert.match(changes, /git failed: fatal: bad config line 1/);
    assert.match(
      await readRepoFile(world.repo, ".waypoint/context/PULL_REQUESTS.md"),
      /^gh is not run: the repository's git config cannot be read safely \(fatal: bad config line 1 .*\)\.$/m,
    );
  } finally {
    await removeTempDir(world.box);
  }
});
