/**
 * Rebuilds both routing indexes, writing only files whose content changed.
 *
 * @module
 */
import type { WaypointConfig } from "../config.ts";
import { type DocsScan, renderDocsIndex, scanDocs } from "./docs.ts";
import {
  inspectKind,
  renderTracksIndex,
  scanTracks,
  TRACKS_INDEX_PATH,
  type TracksScan,
} from "./tracks.ts";
import { createReader } from "./read.ts";
import {
  readRepoText,
  removeStaleTemps,
  repoDirname,
  writeRepoFile,
} from "../fs/mod.ts";

/** A problem met while indexing, with a repo-relative path. */
export interface IndexProblem {
  path: string;
  message: string;
}

/** What {@link syncIndexes} did. */
export interface SyncResult {
  /** Index files rewritten because their content changed. */
  written: string[];
  /** Index files already up to date. */
  unchanged: string[];
  /** Repo-relative paths of active, blocked or paused trackers. */
  activeTrackers: string[];
  /** Unreadable, binary or non-UTF-8 files and symlink loops that were skipped. */
  problems: IndexProblem[];
}

/** The rendered indexes and the scans behind them (shared by sync and doctor). */
export interface RenderedIndexes {
  docs: DocsScan;
  tracks: TracksScan;
  /** `undefined` when the docs index feature is off. */
  docsIndex?: { path: string; content: string };
  tracksIndex: { path: string; content: string };
}

/** Scans docs and trackers and renders both indexes without writing anything. */
export async function renderIndexes(
  root: string,
  config: WaypointConfig,
): Promise<RenderedIndexes> {
  const reader = createReader(root);
  const docs = await scanDocs(root, config.docsDirs, reader);
  const tracks = await scanTracks(root, reader);
  await reader.finish();
  return {
    docs,
    tracks,
    docsIndex: config.features.docsIndex
      ? { path: config.docsIndexFile, content: renderDocsIndex(docs) }
      : undefined,
    tracksIndex: {
      path: TRACKS_INDEX_PATH,
      content: renderTracksIndex(tracks),
    },
  };
}

/** Rebuilds `DOCS_INDEX.md` and `TRACKS_INDEX.md` below `root`. */
export async function syncIndexes(
  root: string,
  config: WaypointConfig,
): Promise<SyncResult> {
  const rendered = await renderIndexes(root, config);
  const result: SyncResult = {
    written: [],
    unchanged: [],
    activeTrackers: rendered.tracks.trackers.filter((t) => t.active).map((t) =>
      t.path
    ),
    problems: [...rendered.docs.problems, ...rendered.tracks.problems],
  };
  for (const docsRoot of rendered.docs.roots) {
    if (docsRoot.state === "not-directory") {
      result.problems.push({
        path: docsRoot.root,
        message: inspectKind(root, docsRoot.root) === "symlink"
          ? "docs root is a symlink; waypoint does not follow it"
          : "docs root is a file, not a directory",
      });
    }
  }
  if (rendered.tracks.state === "not-directory") {
    result.problems.push({
      path: ".waypoint/track",
      message: inspectKind(root, ".waypoint/track") === "symlink"
        ? "track folder is a symlink; waypoint does not follow it"
        : "track folder is a file, not a directory",
    });
  }
  const indexes = [rendered.docsIndex, rendered.tracksIndex].filter((
    index,
  ) => index !== undefined);
  // Temp files a killed run left beside the indexes go before new ones are written.
  removeStaleTemps(root, indexes.map((index) => repoDirname(index.path)));
  for (const index of indexes) {
    let current: string | undefined;
    try {
      current = readRepoText(root, index.path);
    } catch {
      current = undefined;
    }
    if (current === index.content) {
      result.unchanged.push(index.path);
      continue;
    }
    writeRepoFile(root, index.path, index.content);
    result.written.push(index.path);
  }
  return result;
}
