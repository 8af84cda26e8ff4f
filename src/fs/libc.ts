/**
 * The directory-relative system calls Deno has no API for (`openat`,
 * `mkdirat`, `renameat`, `linkat`, `unlinkat`, `fstatat`), called in libc
 * through `Deno.dlopen` on Linux (glibc `libc.so.6`) and macOS
 * (`libSystem.B.dylib`). They let `dirfd.ts` resolve every folder relative
 * to a folder it already holds open, so no symlink swapped in between a
 * check and a write can redirect the write.
 *
 * A failing call throws the `Deno.errors` class Deno itself would throw for
 * that errno, with `(os error N)` in the message, so callers handle these
 * errors as they handle Deno's own. FFI is not subject to Deno's `--allow-write`
 * / `--deny-write` list, so every call that changes something, or reads a
 * file, first asks Deno whether the path is allowed ({@link requireAccess}).
 *
 * Never used on Windows. Linux x86_64 and aarch64 and macOS arm64 and x86_64
 * differ in flag values and in the layout of `struct stat`; both are below.
 *
 * @module
 */

import { WaypointError } from "../errors.ts";

const OS = Deno.build.os;
const ARCH = Deno.build.arch;
const DARWIN = OS === "darwin";

/** Open flags and `*at` flags for this platform. */
const F = DARWIN
  ? {
    O_WRONLY: 0x1,
    O_NONBLOCK: 0x4,
    O_CREAT: 0x200,
    O_EXCL: 0x800,
    O_NOFOLLOW: 0x100,
    O_DIRECTORY: 0x100000,
    O_CLOEXEC: 0x1000000,
    AT_FDCWD: -2,
    AT_SYMLINK_NOFOLLOW: 0x20,
    AT_REMOVEDIR: 0x80,
  }
  : {
    O_WRONLY: 0o1,
    O_NONBLOCK: 0o4000,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    O_NOFOLLOW: ARCH === "aarch64" ? 0o100000 : 0o400000,
    O_DIRECTORY: ARCH === "aarch64" ? 0o40000 : 0o200000,
    O_CLOEXEC: 0o2000000,
    AT_FDCWD: -100,
    AT_SYMLINK_NOFOLLOW: 0x100,
    AT_REMOVEDIR: 0x200,
  };

/** errno values that callers tell apart. */
const E = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EACCES: 13,
  EEXIST: 17,
  ENOTDIR: 20,
  EISDIR: 21,
  ELOOP: DARWIN ? 62 : 40,
};

/** Offsets in `struct stat` (64-bit inode layout on macOS). */
const STAT = DARWIN
  ? { size: 144, dev: 0, devBytes: 4, ino: 8, mode: 4, modeBytes: 2 }
  : ARCH === "aarch64"
  ? { size: 128, dev: 0, devBytes: 8, ino: 8, mode: 16, modeBytes: 4 }
  : { size: 144, dev: 0, devBytes: 8, ino: 8, mode: 24, modeBytes: 4 };

// macOS arm64 passes variadic arguments on the stack, one 8-byte slot each:
// openat's `mode` is declared after five padding words, so x0-x7 are full and
// it lands in the first stack slot, where openat's va_arg reads it.
const OPENAT_PADDED = DARWIN && ARCH === "aarch64";
// On macOS x86_64 the plain names use the old 32-bit-inode struct stat.
const INODE64 = DARWIN && ARCH === "x86_64" ? "$INODE64" : "";

const SYMBOLS = {
  openat: { parameters: ["i32", "buffer", "i32", "u32"], result: "i32" },
  openatPadded: {
    name: "openat",
    parameters: [
      "i32",
      "buffer",
      "i32",
      "i64",
      "i64",
      "i64",
      "i64",
      "i64",
      "u64",
    ],
    result: "i32",
  },
  mkdirat: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  renameat: {
    parameters: ["i32", "buffer", "i32", "buffer"],
    result: "i32",
  },
  linkat: {
    parameters: ["i32", "buffer", "i32", "buffer", "i32"],
    result: "i32",
  },
  unlinkat: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  fstatat: {
    name: `fstatat${INODE64}`,
    parameters: ["i32", "buffer", "buffer", "i32"],
    result: "i32",
  },
  fstat: {
    name: `fstat${INODE64}`,
    parameters: ["i32", "buffer"],
    result: "i32",
  },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  errno: {
    name: DARWIN ? "__error" : "__errno_location",
    parameters: [],
    result: "pointer",
  },
} as const;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

const LIBRARY = DARWIN ? "/usr/lib/libSystem.B.dylib" : "libc.so.6";

let loaded: Libc | undefined;

/** Binds one symbol: Deno compiles a call stub per symbol, about 0.3 ms each. */
function bind(key: keyof typeof SYMBOLS): unknown {
  try {
    const symbols = { [key]: SYMBOLS[key] } as Deno.ForeignLibraryInterface;
    return Deno.dlopen(LIBRARY, symbols).symbols[key];
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) {
      // A WaypointError keeps this sentence where a Deno error would be
      // reported as a bare "permission denied".
      throw new WaypointError(
        "waypoint needs FFI access to libc to write inside a repository without following swapped-in symlinks: run it with -A (or --allow-ffi)",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * libc's symbols, each bound on first use: a command binds only the calls it
 * makes, and one that writes nothing binds none.
 */
function libc(): Libc {
  if (loaded) return loaded;
  const lazy: Record<string, unknown> = {};
  for (const key of Object.keys(SYMBOLS) as (keyof typeof SYMBOLS)[]) {
    Object.defineProperty(lazy, key, {
      configurable: true,
      get() {
        const call = bind(key);
        Object.defineProperty(lazy, key, { value: call });
        return call;
      },
    });
  }
  loaded = lazy as unknown as Libc;
  return loaded;
}

/** Whether this platform writes through this module (Linux and macOS). */
export const AT_SUPPORTED: boolean = OS === "linux" || OS === "darwin";

const encoder = new TextEncoder();

function cString(name: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(
    new ArrayBuffer(encoder.encode(name).length + 1),
  );
  encoder.encodeInto(name, bytes);
  return bytes;
}

function lastErrno(): number {
  const pointer = libc().errno();
  return pointer ? new Deno.UnsafePointerView(pointer).getInt32() : 0;
}

function fail(call: string, name: string, errno: number): never {
  const message = `${call} '${name}' failed (os error ${errno})`;
  switch (errno) {
    case E.ENOENT:
      throw new Deno.errors.NotFound(message);
    case E.EEXIST:
      throw new Deno.errors.AlreadyExists(message);
    case E.EACCES:
    case E.EPERM:
      throw new Deno.errors.PermissionDenied(message);
    case E.ENOTDIR:
      throw new Deno.errors.NotADirectory(message);
    case E.EISDIR:
      throw new Deno.errors.IsADirectory(message);
    case E.ELOOP:
      throw new Deno.errors.FilesystemLoop(message);
    default:
      throw new Error(message);
  }
}

/** Runs a call that returns -1 on failure, retrying on EINTR. */
function check(call: string, name: string, run: () => number): number {
  for (;;) {
    const result = run();
    if (result !== -1) return result;
    const errno = lastErrno();
    if (errno !== E.EINTR) fail(call, name, errno);
  }
}

/**
 * Throws Deno's own `NotCapable` when this process may not `access` the
 * absolute `path`: FFI calls bypass Deno's permission checks, so the checks
 * `--deny-write=<repo>` relies on are made here.
 */
export function requireAccess(access: "read" | "write", path: string): void {
  if (Deno.permissions.querySync({ name: access, path }).state !== "granted") {
    throw new Deno.errors.NotCapable(
      `Requires ${access} access to "${path}"`,
    );
  }
}

function openatRaw(dir: number, name: string, flags: number, mode = 0): number {
  const c = libc();
  const path = cString(name);
  return check(
    "openat",
    name,
    () =>
      OPENAT_PADDED
        ? c.openatPadded(dir, path, flags, 0n, 0n, 0n, 0n, 0n, BigInt(mode))
        : c.openat(dir, path, flags, mode),
  );
}

/** Opens the folder at `path` (absolute; links in it are followed, as the user named it). */
export function openDirPath(path: string): number {
  return openatRaw(F.AT_FDCWD, path, F.O_DIRECTORY | F.O_CLOEXEC);
}

/** Opens the folder `name` in `dir`; a symlink there fails (ELOOP or ENOTDIR), never followed. */
export function openDirAt(dir: number, name: string): number {
  return openatRaw(
    dir,
    name,
    F.O_DIRECTORY | F.O_NOFOLLOW | F.O_CLOEXEC,
  );
}

/** Creates the folder `name` in `dir` (mode 0777 less the umask, as `Deno.mkdir`). */
export function mkdirAt(dir: number, name: string): void {
  const c = libc();
  const path = cString(name);
  check("mkdirat", name, () => c.mkdirat(dir, path, 0o777));
}

/** What `fstatat` without following links says about an entry. */
export interface AtStat {
  kind: "file" | "directory" | "symlink" | "special";
  /** Permission bits and type bits, as `st_mode`. */
  mode: number;
  dev: bigint;
  ino: bigint;
}

function decodeStat(buffer: Uint8Array<ArrayBuffer>): AtStat {
  const view = new DataView(buffer.buffer);
  const mode = STAT.modeBytes === 2
    ? view.getUint16(STAT.mode, true)
    : view.getUint32(STAT.mode, true);
  const dev = STAT.devBytes === 4
    ? BigInt(view.getUint32(STAT.dev, true))
    : view.getBigUint64(STAT.dev, true);
  const type = mode & 0o170000;
  return {
    kind: type === 0o100000
      ? "file"
      : type === 0o040000
      ? "directory"
      : type === 0o120000
      ? "symlink"
      : "special",
    mode,
    dev,
    ino: view.getBigUint64(STAT.ino, true),
  };
}

/** `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`; `undefined` when nothing is there. */
export function statAt(dir: number, name: string): AtStat | undefined {
  const c = libc();
  const path = cString(name);
  const buffer = new Uint8Array(new ArrayBuffer(STAT.size));
  try {
    check(
      "fstatat",
      name,
      () => c.fstatat(dir, path, buffer, F.AT_SYMLINK_NOFOLLOW),
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return decodeStat(buffer);
}

/** `fstat` of an open descriptor. */
export function statFd(fd: number): AtStat {
  const c = libc();
  const buffer = new Uint8Array(new ArrayBuffer(STAT.size));
  check("fstat", String(fd), () => c.fstat(fd, buffer));
  return decodeStat(buffer);
}

/**
 * Creates the file `name` in `dir` exclusively (never through a link, never
 * over anything) and writes `chunks` to it; `mode`, when given, is set on the
 * open file. The file is removed again if writing fails.
 */
export function writeNewFileAt(
  dir: number,
  name: string,
  chunks: readonly Uint8Array[],
  mode?: number,
): void {
  const c = libc();
  const fd = openatRaw(
    dir,
    name,
    F.O_WRONLY | F.O_CREAT | F.O_EXCL | F.O_NOFOLLOW | F.O_CLOEXEC,
    0o666,
  );
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) {
        const part = chunk.subarray(written);
        written += Number(
          check(
            "write",
            name,
            () => Number(c.write(fd, part, BigInt(part.length))),
          ),
        );
      }
    }
    if (mode !== undefined) check("fchmod", name, () => c.fchmod(fd, mode));
  } catch (error) {
    c.close(fd);
    try {
      unlinkAt(dir, name, false);
    } catch {
      // Already gone.
    }
    throw error;
  }
  check("close", name, () => c.close(fd));
}

/**
 * Reads the regular file `name` in `dir` (never through a link, never
 * blocking on a FIFO) up to `maxBytes`: the bytes with the open file's
 * `fstat`, `"special"` when it is not a regular file, `"large"` when it is
 * bigger than `maxBytes`, `undefined` when it is missing.
 */
export function readRegularAt(
  dir: number,
  name: string,
  maxBytes: number,
): { bytes: Uint8Array; stat: AtStat } | "special" | "large" | undefined {
  const c = libc();
  let fd: number;
  try {
    fd = openatRaw(dir, name, F.O_NOFOLLOW | F.O_NONBLOCK | F.O_CLOEXEC);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.FilesystemLoop) return "special";
    throw error;
  }
  try {
    const stat = statFd(fd);
    if (stat.kind !== "file") return "special";
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buffer = new Uint8Array(new ArrayBuffer(64 * 1024));
      const got = check(
        "read",
        name,
        () => Number(c.read(fd, buffer, BigInt(buffer.length))),
      );
      if (got === 0) break;
      total += got;
      if (total > maxBytes) return "large";
      parts.push(buffer.subarray(0, got));
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { bytes, stat };
  } finally {
    c.close(fd);
  }
}

/** `renameat(dir, from, dir, to)`: both names in the same open folder. */
export function renameAt(dir: number, from: string, to: string): void {
  const c = libc();
  const a = cString(from);
  const b = cString(to);
  check("renameat", to, () => c.renameat(dir, a, dir, b));
}

/** `linkat(dir, from, dir, to, 0)`: fails with `AlreadyExists` if anything is at `to`. */
export function linkAt(dir: number, from: string, to: string): void {
  const c = libc();
  const a = cString(from);
  const b = cString(to);
  check("linkat", to, () => c.linkat(dir, a, dir, b, 0));
}

/** `unlinkat(dir, name)`, with `AT_REMOVEDIR` for an (empty) folder. */
export function unlinkAt(dir: number, name: string, folder: boolean): void {
  const c = libc();
  const path = cString(name);
  check(
    "unlinkat",
    name,
    () => c.unlinkat(dir, path, folder ? F.AT_REMOVEDIR : 0),
  );
}

/** Closes a descriptor from this module. */
export function closeFd(fd: number): void {
  libc().close(fd);
}
