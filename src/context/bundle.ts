/**
 * Composes the whole context bundle and writes it. Composing only reads
 * (files, git, gh, transcripts); writing is a separate step that replaces
 * each file atomically.
 *
 * @module
 */
import { visible } from "../visible.ts";
import type { WaypointConfig } from "../config.ts";
import { syncIndexes, type SyncResult } from "../indexes/sync.ts";
import type { Repo, RepoView } from "../fs/mod.ts";
import { currentDateTime } from "./datetime.ts";
import type { ZoneNames } from "./zone_names.ts";
import {
  type CommitLog,
  type GitSections,
  gitSections,
  renderRecentCommits,
} from "./git.ts";
import {
  activeTrackers,
  CONTEXT_DIR,
  type ContextFile,
  contextPath,
  manifest,
} from "./manifest.ts";
import { nestedRepos } from "./nested_repos.ts";
import { pullRequests } from "./pull_requests.ts";
import {
  type RestoredThread,
  restoreThread,
  type SessionSource,
} from "./recent_thread.ts";
import { redactSecrets } from "./redact.ts";

/** Inputs of the bundle beyond the repository itself. */
export interface BundleOptions {
  /** The Codex home to read transcripts from. */
  codexHome: string;
  /** Thread to restore (else the newest thread of this repository). */
  threadId?: string;
  /** The current thread's transcript, when the caller knows it (a hook does). */
  transcriptPath?: string;
  /** Look the thread id up by file name only (a hook's thread may not be written yet). */
  nameOnly?: boolean;
  /** Why a SessionStart hook fired, when one did. */
  source?: SessionSource;
  /** The moment the bundle describes. */
  now: Date;
  /** Both git sections, when the caller started them already (the hook does). */
  git?: GitSections;
  /** The local zone's names at `now`, when the caller looked them up already (the hook does). */
  zone?: ZoneNames;
}

/** One file of the bundle, repo-relative. */
export interface BundleFile {
  path: string;
  content: string;
}

/** What {@link buildBundle} did. */
export interface BundleResult {
  /** Files written, in manifest order. */
  files: string[];
  /** The index rebuild that ran alongside. */
  sync: SyncResult;
}

/** The files composed independently of the index rebuild. */
export type SectionFile = Exclude<
  ContextFile,
  "ACTIVE_TRACKERS.md" | "MANIFEST.md"
>;

/**
 * The bundle's work, started at once and awaited separately, so a caller
 * with a deadline (the hook) can use what finished and skip the rest. The
 * commit log and the restored thread are also kept as data for a shorter
 * rendering.
 */
export interface BundleJobs {
  sections: Record<SectionFile, Promise<string>>;
  commits: Promise<CommitLog>;
  thread: Promise<RestoredThread>;
}

/** Starts composing every section that does not depend on the index rebuild. */
export function startSections(
  repo: RepoView,
  options: BundleOptions,
): BundleJobs {
  const git = options.git ?? gitSections(repo.root);
  const commits = git.commits;
  const thread = restoreThread({
    repoRoot: repo.root,
    codexHome: options.codexHome,
    threadId: options.threadId,
    transcriptPath: options.transcriptPath,
    nameOnly: options.nameOnly,
    source: options.source,
  });
  return {
    sections: {
      "CURRENT_DATETIME.md": Promise.resolve(
        currentDateTime(options.now, options.zone),
      ),
      "UNCOMMITTED_CHANGES.md": git.changes,
      "RECENT_COMMITS.md": commits.then(renderRecentCommits),
      "NESTED_REPOS.md": nestedRepos(repo),
      "PULL_REQUESTS.md": pullRequests(repo.root),
      "RECENT_THREAD.md": thread.then((result) => result.markdown),
    },
    commits,
    thread,
  };
}

/** Composes the sections that do not depend on the index rebuild. */
export async function composeSections(
  repo: RepoView,
  options: BundleOptions,
): Promise<BundleFile[]> {
  const { sections } = startSections(repo, options);
  const names = Object.keys(sections) as SectionFile[];
  const contents = await Promise.all(names.map((name) => sections[name]));
  return names.map((name, index) => ({
    path: contextPath(name),
    content: contents[index],
  }));
}

/** The two files that come from the index rebuild's trackers. */
export function trackerFiles(
  config: WaypointConfig,
  trackers: string[],
  now: Date,
): BundleFile[] {
  return [
    {
      path: contextPath("ACTIVE_TRACKERS.md"),
      content: activeTrackers(trackers),
    },
    {
      path: contextPath("MANIFEST.md"),
      content: manifest(config, trackers, now),
    },
  ];
}

/**
 * Writes bundle files atomically below `root`: {@link clearBundleTemps},
 * then {@link writeBundleFile} for each, in order.
 */
export function writeBundle(
  repo: Repo,
  files: BundleFile[],
): void {
  clearBundleTemps(repo);
  for (const file of files) writeBundleFile(repo, file);
}

/** Removes temp files an interrupted write left in the bundle folder; run before writing. */
export function clearBundleTemps(repo: Repo): void {
  repo.removeStaleTemps([CONTEXT_DIR]);
}

/**
 * Writes one bundle file atomically below `root`. Every file goes through
 * the same secret redaction on the way out, whichever section it is
 * (thread, commits, branch and file names, nested repos, PR titles, doc
 * summaries), so no section can forget it; then through {@link visible}, so
 * no control character (an ESC from a commit subject, a bidi override in a
 * branch name) lands in a file the agent and the user read. A file whose
 * text did not change is left as it is, so its mtime says when it last did.
 */
export function writeBundleFile(repo: Repo, file: BundleFile): void {
  repo.write(file.path, visible(redactSecrets(file.content), { lines: true }), {
    skipUnchanged: true,
  });
}

/** Rebuilds both indexes, composes every context file and writes them. */
export async function buildBundle(
  repo: Repo,
  config: WaypointConfig,
  options: BundleOptions,
): Promise<BundleResult> {
  const [sync, sections] = await Promise.all([
    syncIndexes(repo, config),
    composeSections(repo, options),
  ]);
  const files: BundleFile[] = [
    ...sections,
    ...trackerFiles(config, sync.activeTrackers, options.now),
  ];
  writeBundle(repo, files);
  return { files: files.map((file) => file.path), sync };
}
