/**
 * `waypoint context --hook`: the Codex SessionStart hook. Reads the hook
 * payload, writes the bundle as `context` does, and returns the JSON whose
 * `additionalContext` is the condensed context. It must never break a
 * session, so every step is guarded: what fails or is not ready by the
 * deadline is left out with a note, and the result is either one valid JSON
 * document or nothing.
 *
 * @module
 */
import { writeAllSync } from "../bytes.ts";
import { safeText } from "../output.ts";
import { DEFAULT_CONFIG, loadConfig, type WaypointConfig } from "../config.ts";
import { describeError } from "../errors.ts";
import { timeout } from "../timeout.ts";
import { syncIndexes } from "../indexes/sync.ts";
import { findWaypointRoot } from "./root.ts";
import { startDir, usableTranscript } from "./hook_paths.ts";
import {
  type BundleFile,
  clearBundleTemps,
  type SectionFile,
  startSections,
  trackerFiles,
  writeBundleFile,
} from "../context/bundle.ts";
import type { GitSections } from "../context/git.ts";
import { codexHome } from "../codex_home.ts";
import { localZoneNames, type ZoneNames } from "../context/zone_names.ts";
import { type HookStart, startHookEarly } from "../context/hook_early.ts";
import {
  goalFacts,
  nowLine,
  openPullRequests,
  statusFacts,
} from "../context/hook_facts.ts";
import { type HookFacts, renderHookText } from "../context/hook_text.ts";
import { type HookInput, parseHookInput } from "../context/hook_input.ts";
import { contextPath } from "../context/manifest.ts";
import { document } from "../context/markdown.ts";
import { Repo } from "../fs/mod.ts";

/** The whole mode gives up on what is not ready after this long. */
export const HOOK_DEADLINE_MS = 10_000;

/**
 * `WAYPOINT_HOOK_DEADLINE_MS` shortens the hook's deadline (tests use it to
 * prove a slow section is skipped); anything but a positive integer below
 * the default is ignored.
 */
export function hookDeadline(): number | undefined {
  const value = Number(Deno.env.get("WAYPOINT_HOOK_DEADLINE_MS"));
  return Number.isInteger(value) && value > 0 && value < HOOK_DEADLINE_MS
    ? value
    : undefined;
}

/** Inputs of {@link runHook} beyond stdin. */
export interface HookOptions {
  /** The `[dir]` operand, resolved, when given. */
  dir?: string;
  /** `--thread-id`, which wins over the payload's `session_id`. */
  threadId?: string;
  codexHome: string;
  now: Date;
  /** Override of {@link HOOK_DEADLINE_MS}. */
  deadlineMs?: number;
}

/** What the hook prints (stdout, possibly empty) and its one-line stderr notes. */
export interface HookOutcome {
  stdout: string;
  stderr: string[];
}

/** The `additionalContext` JSON document Codex reads from a SessionStart hook. */
export function hookJson(text: string): string {
  return JSON.stringify({
    hookSpecificOutput: {
      hookEventName: "SessionStart",
      additionalContext: text,
    },
  });
}

type Settled<T> = { ok: true; value: T } | { ok: false; error?: string };

/** Waits for `work` until `deadline`; a rejection or a late answer is `ok: false`. */
function settle<T>(
  work: Promise<T>,
  deadline: Promise<"late">,
): Promise<Settled<T>> {
  return Promise.race([
    work.then(
      (value): Settled<T> => ({ ok: true, value }),
      (error): Settled<T> => ({ ok: false, error: describeError(error) }),
    ),
    deadline.then((): Settled<T> => ({ ok: false })),
  ]);
}

/**
 * Writes bundle files one at a time as they are ready; after the first
 * failure nothing more is written and the failure becomes a note.
 */
function bundleWriter(repo: Repo, notes: string[]) {
  let failed = false;
  const fail = (error: unknown) => {
    failed = true;
    notes.push(`the bundle could not be written: ${describeError(error)}`);
  };
  try {
    clearBundleTemps(repo);
  } catch (error) {
    fail(error);
  }
  return {
    write(file: BundleFile): void {
      if (failed) return;
      try {
        writeBundleFile(repo, file);
      } catch (error) {
        fail(error);
      }
    },
    /** Whether every file was written. */
    done: (): boolean => !failed,
  };
}

/**
 * Work started while stdin is still arriving (its first read is mostly
 * waiting), when the caller has not started it before loading this module:
 * git in the repository the hook most likely runs in (see
 * `hook_early.ts`), and the time zone's names, which cost ICU's first load
 * (some 15 ms) when the cache does not have them. It can neither fail the
 * hook nor change what it says: the git results are used only for the root
 * the hook then finds, and the zone's names (which depend only on `now`)
 * are the ones both the bundle and the text then use.
 */
function startEarly(
  options: HookOptions,
  early?: HookStart,
): HookStart & { zone?: ZoneNames } {
  let started = early;
  let zone: ZoneNames | undefined;
  try {
    started ??= startHookEarly(
      options.dir ?? findWaypointRoot(Deno.cwd()).root ?? Deno.cwd(),
    );
    zone = localZoneNames(options.now);
  } catch {
    // Done again later, where a problem is reported.
  }
  return { ...(started ?? startHookEarly(options.dir)), zone };
}

/** Runs the hook mode with the payload `stdinText`; never throws. */
export async function hookOutcome(
  stdinText: string,
  options: HookOptions,
  stdinProblem?: string,
  early?: HookStart & { zone?: ZoneNames },
): Promise<HookOutcome> {
  const stderr: string[] = [];
  const deadlineMs = options.deadlineMs ?? HOOK_DEADLINE_MS;
  const timer = timeout(deadlineMs, "late" as const);
  const deadline = timer.promise;
  try {
    const input = parseHookInput(stdinText);
    if (stdinProblem) input.notes.push(`${stdinProblem}, so it was ignored`);
    const start = startDir(options.dir, input);
    const root = options.dir ?? findWaypointRoot(start).root;
    if (root === undefined) {
      stderr.push(
        `waypoint: context --hook: no .waypoint/config.toml at or above ${start}; nothing sent (run 'waypoint init' to set the repository up)`,
      );
      return { stdout: "", stderr };
    }
    const git = early?.git?.root === root ? early.git.sections : undefined;
    return await compose(
      root,
      input,
      options,
      { deadline, deadlineMs, git, zone: early?.zone },
      stderr,
    );
  } catch (error) {
    stderr.push(`waypoint: context --hook: ${describeError(error)}`);
    return { stdout: "", stderr };
  } finally {
    timer.cancel();
  }
}

async function compose(
  root: string,
  input: HookInput,
  options: HookOptions,
  { deadline, deadlineMs, git, zone }: {
    deadline: Promise<"late">;
    deadlineMs: number;
    git?: GitSections;
    zone?: ZoneNames;
  },
  stderr: string[],
): Promise<HookOutcome> {
  const notes = input.notes;
  const repo = Repo.open(root);
  let config: WaypointConfig | undefined;
  try {
    config = loadConfig(repo);
  } catch (error) {
    notes.push(
      `${
        describeError(error)
      }; the bundle was not written and defaults were used`,
    );
  }
  const settings = config ?? DEFAULT_CONFIG;
  // Each file is written as soon as its section is settled, so redaction
  // and the writes run while git and the index rebuild are still at work.
  const writer = config ? bundleWriter(repo, notes) : undefined;
  const transcriptPath = await usableTranscript(input);
  const threadId = options.threadId ?? input.sessionId;
  const jobs = startSections(repo, {
    codexHome: options.codexHome,
    threadId,
    transcriptPath,
    nameOnly: true,
    source: input.source,
    now: options.now,
    git,
    zone,
  });
  const sync = config
    ? settle(syncIndexes(repo, config), deadline)
    : Promise.resolve(undefined);
  const names = Object.keys(jobs.sections) as SectionFile[];
  const skipped: string[] = [];
  const seconds = `${deadlineMs / 1000} s`;
  const sectionFile = (name: SectionFile, result: Settled<string>) => {
    if (result.ok) return { path: contextPath(name), content: result.value };
    const why = result.error ?? `not ready within ${seconds}`;
    return {
      path: contextPath(name),
      content: document([
        `# ${name}`,
        `Skipped by \`waypoint context --hook\`: ${why}. Run \`waypoint context\` to rebuild it.`,
      ]),
    };
  };
  const [sections, commits, thread, synced] = await Promise.all([
    Promise.all(
      names.map((name) =>
        settle(jobs.sections[name], deadline).then((result) => {
          writer?.write(sectionFile(name, result));
          return result;
        })
      ),
    ),
    settle(jobs.commits, deadline),
    settle(jobs.thread, deadline),
    sync,
  ]);
  names.forEach((name, index) => {
    const result = sections[index];
    if (result.ok) return;
    skipped.push(
      result.error
        ? `${name} (failed: ${result.error})`
        : `${name} (not ready within ${seconds})`,
    );
  });
  const byName = (name: SectionFile) => sections[names.indexOf(name)];
  if (synced && !synced.ok) {
    skipped.push(
      synced.error
        ? `index rebuild (failed: ${synced.error})`
        : `index rebuild (not ready within ${seconds})`,
    );
  }
  const trackers = synced?.ok ? synced.value.activeTrackers : undefined;
  if (config && writer) {
    for (const file of trackerFiles(config, trackers ?? [], options.now)) {
      writer.write(file);
    }
  }
  const bundleWritten = writer?.done() ?? false;
  const changes = byName("UNCOMMITTED_CHANGES.md");
  const prs = byName("PULL_REQUESTS.md");
  const facts: HookFacts = {
    source: input.source,
    now: nowLine(options.now, zone),
    status: changes.ok ? statusFacts(changes.value) : undefined,
    goal: goalFacts(repo, settings),
    trackers,
    thread: thread.ok ? thread.value : undefined,
    commits: commits.ok ? commits.value : undefined,
    pullRequests: prs.ok ? openPullRequests(prs.value) : undefined,
    skipped,
    notes,
    bundleWritten,
  };
  const text = renderHookText(facts, settings.context.hookBudget);
  for (const note of notes) stderr.push(`waypoint: context --hook: ${note}`);
  if (skipped.length > 0) {
    stderr.push(`waypoint: context --hook: skipped: ${skipped.join(", ")}`);
  }
  return { stdout: hookJson(text), stderr };
}

/**
 * `waypoint context --hook` with no other argument, the command line `init`
 * installs: run straight from the entry point, with `early` started there
 * before this module was loaded.
 */
export function runHookCommand(early: HookStart): Promise<number> {
  return runHook({
    codexHome: codexHome(),
    now: new Date(),
    deadlineMs: hookDeadline(),
  }, early);
}

/**
 * Reads stdin (or takes the read `early` began), runs the mode and writes
 * its output: stdout once, at the end.
 */
export async function runHook(
  options: HookOptions,
  early?: HookStart,
): Promise<number> {
  let outcome: HookOutcome;
  try {
    const started = startEarly(options, early);
    const stdin = await started.stdin;
    outcome = await hookOutcome(stdin.text, options, stdin.problem, started);
  } catch (error) {
    outcome = {
      stdout: "",
      stderr: [`waypoint: context --hook: ${describeError(error)}`],
    };
  }
  if (outcome.stdout !== "") {
    try {
      writeAllSync(
        Deno.stdout,
        new TextEncoder().encode(outcome.stdout + "\n"),
      );
    } catch (error) {
      outcome.stderr.push(
        `waypoint: context --hook: stdout could not be written: ${
          describeError(error)
        }`,
      );
    }
  }
  try {
    const lines = outcome.stderr.map((line) =>
      safeText(line.replace(/\s+/g, " "))
    );
    if (lines.length > 0) {
      writeAllSync(
        Deno.stderr,
        new TextEncoder().encode(lines.join("\n") + "\n"),
      );
    }
  } catch {
    // Nowhere left to say it.
  }
  return 0;
}
