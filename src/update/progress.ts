/**
 * A download's progress on the terminal: one stderr line redrawn in place
 * (bytes so far / total, rate), at most every {@link PROGRESS_REDRAW_MS}, and
 * erased when the download ends so the next message starts on a clean line.
 * Never drawn when stderr is not a terminal: logs and pipes get no
 * carriage returns.
 *
 * @module
 */
import { writeAllSync } from "../bytes.ts";
import type { EnvLookup } from "./http.ts";

/** Least time between two redraws: smooth enough, and cheap on slow terminals. */
export const PROGRESS_REDRAW_MS = 200;

/** Receives a download's progress. */
export interface Progress {
  /** `received` bytes so far of `total` (undefined when the length is unknown). */
  update(received: number, total: number | undefined): void;
  /** The download ended (either way): erase the line if one was drawn. */
  done(): void;
}

/** Whether to draw progress: only on a terminal that understands `\r` and erase-line. */
export function progressWanted(
  stderrIsTerminal: boolean,
  env: EnvLookup,
): boolean {
  return stderrIsTerminal && env("TERM") !== "dumb";
}

/** Formats a size for the progress line: `512 B`, `3.4 KiB`, `12.1 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
}

/**
 * The progress line, e.g. `waypoint: downloading x@1.2.0: 1.2 MiB / 40 MiB
 * (3%), 612.5 KiB/s`, cut to `columns - 1` characters when the width is
 * known (a wrapped line cannot be redrawn in place).
 */
export function renderProgress(
  label: string,
  received: number,
  total: number | undefined,
  elapsedMs: number,
  columns?: number,
): string {
  const amount = total
    ? `${formatSize(received)} / ${formatSize(total)} (${
      Math.min(100, Math.floor(received * 100 / total))
    }%)`
    : formatSize(received);
  const rate = elapsedMs > 0
    ? `, ${formatSize(Math.round(received * 1000 / elapsedMs))}/s`
    : "";
  const line = `waypoint: downloading ${label}: ${amount}${rate}`;
  return columns && columns > 1 && line.length > columns - 1
    ? line.slice(0, columns - 1)
    : line;
}

/**
 * A {@link Progress} that writes redraws through `write`; `now` and
 * `columns` are injectable for tests.
 */
export function drawProgress(
  label: string,
  write: (text: string) => void,
  now: () => number = () => performance.now(),
  columns: () => number | undefined = () => undefined,
): Progress {
  const started = now();
  let drawnAt: number | undefined;
  return {
    update(received, total) {
      const at = now();
      if (drawnAt !== undefined && at - drawnAt < PROGRESS_REDRAW_MS) return;
      drawnAt = at;
      write(
        `\r${
          renderProgress(label, received, total, at - started, columns())
        }\x1b[K`,
      );
    },
    done() {
      if (drawnAt !== undefined) write("\r\x1b[K");
      drawnAt = undefined;
    },
  };
}

/** Progress on this process's stderr when it is a terminal, else undefined. */
export function terminalProgress(
  label: string,
  env: EnvLookup,
): Progress | undefined {
  if (!progressWanted(Deno.stderr.isTerminal(), env)) return undefined;
  const encoder = new TextEncoder();
  return drawProgress(
    label,
    (text) => {
      try {
        writeAllSync(Deno.stderr, encoder.encode(text));
      } catch {
        // A closed terminal must not fail the download.
      }
    },
    undefined,
    () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
  );
}
