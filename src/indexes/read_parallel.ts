/**
 * Reading docs on more than one thread, for scans of many files: a pool of
 * workers (`read_worker.ts`) reads and judges the docs it is sent exactly as
 * the main thread does (`readDoc`, through a `Repo` of its own), while the
 * main thread reads its own share and renders. Starting a worker holds the
 * main thread some 20 ms and each posts its results back, so the pool is for
 * scans of thousands of docs (`bench/scaffold.ts` prints the curve).
 *
 * @module
 */
import type { DocRead } from "./read_doc.ts";
import type { WalkedFile } from "./walk.ts";

/** `WAYPOINT_INDEX_WORKERS`: how many workers read docs; `0` reads on the main thread only. */
export const WORKERS_ENV = "WAYPOINT_INDEX_WORKERS";

/** `WAYPOINT_INDEX_PARALLEL_MIN`: the fewest files a scan needs before it uses workers. */
export const PARALLEL_MIN_ENV = "WAYPOINT_INDEX_PARALLEL_MIN";

/** The fewest files a scan needs before it uses workers, by default. */
export const PARALLEL_MIN = 4096;

/** The most workers a scan starts. */
export const MAX_WORKERS = 8;

/** The worker module, as a path from the project (`deno compile` needs it `--include`d). */
export const READ_WORKER_MODULE = "src/indexes/read_worker.ts";

const WORKER_URL = new URL("./read_worker.ts", import.meta.url);

// Bundled into the hook's one file, this module has no worker module beside
// it; the hook reads on one thread.
const STANDALONE = import.meta.url.endsWith("/read_parallel.ts");

/** What the main thread sends a worker: docs to read below `root`, as `[real, path]`. */
export interface ReadRequest {
  id: number;
  root: string;
  files: [string, string][];
}

/** A worker's answer: one {@link DocRead} per file sent, in order, and the milliseconds reading took; or why it failed. */
export type ReadReply =
  | { id: number; reads: DocRead[]; ms: number }
  | { id: number; error: string };

/** What {@link ReadPool.read} gave: the reads in order, and the longest a worker took. */
export interface PoolReads {
  reads: DocRead[];
  ms: number;
}

function envNumber(name: string): number | undefined {
  let value: string | undefined;
  try {
    value = Deno.env.get(name);
  } catch {
    return undefined;
  }
  return value !== undefined && /^\d{1,9}$/.test(value)
    ? Number(value)
    : undefined;
}

/**
 * How many workers a large scan starts: {@link WORKERS_ENV}, else none. On
 * the 2-core bench machine one worker made a cold sync slower at 10,000
 * docs (1.14×) and faster at 50,000 and 100,000 (0.87×, 0.82×), but a
 * second isolate raised its peak memory at 100,000 docs from 148 to 235
 * MiB, past the 150 MiB the indexes are held to; so it is the user's
 * choice, after `deno task bench` shows the curve on their machine.
 */
export function readWorkerCount(): number {
  return Math.min(envNumber(WORKERS_ENV) ?? 0, MAX_WORKERS);
}

/** Whether a scan of `files` files reads through a {@link ReadPool}. */
export function parallelReads(files: number): boolean {
  return STANDALONE && files >= (envNumber(PARALLEL_MIN_ENV) ?? PARALLEL_MIN) &&
    readWorkerCount() > 0;
}

interface Member {
  worker: Worker;
  waiting: Map<number, (reply: PoolReads | undefined) => void>;
  failed: boolean;
}

/** Workers reading docs below one repository root; {@link ReadPool.close} when done. */
export class ReadPool {
  readonly #root: string;
  readonly #members: Member[];
  #nextId = 0;

  private constructor(root: string, workers: Worker[]) {
    this.#root = root;
    this.#members = workers.map((worker) => {
      const member: Member = { worker, waiting: new Map(), failed: false };
      worker.onmessage = (event: MessageEvent<ReadReply>) => {
        const reply = event.data;
        const done = member.waiting.get(reply.id);
        member.waiting.delete(reply.id);
        done?.("reads" in reply ? reply : undefined);
      };
      const fail = (event: Event) => {
        event.preventDefault();
        this.#fail(member);
      };
      worker.onerror = fail;
      worker.onmessageerror = fail;
      return member;
    });
  }

  /**
   * Starts `count` workers (default {@link readWorkerCount}) for `root`;
   * `undefined` when none can start. `module` is the worker's (tests pass
   * one that fails).
   */
  static start(
    root: string,
    count: number = readWorkerCount(),
    module: URL = WORKER_URL,
  ): ReadPool | undefined {
    const workers: Worker[] = [];
    try {
      for (let i = count; i > 0; i--) {
        workers.push(new Worker(module, { type: "module" }));
      }
    } catch {
      for (const worker of workers) worker.terminate();
      return undefined;
    }
    return workers.length ? new ReadPool(root, workers) : undefined;
  }

  /** How many workers are still reading (one that failed is dropped). */
  size(): number {
    return this.#live().length;
  }

  /**
   * Reads `files` on the workers, split evenly in order: their reads in
   * order, or `undefined` when a worker failed (the caller reads them).
   */
  async read(files: readonly WalkedFile[]): Promise<PoolReads | undefined> {
    if (files.length === 0) return { reads: [], ms: 0 };
    const live = this.#live();
    if (live.length === 0) return undefined;
    const size = Math.ceil(files.length / live.length);
    const parts = await Promise.all(
      live.map((member, index) =>
        this.#ask(member, files.slice(index * size, (index + 1) * size))
      ),
    );
    if (parts.some((part) => part === undefined)) return undefined;
    return {
      reads: parts.flatMap((part) => part!.reads),
      ms: Math.max(...parts.map((part) => part!.ms)),
    };
  }

  /** Stops every worker; reads still waiting come back `undefined`. */
  close(): void {
    for (const member of this.#members) this.#fail(member);
  }

  #ask(
    member: Member,
    files: readonly WalkedFile[],
  ): Promise<PoolReads | undefined> {
    if (files.length === 0) return Promise.resolve({ reads: [], ms: 0 });
    if (member.failed) return Promise.resolve(undefined);
    const id = this.#nextId++;
    const request: ReadRequest = {
      id,
      root: this.#root,
      files: files.map((file) => [file.real, file.path]),
    };
    return new Promise((resolve) => {
      member.waiting.set(id, resolve);
      try {
        member.worker.postMessage(request);
      } catch {
        this.#fail(member);
      }
    });
  }

  #live(): Member[] {
    return this.#members.filter((member) => !member.failed);
  }

  #fail(member: Member): void {
    member.failed = true;
    member.worker.terminate();
    for (const done of member.waiting.values()) done(undefined);
    member.waiting.clear();
  }
}
