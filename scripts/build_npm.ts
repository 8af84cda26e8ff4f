/**
 * Assembles the npm packages from the compiled binaries in `dist/`:
 * one `waypoint-codex-<os>-<arch>` package per platform holding
 * `bin/waypoint[.exe]`, and the main `waypoint-codex` package (sources in
 * `npm/waypoint-codex/`) whose launcher runs the platform binary, and whose
 * postinstall puts that binary in the launcher's place where it can.
 * Every package carries the fields a provenance publish needs (license,
 * repository, homepage, bugs), taken from the main package's source, and
 * every binary must be a native executable for its platform.
 *
 *   deno run -A scripts/build_npm.ts [--dist dist] [--out dist/npm]
 *                                    [--only linux-x64,...] [--version X]
 *
 * Prints the package directories, platform packages first: publish them in
 * that order so the main package never points at missing dependencies.
 * The version defaults to the CLI's (`deno.json`); `--version` exists for
 * tests that need several releases.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import semver from "semver";
import { VERSION } from "../src/version.ts";
import { assertExecutableFor } from "../src/update/executable_format.ts";
import {
  binaryFileName,
  platformName,
  platformPackageName,
  selectTargets,
  type Target,
  TARGETS,
} from "./targets.ts";

const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
const MAIN_SOURCE = join(PROJECT_ROOT, "npm", "waypoint-codex");

/** What {@link buildNpmPackages} assembles, and where. */
export interface BuildNpmOptions {
  /** Directory with `waypoint-<os>-<arch>[.exe]` binaries. */
  distDir: string;
  /** Directory that receives one folder per package. */
  outDir: string;
  /** Platforms to package; the main package always lists all of them. */
  targets: Target[];
  /** Version of every package. */
  version: string;
}

/** npm's `os` values differ from ours for Windows. */
const NPM_OS: Record<Target["os"], string> = {
  linux: "linux",
  darwin: "darwin",
  windows: "win32",
};

const PLATFORM_LABEL: Record<Target["os"], string> = {
  linux: "Linux",
  darwin: "macOS",
  windows: "Windows",
};

/** Builds the packages and returns their directories, main package last. */
export async function buildNpmPackages(
  options: BuildNpmOptions,
): Promise<string[]> {
  if (!semver.valid(options.version)) {
    throw new Error(`"${options.version}" is not a valid semver version`);
  }
  const missing: string[] = [];
  for (const target of options.targets) {
    const path = join(options.distDir, binaryFileName(target));
    if (!(await isFile(path))) missing.push(path);
  }
  if (missing.length > 0) {
    throw new Error(
      `missing binaries: ${missing.join(", ")} ` +
        "(run `deno task compile:all`, or pass --only for the ones you have)",
    );
  }
  // A shell script or another platform's binary would install fine and
  // then do nothing useful on the user's machine.
  for (const target of options.targets) {
    await assertExecutableFor(
      join(options.distDir, binaryFileName(target)),
      platformName(target),
    );
  }
  const source = await readMainSource();
  const dirs: string[] = [];
  for (const target of options.targets) {
    dirs.push(await buildPlatformPackage(target, options, source));
  }
  dirs.push(await buildMainPackage(options, source));
  return dirs;
}

/** The fields every package shares with the main package's source. */
const SHARED_FIELDS = ["license", "homepage", "repository", "bugs"] as const;

async function readMainSource(): Promise<Record<string, unknown>> {
  const source = JSON.parse(
    await Deno.readTextFile(join(MAIN_SOURCE, "package.json")),
  ) as Record<string, unknown>;
  const missing = SHARED_FIELDS.filter((field) => !source[field]);
  if (missing.length > 0) {
    throw new Error(
      `${join(MAIN_SOURCE, "package.json")} lacks ${
        missing.join(", ")
      } (npm refuses a provenance publish without repository)`,
    );
  }
  return source;
}

async function buildPlatformPackage(
  target: Target,
  { distDir, outDir, version }: BuildNpmOptions,
  source: Record<string, unknown>,
): Promise<string> {
  const name = platformPackageName(target);
  const dir = await freshDir(join(outDir, name));
  const exe = target.os === "windows" ? "waypoint.exe" : "waypoint";
  await Deno.mkdir(join(dir, "bin"));
  await Deno.copyFile(
    join(distDir, binaryFileName(target)),
    join(dir, "bin", exe),
  );
  await chmodExecutable(join(dir, "bin", exe));
  const label = `${PLATFORM_LABEL[target.os]} ${target.arch}`;
  await writeJson(join(dir, "package.json"), {
    name,
    version,
    description:
      `The waypoint binary for ${label}. Install waypoint-codex, not this package.`,
    ...Object.fromEntries(SHARED_FIELDS.map((field) => [field, source[field]])),
    os: [NPM_OS[target.os]],
    cpu: [target.arch],
    // The Linux binaries need glibc: npm skips them on musl (Alpine) instead
    // of installing a binary that cannot start.
    ...(target.os === "linux" ? { libc: ["glibc"] } : {}),
    files: [`bin/${exe}`],
    // Package managers that zip packages must unpack this one to run it.
    preferUnplugged: true,
  });
  await Deno.writeTextFile(
    join(dir, "README.md"),
    `# ${name}\n\nThe \`waypoint\` binary for ${label} (\`${
      platformName(target)
    }\`).\n` +
      "It is installed by the `waypoint-codex` package, whose launcher runs it;\n" +
      "install that package instead: `npm install -g waypoint-codex`.\n",
  );
  return dir;
}

async function buildMainPackage(
  { outDir, version }: BuildNpmOptions,
  source: Record<string, unknown>,
): Promise<string> {
  const dir = await freshDir(join(outDir, "waypoint-codex"));
  await Deno.mkdir(join(dir, "bin"));
  for (const file of ["bin/waypoint", "install.cjs", "README.md"]) {
    await Deno.copyFile(join(MAIN_SOURCE, file), join(dir, file));
  }
  await chmodExecutable(join(dir, "bin", "waypoint"));
  // Every platform, whatever --only built: npm picks by os/cpu at install.
  const optionalDependencies = Object.fromEntries(
    TARGETS.map((target) => [platformPackageName(target), version]),
  );
  const { name, ...rest } = source;
  await writeJson(join(dir, "package.json"), {
    name,
    version,
    ...rest,
    optionalDependencies,
  });
  return dir;
}

async function freshDir(dir: string): Promise<string> {
  await Deno.remove(dir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

async function chmodExecutable(path: string): Promise<void> {
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o755);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2) + "\n");
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      dist: { type: "string", default: join(PROJECT_ROOT, "dist") },
      out: { type: "string" },
      only: { type: "string" },
      version: { type: "string", default: VERSION },
    },
    strict: true,
    allowPositionals: false,
  });
  const distDir = resolve(values.dist);
  const dirs = await buildNpmPackages({
    distDir,
    outDir: resolve(values.out ?? join(distDir, "npm")),
    targets: selectTargets(values.only),
    version: values.version,
  });
  for (const dir of dirs) console.log(dir);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(
      `build_npm: ${error instanceof Error ? error.message : error}`,
    );
    Deno.exit(1);
  }
}
