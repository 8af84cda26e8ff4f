/**
 * Cross-compiles waypoint for every release platform into `dist/` as
 * `waypoint-<os>-<arch>[.exe]` and writes `dist/SHA256SUMS` for them.
 *
 *   deno run -A scripts/compile_all.ts [--only linux-x64,darwin-arm64]
 *                                      [--out dist] [--list]
 *
 * `--list` prints the targets and compiles nothing. `--deno <path>` runs
 * another `deno` executable for the compile step (tests use a stand-in,
 * because the compile runtime cannot be downloaded everywhere).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { binaryFileName, selectTargets, type Target } from "./targets.ts";
import { COMPILE_INCLUDES } from "../main.ts";
import { COMMAND_MODULES } from "../src/cli/loaders.ts";
import { READ_WORKER_MODULE } from "../src/indexes/read_parallel.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * Every module loaded through a computed specifier, which `deno compile`
 * cannot find by itself: `main.ts`'s entries (its `COMPILE_INCLUDES`), the
 * command modules (`src/cli/loaders.ts`) and the index-reading worker
 * (`src/indexes/read_parallel.ts`), as paths from the project.
 */
export function compileIncludes(): string[] {
  return [
    ...COMPILE_INCLUDES,
    ...Object.values(COMMAND_MODULES).map((path) => `src/cli/${path.slice(2)}`),
    READ_WORKER_MODULE,
  ];
}

/** `--include` for each of {@link compileIncludes}. */
export function includeArgs(): string[] {
  return compileIncludes().flatMap((path) => [
    "--include",
    join(PROJECT_ROOT, path),
  ]);
}

/** Compiles `targets` into `outDir` with `deno`, then writes SHA256SUMS. */
export async function compileAll(
  targets: Target[],
  outDir: string,
  deno: string,
): Promise<void> {
  await Deno.mkdir(outDir, { recursive: true });
  const sums: string[] = [];
  for (const target of targets) {
    const output = join(outDir, binaryFileName(target));
    console.error(`Compiling ${target.triple} -> ${relativeToCwd(output)}`);
    const { success, code } = await new Deno.Command(deno, {
      args: [
        "compile",
        "-A",
        "--quiet",
        "--target",
        target.triple,
        "--output",
        output,
        ...includeArgs(),
        join(PROJECT_ROOT, "main.ts"),
      ],
      cwd: PROJECT_ROOT,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!success) {
      throw new Error(
        `deno compile for ${target.triple} failed (exit ${code})`,
      );
    }
    const bytes = await Deno.readFile(output).catch(() => {
      throw new Error(`deno compile did not produce ${output}`);
    });
    const digest = createHash("sha256").update(bytes).digest("hex");
    // The `sha256sum -c` format: digest, two spaces, file name.
    sums.push(`${digest}  ${binaryFileName(target)}\n`);
  }
  await Deno.writeTextFile(join(outDir, "SHA256SUMS"), sums.join(""));
  console.error(`Wrote ${relativeToCwd(join(outDir, "SHA256SUMS"))}`);
}

function relativeToCwd(path: string): string {
  return relative(Deno.cwd(), path).replaceAll("\\", "/") || ".";
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      list: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string", default: join(PROJECT_ROOT, "dist") },
      deno: { type: "string", default: Deno.execPath() },
    },
    strict: true,
    allowPositionals: false,
  });
  const targets = selectTargets(values.only);
  if (values.list) {
    for (const target of targets) {
      console.log(`${target.triple}  ${binaryFileName(target)}`);
    }
    return 0;
  }
  await compileAll(targets, resolve(values.out), values.deno);
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(
      `compile_all: ${error instanceof Error ? error.message : error}`,
    );
    Deno.exit(1);
  }
}
