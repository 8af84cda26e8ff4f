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
 * The bound symbols live in a {@link Libc} value (a `Repo` holds one, and
 * `doc_heads.ts` reads through the same one), not in this module. Never used
 * on Windows. The platform tables (flags, errno, `struct stat` and its
 * decoding) are in `libc_abi.ts`.
 *
 * @module
 */

import { concatBytes } from "../bytes.ts";
import { WaypointError } from "../errors.ts";
import { errnoError } from "./errors.ts";
import {
  type AtStat,
  decodeStat,
  E,
  F,
  type LibcSymbolName,
  type LibcSymbols,
  LIBRARY,
  OPENAT_PADDED,
  OS,
  STAT,
  SYMBOLS,
} from "./libc_abi.ts";

/**
 * Binds `names` in one dlopen: Deno compiles a call stub per symbol (about
 * 0.3 ms each), and each dlopen costs about 0.1 ms more.
 */
function bind(names: readonly LibcSymbolName[]): Record<string, unknown> {
  try {
    const symbols = Object.fromEntries(
      names.map((name) => [name, SYMBOLS[name]]),
    ) as Deno.ForeignLibraryInterface;
    return Deno.dlopen(LIBRARY, symbols).symbols;
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

/** Puts the calls `names` in `lazy`, binding the ones not bound yet in one dlopen. */
function bindInto(
  lazy: Record<string, unknown>,
  names: readonly LibcSymbolName[],
): void {
  const unbound = names.filter((name) =>
    Object.getOwnPropertyDescriptor(lazy, name)?.get !== undefined
  );
  if (unbound.length === 0) return;
  const bound = bind(unbound);
  for (const name of unbound) {
    Object.defineProperty(lazy, name, { value: bound[name] });
  }
}

/**
 * libc's symbols, each bound on first use: a command binds only the calls it
 * makes, and one that writes nothing binds none.
 */
function lazySymbols(): Record<string, unknown> {
  const lazy: Record<string, unknown> = {};
  for (const name of Object.keys(SYMBOLS) as LibcSymbolName[]) {
    Object.defineProperty(lazy, name, {
      configurable: true,
      get() {
        bindInto(lazy, [name]);
        return lazy[name];
      },
    });
  }
  return lazy;
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

function fail(call: string, name: string, errno: number): never {
  throw errnoError(errno, `${call} '${name}' failed (os error ${errno})`);
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

/**
 * The directory-relative calls, over libc symbols this value binds on first
 * use (so a run that writes nothing binds none). One per `Repo`.
 */
export class Libc {
  readonly #lazy: Record<string, unknown> = lazySymbols();
  readonly #c = this.#lazy as unknown as LibcSymbols;
  /** {@link Libc.readRegularAt}'s read buffer, made on its first read. */
  #readBuffer?: Uint8Array<ArrayBuffer>;

  /**
   * The symbols themselves, `names` bound now (in one dlopen, for those not
   * bound yet) and the rest on first use, for a caller that makes its own
   * calls in a hot loop (`doc_heads.ts`: one doc's calls without a closure or
   * a fresh C string each). Name `errno` when a failed call's errno is read:
   * binding runs dlopen, which may set errno itself.
   */
  symbols(names: readonly LibcSymbolName[]): LibcSymbols {
    bindInto(this.#lazy, names);
    return this.#c;
  }

  /**
   * Runs a call that returns -1 on failure, retrying on EINTR: its result,
   * or the errno negated. Nothing is thrown, so a probe that expects ENOENT
   * costs no Error (with its stack) each time.
   */
  #attempt(run: () => number): number {
    // Bound before the call: binding runs dlopen, which may set errno itself.
    const errnoLocation = this.#c.errno;
    for (;;) {
      const result = run();
      if (result !== -1) return result;
      const pointer = errnoLocation();
      const errno = pointer
        ? new Deno.UnsafePointerView(pointer).getInt32()
        : 0;
      if (errno !== E.EINTR) return -errno;
    }
  }

  /** {@link Libc.#attempt}, throwing Deno's error for a failure. */
  #check(call: string, name: string, run: () => number): number {
    const result = this.#attempt(run);
    if (result < 0) fail(call, name, -result);
    return result;
  }

  /** `openat`: the descriptor, or the errno negated. */
  #tryOpenat(dir: number, name: string, flags: number, mode = 0): number {
    const c = this.#c;
    const path = cString(name);
    return this.#attempt(() =>
      OPENAT_PADDED
        ? c.openatPadded(dir, path, flags, 0n, 0n, 0n, 0n, 0n, BigInt(mode))
        : c.openat(dir, path, flags, mode)
    );
  }

  #openat(dir: number, name: string, flags: number, mode = 0): number {
    const result = this.#tryOpenat(dir, name, flags, mode);
    if (result < 0) fail("openat", name, -result);
    return result;
  }

  /** Opens the folder at `path` (absolute; links in it are followed, as the user named it). */
  openDirPath(path: string): number {
    return this.#openat(F.AT_FDCWD, path, F.O_DIRECTORY | F.O_CLOEXEC);
  }

  /** Opens the folder `name` in `dir`; a symlink there fails (ELOOP or ENOTDIR), never followed. */
  openDirAt(dir: number, name: string): number {
    return this.#openat(
      dir,
      name,
      F.O_DIRECTORY | F.O_NOFOLLOW | F.O_CLOEXEC,
    );
  }

  /**
   * {@link Libc.openDirAt}, but `undefined` when nothing is at `name` (a
   * folder about to be made), without building an error for it.
   */
  openDirAtIfThere(dir: number, name: string): number | undefined {
    const result = this.#tryOpenat(
      dir,
      name,
      F.O_DIRECTORY | F.O_NOFOLLOW | F.O_CLOEXEC,
    );
    if (result === -E.ENOENT) return undefined;
    if (result < 0) fail("openat", name, -result);
    return result;
  }

  /** Creates the folder `name` in `dir` (mode 0777 less the umask, as `Deno.mkdir`). */
  mkdirAt(dir: number, name: string): void {
    const c = this.#c;
    const path = cString(name);
    this.#check("mkdirat", name, () => c.mkdirat(dir, path, 0o777));
  }

  /** `fstatat(dir, name, AT_SYMLINK_NOFOLLOW)`; `undefined` when nothing is there. */
  statAt(dir: number, name: string): AtStat | undefined {
    const c = this.#c;
    const path = cString(name);
    const buffer = new Uint8Array(new ArrayBuffer(STAT.size));
    const result = this.#attempt(() =>
      c.fstatat(dir, path, buffer, F.AT_SYMLINK_NOFOLLOW)
    );
    if (result === -E.ENOENT) return undefined;
    if (result < 0) fail("fstatat", name, -result);
    return decodeStat(buffer);
  }

  /** `fstat` of an open descriptor. */
  statFd(fd: number): AtStat {
    const c = this.#c;
    const buffer = new Uint8Array(new ArrayBuffer(STAT.size));
    this.#check("fstat", String(fd), () => c.fstat(fd, buffer));
    return decodeStat(buffer);
  }

  /**
   * Creates the file `name` in `dir` exclusively (never through a link, never
   * over anything) and writes `chunks` to it; `mode`, when given, is set on the
   * open file. The file is removed again if writing fails.
   */
  writeNewFileAt(
    dir: number,
    name: string,
    chunks: Iterable<Uint8Array>,
    mode?: number,
  ): void {
    const c = this.#c;
    const fd = this.#openat(
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
            this.#check(
              "write",
              name,
              () => Number(c.write(fd, part, BigInt(part.length))),
            ),
          );
        }
      }
      if (mode !== undefined) {
        this.#check("fchmod", name, () => c.fchmod(fd, mode));
      }
    } catch (error) {
      c.close(fd);
      try {
        this.unlinkAt(dir, name, false);
      } catch {
        // Already gone.
      }
      throw error;
    }
    this.#check("close", name, () => c.close(fd));
  }

  /**
   * Reads the regular file `name` in `dir` (never through a link, never
   * blocking on a FIFO) up to `maxBytes`: the bytes with the open file's
   * `fstat`, `"special"` when it is not a regular file, `"large"` when it is
   * bigger than `maxBytes`, `undefined` when it is missing.
   */
  readRegularAt(
    dir: number,
    name: string,
    maxBytes: number,
  ): { bytes: Uint8Array; stat: AtStat } | "special" | "large" | undefined {
    const c = this.#c;
    const fd = this.#tryOpenat(
      dir,
      name,
      F.O_NOFOLLOW | F.O_NONBLOCK | F.O_CLOEXEC,
    );
    if (fd === -E.ENOENT) return undefined;
    if (fd === -E.ELOOP) return "special";
    if (fd < 0) fail("openat", name, -fd);
    try {
      const stat = this.statFd(fd);
      if (stat.kind !== "file") return "special";
      // Reads go into one buffer kept for the instance and each part is
      // copied out at its size: a fresh 64 KiB buffer per read (two for the
      // smallest file, the last read seeing the end) cost some 40 µs each
      // in zeroed pages.
      const buffer = this.#readBuffer ??= new Uint8Array(
        new ArrayBuffer(64 * 1024),
      );
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const got = this.#check(
          "read",
          name,
          () => Number(c.read(fd, buffer, BigInt(buffer.length))),
        );
        if (got === 0) break;
        total += got;
        if (total > maxBytes) return "large";
        parts.push(buffer.slice(0, got));
      }
      return {
        bytes: parts.length === 1 ? parts[0] : concatBytes(parts),
        stat,
      };
    } finally {
      c.close(fd);
    }
  }

  /** `renameat(dir, from, dir, to)`: both names in the same open folder. */
  renameAt(dir: number, from: string, to: string): void {
    const c = this.#c;
    const a = cString(from);
    const b = cString(to);
    this.#check("renameat", to, () => c.renameat(dir, a, dir, b));
  }

  /** `linkat(dir, from, dir, to, 0)`: fails with `AlreadyExists` if anything is at `to`. */
  linkAt(dir: number, from: string, to: string): void {
    const c = this.#c;
    const a = cString(from);
    const b = cString(to);
    this.#check("linkat", to, () => c.linkat(dir, a, dir, b, 0));
  }

  /** `unlinkat(dir, name)`, with `AT_REMOVEDIR` for an (empty) folder. */
  unlinkAt(dir: number, name: string, folder: boolean): void {
    const c = this.#c;
    const path = cString(name);
    this.#check(
      "unlinkat",
      name,
      () => c.unlinkat(dir, path, folder ? F.AT_REMOVEDIR : 0),
    );
  }

  /** Closes a descriptor from this value. */
  closeFd(fd: number): void {
    this.#c.close(fd);
  }
}
