/**
 * The memo of one docs root's last scan, kept in the per-user cache
 * (`scans/`, beside the frontmatter cache's folder): the files its walk
 * found (path and real path, in order), each file's key (size, inode,
 * mtime, ctime) as read, what the scan concluded (an outcome the caller
 * shapes and checks), and the bytes of the root's index listing. When a
 * new walk finds the same files and each still has its key, the scan's
 * answer is the memo's: a warm run then
 * costs a walk and one `lstat` per doc, instead of a cache record decoded,
 * checked, parsed and re-encoded per doc (4.1 µs of a warm sync's 11.5 µs
 * per doc at 10,000 docs, measured with timers around each part).
 *
 * Like the frontmatter cache it can only make a run faster: the memo is
 * written only when every file had a key older than the racy window (an
 * edit in the same clock tick as the read could otherwise go unseen), it
 * names the waypoint version, repo root and docs root it was made for, and
 * its body carries a checksum, so a file cut short or damaged is no memo.
 * Layout: one JSON header line, then the body: the outcome's JSON, the
 * paths and real paths (UTF-8, each ended by NUL; an empty real path means
 * "the same as the path"), the keys (four little-endian float64 per file)
 * and the listing.
 *
 * @module
 */
import { join } from "../path.ts";
import { cacheFileKey, waypointCacheDir } from "../cache_dir.ts";
import { writeOutsideFileAtomic } from "../fs/atomic.ts";
import { VERSION } from "../version.ts";
import type { FileKey } from "../fs/doc_heads.ts";
import type { WalkedFile } from "./walk.ts";
import type { ListingBytes } from "./spool.ts";
import { ByteChunks } from "./bytes.ts";
import { sameBytesAt } from "../bytes.ts";
import { BodyChecksum, FileReader } from "./memo_io.ts";

const FORMAT = 1;
/** A memo larger than this is ignored. */
const MAX_MEMO_BYTES = 512 * 1024 * 1024;

/** The header line: what the memo is for, and how its body is laid out. */
interface MemoHeader {
  format: number;
  waypoint: string;
  root: string;
  dir: string;
  files: number;
  /** Byte lengths of the body's parts, in order. */
  outcome: number;
  paths: number;
  keys: number;
  listing: number;
  /** The {@link BodyChecksum} of the whole body. */
  checksum: string;
}

/** The memo file of docs root `dir` in the repo at `root`; undefined without a cache folder. */
function memoPath(root: string, dir: string): string | undefined {
  const cache = waypointCacheDir();
  return cache
    ? join(cache, "scans", `${cacheFileKey(root)}-${cacheFileKey(dir)}.memo`)
    : undefined;
}

/** A memo that matched a walk: its outcome and its listing, read from the memo file. */
export interface MemoHit {
  /** The outcome as the scan that wrote it gave it (the caller checks its shape). */
  outcome: unknown;
  /** The listing's bytes; {@link ListingBytes.close} closes the memo file. */
  listing: ListingBytes;
}

/**
 * The memo of docs root `dir` when it holds exactly `files` (same paths and
 * real paths, in order) and `keyOf` gives each the key it was read with;
 * undefined otherwise, or on any problem with the memo file.
 */
export function recallScan(
  root: string,
  dir: string,
  files: readonly WalkedFile[],
  keyOf: (file: WalkedFile) => FileKey | undefined,
): MemoHit | undefined {
  const path = memoPath(root, dir);
  if (!path) return undefined;
  let file: Deno.FsFile | undefined;
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > MAX_MEMO_BYTES) return undefined;
    file = Deno.openSync(path, { read: true });
    const reader = new FileReader(file, info.size);
    const header = readHeader(reader, root, dir, files.length);
    // The parts must fill the file exactly, before anything is allocated
    // for them.
    if (
      !header ||
      reader.offset + header.outcome + header.paths + header.keys +
            header.listing !== info.size
    ) throw new Error("no memo");
    const head = reader.take(header.outcome + header.paths);
    // Read straight into its own buffer: a Float64Array needs its offset
    // aligned to 8 bytes.
    const keys = new Float64Array(header.keys / 8);
    reader.takeInto(new Uint8Array(keys.buffer));
    const checksum = new BodyChecksum();
    checksum.update(head);
    checksum.update(new Uint8Array(keys.buffer));
    const listingStart = reader.offset;
    for (const part of reader.parts(header.listing)) checksum.update(part);
    if (checksum.digest() !== header.checksum) throw new Error("damaged memo");
    const names = head.subarray(header.outcome);
    if (!sameFiles(names, keys, files, keyOf)) throw new Error("changed");
    const outcome: unknown = JSON.parse(
      new TextDecoder().decode(head.subarray(0, header.outcome)),
    );
    const open = file;
    file = undefined;
    return {
      outcome,
      listing: memoListing(open, listingStart, header.listing),
    };
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}

function readHeader(
  reader: FileReader,
  root: string,
  dir: string,
  count: number,
): MemoHeader | undefined {
  const line = reader.line(4096);
  if (line === undefined) return undefined;
  const header = JSON.parse(line) as Partial<MemoHeader> | null;
  const lengths = [
    header?.outcome,
    header?.paths,
    header?.keys,
    header?.listing,
  ];
  if (
    header?.format !== FORMAT || header.waypoint !== VERSION ||
    header.root !== root || header.dir !== dir || header.files !== count ||
    typeof header.checksum !== "string" ||
    !lengths.every((length) => Number.isSafeInteger(length) && length! >= 0) ||
    header.keys !== count * 32
  ) return undefined;
  return header as MemoHeader;
}

/**
 * Whether the memo's paths, real paths and keys are `files`' now. The paths
 * are compared as UTF-8 bytes, never decoded: at 100,000 docs that would be
 * 200,000 strings held at once.
 */
function sameFiles(
  names: Uint8Array,
  keys: Float64Array,
  files: readonly WalkedFile[],
  keyOf: (file: WalkedFile) => FileKey | undefined,
): boolean {
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(1024);
  let at = 0;
  /** Whether `text` and a NUL come next in `names`, moving past them if so. */
  const next = (text: string): boolean => {
    if (text.length * 3 > scratch.length) {
      scratch = new Uint8Array(text.length * 3);
    }
    const { written } = encoder.encodeInto(text, scratch);
    if (
      at + written >= names.length || names[at + written] !== 0 ||
      !sameBytesAt(names, at, scratch, 0, written)
    ) return false;
    at += written + 1;
    return true;
  };
  for (const file of files) {
    if (!next(file.path) || !next(file.real === file.path ? "" : file.real)) {
      return false;
    }
  }
  if (at !== names.length) return false;
  for (let index = 0; index < files.length; index++) {
    const key = keyOf(files[index]);
    const at = index * 4;
    if (
      !key || key.size !== keys[at] || key.ino !== keys[at + 1] ||
      key.mtimeMs !== keys[at + 2] || key.ctimeMs !== keys[at + 3]
    ) return false;
  }
  return true;
}

/** The listing part of an open memo file, read a window at a time whenever it is iterated. */
function memoListing(
  file: Deno.FsFile,
  start: number,
  length: number,
): ListingBytes {
  const reader = new FileReader(file, start + length);
  return {
    byteLength: length,
    *chunks() {
      reader.seek(start);
      yield* reader.parts(length);
    },
    close() {
      try {
        file.close();
      } catch {
        // Already closed.
      }
    },
  };
}

/**
 * The files of one scan, gathered as it goes (as bytes, not objects: the
 * memo of 100,000 docs costs its 8 MB, not a list of objects several times
 * that), then written by {@link ScanMemoWriter.write}.
 */
export class ScanMemoWriter {
  readonly #root: string;
  readonly #dir: string;
  readonly #names = new ByteChunks();
  readonly #keys: Float64Array;
  #count = 0;

  /** A writer of the memo of docs root `dir` in the repo at `root`, whose walk found `files` files. */
  constructor(root: string, dir: string, files: number) {
    this.#root = root;
    this.#dir = dir;
    this.#keys = new Float64Array(files * 4);
  }

  /** Adds the next file of the walk, with the key it was read with. */
  add(file: WalkedFile, key: FileKey): void {
    this.#names.appendText(
      `${file.path}\0${file.real === file.path ? "" : file.real}\0`,
    );
    const at = this.#count * 4;
    this.#keys[at] = key.size;
    this.#keys[at + 1] = key.ino;
    this.#keys[at + 2] = key.mtimeMs;
    this.#keys[at + 3] = key.ctimeMs;
    this.#count++;
  }

  /**
   * Writes the memo (atomically; any failure only costs speed): every file
   * of the walk must have been added, in order, else nothing is written.
   * `outcome` must be JSON.
   */
  write(outcome: unknown, listing: ListingBytes): void {
    const path = memoPath(this.#root, this.#dir);
    if (!path || this.#count * 4 !== this.#keys.length) return;
    try {
      const encoder = new TextEncoder();
      const outcomeBytes = encoder.encode(JSON.stringify(outcome));
      const names = this.#names.chunks();
      const keyBytes = new Uint8Array(
        this.#keys.buffer,
        0,
        this.#count * 32,
      );
      const body = () => [outcomeBytes, ...names, keyBytes];
      const checksum = new BodyChecksum();
      for (const part of body()) checksum.update(part);
      for (const part of listing.chunks()) checksum.update(part);
      const header: MemoHeader = {
        format: FORMAT,
        waypoint: VERSION,
        root: this.#root,
        dir: this.#dir,
        files: this.#count,
        outcome: outcomeBytes.length,
        paths: names.reduce((sum, part) => sum + part.length, 0),
        keys: keyBytes.length,
        listing: listing.byteLength,
        checksum: checksum.digest(),
      };
      writeOutsideFileAtomic(path, {
        *[Symbol.iterator]() {
          yield encoder.encode(JSON.stringify(header) + "\n");
          yield* body();
          yield* listing.chunks();
        },
      });
    } catch {
      // No memo: the next run reads through the frontmatter cache.
    }
  }
}
