/**
 * Stand-in executables with real headers. waypoint refuses a file that is
 * not a native executable for its platform, so the tests' shell-script
 * stand-ins are wrapped:
 *
 * - on Linux x64 and arm64 in a tiny static ELF that runs
 *   `/bin/sh -c <script> <argv0> <args...>` (a dozen instructions, written
 *   out below), so the stand-in really runs;
 * - for every other platform in a bare Mach-O or PE header followed by the
 *   script: it passes the format check but is never executed (the tests only
 *   run the host's stand-in).
 *
 * It also makes the wrong kinds of file the checks must refuse.
 *
 * @module
 */

/** Platforms whose stand-ins this module can make runnable. */
export const RUNNABLE_PLATFORMS: readonly string[] = [
  "linux-x64",
  "linux-arm64",
];

/** `<os>-<arch>` of this machine, e.g. `linux-x64`. */
export function hostPlatform(): string {
  const arch = Deno.build.arch === "aarch64" ? "arm64" : "x64";
  return `${Deno.build.os}-${arch}`;
}

/**
 * Why the host's stand-in cannot run here, or `undefined` when it can: the
 * `ignore` reason for tests that execute a stand-in.
 */
export function standInUnsupported(): string | undefined {
  return RUNNABLE_PLATFORMS.includes(hostPlatform())
    ? undefined
    : `no runnable stand-in binary for ${hostPlatform()} (only ${
      RUNNABLE_PLATFORMS.join(", ")
    })`;
}

const BASE = 0x400000;
const CODE_OFFSET = 64 + 56;

/**
 * `script` wrapped as an executable for `platform` (see the module doc).
 * Runnable on Linux; header-only on other platforms.
 */
export function nativeStandIn(script: string, platform: string): Uint8Array {
  switch (platform) {
    case "linux-x64":
    case "linux-arm64":
      return elfTrampoline(script, platform === "linux-x64" ? "x64" : "arm64");
    case "darwin-x64":
    case "darwin-arm64":
      return machOShell(script, platform.endsWith("x64") ? "x64" : "arm64");
    case "windows-x64":
      return peShell(script);
    default:
      throw new Error(`no stand-in for ${platform}`);
  }
}

function elfTrampoline(script: string, arch: "x64" | "arm64"): Uint8Array {
  const encoder = new TextEncoder();
  const codeLength = arch === "x64" ? X64_CODE_LENGTH : ARM64_CODE.length * 4;
  const sh = CODE_OFFSET + codeLength;
  const dashC = sh + 8; // "/bin/sh\0"
  const scriptAt = dashC + 3; // "-c\0"
  const scriptBytes = encoder.encode(script + "\0");
  const size = scriptAt + scriptBytes.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  // ELF header: 64-bit, little endian, executable.
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, arch === "x64" ? 0x3e : 0xb7, true);
  view.setUint32(20, 1, true); // EV_CURRENT
  view.setBigUint64(24, BigInt(BASE + CODE_OFFSET), true); // entry
  view.setBigUint64(32, 64n, true); // program headers follow the header
  view.setUint16(52, 64, true);
  view.setUint16(54, 56, true);
  view.setUint16(56, 1, true);
  view.setUint16(58, 64, true);
  // One PT_LOAD, read + execute, mapping the whole file.
  view.setUint32(64, 1, true);
  view.setUint32(68, 5, true);
  view.setBigUint64(72, 0n, true);
  view.setBigUint64(80, BigInt(BASE), true);
  view.setBigUint64(88, BigInt(BASE), true);
  view.setBigUint64(96, BigInt(size), true);
  view.setBigUint64(104, BigInt(size), true);
  view.setBigUint64(112, 0x10000n, true);
  if (arch === "x64") writeX64(bytes, view, sh, dashC, scriptAt);
  else writeArm64(view, sh, dashC, scriptAt);
  bytes.set(encoder.encode("/bin/sh\0-c\0"), sh);
  bytes.set(scriptBytes, scriptAt);
  return bytes;
}

// x86-64, entered with rsp -> argc, argv..., NULL, envp...:
//   mov rax,[rsp]; lea rdx,[rsp+rax*8+16]        ; envp
//   lea rdi,[rip+sh];  mov [rsp-16],rdi          ; new argv[0]
//   lea rcx,[rip+-c];  mov [rsp-8],rcx           ; new argv[1]
//   lea rcx,[rip+scr]; mov [rsp],rcx             ; new argv[2] over argc
//   lea rsi,[rsp-16]; mov eax,59; syscall        ; execve
//   mov edi,127; mov eax,60; syscall             ; exit(127) if it failed
const X64_PARTS: (number[] | "sh" | "dashC" | "script")[] = [
  [0x48, 0x8b, 0x04, 0x24, 0x48, 0x8d, 0x54, 0xc4, 0x10, 0x48, 0x8d, 0x3d],
  "sh",
  [0x48, 0x89, 0x7c, 0x24, 0xf0, 0x48, 0x8d, 0x0d],
  "dashC",
  [0x48, 0x89, 0x4c, 0x24, 0xf8, 0x48, 0x8d, 0x0d],
  "script",
  [
    0x48,
    0x89,
    0x0c,
    0x24,
    0x48,
    0x8d,
    0x74,
    0x24,
    0xf0,
    0xb8,
    0x3b,
    0,
    0,
    0,
    0x0f,
    0x05,
    0xbf,
    0x7f,
    0,
    0,
    0,
    0xb8,
    0x3c,
    0,
    0,
    0,
    0x0f,
    0x05,
  ],
];
const X64_CODE_LENGTH = X64_PARTS.reduce(
  (sum, part) => sum + (typeof part === "string" ? 4 : part.length),
  0,
);

function writeX64(
  bytes: Uint8Array,
  view: DataView,
  sh: number,
  dashC: number,
  script: number,
): void {
  const targets = { sh, dashC, script };
  let at = CODE_OFFSET;
  for (const part of X64_PARTS) {
    if (typeof part === "string") {
      // rip-relative: from the end of this 4-byte displacement.
      view.setInt32(at, targets[part] - (at + 4), true);
      at += 4;
    } else {
      bytes.set(part, at);
      at += part.length;
    }
  }
}

// AArch64, entered with sp -> argc, argv..., NULL, envp...:
//   ldr x3,[sp]; add x2,sp,x3,uxtx #3; add x2,x2,#16   ; envp
//   adr x0,sh; adr x4,-c; adr x5,script
//   stp x0,x4,[sp,#-16]; str x5,[sp]; sub x1,sp,#16     ; new argv
//   mov x8,#221; svc #0                                 ; execve
//   mov x0,#127; mov x8,#93; svc #0                     ; exit(127)
const ARM64_CODE: (number | { adr: number; to: "sh" | "dashC" | "script" })[] =
  [
    0xf94003e3,
    0x8b236fe2,
    0x91004042,
    { adr: 0, to: "sh" },
    { adr: 4, to: "dashC" },
    { adr: 5, to: "script" },
    0xa93f13e0,
    0xf90003e5,
    0xd10043e1,
    0xd2801ba8,
    0xd4000001,
    0xd2800fe0,
    0xd2800ba8,
    0xd4000001,
  ];

function writeArm64(
  view: DataView,
  sh: number,
  dashC: number,
  script: number,
): void {
  const targets = { sh, dashC, script };
  ARM64_CODE.forEach((instruction, i) => {
    const at = CODE_OFFSET + i * 4;
    if (typeof instruction === "number") {
      view.setUint32(at, instruction, true);
      return;
    }
    const offset = targets[instruction.to] - at;
    const word = 0x10000000 | ((offset & 3) << 29) |
      (((offset >> 2) & 0x7ffff) << 5) | instruction.adr;
    view.setUint32(at, word >>> 0, true);
  });
}

function machOShell(script: string, arch: "x64" | "arm64"): Uint8Array {
  const payload = new TextEncoder().encode(script);
  const bytes = new Uint8Array(32 + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, arch === "x64" ? 0x01000007 : 0x0100000c, true);
  view.setUint32(8, arch === "x64" ? 3 : 0, true);
  view.setUint32(12, 2, true); // MH_EXECUTE, no load commands
  bytes.set(payload, 32);
  return bytes;
}

function peShell(script: string, machine = 0x8664): Uint8Array {
  const payload = new TextEncoder().encode(script);
  const bytes = new Uint8Array(0x58 + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, 0x40, true);
  view.setUint32(0x40, 0x50450000);
  view.setUint16(0x44, machine, true);
  view.setUint16(0x56, 0x0022, true); // executable image, large address aware
  bytes.set(payload, 0x58);
  return bytes;
}

/** Files that are not the waypoint executable for `platform`, by kind. */
export function wrongStandIns(
  platform: string,
  script: string,
): Record<string, Uint8Array> {
  const right = nativeStandIn(script, platform);
  const [os, arch] = platform.split("-");
  const otherArch = arch === "x64" ? "arm64" : "x64";
  const otherOs = os === "linux" ? "darwin" : "linux";
  return {
    "a shell script": new TextEncoder().encode(script),
    "the wrong CPU": os === "windows"
      ? peShell(script, 0xaa64)
      : nativeStandIn(script, `${os}-${otherArch}`),
    "another OS's format": nativeStandIn(script, `${otherOs}-${arch}`),
    "a cut-off header": right.slice(0, 20),
    "a cut-off file": os === "linux" ? right.slice(0, right.length - 10) : (
      // A segment that ends past the end of the file.
      os === "darwin" ? machOWithSegmentPastEnd(arch) : peWithSectionPastEnd()
    ),
    "an empty file": new Uint8Array(0),
  };
}

function machOWithSegmentPastEnd(arch: string): Uint8Array {
  const bytes = new Uint8Array(32 + 72);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, arch === "x64" ? 0x01000007 : 0x0100000c, true);
  view.setUint32(12, 2, true);
  view.setUint32(16, 1, true);
  view.setUint32(20, 72, true);
  view.setUint32(32, 0x19, true); // LC_SEGMENT_64
  view.setUint32(36, 72, true);
  view.setBigUint64(32 + 40, 0n, true);
  view.setBigUint64(32 + 48, 4096n, true);
  return bytes;
}

function peWithSectionPastEnd(): Uint8Array {
  const bytes = new Uint8Array(0x58 + 40);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, 0x40, true);
  view.setUint32(0x40, 0x50450000);
  view.setUint16(0x44, 0x8664, true);
  view.setUint16(0x46, 1, true);
  view.setUint16(0x56, 0x0022, true);
  view.setUint32(0x58 + 16, 4096, true);
  view.setUint32(0x58 + 20, 0x200, true);
  return bytes;
}
