/**
 * The platform tables under `libc.ts`: flag values, errno numbers, the
 * layout of `struct stat` and the C signatures of the bound symbols, for
 * Linux x86_64 and aarch64 and macOS arm64 and x86_64. Kept apart from the
 * calls so `libc.ts` reads as the calls alone.
 *
 * @module
 */

/** The operating system, from `Deno.build`. */
export const OS = Deno.build.os;
/** The CPU architecture, from `Deno.build`. */
export const ARCH = Deno.build.arch;
/** Whether this is macOS, whose flag values and `struct stat` differ from Linux. */
export const DARWIN = OS === "darwin";

/** Open flags and `*at` flags for this platform. */
export const F = DARWIN
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
export const E = {
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
export const STAT = DARWIN
  ? { size: 144, dev: 0, devBytes: 4, ino: 8, mode: 4, modeBytes: 2 }
  : ARCH === "aarch64"
  ? { size: 128, dev: 0, devBytes: 8, ino: 8, mode: 16, modeBytes: 4 }
  : { size: 144, dev: 0, devBytes: 8, ino: 8, mode: 24, modeBytes: 4 };

/**
 * macOS arm64 passes variadic arguments on the stack, one 8-byte slot each:
 * openat's `mode` is declared after five padding words, so x0-x7 are full
 * and it lands in the first stack slot, where openat's va_arg reads it.
 */
export const OPENAT_PADDED = DARWIN && ARCH === "aarch64";
/** On macOS x86_64 the plain names use the old 32-bit-inode `struct stat`. */
export const INODE64 = DARWIN && ARCH === "x86_64" ? "$INODE64" : "";

/** The libc symbols `libc.ts` binds, with their C signatures. */
export const SYMBOLS = {
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
  // Linux only (glibc 2.30 and later); binding it elsewhere fails, and the
  // folder listing then runs on Deno's own.
  getdents64: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  errno: {
    name: DARWIN ? "__error" : "__errno_location",
    parameters: [],
    result: "pointer",
  },
} as const;

/** The name of one symbol of {@link SYMBOLS}. */
export type LibcSymbolName = keyof typeof SYMBOLS;

/** The bound symbols of {@link SYMBOLS}. */
export type LibcSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** The C library to open on this platform. */
export const LIBRARY = DARWIN ? "/usr/lib/libSystem.B.dylib" : "libc.so.6";

/** What `fstatat` without following links says about an entry. */
export interface AtStat {
  /** The entry's type, from the type bits of `st_mode`. */
  kind: "file" | "directory" | "symlink" | "special";
  /** Permission bits and type bits, as `st_mode`. */
  mode: number;
  /** `st_dev`: the device the entry is on. */
  dev: bigint;
  /** `st_ino`: the entry's inode number on that device. */
  ino: bigint;
}

/** The fields waypoint uses of a `struct stat` that `fstatat` filled in. */
export function decodeStat(buffer: Uint8Array<ArrayBuffer>): AtStat {
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
