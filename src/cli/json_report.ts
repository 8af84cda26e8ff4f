/**
 * The `--json` document every reporting command prints: its body behind a
 * leading `"schema"` number, so a reader can tell which shape it holds. The
 * shapes are the JSON Schema files under `schema/v<N>/` in the repository.
 *
 * @module
 */
import { printJson } from "../output.ts";

/**
 * The shape version of every `--json` document. A change that can break a
 * reader (a key renamed, removed or retyped) raises it; added keys do not.
 */
export const JSON_SCHEMA_VERSION = 1;

/** Prints `report` as one JSON document whose first key is `"schema"`. */
export function printReport(report: object): void {
  printJson({ schema: JSON_SCHEMA_VERSION, ...report });
}
