/**
 * Access to the template set compiled into the program. Nothing here reads
 * `templates/` at run time.
 *
 * @module
 */
import { EMBEDDED_TEMPLATES } from "./embedded.ts";
import type { EmbeddedFile } from "./types.ts";

export type { EmbeddedFile } from "./types.ts";

/** Returns every embedded template path, sorted. */
export function templatePaths(): string[] {
  return Object.keys(EMBEDDED_TEMPLATES).sort();
}

/** Returns the embedded template at `path`, or throws if the program lacks it. */
export function getTemplate(path: string): EmbeddedFile {
  const file = EMBEDDED_TEMPLATES[path];
  if (!file) throw new Error(`internal: template ${path} is not embedded`);
  return file;
}

/** Returns the text of the embedded template at `path`. */
export function templateText(path: string): string {
  return getTemplate(path).content;
}
