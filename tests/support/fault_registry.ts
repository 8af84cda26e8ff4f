/**
 * A fake npm registry on 127.0.0.1 for the upgrade tests, able to misbehave
 * on demand (404, 500, hanging, dripping or truncated responses, bad
 * integrity, HTML instead of JSON, decompression bombs, packages without or
 * with a lying or forking binary), plus the
 * stand-in "waypoint" binaries it serves and helpers to check that a failed
 * upgrade left the old file exactly as it was.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { constants as zlibConstants, createGzip } from "node:zlib";
import { join } from "node:path";
// @ts-types="npm:@types/tar-stream@3.1.4"
import { pack } from "tar-stream";
import { platformPackage } from "../../src/update/platform.ts";
import { hostPlatform, nativeStandIn } from "./native_standin.ts";

/** A way for the registry to misbehave; `none` serves everything correctly. */
export type Fault =
  | "none"
  | "metadata-404"
  | "metadata-500"
  | "metadata-hang"
  | "metadata-html"
  | "platform-404"
  | "tarball-404"
  | "tarball-truncated"
  | "tarball-abort"
  | "tarball-stall"
  | "wrong-integrity"
  | "no-integrity"
  | "no-binary"
  | "wrong-version"
  /** Metadata headers at once, then one byte every 100 ms. */
  | "metadata-drip"
  /** Metadata of 70 MiB (JSON padded with spaces), sent as fast as it goes, with no length. */
  | "metadata-huge"
  /** The tarball one byte every 100 ms. */
  | "tarball-drip"
  /** Main metadata headers at once, then one byte a second. */
  | "metadata-trickle"
  /** Platform metadata headers at once, then one byte a second. */
  | "platform-trickle"
  /** Platform metadata: the request is read, no answer ever comes. */
  | "platform-hang"
  /** The tarball one byte a second. */
  | "tarball-trickle"
  /** The tarball: the request is read, no answer ever comes. */
  | "tarball-hang"
  /**
   * A tarball padded to {@link SLOW_TARBALL_BYTES} (with its true integrity)
   * sent at {@link SLOW_BYTES_PER_S}: slow, but well above any stall floor.
   */
  | "tarball-slow"
  /** A 1 MiB tarball whose binary inflates to 1 GiB, with its true integrity. */
  | "bomb"
  /** The same bomb, but the metadata lists the good tarball's integrity. */
  | "bomb-unsigned"
  /** A binary that prints its version and leaves a child holding its stdout. */
  | "probe-fork"
  /** A binary whose `--version` never returns. */
  | "probe-hang";

/** One request the server saw. */
export interface SeenRequest {
  path: string;
  accept: string | null;
  authorization: string | null;
}

/** A running fault registry. */
export interface FaultRegistry {
  /** Base URL ending in `/`. */
  url: string;
  /** Requests in arrival order. */
  requests: SeenRequest[];
  /** Switches the misbehaviour for the following requests. */
  setFault(fault: Fault): void;
  /** Releases hanging responses and closes the server. */
  stop(): Promise<void>;
}

/** What the registry publishes. */
export interface FaultRegistryOptions {
  /** `dist-tags.latest` of the main package. */
  latest: string;
  /** Other published versions (all of them get platform packages). */
  versions?: string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** When set, every request must carry this `user:password` as basic auth. */
  basicAuth?: string;
  /** Published as every platform package's binary instead of a stand-in. */
  binary?: Uint8Array;
}

/**
 * A POSIX sh stand-in for a waypoint binary: prints `version` for
 * `--version`; for anything else appends `<version> <args>` to the file named
 * by `$WAYPOINT_STANDIN_LOG` (so tests see which binary ran what), exit 0.
 */
export function standInScript(version: string): string {
  return `#!/bin/sh
if [ "$1" = "--version" ]; then
  echo "${version}"
  exit 0
fi
if [ -n "$WAYPOINT_STANDIN_LOG" ]; then
  printf '%s %s\\n' "${version}" "$*" >> "$WAYPOINT_STANDIN_LOG"
fi
exit 0
`;
}

/**
 * A stand-in that prints `version` for `--version` but first starts a
 * background child that inherits (and so holds open) its stdout; the
 * child's pid goes to `$WAYPOINT_STANDIN_LOG.fork`.
 */
export function forkingScript(version: string): string {
  return `#!/bin/sh
if [ "$1" = "--version" ]; then
  sleep 300 &
  if [ -n "$WAYPOINT_STANDIN_LOG" ]; then
    echo "$!" > "$WAYPOINT_STANDIN_LOG.fork"
  fi
  echo "${version}"
  exit 0
fi
exit 0
`;
}

/**
 * A stand-in whose `--version` hangs; its pid goes to
 * `$WAYPOINT_STANDIN_LOG.hang` so a test can end it.
 */
export function hangingScript(): string {
  return `#!/bin/sh
if [ -n "$WAYPOINT_STANDIN_LOG" ]; then
  echo "$$" >> "$WAYPOINT_STANDIN_LOG.hang"
fi
exec sleep 300
`;
}

/**
 * {@link standInScript} as an executable for this machine (see
 * `native_standin.ts`), which the upgrade's format check accepts.
 */
export function standInBinary(version: string): Uint8Array {
  return nativeStandIn(standInScript(version), hostPlatform());
}

/** One tarball entry: a file with `content`, or a symlink to `linkname`. */
export type TarballEntry =
  | { path: string; content: string | Uint8Array; mode?: number }
  | { path: string; linkname: string };

/** Builds an npm-style `.tgz` (`package/...`) from entries; file modes default to 0644. */
export async function makeTarball(
  files: TarballEntry[],
): Promise<Uint8Array<ArrayBuffer>> {
  const packer = pack();
  for (const file of files) {
    const name = `package/${file.path}`;
    if ("linkname" in file) {
      packer.entry({ name, type: "symlink", linkname: file.linkname });
    } else {
      packer.entry(
        { name, mode: file.mode ?? 0o644, mtime: new Date(0) },
        typeof file.content === "string"
          ? file.content
          : Buffer.from(file.content),
      );
    }
  }
  packer.finalize();
  const chunks: Uint8Array[] = [];
  for await (const chunk of packer) chunks.push(chunk);
  const gzipped = new Blob(chunks as BlobPart[]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(gzipped).arrayBuffer());
}

/** SRI string for `bytes`. */
export function sri(bytes: Uint8Array): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

interface Published {
  tarball: Uint8Array<ArrayBuffer>;
  integrity: string;
}

/** How fast the `tarball-slow` fault sends (about 20 KB/s). */
export const SLOW_BYTES_PER_S = 20_000;
/** Padding in the `tarball-slow` tarball: about 8 s at {@link SLOW_BYTES_PER_S}. */
export const SLOW_TARBALL_BYTES = 160_000;
/** What the tarball-abort fault errors its body with, to cut the transfer. */
const CONNECTION_LOST = new Error("connection lost");

/** Starts the registry on a free port; call `stop()` when done. */
export async function startFaultRegistry(
  options: FaultRegistryOptions,
): Promise<FaultRegistry> {
  const platform = platformPackage();
  const versions = [...new Set([options.latest, ...(options.versions ?? [])])];
  const good = new Map<string, Published>();
  const liar = new Map<string, Published>();
  for (const version of versions) {
    good.set(
      version,
      await publish(version, version, platform.binaryPath, options.binary),
    );
    liar.set(
      version,
      await publish(version, "0.0.0-liar", platform.binaryPath),
    );
  }
  const forking = new Map<string, Published>();
  for (const version of versions) {
    const tarball = await makeTarball([
      { path: "package.json", content: JSON.stringify({ version }) },
      {
        path: platform.binaryPath,
        content: nativeStandIn(forkingScript(version), hostPlatform()),
        mode: 0o755,
      },
    ]);
    forking.set(version, { tarball, integrity: sri(tarball) });
  }
  const hangingTarball = await makeTarball([
    {
      path: platform.binaryPath,
      content: nativeStandIn(hangingScript(), hostPlatform()),
      mode: 0o755,
    },
  ]);
  const hanging = { tarball: hangingTarball, integrity: sri(hangingTarball) };
  let bomb: Published | undefined;
  let padded: Map<string, Published> | undefined;
  /** Each version's good tarball plus random (incompressible) padding. */
  const publishPadded = async () => {
    const map = new Map<string, Published>();
    for (const version of versions) {
      const tarball = await makeTarball([
        { path: "package.json", content: JSON.stringify({ version }) },
        {
          path: platform.binaryPath,
          content: options.binary ?? standInBinary(version),
          mode: 0o755,
        },
        {
          path: "padding.bin",
          content: randomBytes(SLOW_TARBALL_BYTES),
        },
      ]);
      map.set(version, { tarball, integrity: sri(tarball) });
    }
    return map;
  };
  const empty = await makeTarball([{
    path: "package.json",
    content: JSON.stringify({ name: platform.packageName }),
  }]);

  let fault: Fault = "none";
  const requests: SeenRequest[] = [];
  const releases = new Set<() => void>();
  const held = () =>
    new Promise<void>((resolve) => {
      releases.add(resolve);
    });
  let stopping = false;
  /**
   * Sends `bytes`, `step` at a time every `everyMs` (headers at once, with
   * the true length when `sized`), until stopped.
   */
  const drip = (
    bytes: Uint8Array,
    contentType: string,
    everyMs = 100,
    step = 1,
    sized = false,
  ): Response => {
    let sent = 0;
    const headers: Record<string, string> = { "content-type": contentType };
    if (sized) headers["content-length"] = String(bytes.length);
    return new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, everyMs));
          if (stopping || sent >= bytes.length) {
            controller.close();
            return;
          }
          controller.enqueue(bytes.slice(sent, sent + step));
          sent += step;
        },
      }),
      { headers },
    );
  };

  const tarballs = new Map<string, string>(
    versions.map((
      v,
    ) => [`/${platform.packageName}/-/${platform.packageName}-${v}.tgz`, v]),
  );

  const handler = async (request: Request): Promise<Response> => {
    const { pathname, origin } = new URL(request.url);
    requests.push({
      path: pathname,
      accept: request.headers.get("accept"),
      authorization: request.headers.get("authorization"),
    });
    if (
      options.token &&
      request.headers.get("authorization") !== `Bearer ${options.token}`
    ) {
      return json({ error: "authentication required" }, 401);
    }
    if (
      options.basicAuth &&
      request.headers.get("authorization") !==
        `Basic ${btoa(options.basicAuth)}`
    ) {
      return json({ error: "authentication required" }, 401);
    }
    const base = `${origin}/`;
    if (pathname === "/waypoint-codex") return await mainMetadata(base);
    // install.sh asks for single version documents.
    if (pathname === "/waypoint-codex/latest") {
      const response = await mainMetadata(base);
      if (
        !response.ok || fault === "metadata-drip" ||
        fault === "metadata-trickle" || fault === "metadata-huge"
      ) return response;
      return json({ name: "waypoint-codex", version: options.latest });
    }
    const versionDoc = pathname.match(
      new RegExp(`^/${platform.packageName}/([^/]+)$`),
    );
    if (versionDoc) {
      const response = await platformMetadata(base);
      if (!response.ok) return response;
      const doc = (await response.json()) as {
        versions: Record<string, unknown>;
      };
      const entry = doc.versions[versionDoc[1]];
      return entry ? json(entry) : json({ error: "not found" }, 404);
    }
    if (pathname === `/${platform.packageName}`) {
      return await platformMetadata(base);
    }
    const version = tarballs.get(pathname);
    if (version !== undefined) return await tarball(version);
    return json({ error: "not found" }, 404);
  };

  const mainMetadata = async (base: string): Promise<Response> => {
    if (fault === "metadata-404") return json({ error: "not found" }, 404);
    if (fault === "metadata-500") return new Response("boom", { status: 500 });
    if (fault === "metadata-hang") {
      await held();
      return new Response("released", { status: 503 });
    }
    if (fault === "metadata-drip" || fault === "metadata-trickle") {
      // Padded so the drip lasts well over a minute.
      return drip(
        new TextEncoder().encode(
          JSON.stringify({ name: "waypoint-codex" }) + " ".repeat(1000),
        ),
        "application/json",
        fault === "metadata-trickle" ? 1000 : 100,
      );
    }
    if (fault === "metadata-huge") {
      const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
      let sent = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (stopping || sent === 70) return controller.close();
            controller.enqueue(
              sent++ === 0 ? new TextEncoder().encode("{") : chunk,
            );
          },
        }),
        { headers: { "content-type": "application/json" } },
      );
    }
    if (fault === "metadata-html") {
      return new Response("<!doctype html><title>Sign in</title>", {
        headers: { "content-type": "text/html" },
      });
    }
    return json({
      name: "waypoint-codex",
      "dist-tags": { latest: options.latest },
      versions: Object.fromEntries(versions.map((v) => [v, {
        name: "waypoint-codex",
        version: v,
        dist: { tarball: `${base}waypoint-codex/-/waypoint-codex-${v}.tgz` },
      }])),
    });
  };

  const platformMetadata = async (base: string): Promise<Response> => {
    if (fault === "platform-404") return json({ error: "not found" }, 404);
    if (fault === "platform-hang") {
      await held();
      return new Response("released", { status: 503 });
    }
    if (fault === "tarball-slow") padded ??= await publishPadded();
    if (fault === "bomb" || fault === "bomb-unsigned") {
      bomb ??= await buildBomb(platform.binaryPath);
    }
    const entries = versions.map((v) => {
      const integrity = fault === "wrong-integrity"
        ? sri(new TextEncoder().encode("something else"))
        : fault === "no-integrity"
        ? undefined
        : fault === "bomb-unsigned"
        ? good.get(v)!.integrity
        : published(v).integrity;
      return [v, {
        name: platform.packageName,
        version: v,
        dist: {
          tarball:
            `${base}${platform.packageName}/-/${platform.packageName}-${v}.tgz`,
          integrity,
          shasum: "0000000000000000000000000000000000000000",
        },
      }];
    });
    const doc = {
      name: platform.packageName,
      "dist-tags": { latest: options.latest },
      versions: Object.fromEntries(entries),
    };
    if (fault === "platform-trickle") {
      return drip(
        new TextEncoder().encode(JSON.stringify(doc)),
        "application/json",
        1000,
      );
    }
    return json(doc);
  };

  const published = (version: string): Published =>
    fault === "tarball-slow"
      ? padded!.get(version)!
      : fault === "bomb" || fault === "bomb-unsigned"
      ? bomb!
      : fault === "probe-fork"
      ? forking.get(version)!
      : fault === "probe-hang"
      ? hanging
      : fault === "wrong-version"
      ? liar.get(version)!
      : fault === "no-binary"
      ? { tarball: empty, integrity: sri(empty) }
      : good.get(version)!;

  const tarball = async (version: string): Promise<Response> => {
    if (fault === "tarball-404") return json({ error: "not found" }, 404);
    if (fault === "tarball-hang") {
      await held();
      return new Response("released", { status: 503 });
    }
    const bytes = published(version).tarball;
    if (fault === "tarball-drip") {
      return drip(bytes, "application/octet-stream");
    }
    if (fault === "tarball-trickle") {
      return drip(bytes, "application/octet-stream", 1000);
    }
    if (fault === "tarball-slow") {
      const every = 100;
      const step = SLOW_BYTES_PER_S * every / 1000;
      return drip(bytes, "application/octet-stream", every, step, true);
    }
    if (fault === "tarball-truncated") {
      return new Response(bytes.slice(0, Math.floor(bytes.length / 2)));
    }
    if (fault === "tarball-abort") {
      // The connection dies mid-body instead of ending cleanly.
      return new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
            controller.error(CONNECTION_LOST);
          },
        }),
      );
    }
    if (fault === "tarball-stall") {
      let sent = false;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (!sent) {
              sent = true;
              controller.enqueue(bytes.slice(0, Math.floor(bytes.length / 2)));
              return;
            }
            await held();
            controller.close();
          },
        }),
        { headers: { "content-type": "application/octet-stream" } },
      );
    }
    return new Response(bytes, {
      headers: { "content-type": "application/octet-stream" },
    });
  };

  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      // Deno hands a body stream's error here and by default prints it with
      // its stack; the tarball-abort fault's cut is expected, anything else
      // is still shown.
      onError: (error) => {
        if (error !== CONNECTION_LOST) console.error(error);
        return new Response("Internal Server Error", { status: 500 });
      },
    },
    handler,
  );
  let stopped = false;
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    requests,
    setFault(next) {
      fault = next;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopping = true;
      for (const release of releases) release();
      releases.clear();
      await server.shutdown();
    },
  };
}

/** `size` random bytes (getRandomValues fills at most 64 KiB a call). */
function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  }
  return bytes;
}

async function publish(
  version: string,
  printed: string,
  binaryPath: string,
  binary: Uint8Array = standInBinary(printed),
): Promise<Published> {
  const tarball = await makeTarball([
    {
      path: "package.json",
      content: JSON.stringify({ name: "waypoint-codex-stand-in", version }),
    },
    { path: binaryPath, content: binary, mode: 0o755 },
  ]);
  return { tarball, integrity: sri(tarball) };
}

/** Inflated size of the decompression bomb. */
export const BOMB_BYTES = 1024 * 1024 * 1024;

/**
 * An npm-style tarball whose binary entry holds {@link BOMB_BYTES} of zeros:
 * about 1 MiB gzipped (built by streaming, never held inflated).
 */
async function buildBomb(binaryPath: string): Promise<Published> {
  const header = tarHeader(`package/${binaryPath}`, BOMB_BYTES);
  const zeros = new Uint8Array(4 * 1024 * 1024);
  // Run-length encoding: as small as level 9 on zeros, several times faster.
  const gzip = createGzip({ level: 9, strategy: zlibConstants.Z_RLE });
  const chunks: Uint8Array[] = [];
  gzip.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  const write = async (chunk: Uint8Array) => {
    if (!gzip.write(chunk)) {
      await new Promise((resolve) => gzip.once("drain", resolve));
    }
  };
  await write(header);
  for (let n = 0; n < BOMB_BYTES / zeros.length; n++) await write(zeros);
  await write(new Uint8Array(1024)); // end-of-archive blocks
  gzip.end();
  await ended;
  const tarball = new Uint8Array(
    await new Blob(chunks as BlobPart[]).arrayBuffer(),
  );
  return { tarball, integrity: sri(tarball) };
}

/** A ustar header for a regular file of `size` bytes. */
function tarHeader(name: string, size: number): Uint8Array {
  const header = new Uint8Array(512);
  const put = (offset: number, text: string) =>
    header.set(new TextEncoder().encode(text), offset);
  put(0, name);
  put(100, "0000755\0");
  put(108, "0000000\0");
  put(116, "0000000\0");
  put(124, size.toString(8).padStart(11, "0") + "\0");
  put(136, "00000000000\0");
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\0");
  put(263, "00");
  const sum = header.reduce((total, byte) => total + byte, 0);
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return header;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** A file's bytes and permission bits, to prove it did not change. */
export interface FileSnapshot {
  bytes: Uint8Array;
  mode: number | null;
}

/** Reads a {@link FileSnapshot}. */
export async function snapshot(path: string): Promise<FileSnapshot> {
  return {
    bytes: await Deno.readFile(path),
    mode: (await Deno.stat(path)).mode,
  };
}

/** Sorted names in a directory (to see stray temp files). */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** A sandbox for one upgrade run: an old stand-in binary and a clean environment. */
export interface UpgradeSandbox {
  root: string;
  /** The stand-in binary upgrade replaces (`WAYPOINT_SELF_PATH`). */
  binary: string;
  /** Where stand-ins log their non-`--version` runs. */
  log: string;
  /** Environment for `runCli`: no node on PATH, private HOME and cache. */
  env: Record<string, string | undefined>;
  /** Removes everything. */
  remove(): Promise<void>;
}

/**
 * Creates a temp dir with `bin/waypoint` (a stand-in printing `oldVersion`)
 * and an environment pointing at `registryUrl` whose PATH holds only `sh`, so
 * the waypoint process cannot reach node or npm.
 */
export async function makeSandbox(
  registryUrl: string,
  oldVersion: string,
): Promise<UpgradeSandbox> {
  const root = await Deno.makeTempDir({ prefix: "waypoint-upgrade-" });
  const binDir = join(root, "bin");
  const pathDir = join(root, "path");
  const home = join(root, "home");
  await Deno.mkdir(binDir);
  await Deno.mkdir(pathDir);
  await Deno.mkdir(home);
  const binary = join(binDir, "waypoint");
  await Deno.writeFile(binary, standInBinary(oldVersion));
  await Deno.chmod(binary, 0o755);
  await Deno.symlink("/bin/sh", join(pathDir, "sh"));
  const log = join(root, "standin.log");
  const denoDirPath = await denoDir();
  return {
    root,
    binary,
    log,
    env: {
      PATH: pathDir,
      // HOME and XDG_CACHE_HOME move Deno's own cache; keep the warm one.
      DENO_DIR: denoDirPath,
      HOME: home,
      XDG_CACHE_HOME: join(root, "cache"),
      WAYPOINT_SELF_PATH: binary,
      WAYPOINT_REGISTRY: registryUrl,
      // Generous: tests share a loaded machine. Hang tests set their own.
      WAYPOINT_HTTP_TIMEOUT_MS: "15000",
      WAYPOINT_STANDIN_LOG: log,
      NO_PROXY: "127.0.0.1,localhost",
      no_proxy: "127.0.0.1,localhost",
      NPM_CONFIG_REGISTRY: undefined,
      npm_config_registry: undefined,
      npm_config_userconfig: undefined,
      NPM_CONFIG_USERCONFIG: undefined,
      CI: undefined,
    },
    remove: () => Deno.remove(root, { recursive: true }).catch(() => {}),
  };
}

/**
 * Runs `fn` with a fault registry started with `options` and a sandbox
 * holding a stand-in for `oldVersion` that points at it; both are removed
 * afterwards, whatever `fn` does.
 */
export async function withFaultSandbox(
  options: FaultRegistryOptions,
  oldVersion: string,
  fn: (registry: FaultRegistry, box: UpgradeSandbox) => Promise<void>,
): Promise<void> {
  const registry = await startFaultRegistry(options);
  const box = await makeSandbox(registry.url, oldVersion);
  try {
    await fn(registry, box);
  } finally {
    await box.remove();
    await registry.stop();
  }
}

let cachedDenoDir: string | undefined;

/** The Deno cache directory this test process uses. */
async function denoDir(): Promise<string> {
  if (cachedDenoDir) return cachedDenoDir;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    denoDir: string;
  };
  cachedDenoDir = info.denoDir;
  return cachedDenoDir;
}
