/**
 * Streams a package tarball once: the raw bytes are hashed for the integrity
 * check while they are gunzipped and untarred, and only the binary is written
 * to disk. Nothing holds the whole tarball in memory.
 *
 * @module
 */
import { createHash } from "node:crypto";
// @ts-types="npm:@types/tar-stream@3.1.4"
import { type Entry, type Extract, extract } from "tar-stream";
import { WaypointError } from "../errors.ts";
import {
  type IdleTimer,
  networkError,
  networkFailureReason,
  startIdleTimer,
} from "./http.ts";
import { sha512Digests } from "./integrity.ts";

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
  /** File that receives the binary (created by the caller beside the target). */
  destination: string;
  /** Extra request headers (authorization). */
  headers: Record<string, string>;
  /** Longest wait for the next chunk. */
  timeoutMs: number;
}

/**
 * Downloads the tarball, writes the binary to `destination`, and verifies
 * the tarball's sha512 against `integrity` once every byte has arrived. Throws
 * a one-line {@link WaypointError} on any problem; `destination` may then
 * hold partial data, which the caller discards.
 */
export async function downloadBinary(request: DownloadRequest): Promise<void> {
  const expected = sha512Digests(request.integrity, request.label);
  const timer = startIdleTimer(request.timeoutMs);
  const hash = createHash("sha512");
  let found = false;
  try {
    const body = await openTarball(request, timer);
    const hashed = body.pipeThrough(
      new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
        transform(chunk, controller) {
          timer.touch();
          hash.update(chunk);
          controller.enqueue(chunk);
        },
      }),
    );
    const tar = extract();
    const pumping = pump(
      hashed.pipeThrough(new DecompressionStream("gzip")),
      tar,
    );
    pumping.catch(() => {});
    for await (const entry of tar) {
      if (packagePath(entry.header.name) === request.binaryPath) {
        await writeEntry(entry, request);
        found = true;
      } else {
        entry.resume();
      }
    }
    await pumping;
  } catch (error) {
    throw downloadError(error, request, timer);
  } finally {
    timer.clear();
  }
  const actual = hash.digest("base64");
  if (!expected.includes(actual)) {
    throw new WaypointError(
      `integrity check failed for ${request.label} from ${request.url}: expected sha512-${
        expected[0]
      }, got sha512-${actual}`,
    );
  }
  if (!found) {
    throw new WaypointError(
      `${request.label} from ${request.url} does not contain ${request.binaryPath}`,
    );
  }
}

async function openTarball(
  request: DownloadRequest,
  timer: IdleTimer,
): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
  const response = await fetch(request.url, {
    headers: request.headers,
    signal: timer.signal,
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new WaypointError(
      `downloading ${request.label} from ${request.url} failed: ${response.status}${
        response.statusText ? ` ${response.statusText}` : ""
      }`,
    );
  }
  return response.body;
}

/** npm packs everything under one top folder (`package/`); drop it. */
function packagePath(name: string): string {
  return name.replace(/^\.?\//, "").split("/").slice(1).join("/");
}

async function writeEntry(
  entry: Entry,
  request: DownloadRequest,
): Promise<void> {
  const type = entry.header.type ?? "file";
  if (type !== "file" && type !== "contiguous-file") {
    throw new WaypointError(
      `${request.binaryPath} in ${request.label} is a ${type}, not a file`,
    );
  }
  const file = await Deno.open(request.destination, {
    write: true,
    truncate: true,
  });
  const writer = file.writable.getWriter();
  try {
    for await (const chunk of entry) await writer.write(chunk);
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
  timer: IdleTimer,
): WaypointError {
  if (error instanceof WaypointError) return error;
  const what = `the download of ${request.label} from ${request.url}`;
  if (timer.fired()) return networkError(error, what, timer, request.timeoutMs);
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
      `cannot write ${request.destination}: permission denied`,
      { cause: error },
    );
  }
  return new WaypointError(
    `${what} failed: ${networkFailureReason(error)}`,
    { cause: error },
  );
}
