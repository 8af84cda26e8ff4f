/**
 * Codex session transcripts written by the real, pinned Codex CLI
 * ({@link CODEX_VERSION}) against the local Responses mock, so the context
 * tests read exactly what Codex writes rather than our idea of it.
 *
 * Generated once per test process (the promise is cached) in a throwaway
 * folder holding the Codex homes and a repository with a `sub/` folder; the
 * folder is removed when the process exits. Tests copy the transcripts they
 * need into their own `CODEX_HOME` with {@link installSessions}.
 *
 * @module
 */
import { basename, join, relative } from "node:path";
import { CODEX_VERSION, codexEnv, denoDir, ensureCodex } from "./codex_cli.ts";
import {
  mockProviderConfig,
  RUN_PREFIX,
  startMockResponses,
} from "./mock_responses.ts";
import { MAIN_TS } from "./cli.ts";
import { EMBEDDED_TEMPLATES } from "../../src/templates/embedded.ts";

export { CODEX_VERSION };

/** One transcript the real client wrote. */
export interface SessionFile {
  /** Thread id (the uuid in the file name). */
  id: string;
  /** Absolute path in the generation home. */
  path: string;
  /** Path below a Codex home (`sessions/YYYY/MM/DD/rollout-….jsonl`). */
  relative: string;
  /** The user prompts sent, in order. */
  prompts: string[];
}

/** Everything {@link codexSessions} produced. */
export interface CodexSessions {
  /** The throwaway folder holding it all. */
  root: string;
  /** The repository every session ran in (or below). */
  repo: string;
  /** Three turns in the repo, never compacted. */
  multiTurn: SessionFile;
  /** Two turns, then a third that triggered an automatic local compaction. */
  localCompaction: SessionFile;
  /** The same on the remote path (a provider named "OpenAI"). */
  remoteCompaction: SessionFile;
  /** Two turns started in `<repo>/sub`. */
  subfolder: SessionFile;
  /** Two turns whose prompts carry a GitHub and an OpenAI token. */
  secrets: SessionFile;
  /**
   * A session whose first turn had Codex run `waypoint context` in the repo
   * (with the environment Codex gives the agent's commands, so
   * `CODEX_THREAD_ID` is the session's own id), started right after
   * {@link localCompaction}.
   */
  bootstrap: SessionFile & {
    /** RECENT_THREAD.md as that run wrote it. */
    recentThread: string;
    /** What the command printed, as Codex returned it to the model. */
    commandOutput: string;
  };
  /**
   * A new session with no user turn yet. Codex writes the user's first
   * message right after the header, so this is a real transcript cut after
   * its `session_meta` line (the client cannot be made to stop there).
   */
  brandNew: SessionFile;
  /** Wall time the generation took, ms. */
  generationMs: number;
}

/** The tokens pasted into {@link CodexSessions.secrets}, split so no scanner flags this file. */
export const PASTED_SECRETS = [
  "ghp_" + "Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4",
  "sk-" + "proj-Zx1Cv2Bn3Mm4Lk5Jh6Gf7Ds8Aq9Wr0",
];

/** Per Codex run; the real client answers in about a second. */
const RUN_TIMEOUT_MS = 60_000;

let pending: Promise<CodexSessions> | undefined;

/** The real-client transcripts, generated on first use in this process. */
export function codexSessions(): Promise<CodexSessions> {
  pending ??= generate();
  return pending;
}

/** Copies `files` into `codexHome`, each at Codex's own relative path. */
export async function installSessions(
  codexHome: string,
  files: SessionFile[],
): Promise<void> {
  for (const file of files) {
    const target = join(codexHome, file.relative);
    await Deno.mkdir(join(target, ".."), { recursive: true });
    await Deno.copyFile(file.path, target);
  }
}

interface Home {
  path: string;
}

async function makeHome(
  root: string,
  name: string,
  baseUrl: string,
  provider: string,
): Promise<Home> {
  const path = join(root, name);
  await Deno.mkdir(path, { recursive: true });
  await Deno.writeTextFile(
    join(path, "config.toml"),
    mockProviderConfig(baseUrl, provider),
  );
  return { path };
}

async function runCodex(
  launcher: string,
  home: Home,
  cwd: string,
  args: string[],
): Promise<string> {
  const output = await new Deno.Command(launcher, {
    args: ["exec", "--skip-git-repo-check", ...args],
    cwd,
    env: codexEnv(home.path, {
      WAYPOINT_MOCK_KEY: "mock-key",
      DENO_DIR: await denoDir(),
      WAYPOINT_NO_UPDATE_CHECK: "1",
    }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    throw new Error(
      `codex ${args.join(" ")} failed (${output.code}): ${
        stderr.trim().split("\n").slice(-5).join(" | ")
      }`,
    );
  }
  const id = stderr.match(/session id: ([0-9a-f-]{36})/)?.[1];
  if (!id) throw new Error(`codex printed no session id: ${stderr}`);
  return id;
}

async function findTranscript(home: Home, id: string): Promise<string> {
  const walk = async (dir: string): Promise<string | undefined> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) {
        const found = await walk(path);
        if (found) return found;
      } else if (entry.name.endsWith(`${id}.jsonl`)) return path;
    }
    return undefined;
  };
  const path = await walk(join(home.path, "sessions"));
  if (!path) throw new Error(`no transcript for session ${id}`);
  return path;
}

/** Runs one session: a first prompt, then each further prompt as a resume. */
async function session(
  launcher: string,
  home: Home,
  cwd: string,
  prompts: string[],
  compactBeforeLast = false,
  firstArgs: string[] = [],
): Promise<SessionFile> {
  const id = await runCodex(launcher, home, cwd, [...firstArgs, prompts[0]]);
  for (const [index, prompt] of prompts.slice(1).entries()) {
    const last = index === prompts.length - 2;
    const limit = compactBeforeLast && last
      ? ["-c", "model_auto_compact_token_limit=2000"]
      : [];
    await runCodex(launcher, home, cwd, [...limit, "resume", id, prompt]);
  }
  const path = await findTranscript(home, id);
  return { id, path, relative: relative(home.path, path), prompts };
}

/** Keeps only the first line (`session_meta`) of a real transcript. */
async function cutAfterHeader(file: SessionFile): Promise<SessionFile> {
  const text = await Deno.readTextFile(file.path);
  const header = text.slice(0, text.indexOf("\n") + 1);
  if (!header.includes('"session_meta"')) {
    throw new Error(`${basename(file.path)} does not start with session_meta`);
  }
  await Deno.writeTextFile(file.path, header);
  return { ...file, prompts: [] };
}

async function generate(): Promise<CodexSessions> {
  const started = performance.now();
  const launcher = await ensureCodex();
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "waypoint-codex-sessions-" }),
  );
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(root, { recursive: true });
    } catch {
      // Already gone.
    }
  });
  const repo = join(root, "repo");
  await Deno.mkdir(join(repo, "sub"), { recursive: true });
  const mock = startMockResponses();
  try {
    const local = await makeHome(root, "home-local", mock.baseUrl, "mock");
    const remote = await makeHome(root, "home-remote", mock.baseUrl, "OpenAI");
    const multiTurn = await session(launcher, local, repo, [
      "Plan the parser port: list the modules first.",
      "Start with the lexer and keep its tests beside it.",
      "Now wire the lexer into the CLI entry point.",
    ]);
    const secrets = await session(launcher, local, repo, [
      `Use this GitHub token for the release: ${PASTED_SECRETS[0]}`,
      `And the OpenAI key is ${PASTED_SECRETS[1]} for the evals.`,
    ]);
    const subfolder = await session(launcher, local, join(repo, "sub"), [
      "Inside sub/, rename the helper module.",
      "Update the imports that pointed at the old helper name.",
    ]);
    const localCompaction = await session(launcher, local, repo, [
      "Local one: measure the cold start of the binary.",
      "Local two: cache the parsed config between runs.",
      "Local three: after the compaction, profile the cache.",
    ], true);
    // The agent's bootstrap: `waypoint context` run by Codex itself. The
    // command needs to write `.waypoint/context/`, hence full access (the
    // repo is a throwaway and the command is fixed by the mock).
    await Deno.mkdir(join(repo, ".waypoint"), { recursive: true });
    await Deno.writeTextFile(
      join(repo, ".waypoint", "config.toml"),
      EMBEDDED_TEMPLATES[".waypoint/config.toml"].content,
    );
    const command = `'${Deno.execPath()}' run -A --quiet '${MAIN_TS}' context`;
    const bootstrapSession = await session(
      launcher,
      local,
      repo,
      [`${RUN_PREFIX}${command}`],
      false,
      ["-s", "danger-full-access"],
    );
    const bootstrap = {
      ...bootstrapSession,
      recentThread: await Deno.readTextFile(
        join(repo, ".waypoint", "context", "RECENT_THREAD.md"),
      ).catch(() => ""),
      commandOutput: mock.commandOutputs.join("\n"),
    };
    const remoteCompaction = await session(launcher, remote, repo, [
      "Remote one: draft the changelog entry.",
      "Remote two: list the breaking changes in it.",
      "Remote three: after the compaction, publish the draft.",
    ], true);
    const brandNew = await cutAfterHeader(
      await session(launcher, local, repo, ["This first message is cut off."]),
    );
    if (
      mock.counts.localSummaries !== 1 || mock.counts.remoteCompactions !== 1
    ) {
      throw new Error(
        `expected one compaction on each path, the mock saw ${
          JSON.stringify(mock.counts)
        }`,
      );
    }
    return {
      root,
      repo,
      multiTurn,
      localCompaction,
      remoteCompaction,
      subfolder,
      secrets,
      bootstrap,
      brandNew,
      generationMs: performance.now() - started,
    };
  } finally {
    await mock.close();
  }
}
