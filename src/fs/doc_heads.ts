/**
 * Reads the heads of many docs a walk found, for the indexes, at the cost
 * of the system calls alone: on Linux each doc is one `openat` relative to
 * its folder (held open while the walk's sorted files stay in it), one
 * `fstat`, as few `read`s as it takes and one `close`, called through FFI
 * instead of Deno's file API, which costs several microseconds more per doc
 * in objects and ops. Folders are opened one component at a time with
 * `O_NOFOLLOW` and the doc with `O_NOFOLLOW | O_NONBLOCK`, so no symlink
 * swapped in after the walk is followed at any component and a FIFO cannot
 * block; `fstat` on the open file refuses anything but a regular file before
 * a byte is read. Errors carry the same messages as
 * {@link readRegularFileHeadUntil}'s.
 *
 * Elsewhere (macOS, Windows, or without FFI or read permission), the same
 * interface runs on {@link readRegularFileHeadUntil} and {@link lstatWalked}.
 *
 * @module
 */
import { describeIo, errnoError, RepoFsError } from "./errors.ts";
import type { Libc } from "./libc.ts";
import { E, F, type LibcSymbols, STAT } from "./libc_abi.ts";
import { ffiReadsAllowed } from "./ffi_reads.ts";
import {
  type HeadOptions,
  lstatWalked,
  readRegularFileHeadUntil,
} from "./read.ts";
import { fromRepoPath } from "./repo_path.ts";

/** What identifies one version of a file for a cache: size, inode, mtime and ctime (ms). */
export interface FileKey {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** The {@link FileKey} of a `Deno.FileInfo`. */
export function keyOfInfo(info: Deno.FileInfo): FileKey {
  return {
    size: info.size,
    ino: info.ino ?? 0,
    mtimeMs: info.mtime?.getTime() ?? 0,
    ctimeMs: info.ctime?.getTime() ?? 0,
  };
}

/** What {@link DocHeads.readHead} read. */
export interface DocHead {
  /** The bytes read from the start of the file. */
  bytes: Uint8Array;
  /** Whether `bytes` holds the whole file (as long as `fstat` said it was). */
  whole: boolean;
  /** The key from the `fstat` of the open file: it matches the bytes read. */
  key: FileKey;
}

/** A reader of doc heads below one repo root; {@link DocHeads.close} when done. */
export interface DocHeads {
  /**
   * Reads the head of the regular file at repo path `real` as
   * {@link readRegularFileHeadUntil} does, naming it `displayPath` in the
   * {@link RepoFsError} it throws.
   */
  readHead(real: string, displayPath: string, options: HeadOptions): DocHead;
  /** The key of what is at `real` now, without following a symlink; `undefined` when unreadable. */
  statKey(real: string): FileKey | undefined;
  /** Closes the folders held open. */
  close(): void;
}

/**
 * Opens a doc head reader for the repo at `root` (absolute), making its
 * system calls through `libc`, the one its `Repo` holds.
 */
export function openDocHeads(root: string, libc: Libc): DocHeads {
  const c = ffiSymbols(root, libc);
  return c ? ffiHeads(root, c) : denoHeads(root);
}

function denoHeads(root: string): DocHeads {
  return {
    readHead(real, displayPath, options) {
      const head = readRegularFileHeadUntil(
        fromRepoPath(root, real),
        displayPath,
        options,
      );
      return {
        bytes: head.bytes,
        whole: head.whole,
        key: keyOfInfo(head.info),
      };
    },
    statKey(real) {
      const info = lstatWalked(fromRepoPath(root, real));
      return info ? keyOfInfo(info) : undefined;
    },
    close() {},
  };
}

// Linux's `struct stat` (x86_64 and aarch64 agree here): 64-bit size, then
// the times as seconds and nanoseconds.
const ST_SIZE = 48;
const ST_MTIME = 88;
const ST_CTIME = 104;

/**
 * The calls the FFI path makes, bound together before the first (see
 * {@link ffiSymbols}). `strerror` is left to bind on first use: it is
 * called only for a failure, after its errno was read, and each symbol
 * bound costs a fresh process about 0.3 ms.
 */
const CALLS = [
  "openat",
  "fstat",
  "fstatat",
  "read",
  "close",
  "errno",
] as const;

/**
 * `libc`'s symbols when the FFI path may run (see `ffi_reads.ts`);
 * `undefined` otherwise. The calls are bound here, so a library that cannot
 * be bound means the Deno reader, and no binding (a dlopen, which may set
 * errno) runs between a failed call and the read of its errno.
 */
function ffiSymbols(root: string, libc: Libc): LibcSymbols | undefined {
  if (!ffiReadsAllowed(root)) return undefined;
  try {
    return libc.symbols(CALLS);
  } catch {
    return undefined;
  }
}

/** A Deno error of the class Deno throws for `errno`, with Deno's message shape. */
function osError(c: LibcSymbols, errno: number): Error {
  const pointer = c.strerror(errno);
  const text = pointer
    ? new Deno.UnsafePointerView(pointer).getCString()
    : "Unknown error";
  return errnoError(errno, `${text} (os error ${errno})`);
}

function lastErrno(c: LibcSymbols): number {
  const pointer = c.errno();
  return pointer ? new Deno.UnsafePointerView(pointer).getInt32() : 0;
}

const NOT_REGULAR = "is not a regular file (a FIFO, socket or device)";
const SWAPPED =
  "cannot read: it became a symlink after the walk; waypoint does not follow it";

function ffiHeads(root: string, c: LibcSymbols): DocHeads {
  const encoder = new TextEncoder();
  let nameBuffer = new Uint8Array(4096);
  const statBuffer = new Uint8Array(STAT.size);
  const stat = new DataView(statBuffer.buffer);
  /** The folders of the last doc, outermost first: repo path and descriptor. */
  const held: { path: string; fd: number }[] = [];
  let rootFd: number | undefined;

  const cName = (name: string): Uint8Array => {
    if (name.length * 3 + 1 > nameBuffer.length) {
      nameBuffer = new Uint8Array(name.length * 3 + 1);
    }
    const { written } = encoder.encodeInto(name, nameBuffer);
    nameBuffer[written] = 0;
    return nameBuffer;
  };
  /** Runs a call returning -1 on failure, retrying on EINTR; the errno on failure. */
  const call = (run: () => number): number => {
    for (;;) {
      const result = run();
      if (result !== -1) return result;
      const errno = lastErrno(c);
      if (errno !== E.EINTR) return -errno - 1;
    }
  };
  // 64-bit fields read as two 32-bit halves: no BigInt per doc.
  const u64 = (at: number) =>
    stat.getUint32(at + 4, true) * 0x100000000 + stat.getUint32(at, true);
  const i64 = (at: number) =>
    stat.getInt32(at + 4, true) * 0x100000000 + stat.getUint32(at, true);
  const keyOfStat = (): FileKey => ({
    size: u64(ST_SIZE),
    ino: u64(STAT.ino),
    mtimeMs: i64(ST_MTIME) * 1000 + Math.floor(i64(ST_MTIME + 8) / 1e6),
    ctimeMs: i64(ST_CTIME) * 1000 + Math.floor(i64(ST_CTIME + 8) / 1e6),
  });
  const isRegular = () =>
    (stat.getUint32(STAT.mode, true) & 0o170000) === 0o100000;

  /**
   * The descriptor of the folder holding `real` and the file's name in it,
   * or a negative errno (`-errno - 1`) with the failing component.
   */
  const folderOf = (
    real: string,
  ): { fd: number; name: string } | { errno: number; link: boolean } => {
    if (rootFd === undefined) {
      const fd = call(() =>
        c.openat(F.AT_FDCWD, cName(root), F.O_DIRECTORY | F.O_CLOEXEC, 0)
      );
      if (fd < 0) return { errno: -fd - 1, link: false };
      rootFd = fd;
    }
    const slash = real.lastIndexOf("/");
    const name = real.slice(slash + 1);
    if (slash === -1) {
      while (held.length) c.close(held.pop()!.fd);
      return { fd: rootFd, name };
    }
    const dir = real.slice(0, slash);
    const top = held[held.length - 1];
    if (top?.path === dir) return { fd: top.fd, name };
    // Keep the held folders that are a prefix of `dir`; open the rest.
    while (held.length) {
      const last = held[held.length - 1].path;
      if (dir.startsWith(last) && dir[last.length] === "/") break;
      c.close(held.pop()!.fd);
    }
    let at = held.length ? held[held.length - 1].path.length + 1 : 0;
    while (at <= dir.length) {
      let end = dir.indexOf("/", at);
      if (end === -1) end = dir.length;
      const part = dir.slice(at, end);
      const parent = held.length ? held[held.length - 1].fd : rootFd;
      const fd = call(() =>
        c.openat(
          parent,
          cName(part),
          F.O_DIRECTORY | F.O_NOFOLLOW | F.O_CLOEXEC,
          0,
        )
      );
      if (fd < 0) {
        const errno = -fd - 1;
        // O_DIRECTORY | O_NOFOLLOW on a symlink fails with ELOOP or ENOTDIR.
        const link = (errno === E.ELOOP || errno === E.ENOTDIR) &&
          call(() =>
              c.fstatat(parent, cName(part), statBuffer, F.AT_SYMLINK_NOFOLLOW)
            ) === 0 &&
          (stat.getUint32(STAT.mode, true) & 0o170000) === 0o120000;
        return { errno, link };
      }
      held.push({ path: dir.slice(0, end), fd });
      at = end + 1;
    }
    return { fd: held[held.length - 1].fd, name };
  };

  const failure = (
    displayPath: string,
    errno: number,
    link: boolean,
  ): RepoFsError =>
    link ? new RepoFsError(displayPath, SWAPPED) : new RepoFsError(
      displayPath,
      `cannot read: ${describeIo(osError(c, errno))}`,
    );

  /** Reads into `buffer` from `from` until it is full or the file ends. */
  const fill = (
    fd: number,
    buffer: Uint8Array,
    from: number,
    displayPath: string,
  ): number => {
    let filled = from;
    while (filled < buffer.length) {
      const part = buffer.subarray(filled);
      let n = Number(c.read(fd, part, BigInt(part.length)));
      if (n === -1) {
        n = call(() => Number(c.read(fd, part, BigInt(part.length))));
      }
      if (n < 0) throw failure(displayPath, -n - 1, false);
      if (n === 0) break;
      filled += n;
    }
    return filled;
  };

  return {
    readHead(real, displayPath, options) {
      const folder = folderOf(real);
      if ("errno" in folder) {
        throw failure(displayPath, folder.errno, folder.link);
      }
      const flags = F.O_NOFOLLOW | F.O_NONBLOCK | F.O_CLOEXEC;
      let fd = c.openat(folder.fd, cName(folder.name), flags, 0);
      if (fd === -1) {
        fd = call(() => c.openat(folder.fd, cName(folder.name), flags, 0));
      }
      if (fd < 0) throw failure(displayPath, -fd - 1, -fd - 1 === E.ELOOP);
      try {
        let statted = c.fstat(fd, statBuffer);
        if (statted === -1) statted = call(() => c.fstat(fd, statBuffer));
        if (statted < 0) throw failure(displayPath, -statted - 1, false);
        if (!isRegular()) throw new RepoFsError(displayPath, NOT_REGULAR);
        const key = keyOfStat();
        const first = options.firstBytes ?? 64 * 1024;
        const max = options.maxBytes ?? 1024 * 1024;
        const size = Math.min(first, key.size, max);
        let buffer = options.scratch && options.scratch.length >= size
          ? options.scratch.subarray(0, size)
          : new Uint8Array(size);
        let filled = fill(fd, buffer, 0, displayPath);
        while (
          filled === buffer.length && filled < Math.min(key.size, max) &&
          !(options.enough?.(buffer.subarray(0, filled)) ?? false)
        ) {
          const grown = new Uint8Array(
            Math.min(buffer.length * 4, key.size, max),
          );
          grown.set(buffer);
          buffer = grown;
          filled = fill(fd, buffer, filled, displayPath);
        }
        return {
          bytes: buffer.subarray(0, filled),
          whole: filled >= key.size,
          key,
        };
      } finally {
        c.close(fd);
      }
    },
    statKey(real) {
      const folder = folderOf(real);
      if ("errno" in folder) return undefined;
      const name = cName(folder.name);
      let done = c.fstatat(folder.fd, name, statBuffer, F.AT_SYMLINK_NOFOLLOW);
      if (done === -1) {
        done = call(() =>
          c.fstatat(folder.fd, name, statBuffer, F.AT_SYMLINK_NOFOLLOW)
        );
      }
      return done === 0 ? keyOfStat() : undefined;
    },
    close() {
      while (held.length) c.close(held.pop()!.fd);
      if (rootFd !== undefined) c.close(rootFd);
      rootFd = undefined;
    },
  };
}
