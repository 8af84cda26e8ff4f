/**
 * A lazy, newest-first walk over transcript directories. Codex names day
 * directories `YYYY/MM/DD` and files `rollout-<time>-<id>.jsonl`; those names
 * give each directory and file an upper bound on its time, used only to order
 * the walk so a search can stop before listing old directories. Anything
 * whose name carries no date inherits its parent's bound (or none), so it is
 * always visited before the walk can stop.
 *
 * @module
 */
import { join } from "../../path.ts";

/** A transcript file found by the walk. */
export interface Candidate {
  path: string;
  /** File name without directories. */
  name: string;
  /** Upper bound on the file's time from names (ms, read as UTC); Infinity when unknown. */
  key: number;
}

interface DirNode {
  kind: "dir";
  path: string;
  key: number;
  /** Date parts read from ancestor names: [], [year], [year, month]. */
  date: number[];
  depth: number;
}

interface FileNode extends Candidate {
  kind: "file";
}

type Node = DirNode | FileNode;

/** Directories nested deeper than this are not walked (Codex uses 3 levels). */
const MAX_DEPTH = 8;

const NAME_TIME =
  /(\d{4})-(\d{2})-(\d{2})T(\d{2})[-:](\d{2})[-:](\d{2})(?:[.,]\d+)?/;

/** Reads the time in a Codex file name (`rollout-2026-01-31T09-15-02-<id>.jsonl`) as UTC. */
export function nameTime(name: string): number | undefined {
  const match = name.match(NAME_TIME);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(time) ? undefined : time;
}

/** The last millisecond a `YYYY`, `MM` or `DD` directory can hold, given its ancestors. */
function dirBound(
  name: string,
  date: number[],
): { key: number; date: number[] } | undefined {
  if (date.length === 0 && /^\d{4}$/.test(name)) {
    const year = Number(name);
    return { key: Date.UTC(year + 1, 0, 1) - 1, date: [year] };
  }
  if (date.length === 1 && /^\d{2}$/.test(name)) {
    const month = Number(name);
    if (month < 1 || month > 12) return undefined;
    return { key: Date.UTC(date[0], month, 1) - 1, date: [date[0], month] };
  }
  if (date.length === 2 && /^\d{2}$/.test(name)) {
    const day = Number(name);
    if (day < 1 || day > 31) return undefined;
    return {
      key: Date.UTC(date[0], date[1] - 1, day + 1) - 1,
      date: [...date, day],
    };
  }
  return undefined;
}

/** The walk; see {@link walkTranscripts}. */
export interface TranscriptWalk {
  /** Upper bound on the time of every file not yet returned; -Infinity when done. */
  peekKey(): number;
  /** The next file, newest bound first; undefined when the walk is done. */
  next(): Candidate | undefined;
  /** How many directories were listed so far. */
  listed(): number;
}

/** One directory as a walk listed it: its real path and its entries. */
interface ListedDir {
  real: string;
  entries: Deno.DirEntry[];
}

/**
 * Directory listings kept for the walks of one lookup: a hook's thread
 * lookup walks the newest day folders twice (the thread by its id, then
 * the repository's previous thread), and the second walk reads them from
 * here instead of listing them again.
 */
export class DirListings {
  readonly #listed = new Map<string, ListedDir | undefined>();

  /** The listing of `path` (undefined when it cannot be listed), listed once. */
  list(path: string): ListedDir | undefined {
    if (this.#listed.has(path)) return this.#listed.get(path);
    const listed = listDir(path);
    this.#listed.set(path, listed);
    return listed;
  }
}

function listDir(path: string): ListedDir | undefined {
  try {
    const real = Deno.realPathSync(path);
    return { real, entries: Array.from(Deno.readDirSync(path)) };
  } catch {
    return undefined;
  }
}

/**
 * Starts a walk over the `*.jsonl` files below `roots`. Symlinked
 * directories are followed once each (by real path), so loops end.
 * `listings` lends the listings an earlier walk of the same lookup made.
 */
export function walkTranscripts(
  roots: string[],
  listings: DirListings = new DirListings(),
): TranscriptWalk {
  const heap: Node[] = [];
  const seen = new Set<string>();
  let listedDirs = 0;
  for (const root of roots) {
    push(heap, { kind: "dir", path: root, key: Infinity, date: [], depth: 0 });
  }

  const expand = (dir: DirNode) => {
    const listed = listings.list(dir.path);
    if (!listed || seen.has(listed.real)) return;
    seen.add(listed.real);
    listedDirs++;
    for (const entry of listed.entries) {
      const path = join(dir.path, entry.name);
      let isDir = entry.isDirectory;
      let isFile = entry.isFile;
      if (entry.isSymlink) {
        try {
          const target = Deno.statSync(path);
          isDir = target.isDirectory;
          isFile = target.isFile;
        } catch {
          continue;
        }
      }
      if (isFile && entry.name.endsWith(".jsonl")) {
        const time = nameTime(entry.name);
        push(heap, {
          kind: "file",
          path,
          name: entry.name,
          key: time === undefined ? dir.key : Math.min(time, dir.key),
        });
      } else if (isDir && dir.depth < MAX_DEPTH) {
        const bound = dirBound(entry.name, dir.date);
        push(heap, {
          kind: "dir",
          path,
          key: bound ? Math.min(bound.key, dir.key) : dir.key,
          date: bound ? bound.date : dir.date,
          depth: dir.depth + 1,
        });
      }
    }
  };

  return {
    peekKey: () => heap.length === 0 ? -Infinity : heap[0].key,
    next() {
      while (heap.length > 0) {
        const node = pop(heap);
        if (node.kind === "file") {
          return { path: node.path, name: node.name, key: node.key };
        }
        expand(node);
      }
      return undefined;
    },
    listed: () => listedDirs,
  };
}

// A binary max-heap on `key`; ties put directories first so their files
// compete with same-key files, then order by path, newest name first.
function above(a: Node, b: Node): boolean {
  if (a.key !== b.key) return a.key > b.key;
  if (a.kind !== b.kind) return a.kind === "dir";
  return a.path > b.path;
}

function push(heap: Node[], node: Node): void {
  heap.push(node);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!above(heap[index], heap[parent])) break;
    [heap[index], heap[parent]] = [heap[parent], heap[index]];
    index = parent;
  }
}

function pop(heap: Node[]): Node {
  const top = heap[0];
  const last = heap.pop() as Node;
  if (heap.length > 0) {
    heap[0] = last;
    let index = 0;
    while (true) {
      const left = 2 * index + 1;
      const right = left + 1;
      let best = index;
      if (left < heap.length && above(heap[left], heap[best])) best = left;
      if (right < heap.length && above(heap[right], heap[best])) best = right;
      if (best === index) break;
      [heap[index], heap[best]] = [heap[best], heap[index]];
      index = best;
    }
  }
  return top;
}
