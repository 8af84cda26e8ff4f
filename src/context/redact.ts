/**
 * Secret redaction, kept at its old path for the modules that import it
 * from here; the detectors live in `src/redact/`, below both the context
 * bundle and the indexes.
 *
 * @module
 */
export { REDACTED, redactSecrets } from "../redact/mod.ts";
