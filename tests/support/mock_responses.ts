/**
 * A small stand-in for the OpenAI Responses API, served on 127.0.0.1 so the
 * real Codex CLI can run whole sessions offline. It answers `POST
 * /v1/responses` with the streamed events Codex 0.169 needs to complete a
 * turn (see CODEX-FACTS.md), and handles both compaction paths:
 *
 * - local: Codex asks for a summary with an ordinary request whose last
 *   message is its checkpoint prompt; the reply starts with
 *   {@link SUMMARY_MARKER}.
 * - remote (a provider named "OpenAI"): the input carries a
 *   `compaction_trigger` item; the reply is one `compaction` item.
 *
 * A user message starting with {@link RUN_PREFIX} makes the mock ask Codex
 * to run the rest as a shell command (`exec_command`); once the output comes
 * back it is kept in {@link MockResponses.commandOutputs} and the turn ends.
 * Any other request gets {@link replyTo} of the user's last message. The
 * server stops on {@link MockResponses.close} or, at the latest, after its
 * lifetime, so a test that fails midway leaves nothing listening.
 *
 * @module
 */

/** Starts every summary the mock writes on the local compaction path. */
export const SUMMARY_MARKER = "HANDOFF-SUMMARY-9c41";

/** A user message starting with this asks the mock to have Codex run the rest. */
export const RUN_PREFIX = "Run this command: ";

/**
 * The lines of a Codex `config.toml` that send every model call to the mock
 * at `baseUrl` (a provider named `name`: "OpenAI" takes Codex's remote
 * compaction path). Ends with an empty line, so more tables can follow.
 */
export function mockProviderConfig(baseUrl: string, name = "mock"): string {
  return [
    `model = "gpt-test"`,
    `model_provider = "mock"`,
    ``,
    `[model_providers.mock]`,
    `name = "${name}"`,
    `base_url = "${baseUrl}"`,
    `wire_api = "responses"`,
    `env_key = "WAYPOINT_MOCK_KEY"`,
    `supports_websockets = false`,
    `request_max_retries = 0`,
    `stream_max_retries = 0`,
    ``,
  ].join("\n");
}

/** The mock's answer to a user message. */
export function replyTo(userText: string): string {
  return `Noted: ${userText}`;
}

/** A running mock; see {@link startMockResponses}. */
export interface MockResponses {
  /** `base_url` for a Codex model provider (ends in `/v1`). */
  baseUrl: string;
  /** The output of every command the mock had Codex run, in order. */
  commandOutputs: string[];
  /** The body of every `POST /v1/responses` received, in order. */
  requests: Json[];
  /** How many model requests were answered, by kind. */
  counts: { turns: number; localSummaries: number; remoteCompactions: number };
  /** Stops the server and waits until it has. */
  close(): Promise<void>;
}

/** Options of {@link startMockResponses}. */
export interface MockOptions {
  /** The server stops by itself after this long (default 5 minutes). */
  lifetimeMs?: number;
}

/** A JSON object as the mock receives it. */
export type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Json
    : undefined;
}

/** The text of the last user message in a request's input, and what came after it. */
function lastUserText(input: unknown[]): { text: string; after: Json[] } {
  for (let index = input.length - 1; index >= 0; index--) {
    const item = asObject(input[index]);
    if (item?.type !== "message" || item.role !== "user") continue;
    if (!Array.isArray(item.content)) continue;
    const text = item.content
      .map((part) => asObject(part)?.text)
      .filter((text): text is string => typeof text === "string")
      .join("\n");
    const after = input.slice(index + 1).map(asObject).filter((
      entry,
    ): entry is Json => entry !== undefined);
    return { text, after };
  }
  return { text: "", after: [] };
}

function sse(events: Json[]): string {
  return events
    .map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)
    .join("");
}

const USAGE = {
  input_tokens: 5000,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 20,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 5020,
};

function messageEvents(responseId: string, text: string): Json[] {
  const id = `msg_${responseId}`;
  const part = { type: "output_text", text, annotations: [] };
  const item = {
    type: "message",
    id,
    role: "assistant",
    status: "completed",
    content: [part],
  };
  const at = { item_id: id, output_index: 0, content_index: 0 };
  return [
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { ...item, status: "in_progress", content: [] },
    },
    {
      type: "response.content_part.added",
      ...at,
      part: { ...part, text: "" },
    },
    { type: "response.output_text.delta", ...at, delta: text },
    { type: "response.output_text.done", ...at, text },
    { type: "response.content_part.done", ...at, part },
    { type: "response.output_item.done", output_index: 0, item },
  ];
}

function commandEvents(responseId: string, command: string): Json[] {
  const item = {
    type: "function_call",
    id: `fc_${responseId}`,
    call_id: `call_${responseId}`,
    name: "exec_command",
    arguments: JSON.stringify({
      cmd: command,
      login: false,
      yield_time_ms: 30_000,
    }),
    status: "completed",
  };
  return [
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.output_item.done", output_index: 0, item },
  ];
}

function compactionEvents(responseId: string): Json[] {
  const item = {
    type: "compaction",
    id: `cmp_${responseId}`,
    encrypted_content: `opaque-compaction-${responseId}`,
  };
  return [
    { type: "response.output_item.added", output_index: 0, item },
    { type: "response.output_item.done", output_index: 0, item },
  ];
}

/** Starts the mock on a free port of 127.0.0.1. */
export function startMockResponses(options: MockOptions = {}): MockResponses {
  const counts = { turns: 0, localSummaries: 0, remoteCompactions: 0 };
  const commandOutputs: string[] = [];
  const requests: Json[] = [];
  const abort = new AbortController();
  let served = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: abort.signal,
    onListen: () => {},
  }, async (request) => {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/v1/responses") {
      return new Response("not found", { status: 404 });
    }
    const body = asObject(await request.json().catch(() => undefined));
    requests.push(body ?? {});
    const input = Array.isArray(body?.input) ? body.input : [];
    const responseId = `resp_${++served}`;
    let output: Json[];
    if (input.some((item) => asObject(item)?.type === "compaction_trigger")) {
      counts.remoteCompactions++;
      output = compactionEvents(responseId);
    } else {
      const { text, after } = lastUserText(input);
      const ran = after.find((item) => item.type === "function_call_output");
      if (ran) commandOutputs.push(String(ran.output));
      if (text.startsWith(RUN_PREFIX) && !ran) {
        output = commandEvents(responseId, text.slice(RUN_PREFIX.length));
      } else if (text.includes("CONTEXT CHECKPOINT COMPACTION")) {
        counts.localSummaries++;
        output = messageEvents(
          responseId,
          `${SUMMARY_MARKER}: the user and the assistant were working through numbered requests.`,
        );
      } else {
        counts.turns++;
        output = messageEvents(responseId, replyTo(text));
      }
    }
    const events = [
      { type: "response.created", response: { id: responseId } },
      ...output,
      {
        type: "response.completed",
        response: { id: responseId, usage: USAGE },
      },
    ];
    return new Response(sse(events), {
      headers: { "content-type": "text/event-stream" },
    });
  });
  const timer = setTimeout(
    () => abort.abort(),
    options.lifetimeMs ?? 300_000,
  );
  Deno.unrefTimer(timer);
  return {
    baseUrl: `http://127.0.0.1:${server.addr.port}/v1`,
    counts,
    commandOutputs,
    requests,
    async close() {
      clearTimeout(timer);
      abort.abort();
      await server.finished;
    },
  };
}
