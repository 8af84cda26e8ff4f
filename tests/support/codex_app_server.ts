/**
 * Asking the real Codex CLI which hooks it found and whether it trusts them:
 * `codex app-server` speaks JSON-RPC over stdio (one JSON object a line);
 * after `initialize` / `initialized`, `hooks/list {"cwds": [repo]}` answers
 * with each hook's `key`, `currentHash` and `trustStatus`.
 *
 * @module
 */
import { join } from "node:path";
import { codexEnv } from "./codex_cli.ts";

/** One hook as `hooks/list` reports it (the fields the tests read). */
export interface ListedHook {
  key: string;
  eventName: string;
  command?: string;
  matcher?: string | null;
  currentHash: string;
  trustStatus: string;
  sourcePath: string;
}

/** What `hooks/list` said about one cwd. */
export interface HookList {
  hooks: ListedHook[];
  warnings: string[];
  errors: unknown[];
}

/** Runs `codex app-server` with `codexHome` and returns its `hooks/list` answer for `cwd`. */
export async function listHooks(
  launcher: string,
  codexHome: string,
  cwd: string,
): Promise<HookList> {
  const child = new Deno.Command(launcher, {
    args: ["app-server"],
    cwd,
    env: codexEnv(codexHome),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }, 30_000);
  try {
    const writer = child.stdin.getWriter();
    const send = (message: unknown) =>
      writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
    await send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { clientInfo: { name: "waypoint-tests", version: "1" } },
    });
    await send({ jsonrpc: "2.0", method: "initialized" });
    await send({
      jsonrpc: "2.0",
      id: 2,
      method: "hooks/list",
      params: { cwds: [cwd] },
    });
    let buffer = "";
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("codex app-server closed before answering");
      buffer += value;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let message: Record<string, unknown>;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.id !== 2) continue;
        if (message.error) {
          throw new Error(
            `hooks/list failed: ${JSON.stringify(message.error)}`,
          );
        }
        const data =
          (message.result as { data: (HookList & { cwd: string })[] })
            .data;
        await reader.cancel().catch(() => {});
        await writer.close().catch(() => {});
        return data[0];
      }
    }
  } finally {
    clearTimeout(timer);
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status;
  }
}

/** Where a repo's hooks file is, as Codex names it in keys. */
export function hooksJsonOf(realRepo: string): string {
  return join(realRepo, ".codex", "hooks.json");
}
