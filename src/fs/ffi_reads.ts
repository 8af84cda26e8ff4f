/**
 * Whether this process may read below a repo root through FFI calls, which
 * bypass Deno's read checks: Linux on x86_64 or aarch64, FFI allowed, the
 * root readable, and no read denial anywhere in the command line (a
 * `--deny-read`, a restricted `--allow-read=`, a permission set), which a
 * per-path `Deno.permissions.querySync` would see but costs ~6 µs a file to
 * ask. The doc-head reader and the folder listing ask it; where it says no,
 * they run on Deno's file API.
 *
 * @module
 */
import { ARCH, OS } from "./libc_abi.ts";

const answers = new Map<string, boolean>();

/**
 * Whether FFI reads below the absolute `root` are allowed (answered once per
 * root and process). `WAYPOINT_DOC_HEADS=deno` says no, for tests that hold
 * both roads to the same results.
 */
export function ffiReadsAllowed(root: string): boolean {
  let answer = answers.get(root);
  if (answer === undefined) {
    answer = ask(root);
    answers.set(root, answer);
  }
  return answer;
}

function ask(root: string): boolean {
  if (OS !== "linux" || (ARCH !== "x86_64" && ARCH !== "aarch64")) {
    return false;
  }
  try {
    if (Deno.env.get("WAYPOINT_DOC_HEADS") === "deno") return false;
    return Deno.permissions.querySync({ name: "ffi" }).state === "granted" &&
      Deno.permissions.querySync({ name: "read", path: root }).state ===
        "granted" &&
      !mayDenyReads();
  } catch {
    return false;
  }
}

function mayDenyReads(): boolean {
  const args = new TextDecoder().decode(
    Deno.readFileSync("/proc/self/cmdline"),
  ).split("\0");
  return args.some((arg) =>
    arg.startsWith("--deny-read") || arg.startsWith("--allow-read=") ||
    arg === "-P" || arg.startsWith("-P=") ||
    arg.startsWith("--permission-set")
  );
}
