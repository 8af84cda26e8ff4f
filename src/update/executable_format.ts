/**
 * Tells whether a file is a native executable for one release platform:
 * ELF (Linux), Mach-O (macOS) or PE (Windows), 64-bit, for x86-64 or arm64,
 * and long enough to hold what its own headers say it holds. Packaging,
 * `upgrade` and (in shell) `install.sh` refuse anything else, so a shell
 * script, a binary for another platform or a cut-off download never stands
 * in for waypoint.
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/** A release platform in npm terms, e.g. `linux-x64`, `windows-x64`. */
export type ExecutablePlatform = `${"linux" | "darwin" | "windows"}-${
  | "x64"
  | "arm64"}`;

/** What a file's header says it is. */
export interface ExecutableKind {
  format: "ELF" | "Mach-O" | "PE";
  /** `linux`, `darwin` or `windows`: the OS that format belongs to. */
  os: "linux" | "darwin" | "windows";
  /** `x64`, `arm64`, or the raw machine number for anything else. */
  arch: string;
}

/** How many leading bytes {@link executableProblem} needs to see. */
export const HEADER_BYTES = 64 * 1024;

const ELF_MACHINES: Record<number, string> = { 0x3e: "x64", 0xb7: "arm64" };
const MACHO_CPUS: Record<number, string> = {
  0x01000007: "x64",
  0x0100000c: "arm64",
};
const PE_MACHINES: Record<number, string> = { 0x8664: "x64", 0xaa64: "arm64" };
const FORMAT_OF_OS = { linux: "ELF", darwin: "Mach-O", windows: "PE" };

/**
 * Reads the header (the first {@link HEADER_BYTES} bytes or fewer) of a file
 * of `fileSize` bytes and says what it is, or throws an `Error` whose message
 * is the problem (not an executable, truncated, unknown layout).
 */
export function identifyExecutable(
  header: Uint8Array,
  fileSize: number,
): ExecutableKind {
  const view = new DataView(header.buffer, header.byteOffset, header.length);
  const has = (offset: number, length: number) =>
    offset >= 0 && offset + length <= header.length;
  if (has(0, 4) && view.getUint32(0) === 0x7f454c46) {
    return identifyElf(view, has, fileSize);
  }
  if (has(0, 4) && view.getUint32(0, true) === 0xfeedfacf) {
    return identifyMachO(view, has, fileSize);
  }
  if (has(0, 4) && [0xcafebabe, 0xcefaedfe].includes(view.getUint32(0))) {
    throw new Error(
      "it is a 32-bit or universal Mach-O file, not a single 64-bit executable",
    );
  }
  if (has(0, 2) && header[0] === 0x4d && header[1] === 0x5a) {
    return identifyPe(view, has, fileSize);
  }
  if (has(0, 2) && header[0] === 0x23 && header[1] === 0x21) {
    throw new Error("it is a script (starts with #!), not a native executable");
  }
  throw new Error(
    fileSize === 0
      ? "it is empty"
      : "it is not a native executable (no ELF, Mach-O or PE header)",
  );
}

type Has = (offset: number, length: number) => boolean;

function identifyElf(view: DataView, has: Has, size: number): ExecutableKind {
  if (!has(0, 64)) throw new Error(truncated("ELF header", size));
  if (view.getUint8(4) !== 2 || view.getUint8(5) !== 1) {
    throw new Error("it is a 32-bit or big-endian ELF file, not a 64-bit one");
  }
  const type = view.getUint16(16, true);
  if (type !== 2 && type !== 3) {
    throw new Error(`it is an ELF file of type ${type}, not an executable`);
  }
  const machine = view.getUint16(18, true);
  // Every loadable segment must lie inside the file.
  const phoff = Number(view.getBigUint64(32, true));
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  if (phnum === 0 || phentsize < 56) {
    throw new Error("it is an ELF file without program headers");
  }
  checkTable(size, phoff, phentsize * phnum, "ELF program headers");
  for (let i = 0; i < phnum; i++) {
    const entry = phoff + i * phentsize;
    if (!has(entry, 56)) break; // past what we read, but inside the file
    if (view.getUint32(entry, true) !== 1) continue; // PT_LOAD only
    const offset = Number(view.getBigUint64(entry + 8, true));
    const length = Number(view.getBigUint64(entry + 32, true));
    checkTable(size, offset, length, "ELF segment");
  }
  return {
    format: "ELF",
    os: "linux",
    arch: ELF_MACHINES[machine] ?? hex(machine),
  };
}

function identifyMachO(
  view: DataView,
  has: Has,
  size: number,
): ExecutableKind {
  if (!has(0, 32)) throw new Error(truncated("Mach-O header", size));
  const cpu = view.getUint32(4, true);
  const fileType = view.getUint32(12, true);
  if (fileType !== 2) {
    throw new Error(
      `it is a Mach-O file of type ${fileType}, not an executable`,
    );
  }
  const commands = view.getUint32(16, true);
  const commandBytes = view.getUint32(20, true);
  checkTable(size, 32, commandBytes, "Mach-O load commands");
  let at = 32;
  for (let i = 0; i < commands && has(at, 8); i++) {
    const command = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (length < 8) throw new Error("it has a malformed Mach-O load command");
    // LC_SEGMENT_64: fileoff at +40, filesize at +48.
    if (command === 0x19 && has(at, 56)) {
      const offset = Number(view.getBigUint64(at + 40, true));
      const length64 = Number(view.getBigUint64(at + 48, true));
      checkTable(size, offset, length64, "Mach-O segment");
    }
    at += length;
  }
  return { format: "Mach-O", os: "darwin", arch: MACHO_CPUS[cpu] ?? hex(cpu) };
}

function identifyPe(view: DataView, has: Has, size: number): ExecutableKind {
  if (!has(0x3c, 4)) throw new Error(truncated("DOS header", size));
  const pe = view.getUint32(0x3c, true);
  if (!has(pe, 24)) throw new Error(truncated("PE header", size));
  if (view.getUint32(pe) !== 0x50450000) {
    throw new Error("it has a DOS header but no PE signature");
  }
  const machine = view.getUint16(pe + 4, true);
  const sections = view.getUint16(pe + 6, true);
  const optionalBytes = view.getUint16(pe + 20, true);
  const characteristics = view.getUint16(pe + 22, true);
  if ((characteristics & 0x0002) === 0 || (characteristics & 0x2000) !== 0) {
    throw new Error("it is a PE file but not an executable image (a DLL?)");
  }
  const table = pe + 24 + optionalBytes;
  checkTable(size, table, sections * 40, "PE section table");
  for (let i = 0; i < sections && has(table + i * 40, 40); i++) {
    const entry = table + i * 40;
    const rawSize = view.getUint32(entry + 16, true);
    const rawOffset = view.getUint32(entry + 20, true);
    checkTable(size, rawOffset, rawSize, "PE section");
  }
  return {
    format: "PE",
    os: "windows",
    arch: PE_MACHINES[machine] ?? hex(machine),
  };
}

function checkTable(
  size: number,
  offset: number,
  length: number,
  what: string,
): void {
  if (offset + length > size) {
    throw new Error(
      `it is truncated: its ${what} ends at byte ${
        offset + length
      } but the file has ${size}`,
    );
  }
}

function truncated(what: string, size: number): string {
  return `it is truncated: ${size} bytes, too short for ${article(what)}`;
}

function article(noun: string): string {
  return `${/^[AEFHILMNORSX]/.test(noun) ? "an" : "a"} ${noun}`;
}

function hex(value: number): string {
  return `machine 0x${value.toString(16)}`;
}

/**
 * The problem that keeps a file with this header from being the waypoint
 * executable for `platform`, or `undefined` when it is one.
 */
export function executableProblem(
  header: Uint8Array,
  fileSize: number,
  platform: ExecutablePlatform,
): string | undefined {
  const [os, arch] = platform.split("-") as [ExecutableKind["os"], string];
  let kind: ExecutableKind;
  try {
    kind = identifyExecutable(header, fileSize);
  } catch (error) {
    return (error as Error).message;
  }
  if (kind.os !== os) {
    return `it is ${article(kind.format)} executable (${kind.os}), not ${
      FORMAT_OF_OS[os]
    } for ${platform}`;
  }
  if (kind.arch !== arch) {
    return `it is ${
      article(kind.format)
    } executable for ${kind.arch}, not ${arch}`;
  }
  return undefined;
}

/**
 * Throws a {@link WaypointError} naming `name` (default: `path`) unless the
 * file at `path` is the native executable for `platform`. Reads only its
 * first {@link HEADER_BYTES} bytes.
 */
export async function assertExecutableFor(
  path: string,
  platform: ExecutablePlatform,
  name: string = path,
): Promise<void> {
  const file = await Deno.open(path, { read: true });
  let header: Uint8Array;
  let size: number;
  try {
    size = (await file.stat()).size;
    header = new Uint8Array(Math.min(size, HEADER_BYTES));
    let filled = 0;
    while (filled < header.length) {
      const read = await file.read(header.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    header = header.subarray(0, filled);
  } finally {
    file.close();
  }
  const problem = executableProblem(header, size, platform);
  if (problem) {
    throw new WaypointError(
      `${name} is not a waypoint binary for ${platform}: ${problem}`,
    );
  }
}
