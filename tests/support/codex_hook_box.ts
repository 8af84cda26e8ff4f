/**
 * A throwaway world for running whole Codex sessions against a waypoint
 * repository with the session-start hook: a git repository, a Codex home
 * whose model provider is the local Responses mock, and a `waypoint` on the
 * PATH Codex hands its hooks (a wrapper that runs this checkout's `main.ts`,
 * as a from-source install would).
 *
 * @module
 */
import { join } from "node:path";
import { codexEnv, denoDir, ensureCodex } from "./codex_cli.ts";
import { MAIN_TS, makeTempDir, removeTempDir } from "./cli.ts";
import {
  type Json,
  mockProviderConfig,
  type MockResponses,
  startMockResponses,
} from "./mock_responses.ts";
import { git, initRepo } from "./git.ts";

/** Per Codex run; the real client answers in about a second. */
const RUN_TIMEOUT_MS = 90_000;

/** One world; see {@link openHookBox}. */
export interface HookBox {
  version: string;
  launcher: string;
  base: string;
  repo: string;
  home: string;
  /** Folder put first on Codex's PATH, holding the `waypoint` wrapper. */
  bin: string;
  mock: MockResponses;
  /** Environment every Codex and waypoint run of this box gets. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Opens a box for Codex `version`: the repository has one commit by a
 * colleague, and the Codex home trusts the project (unless `trustProject`
 * is false) but no hook yet.
 */
export async function openHookBox(
  version: string,
  options: { trustProject?: boolean } = {},
): Promise<HookBox> {
  const launcher = await ensureCodex(version);
  const base = await Deno.realPath(await makeTempDir("waypoint-hook-e2e-"));
  const repo = join(base, "repo");
  const home = join(base, "codex-home");
  const bin = join(base, "bin");
  for (const dir of [repo, home, bin]) await Deno.mkdir(dir);
  await initRepo(repo, "colleague@example.com");
  await Deno.writeTextFile(join(repo, "README.md"), "# Parser service\n");
  await git(repo, "add", "README.md");
  await git(repo, "commit", "-q", "-m", "Start the parser service");
  await git(repo, "config", "user.email", "me@example.com");
  const wrapper = join(bin, "waypoint");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\nexec '${Deno.execPath()}' run -A --quiet '${MAIN_TS}' "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  const mock = startMockResponses({ lifetimeMs: 600_000 });
  const trust = options.trustProject === false
    ? ""
    : `\n[projects.${JSON.stringify(repo)}]\ntrust_level = "trusted"\n`;
  await Deno.writeTextFile(
    join(home, "config.toml"),
    mockProviderConfig(mock.baseUrl) + trust,
  );
  const env = codexEnv(home, {
    PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    WAYPOINT_MOCK_KEY: "mock-key",
    DENO_DIR: await denoDir(),
    WAYPOINT_NO_UPDATE_CHECK: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
  });
  return {
    version,
    launcher,
    base,
    repo,
    home,
    bin,
    mock,
    env,
    async close() {
      await mock.close();
      await removeTempDir(base);
    },
  };
}

/** What one `codex exec` run gave. */
export interface CodexRun {
  /** The session (thread) id Codex printed. */
  id: string;
  stderr: string;
  /** The requests the mock received during this run, in order. */
  requests: Json[];
}

/**
 * Runs `codex exec [args…] prompt` in the repository (or `resume ID prompt`
 * when `resume` is given) and returns the requests it made.
 */
export async function codexExec(
  box: HookBox,
  prompt: string,
  options: { resume?: string; args?: string[] } = {},
): Promise<CodexRun> {
  const before = box.mock.requests.length;
  const args = [
    "exec",
    "--skip-git-repo-check",
    ...(options.args ?? []),
    ...(options.resume ? ["resume", options.resume] : []),
    prompt,
  ];
  const output = await new Deno.Command(box.launcher, {
    args,
    cwd: box.repo,
    env: box.env,
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
  return { id, stderr, requests: box.mock.requests.slice(before) };
}

/** Runs waypoint (this checkout) with the box's environment. */
export async function waypointIn(
  box: HookBox,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(join(box.bin, "waypoint"), {
    args,
    cwd: box.repo,
    env: box.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** The text of every `developer` message in a request's input. */
export function developerTexts(request: Json): string[] {
  const input = Array.isArray(request.input) ? request.input : [];
  return input.flatMap((item) => {
    const message = item as Json;
    if (message?.type !== "message" || message.role !== "developer") return [];
    const content = Array.isArray(message.content) ? message.content : [];
    return content.map((part) => (part as Json)?.text).filter((
      text,
    ): text is string => typeof text === "string");
  });
}

/** The heading the hook's context starts with. */
export const HOOK_HEADING = "# Waypoint session context";

/** The waypoint hook's texts in a request (one per time it fired into this context). */
export function hookTexts(request: Json): string[] {
  return developerTexts(request).filter((text) =>
    text.startsWith(HOOK_HEADING)
  );
}
