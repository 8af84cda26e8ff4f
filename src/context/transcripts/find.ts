/**
 * Locating Codex transcripts and choosing the one to restore. Only the
 * session header (`header.ts`) is read;
 * file names are used to order candidates newest first so the search can
 * stop early (names that do not parse are always checked), and to supply the
 * thread id when a header lacks one.
 *
 * @module
 */
import { join, resolve, sep } from "../../path.ts";
import { readHeader, type SessionHeader, uuidV7Time } from "./header.ts";
import { type Candidate, DirListings, walkTranscripts } from "./walk.ts";

/**
 * File names carry local time while headers carry UTC: a name may be up to
 * 14 hours either side of the header. Keep reading candidates until names are
 * this much older than the best match.
 */
const NAME_TIME_SLACK_MS = 26 * 60 * 60 * 1000;

/** Headers read at once. */
const BATCH = 8;

/** Resolves a path through symlinks when it exists, else lexically. */
async function realOrResolved(
  path: string,
  cache: Map<string, Promise<string>>,
): Promise<string> {
  let pending = cache.get(path);
  if (!pending) {
    pending = Deno.realPath(path).catch(() => resolve(path));
    cache.set(path, pending);
  }
  return await pending;
}

function isSameOrInside(path: string, root: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}

/** Which transcript to restore, if any. */
export type Selection =
  | { kind: "found"; path: string; header: SessionHeader; scanned: number }
  | { kind: "none"; scanned: number; searched: string[] };

/** Inputs of {@link selectSession}. */
export interface SelectOptions {
  /** The Codex home directory (holding `sessions/` and `archived_sessions/`). */
  codexHome: string;
  /** The repository root; sessions started in it or below it match. */
  repoRoot: string;
  /** Restore exactly this thread instead. */
  threadId?: string;
  /**
   * Look for `threadId` only among files named with it, as Codex names
   * every transcript: the hook asks for a thread that may not be written
   * yet, and reading every header of a long history to prove it is absent
   * would make a new session's start grow with the history.
   */
  nameOnly?: boolean;
  /** Listings an earlier walk of the same lookup made (see {@link DirListings}). */
  listings?: DirListings;
}

/** The directories searched below a Codex home. */
export function transcriptRoots(home: string): string[] {
  return [join(home, "sessions"), join(home, "archived_sessions")];
}

/** Reads the headers of `batch` concurrently. */
function readHeaders(
  batch: Candidate[],
): Promise<(SessionHeader | undefined)[]> {
  return Promise.all(batch.map((candidate) => readHeader(candidate.path)));
}

/**
 * Chooses the session to restore: the one whose header id equals
 * `threadId` when given, else the newest (by header timestamp) whose cwd is
 * the repo root or inside it, comparing real paths.
 */
export async function selectSession(
  options: SelectOptions,
): Promise<Selection> {
  if (options.threadId !== undefined) {
    return await selectById(
      transcriptRoots(options.codexHome),
      options.threadId,
      options.nameOnly ?? false,
      options.listings,
    );
  }
  const found = await findRepoThreads({ ...options, count: 1 });
  const [best] = found.threads;
  return best
    ? { kind: "found", ...best, scanned: found.scanned }
    : { kind: "none", scanned: found.scanned, searched: found.searched };
}

/** Inputs of {@link findRepoThreads}. */
export interface RepoThreadOptions {
  /** The Codex home directory (holding `sessions/` and `archived_sessions/`). */
  codexHome: string;
  /** The repository root; sessions started in it or below it match. */
  repoRoot: string;
  /** How many threads to return at most. */
  count: number;
  /** Only threads that started no later than this one, and not it. */
  before?: SessionHeader;
  /** Listings an earlier walk of the same lookup made (see {@link DirListings}). */
  listings?: DirListings;
}

/** What {@link findRepoThreads} found. */
export interface RepoThreads {
  /** Newest first. */
  threads: Found[];
  /** Headers read. */
  scanned: number;
  /** The directories searched. */
  searched: string[];
}

/** A search for a repository's threads that reads headers only as far as asked. */
export interface RepoThreadSearch {
  /**
   * The next thread, newest first (by header timestamp, ties by path), or
   * undefined when there is none left.
   */
  next(): Promise<Found | undefined>;
  /** Headers read so far. */
  scanned(): number;
  /** The directories searched. */
  searched: string[];
}

/** Newest first; a stable order for equal times keeps runs repeatable. */
function newerFirst(a: Found, b: Found): number {
  return b.header.time - a.header.time || (a.path < b.path ? 1 : -1);
}

/**
 * Starts a search for the threads whose cwd is the repo root or inside it,
 * comparing real paths. Subagent threads are left out: they belong to the
 * thread that spawned them. A thread is given out once no unread transcript
 * can be newer, so a caller that stops after the first has read only the
 * headers that first needed.
 */
export function searchRepoThreads(
  options: Omit<RepoThreadOptions, "count">,
): RepoThreadSearch {
  const searched = transcriptRoots(options.codexHome);
  const realPaths = new Map<string, Promise<string>>();
  let roots: Promise<Set<string>> | undefined;
  const before = options.before;
  const eligible = async (header: SessionHeader) => {
    if (header.cwd === "" || header.subagent) return false;
    if (before) {
      if (header.id.toLowerCase() === before.id.toLowerCase()) return false;
      if (header.time > before.time) return false;
    }
    roots ??= realOrResolved(options.repoRoot, realPaths).then((real) =>
      new Set([resolve(options.repoRoot), real])
    );
    const lexical = resolve(header.cwd);
    const real = await realOrResolved(header.cwd, realPaths);
    return [...await roots].some((root) =>
      isSameOrInside(real, root) || isSameOrInside(lexical, root)
    );
  };
  const walk = walkTranscripts(searched, options.listings);
  // Matches read and not given out yet, newest first.
  const pending: Found[] = [];
  let scanned = 0;
  return {
    async next() {
      while (true) {
        // Names bound file times from above: once every remaining bound is
        // older than the newest match read (with slack for local-time
        // names), no unread transcript can be newer than it.
        const threshold = pending.length > 0
          ? pending[0].header.time - NAME_TIME_SLACK_MS
          : -Infinity;
        if (pending.length > 0 && walk.peekKey() < threshold) {
          return pending.shift();
        }
        const batch: Candidate[] = [];
        while (batch.length < BATCH && walk.peekKey() >= threshold) {
          const candidate = walk.next();
          if (!candidate) break;
          batch.push(candidate);
        }
        if (batch.length === 0) return pending.shift();
        scanned += batch.length;
        const headers = await readHeaders(batch);
        for (const [index, header] of headers.entries()) {
          if (!header || !(await eligible(header))) continue;
          pending.push({ path: batch[index].path, header });
        }
        pending.sort(newerFirst);
      }
    },
    scanned: () => scanned,
    searched,
  };
}

/**
 * The newest `count` threads of {@link searchRepoThreads}, newest first.
 */
export async function findRepoThreads(
  options: RepoThreadOptions,
): Promise<RepoThreads> {
  const search = searchRepoThreads(options);
  const threads: Found[] = [];
  while (threads.length < options.count) {
    const found = await search.next();
    if (!found) break;
    threads.push(found);
  }
  return { threads, scanned: search.scanned(), searched: search.searched };
}

/**
 * Finds the thread `threadId`. Codex puts the id in the file name, so files
 * so named are checked first (and for a time-ordered UUID only those near its
 * time); when none of them has the id in its header, every header is read.
 */
async function selectById(
  searched: string[],
  threadId: string,
  nameOnly: boolean,
  listings = new DirListings(),
): Promise<Selection> {
  // Thread ids are UUIDs: compare them without regard to letter case.
  const wanted = threadId.toLowerCase();
  const idTime = uuidV7Time(threadId);
  const threshold = idTime === undefined
    ? -Infinity
    : idTime - NAME_TIME_SLACK_MS;
  let scanned = 0;
  const pick = async (
    batch: Candidate[],
    best?: Found,
  ): Promise<Found | undefined> => {
    scanned += batch.length;
    const headers = await readHeaders(batch);
    for (const [index, header] of headers.entries()) {
      if (header?.id.toLowerCase() !== wanted) continue;
      if (!best || header.time > best.header.time) {
        best = { path: batch[index].path, header };
      }
    }
    return best;
  };
  let best: Found | undefined;
  const named: Candidate[] = [];
  const byName = walkTranscripts(searched, listings);
  while (byName.peekKey() >= threshold) {
    const candidate = byName.next();
    if (!candidate) break;
    if (candidate.name.toLowerCase().includes(wanted)) named.push(candidate);
  }
  for (let index = 0; index < named.length; index += BATCH) {
    best = await pick(named.slice(index, index + BATCH), best);
  }
  if (!best && !nameOnly) {
    const all = walkTranscripts(searched, listings);
    const namedPaths = new Set(named.map((candidate) => candidate.path));
    while (true) {
      const batch: Candidate[] = [];
      while (batch.length < BATCH) {
        const candidate = all.next();
        if (!candidate) break;
        if (!namedPaths.has(candidate.path)) batch.push(candidate);
      }
      if (batch.length === 0) break;
      best = await pick(batch, best);
    }
  }
  return best
    ? { kind: "found", ...best, scanned }
    : { kind: "none", scanned, searched };
}

/** One transcript and its header. */
export interface Found {
  path: string;
  header: SessionHeader;
}
