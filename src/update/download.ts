/**
 * Downloads a package tarball in two steps: the raw bytes are streamed to a
 * staging file and hashed on the way, and only once the integrity matches is
 * the binary extracted (gunzip and untar, streaming). Both steps have size
 * caps enforced while the bytes flow, so a huge or inflating download stops
 * early instead of filling the disk.
 *
 * @module
 */
import { createHash } from "node:crypto";
// @ts-types="npm:@types/tar-stream@3.1.4"
import { type Entry, type Extract, extract } from "tar-stream";
import { WaypointError } from "../errors.ts";
import {
  chunksUntilAbort,
  formatBytes,
  type IdleTimer,
  maskCredentials,
  networkError,
  networkFailureReason,
  startIdleTimer,
} from "./http.ts";
import { sha512Digests } from "./integrity.ts";
import type { Progress } from "./progress.ts";

/** Size caps for one download. */
export interface DownloadLimits {
  /** The compressed tarball. */
  tarballBytes: number;
  /** The extracted binary. */
  binaryBytes: number;
  /** Everything the tarball inflates to. */
  unpackedBytes: number;
}

/** Caps well above a real waypoint release (about 40 MiB packed, 100 MiB unpacked). */
export const DEFAULT_LIMITS: DownloadLimits = {
  tarballBytes: 256 * 1024 * 1024,
  binaryBytes: 512 * 1024 * 1024,
  unpackedBytes: 640 * 1024 * 1024,
};

/** What to download and where the binary goes. */
export interface DownloadRequest {
  /** `dist.tarball`. */
  url: string;
  /** `dist.integrity` (SRI). */
  integrity: string | undefined;
  /** e.g. `waypoint-codex-linux-x64@1.2.0`, for messages. */
  label: string;
  /** Path of the binary inside the package, e.g. `bin/waypoint`. */
  binaryPath: string;
  /** File that receives the raw tarball (created by the caller). */
  tarballFile: string;
  /** File that receives the binary (created by the caller beside the target). */
  destination: string;
  /** Extra request headers (authorization). */
  headers: Record<string, string>;
  /** Longest wait for the next chunk; the whole transfer gets ten times this. */
  timeoutMs: number;
  /** Longest the whole download may take (default: ten times `timeoutMs`). */
  totalMs?: number;
  /** Size caps (defaults: {@link DEFAULT_LIMITS}). */
  limits?: DownloadLimits;
  /** Told about the bytes as they arrive (e.g. a terminal progress line). */
  progress?: Progress;
}

/**
 * Downloads the tarball to `tarballFile`, verifies its sha512 against
 * `integrity`, then writes the binary to `destination`. Throws a one-line
 * {@link WaypointError} on any problem; both files may then hold partial
 * data, which the caller discards.
 */
export async function downloadBinary(request: DownloadRequest): Promise<void> {
  const expected = sha512Digests(request.integrity, request.label);
  const limits = request.limits ?? DEFAULT_LIMITS;
  const shownUrl = maskCredentials(request.url);
  const timer = startIdleTimer(request.timeoutMs, request.totalMs);
  let actual: string;
  try {
    actual = await fetchTarball(request, limits, timer);
  } catch (error) {
    throw downloadError(error, request, timer);
  } finally {
    timer.clear();
    request.progress?.done();
  }
  if (!expected.includes(actual)) {
    throw new WaypointError(
      `integrity check failed for ${request.label} from ${shownUrl}: expected sha512-${
        expected[0]
      }, got sha512-${actual}`,
    );
  }
  let found: boolean;
  try {
    found = await extractBinary(request, limits);
  } catch (error) {
    throw downloadError(error, request, undefined);
  }
  if (!found) {
    throw new WaypointError(
      `${request.label} from ${shownUrl} does not contain ${request.binaryPath}`,
    );
  }
}

/** Streams the tarball into `tarballFile`; returns its base64 sha512. */
async function fetchTarball(
  request: DownloadRequest,
  limits: DownloadLimits,
  timer: IdleTimer,
): Promise<string> {
  const response = await openTarball(request, timer);
  const body = response.body!;
  const length = Number(response.headers.get("content-length") ?? NaN);
  const total = Number.isSafeInteger(length) && length > 0 ? length : undefined;
  const hash = createHash("sha512");
  const file = await Deno.open(request.tarballFile, {
    write: true,
    create: true,
    truncate: true,
  });
  const writer = file.writable.getWriter();
  let size = 0;
  try {
    for await (const chunk of chunksUntilAbort(body, timer.signal)) {
      timer.touch(chunk.byteLength);
      size += chunk.byteLength;
      request.progress?.update(size, total);
      if (size > limits.tarballBytes) {
        throw new WaypointError(
          `${request.label} from ${
            maskCredentials(request.url)
          } is larger than ${
            formatBytes(limits.tarballBytes)
          }; refusing to download it`,
        );
      }
      hash.update(chunk);
      await writer.write(chunk);
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
    throw error;
  }
  return hash.digest("base64");
}

/** Extracts the binary from the verified tarball; false when it is absent. */
async function extractBinary(
  request: DownloadRequest,
  limits: DownloadLimits,
): Promise<boolean> {
  const source = await Deno.open(request.tarballFile, { read: true });
  let unpacked = 0;
  const counted = source.readable
    .pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          unpacked += chunk.byteLength;
          if (unpacked > limits.unpackedBytes) {
            throw tooBig(request, "unpacks to more than", limits.unpackedBytes);
          }
          controller.enqueue(chunk);
        },
      }),
    );
  const tar = extract();
  const pumping = pump(counted, tar);
  pumping.catch(() => {});
  let found = false;
  for await (const entry of tar) {
    if (packagePath(entry.header.name) === request.binaryPath) {
      await writeEntry(entry, request, limits.binaryBytes);
      found = true;
    } else {
      entry.resume();
    }
  }
  await pumping;
  return found;
}

function tooBig(
  request: DownloadRequest,
  what: string,
  limit: number,
): WaypointError {
  return new WaypointError(
    `${request.label} ${what} ${
      formatBytes(limit)
    } (a decompression bomb or a broken package); nothing was installed`,
  );
}

async function openTarball(
  request: DownloadRequest,
  timer: IdleTimer,
): Promise<Response> {
  const response = await fetch(request.url, {
    headers: request.headers,
    signal: timer.signal,
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new WaypointError(
      `downloading ${request.label} from ${
        maskCredentials(request.url)
      } failed: ${response.status}${
        response.statusText ? ` ${response.statusText}` : ""
      }`,
    );
  }
  return response;
}

/** npm packs everything under one top folder (`package/`); drop it. */
function packagePath(name: string): string {
  return name.replace(/^\.?\//, "").split("/").slice(1).join("/");
}

async function writeEntry(
  entry: Entry,
  request: DownloadRequest,
  maxBytes: number,
): Promise<void> {
  const type = entry.header.type ?? "file";
  if (type !== "file" && type !== "contiguous-file") {
    throw new WaypointError(
      `${request.binaryPath} in ${request.label} is a ${type}, not a file`,
    );
  }
  // The tar header declares the size: a bomb is refused before any write.
  if ((entry.header.size ?? 0) > maxBytes) {
    throw tooBig(
      request,
      `declares a ${request.binaryPath} larger than`,
      maxBytes,
    );
  }
  const file = await Deno.open(request.destination, {
    write: true,
    truncate: true,
  });
  const writer = file.writable.getWriter();
  let written = 0;
  try {
    for await (const chunk of entry) {
      written += chunk.byteLength;
      if (written > maxBytes) {
        throw tooBig(
          request,
          `has a ${request.binaryPath} larger than`,
          maxBytes,
        );
      }
      await writer.write(chunk);
    }
    await writer.close();
  } catch (error) {
    await writer.abort(error).catch(() => {});
    throw error;
  }
}

/** Feeds `source` into the tar parser, honouring its backpressure. */
async function pump(
  source: ReadableStream<Uint8Array>,
  sink: Extract,
): Promise<void> {
  try {
    for await (const chunk of source) {
      if (!sink.write(chunk)) await drained(sink);
    }
    sink.end();
  } catch (error) {
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

function drained(sink: Extract): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      sink.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      sink.off("drain", onDrain);
      reject(new Error("the tar parser stopped"));
    };
    sink.once("drain", onDrain);
    sink.once("close", onClose);
  });
}

function downloadError(
  error: unknown,
  request: DownloadRequest,
  timer: IdleTimer | undefined,
): WaypointError {
  if (error instanceof WaypointError) return error;
  const subject = `the download of ${request.label}`;
  const what = `${subject} from ${maskCredentials(request.url)}`;
  if (timer?.fired()) {
    return networkError(error, what, timer, request.url, subject);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/gzip|deflate|decompress|checksum/i.test(message)) {
    return new WaypointError(
      `${what} is incomplete or corrupt (not a valid gzip file)`,
      { cause: error },
    );
  }
  if (/tar|unexpected end|invalid|header/i.test(message)) {
    return new WaypointError(
      `${what} is incomplete or corrupt (not a valid tar archive)`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new WaypointError(
      `cannot write beside ${request.destination}: permission denied`,
      { cause: error },
    );
  }
  return new WaypointError(
    maskCredentials(`${what} failed: ${networkFailureReason(error)}`),
    { cause: error },
  );
}
