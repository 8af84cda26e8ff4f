/**
 * Reading conversation messages out of transcript records. Codex records
 * every message twice, in two families: `response_item` messages (what the
 * model was sent, injected preambles included) and events (what the user
 * saw: `event_msg` `user_message` / `agent_message` in older versions,
 * `item_completed` `UserMessage` / `AgentMessage` in 0.169). Each family is
 * read on its own here; the collector decides which one to trust so that no
 * message is counted twice.
 *
 * @module
 */
import { redactSecrets } from "../redact.ts";

/** Who spoke. */
export type Role = "user" | "assistant";

/** Which family of records a message came from. */
export type MessageSource = "items" | "events";

/**
 * One message line of a transcript, with secrets already redacted. The
 * redaction runs when `text` is first read: a long transcript has many
 * messages the restored turns never show, and redacting them all was most
 * of a restore's time.
 */
export interface Message {
  role: Role;
  text: string;
  timestamp?: string;
  /** Defaults to `items` (a `response_item` line). */
  source?: MessageSource;
}

const TEXT_TYPES = new Set(["input_text", "output_text", "text"]);

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function timestampOf(record: Record<string, unknown>): string | undefined {
  return typeof record.timestamp === "string" ? record.timestamp : undefined;
}

function build(
  role: Role,
  texts: string[],
  record: Record<string, unknown>,
  source: MessageSource,
): Message | undefined {
  const raw = texts.join("\n\n").trim();
  if (raw === "") return undefined;
  let redacted: string | undefined;
  const message: Message = {
    role,
    get text() {
      return redacted ??= redactSecrets(raw);
    },
    timestamp: timestampOf(record),
    source,
  };
  unredacted.set(message, raw);
  return message;
}

/** The text of each lazily redacted message as the transcript has it. */
const unredacted = new WeakMap<Message, string>();

/**
 * Whether the message's text, trimmed at its start, starts with one of
 * `prefixes`, asked without redacting it when the answer is no. Redaction
 * only puts `[REDACTED]` in place of a secret, so it cannot make a text
 * start with a prefix that has no `[` in it; a yes is confirmed on the
 * redacted text.
 */
export function startsWithAny(
  message: Message,
  prefixes: readonly string[],
): boolean {
  const starts = (text: string) => {
    const start = text.trimStart();
    return prefixes.some((prefix) => start.startsWith(prefix));
  };
  const raw = unredacted.get(message);
  if (raw !== undefined && !starts(raw)) return false;
  return starts(message.text);
}

/**
 * Whether a `response_item` line is the summary a local compaction wrote
 * (Codex 0.169 marks it `metadata.compaction_output: true`): the model wrote
 * it for its successor, nobody said it in the conversation.
 */
export function isCompactionOutput(record: Record<string, unknown>): boolean {
  return asObject(record.metadata)?.compaction_output === true;
}

/**
 * The kind Codex 0.169 gives each content part of a message
 * (`content_item_kinds`, parallel to `content`), when it gives one per part.
 */
function partKinds(
  item: Record<string, unknown>,
  parts: number,
): unknown[] | undefined {
  const passthrough = asObject(item.internal_chat_message_metadata_passthrough);
  const kinds = passthrough?.content_item_kinds;
  return Array.isArray(kinds) && kinds.length === parts ? kinds : undefined;
}

/**
 * Reads a `response_item` line of type `message` from a user or the
 * assistant; other lines (tool calls, reasoning, developer text, the
 * compaction summary) give undefined. In a user message that labels its
 * parts, only parts the user typed (`user.*`) count: the others are
 * injected AGENTS.md, environment or skill text.
 */
export function messageFromRecord(
  record: Record<string, unknown>,
): Message | undefined {
  if (record.type !== "response_item") return undefined;
  const item = asObject(record.payload);
  if (!item || item.type !== "message") return undefined;
  if (item.role !== "user" && item.role !== "assistant") return undefined;
  if (!Array.isArray(item.content)) return undefined;
  if (isCompactionOutput(record)) return undefined;
  const kinds = item.role === "user"
    ? partKinds(item, item.content.length)
    : undefined;
  const texts: string[] = [];
  for (const [index, part] of item.content.entries()) {
    const { type, text } = asObject(part) ?? {};
    if (
      typeof type !== "string" || !TEXT_TYPES.has(type) ||
      typeof text !== "string"
    ) continue;
    const kind = kinds?.[index];
    if (typeof kind === "string" && !kind.startsWith("user.")) continue;
    texts.push(text);
  }
  return build(item.role, texts, record, "items");
}

/**
 * Reads an event line carrying a message as the user saw it: older Codex's
 * `event_msg` `user_message` (plain kind only) and `agent_message`, and
 * 0.169's `event_msg` `item_completed` with a `UserMessage` or
 * `AgentMessage` item. Anything else gives undefined.
 */
export function eventMessageFromRecord(
  record: Record<string, unknown>,
): Message | undefined {
  if (record.type !== "event_msg") return undefined;
  const payload = asObject(record.payload);
  if (!payload) return undefined;
  if (payload.type === "user_message" || payload.type === "agent_message") {
    if (typeof payload.message !== "string") return undefined;
    // Older versions also sent injected instructions as user_message events
    // of another kind.
    if (
      payload.type === "user_message" && payload.kind !== undefined &&
      payload.kind !== "plain"
    ) return undefined;
    const role = payload.type === "user_message" ? "user" : "assistant";
    return build(role, [payload.message], record, "events");
  }
  if (payload.type !== "item_completed") return undefined;
  const item = asObject(payload.item);
  if (!item) return undefined;
  const role = item.type === "UserMessage"
    ? "user"
    : item.type === "AgentMessage"
    ? "assistant"
    : undefined;
  if (!role || !Array.isArray(item.content)) return undefined;
  const texts: string[] = [];
  for (const part of item.content) {
    const { type, text } = asObject(part) ?? {};
    if (
      typeof type === "string" && type.toLowerCase() === "text" &&
      typeof text === "string"
    ) texts.push(text);
  }
  return build(role, texts, record, "events");
}
