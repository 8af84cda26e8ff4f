/**
 * Locating Codex transcripts and choosing the one to restore. Only the
 * session header (the `session_meta` line at the top of each file) is read;
 * file names are used to order candidates newest first so the search can
 * stop early (names that do not parse are always checked), and to supply the
 * thread id when a header lacks one.
 *
 * @module
 */
import { basename, join, resolve, sep } from "../../path.ts";
import { readLines } from "./lines.ts";
import { type Candidate, walkTranscripts } from "./walk.ts";

/** Identity of one transcript, from its header. */
export interface SessionHeader {
  /** Session (thread) id. */
  id: string;
  /** Working directory the session started in. */
  cwd: string;
  /** Session start as recorded, ISO 8601. */
  timestamp: string;
  /** Milliseconds since the epoch for `timestamp`, or -Infinity when unknown. */
  time: number;
  /** Whether a parent thread spawned this one (a subagent's own transcript). */
  subagent?: boolean;
}

/** Headers longer than this are treated as unreadable (Codex stores instructions there). */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** How many lines to look through for the `session_meta` line. */
const HEADER_LINES = 8;

/**
 * File names carry local time while headers carry UTC: a name may be up to
 * 14 hours either side of the header. Keep reading candidates until names are
 * this much older than the best match.
 */
const NAME_TIME_SLACK_MS = 26 * 60 * 60 * 1000;

/** Headers read at once. */
const BATCH = 8;

/** The creation time inside a UUID version 7 (Codex thread ids), if it is one. */
export function uuidV7Time(id: string): number | undefined {
  const match = id.toLowerCase().match(
    /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  if (!match) return undefined;
  return parseInt(match[1] + match[2], 16);
}

/** Parses one JSON line into an object, or undefined when it is not one. */
export function parseJsonLine(
  text: string,
): Record<string, unknown> | undefined {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (trimmed.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

const UUID_AT_END =
  /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** The thread id Codex puts at the end of a transcript's file name, if any. */
export function idFromName(name: string): string | undefined {
  return name.match(UUID_AT_END)?.[1];
}

/** Whether a `session_meta` source names a subagent (`{"subagent": …}`). */
function isSubagentSource(meta: Record<string, unknown>): boolean {
  const source = meta.source;
  if (typeof source === "object" && source !== null) {
    return Object.keys(source).some((key) =>
      key.toLowerCase().replace("_", "") === "subagent"
    );
  }
  return typeof meta.thread_source === "string" &&
    meta.thread_source.toLowerCase().replace("_", "") === "subagent";
}

/**
 * Extracts the session header from a parsed `session_meta` line. The id is
 * the header's own (`id`, else `session_id`), else `fallbackId` (from the
 * file name); without any the line names no thread.
 */
export function headerFromRecord(
  record: Record<string, unknown>,
  fallbackId?: string,
): SessionHeader | undefined {
  if (record.type !== "session_meta") return undefined;
  const payload = record.payload;
  if (typeof payload !== "object" || payload === null) return undefined;
  const meta = payload as Record<string, unknown>;
  const id = [meta.id, meta.session_id, fallbackId].find((value) =>
    typeof value === "string" && value !== ""
  ) as string | undefined;
  if (id === undefined) return undefined;
  const timestamp = typeof meta.timestamp === "string"
    ? meta.timestamp
    : typeof record.timestamp === "string"
    ? record.timestamp
    : "";
  const parsed = Date.parse(timestamp);
  return {
    id,
    cwd: typeof meta.cwd === "string" ? meta.cwd : "",
    timestamp,
    time: Number.isNaN(parsed) ? -Infinity : parsed,
    ...(isSubagentSource(meta) ? { subagent: true } : {}),
  };
}

/** Reads the session header of the transcript at `path`, or undefined when it has none. */
export async function readHeader(
  path: string,
): Promise<SessionHeader | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return undefined;
  }
  const fallbackId = idFromName(basename(path));
  try {
    // Most headers fit in one read; a synchronous read of it is the fast
    // path. The buffer is shared: it is decoded before anything awaits.
    const first = headerScratch;
    const size = file.readSync(first) ?? 0;
    const newline = first.subarray(0, size).indexOf(0x0a);
    if (newline !== -1) {
      const record = parseJsonLine(
        headerDecoder.decode(first.subarray(0, newline)),
      );
      const header = record && headerFromRecord(record, fallbackId);
      if (header) return header;
    }
    await file.seek(0, Deno.SeekMode.Start);
    let seen = 0;
    for await (
      const line of readLines(file, { maxLineBytes: MAX_HEADER_BYTES })
    ) {
      if (line.kind === "text") {
        const record = parseJsonLine(line.text);
        const header = record && headerFromRecord(record, fallbackId);
        if (header) return header;
      }
      if (++seen >= HEADER_LINES) break;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    file.close();
  }
}

const FIRST_READ_BYTES = 65_536;
// A fresh 64 KiB buffer per header cost some 40 µs (zeroed pages); reading
// 25 headers at a session start spent a millisecond on it.
const headerScratch = new Uint8Array(FIRST_READ_BYTES);
const headerDecoder = new TextDecoder("utf-8", { fatal: false });

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

/**
 * The newest `count` threads (by header timestamp) whose cwd is the repo
 * root or inside it, comparing real paths, newest first. Subagent threads
 * are left out: they belong to the thread that spawned them.
 */
export async function findRepoThreads(
  options: RepoThreadOptions,
): Promise<RepoThreads> {
  const searched = transcriptRoots(options.codexHome);
  const realPaths = new Map<string, Promise<string>>();
  const roots = new Set([
    resolve(options.repoRoot),
    await realOrResolved(options.repoRoot, realPaths),
  ]);
  const before = options.before;
  const eligible = async (header: SessionHeader) => {
    if (header.cwd === "" || header.subagent) return false;
    if (before) {
      if (header.id.toLowerCase() === before.id.toLowerCase()) return false;
      if (header.time > before.time) return false;
    }
    const lexical = resolve(header.cwd);
    const real = await realOrResolved(header.cwd, realPaths);
    return [...roots].some((root) =>
      isSameOrInside(real, root) || isSameOrInside(lexical, root)
    );
  };
  const walk = walkTranscripts(searched);
  const best: Found[] = [];
  let scanned = 0;
  while (true) {
    // Names bound file times from above: once every remaining bound is older
    // than the last match kept (with slack for local-time names), stop.
    const threshold = best.length >= options.count
      ? best[options.count - 1].header.time - NAME_TIME_SLACK_MS
      : -Infinity;
    const batch: Candidate[] = [];
    while (batch.length < BATCH && walk.peekKey() >= threshold) {
      const candidate = walk.next();
      if (!candidate) break;
      batch.push(candidate);
    }
    if (batch.length === 0) break;
    scanned += batch.length;
    const headers = await readHeaders(batch);
    for (const [index, header] of headers.entries()) {
      if (!header || !(await eligible(header))) continue;
      best.push({ path: batch[index].path, header });
    }
    // Newest first; a stable order for equal times keeps runs repeatable.
    best.sort((a, b) =>
      b.header.time - a.header.time || (a.path < b.path ? 1 : -1)
    );
    best.splice(options.count);
  }
  return { threads: best, scanned, searched };
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
  const byName = walkTranscripts(searched);
  while (byName.peekKey() >= threshold) {
    const candidate = byName.next();
    if (!candidate) break;
    if (candidate.name.toLowerCase().includes(wanted)) named.push(candidate);
  }
  for (let index = 0; index < named.length; index += BATCH) {
    best = await pick(named.slice(index, index + BATCH), best);
  }
  if (!best && !nameOnly) {
    const all = walkTranscripts(searched);
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
