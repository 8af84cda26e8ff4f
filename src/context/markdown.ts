/**
 * Small Markdown helpers shared by the context files.
 *
 * @module
 */

/** Wraps `text` in a fenced block whose fence is longer than any backtick run inside. */
export function fenced(text: string, info = "text"): string {
  const longest = Math.max(
    2,
    ...Array.from(text.matchAll(/`+/g), (match) => match[0].length),
  );
  const fence = "`".repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

/** Joins sections into a file body that ends with exactly one newline. */
export function document(parts: string[]): string {
  return `${parts.map((part) => part.replace(/\n+$/, "")).join("\n\n")}\n`;
}
