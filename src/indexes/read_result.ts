/**
 * What reading one doc gives: its routing fields, or why it cannot be
 * routed or read. It sits below the reader and the frontmatter cache, which
 * both speak it, so neither imports the other for it.
 *
 * @module
 */
import type { RoutingFields } from "./routing.ts";

/** A doc strict YAML refuses but the old line format reads: where, and why. */
export interface LenientNote {
  /** 1-based line in the file. */
  line: number;
  /** What strict YAML said. */
  problem: string;
}

/** A file's routing fields, or why it cannot be routed or read. */
export type ReadResult =
  | {
    kind: "routable";
    fields: RoutingFields;
    /** The `status` value when it is a string, else `null`. */
    status: string | null;
    lenient?: LenientNote;
  }
  | {
    kind: "invalid";
    reasons: string[];
    /** As for `routable`; absent when the frontmatter could not be parsed at all. */
    status?: string | null;
  }
  | { kind: "unreadable"; message: string };
