/**
 * Rebuilds both routing indexes, writing only files whose content changed,
 * and only where nothing is or an index waypoint generated is.
 *
 * @module
 */
import type { WaypointConfig } from "../config.ts";
import {
  problemAbout,
  type Repo,
  repoDirname,
  type RepoView,
} from "../fs/mod.ts";
import { describeError } from "../errors.ts";
import {
  closeDocsScan,
  type DocsScan,
  renderDocsIndex,
  scanDocs,
} from "./docs.ts";
import { contentOf, type IndexContent, judgeIndexTarget } from "./generated.ts";
import {
  renderTracksIndex,
  scanTracks,
  TRACK_DIR,
  TRACKS_INDEX_PATH,
  type TracksScan,
} from "./tracks.ts";
import { createReader, LENIENT_FIX, lenientMessage } from "./read.ts";

/** A problem met while indexing, with a repo-relative path. */
export interface IndexProblem {
  path: string;
  /** 1-based line in the file, when the problem is on one line. */
  line?: number;
  message: string;
}

/** One warning line's text for a problem: `path[:line]: message`. */
export function formatIndexProblem(problem: IndexProblem): string {
  return `${problem.path}${
    problem.line ? `:${problem.line}` : ""
  }: ${problem.message}`;
}

/** What {@link syncIndexes} did. */
export interface SyncResult {
  /** Index files rewritten because their content changed. */
  written: string[];
  /** Index files already up to date. */
  unchanged: string[];
  /** Repo-relative paths of active, blocked or paused trackers. */
  activeTrackers: string[];
  /** Unreadable, binary or non-UTF-8 files, symlinks and special files that were skipped, unusable roots. */
  problems: IndexProblem[];
  /** Docs and trackers left out of an index because their frontmatter is not routable, with the reasons. */
  skipped: IndexProblem[];
  /** Docs indexed as the old line format reads them, though strict YAML refuses them (`message` names the line). */
  lenient: IndexProblem[];
  /** Index files not written because something other than a waypoint index is there. */
  refused: IndexProblem[];
}

/**
 * The rendered indexes and the scans behind them (shared by sync and
 * doctor). The docs index reads from the scan's listings: call
 * {@link closeRendered} when done with it.
 */
export interface RenderedIndexes {
  docs: DocsScan;
  tracks: TracksScan;
  /** `undefined` when the docs index feature is off. */
  docsIndex?: RenderedIndex;
  tracksIndex: RenderedIndex;
}

/** One index file as it should be: its repo path and its UTF-8 content. */
export interface RenderedIndex {
  path: string;
  content: IndexContent;
}

/** Scans docs and trackers and renders both indexes without writing anything. */
export async function renderIndexes(
  repo: RepoView,
  config: WaypointConfig,
): Promise<RenderedIndexes> {
  const reader = createReader(repo);
  const docs = await scanDocs(repo, config.docsDirs, reader);
  let tracks: TracksScan;
  try {
    tracks = await scanTracks(repo, reader);
  } catch (error) {
    closeDocsScan(docs);
    throw error;
  }
  reader.finish();
  return {
    docs,
    tracks,
    docsIndex: config.features.docsIndex
      ? { path: config.docsIndexFile, content: renderDocsIndex(docs) }
      : undefined,
    tracksIndex: {
      path: TRACKS_INDEX_PATH,
      content: contentOf(renderTracksIndex(tracks)),
    },
  };
}

/** Releases what {@link renderIndexes} holds (the docs listings' temporary files). */
export function closeRendered(rendered: RenderedIndexes): void {
  closeDocsScan(rendered.docs);
}

/** Every warning a scan holds, as `sync` prints them (shared with callers that print). */
export function indexWarnings(
  rendered: RenderedIndexes,
): Pick<SyncResult, "problems" | "skipped" | "lenient"> {
  const problems = [...rendered.docs.problems, ...rendered.tracks.problems];
  for (const docsRoot of rendered.docs.roots) {
    if (docsRoot.state === "not-directory") {
      problems.push({
        path: docsRoot.root,
        message: docsRoot.problem ?? "docs root is a file, not a directory",
      });
    }
  }
  if (rendered.tracks.state === "not-directory") {
    problems.push({
      path: TRACK_DIR,
      message: "track folder is a file, not a directory",
    });
  }
  const skipped = [...rendered.docs.invalid, ...rendered.tracks.invalid].map((
    doc,
  ) => ({
    path: doc.path,
    message: `left out of the index: ${doc.reasons.join("; ")}`,
  }));
  const lenient = [...rendered.docs.lenient, ...rendered.tracks.lenient].map((
    doc,
  ) => ({
    path: doc.path,
    line: doc.line,
    message: `${lenientMessage(doc)}; ${LENIENT_FIX}`,
  }));
  return { problems, skipped, lenient };
}

/** Rebuilds `DOCS_INDEX.md` and `TRACKS_INDEX.md` below `root`. */
export async function syncIndexes(
  repo: Repo,
  config: WaypointConfig,
): Promise<SyncResult> {
  const rendered = await renderIndexes(repo, config);
  try {
    return writeIndexes(repo, rendered);
  } finally {
    closeRendered(rendered);
  }
}

function writeIndexes(repo: Repo, rendered: RenderedIndexes): SyncResult {
  const result: SyncResult = {
    written: [],
    unchanged: [],
    activeTrackers: rendered.tracks.trackers.filter((t) => t.active).map((t) =>
      t.path
    ),
    ...indexWarnings(rendered),
    refused: [],
  };
  const indexes = [rendered.docsIndex, rendered.tracksIndex].filter((
    index,
  ) => index !== undefined);
  // Temp files a killed run left beside the indexes go before new ones are written.
  repo.removeStaleTemps(indexes.map((index) => repoDirname(index.path)));
  for (const index of indexes) {
    const target = judgeIndexTarget(repo, index.path, index.content);
    if (target.kind === "refused") {
      result.refused.push({ path: index.path, message: target.problem });
      continue;
    }
    if (target.kind === "current") {
      result.unchanged.push(index.path);
      continue;
    }
    try {
      repo.write(index.path, index.content);
    } catch (error) {
      result.refused.push({
        path: index.path,
        message: problemAbout(error, index.path) ?? describeError(error),
      });
      continue;
    }
    result.written.push(index.path);
  }
  return result;
}
