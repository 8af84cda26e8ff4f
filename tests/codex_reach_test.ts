/**
 * What of waypoint's setup reaches the model, checked with the real Codex CLI
 * (the pinned {@link CODEX_VERSION}, offline, throwaway `CODEX_HOME`): the
 * AGENTS.md block whatever the size of the user's own text (Codex reads only
 * the first `project_doc_max_bytes`), and whether doctor's warnings about a
 * hidden block or a model without subagents are true.
 *
 * @module
 */
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { join } from "node:path";
import {
  makeTempDir,
  readRepoFile,
  removeTempDir,
  runCli,
  writeRepoFile,
} from "./support/cli.ts";
import { CODEX_VERSION, codexEnv, ensureCodex } from "./support/codex_cli.ts";
import { START_MARKER } from "../src/scaffold/agents_block.ts";
import { EMBEDDED_TEMPLATES } from "../src/templates/embedded.ts";

interface Box {
  repo: string;
  home: string;
  /** Lines that make the throwaway Codex trust the repo. */
  trust: string;
  cleanup: () => Promise<void>;
}

async function sandbox(userConfig = ""): Promise<Box> {
  const base = await makeTempDir("waypoint-codex-reach-");
  const repo = join(base, "repo");
  const home = join(base, "codex-home");
  await Deno.mkdir(repo);
  await Deno.mkdir(home);
  const git = await new Deno.Command("git", {
    args: ["init", "-q", repo],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert(git.success, new TextDecoder().decode(git.stderr));
  const trust = `[projects.${
    JSON.stringify(await Deno.realPath(repo))
  }]\ntrust_level = "trusted"\n`;
  await Deno.writeTextFile(join(home, "config.toml"), userConfig + trust);
  return { repo, home, trust, cleanup: () => removeTempDir(base) };
}

/** The prompt input Codex builds for a session started in the repo. */
async function promptInput(box: Box): Promise<unknown> {
  const out = await new Deno.Command(await ensureCodex(), {
    args: ["debug", "prompt-input"],
    cwd: box.repo,
    env: codexEnv(box.home),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).flatMap(strings);
  }
  return [];
}

/** The AGENTS.md text Codex injects, or `undefined` when none. */
async function injected(box: Box): Promise<string | undefined> {
  return strings(await promptInput(box)).find((text) =>
    text.startsWith("# AGENTS.md instructions for ")
  );
}

/** The block as this version writes it, so "reaches the model" means all of it. */
const BLOCK = EMBEDDED_TEMPLATES["agents-block.md"].content.trim();

function assertWholeBlock(text: string | undefined): void {
  assert(text, "Codex injects AGENTS.md");
  assert(text.includes(BLOCK), "the whole waypoint block reaches the model");
}

async function init(box: Box): Promise<string> {
  const result = await runCli(["init", box.repo], {
    env: { CODEX_HOME: box.home },
  });
  assertEquals(result.code, 0, result.stderr);
  return result.stdout;
}

/** About 40 KB of the user's own text, with a title. */
const USER_TEXT = "# Our service\n\n" +
  Array.from(
    { length: 400 },
    (_, index) => `- Rule ${index}: ${"keep it simple ".repeat(6)}`,
  ).join("\n") + "\nLAST-USER-LINE\n";

Deno.test(`Codex ${CODEX_VERSION}: with 40 KB of the user's text in AGENTS.md the block still reaches the model`, async () => {
  const box = await sandbox();
  try {
    assert(new TextEncoder().encode(USER_TEXT).length > 40_000);
    await writeRepoFile(box.repo, "AGENTS.md", USER_TEXT);
    const said = await init(box);
    assertMatch(
      said,
      /- Updated AGENTS\.md: added the waypoint block at the top, where Codex reads it; the file is \d+ bytes, above Codex's 32768-byte project_doc_max_bytes \(the default\): Codex cuts your text after byte 32768\n/,
    );
    const agents = await readRepoFile(box.repo, "AGENTS.md");
    assert(agents.startsWith(`# Our service\n\n${START_MARKER}`));
    assert(agents.endsWith("LAST-USER-LINE\n"), "the user's text is kept");
    const text = await injected(box);
    assertWholeBlock(text);
    assert(!text!.includes("LAST-USER-LINE"), "Codex still cuts at 32 KiB");
  } finally {
    await box.cleanup();
  }
});

Deno.test(`Codex ${CODEX_VERSION}: a block an older init appended past the limit is moved up, through an AGENTS.md -> CLAUDE.md link`, async () => {
  const box = await sandbox();
  try {
    await writeRepoFile(box.repo, "CLAUDE.md", `${USER_TEXT}\n${BLOCK}\n`);
    await Deno.symlink("CLAUDE.md", join(box.repo, "AGENTS.md"));
    assertEquals(
      (await injected(box))?.includes(START_MARKER),
      false,
      "before: Codex never sees the appended block",
    );
    const said = await init(box);
    assertMatch(
      said,
      /- Updated AGENTS\.md: moved the waypoint block to the top \(in CLAUDE\.md, which AGENTS\.md links to\); it ended at byte \d+, past Codex's 32768-byte project_doc_max_bytes \(the default\), so Codex never read it; the file is \d+ bytes, above that limit/,
    );
    assert(
      (await Deno.lstat(join(box.repo, "AGENTS.md"))).isSymlink,
      "the link is written through, not replaced",
    );
    const claude = await readRepoFile(box.repo, "CLAUDE.md");
    assertEquals(claude.split(START_MARKER).length, 2, "one block");
    assertWholeBlock(await injected(box));
    // Stable from now on: a second init keeps the block where it is.
    await init(box);
    assertEquals(await readRepoFile(box.repo, "CLAUDE.md"), claude);
  } finally {
    await box.cleanup();
  }
});

Deno.test(`Codex ${CODEX_VERSION}: the user's own project_doc_max_bytes is the limit init places the block within`, async () => {
  const box = await sandbox("project_doc_max_bytes = 8000\n");
  try {
    const mine = "# Small\n\n" + "- a line of our own text\n".repeat(240);
    await writeRepoFile(box.repo, "AGENTS.md", `${mine}\n${BLOCK}\n`);
    const said = await init(box);
    assertMatch(
      said,
      /moved the waypoint block to the top; it ended at byte \d+, past Codex's 8000-byte project_doc_max_bytes \(.*config\.toml:1\), so Codex never read it/,
    );
    assertWholeBlock(await injected(box));
  } finally {
    await box.cleanup();
  }
});

Deno.test(`Codex ${CODEX_VERSION}: doctor's warnings are true: a root AGENTS.override.md hides the block, gpt-5.5 gets no spawn_agent`, async () => {
  const box = await sandbox('model = "gpt-5.5"\n');
  try {
    await init(box);
    await writeRepoFile(box.repo, "AGENTS.override.md", "");
    const doctor = await runCli(["doctor", box.repo, "--json"], {
      env: { CODEX_HOME: box.home },
    });
    const messages = (JSON.parse(doctor.stdout).findings as {
      message: string;
    }[]).map((finding) => finding.message);
    assert(
      messages.some((message) =>
        message.startsWith("AGENTS.override.md at the repo root hides")
      ),
      messages.join("\n"),
    );
    assert(
      messages.some((message) =>
        message.startsWith('Codex gives model "gpt-5.5"')
      ),
      messages.join("\n"),
    );
    const prompt = await promptInput(box);
    assertEquals(
      strings(prompt).some((text) => text.includes(START_MARKER)),
      false,
      "the empty override hides AGENTS.md",
    );
    assertEquals(
      JSON.stringify(prompt).includes('"spawn_agent"'),
      false,
      "gpt-5.5 gets no spawn_agent tool, so no reviewer role",
    );
    // The same scaffold with the default model does offer it.
    await Deno.writeTextFile(join(box.home, "config.toml"), box.trust);
    assert(JSON.stringify(await promptInput(box)).includes('"spawn_agent"'));
  } finally {
    await box.cleanup();
  }
});

Deno.test(`Codex ${CODEX_VERSION}: doctor's warning is true: a project marked untrusted gets no AGENTS.md`, async () => {
  const box = await sandbox();
  try {
    await init(box);
    assertWholeBlock(await injected(box));
    await Deno.writeTextFile(
      join(box.home, "config.toml"),
      box.trust.replace('"trusted"', '"untrusted"'),
    );
    assertEquals(await injected(box), undefined);
    const doctor = await runCli(["doctor", box.repo, "--json"], {
      env: { CODEX_HOME: box.home },
    });
    assert(
      doctor.stdout.includes(
        "and then reads no AGENTS.md at all: the waypoint block never reaches the model.",
      ),
      doctor.stdout,
    );
  } finally {
    await box.cleanup();
  }
});
