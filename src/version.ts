/**
 * The CLI's version. `deno.json` is the single source of truth; the release
 * scripts and the npm packages read the same field.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

/** The running waypoint version, e.g. `1.0.0`. */
export const VERSION: string = denoJson.version;
