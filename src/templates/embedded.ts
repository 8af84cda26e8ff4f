/**
 * The template set compiled into the program. The data is
 * `embedded.json`, generated from `templates/` by `deno task embed` (never
 * edited by hand); this module only gives it its type.
 *
 * @module
 */
import data from "./embedded.json" with { type: "json" };
import type { EmbeddedFile } from "./types.ts";

/** Every template file, keyed by its path below templates/. */
export const EMBEDDED_TEMPLATES: Readonly<Record<string, EmbeddedFile>> = data;
