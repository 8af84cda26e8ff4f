/**
 * The model catalogs bundled with the Codex releases waypoint is checked
 * against, reduced to what decides subagents: each model's
 * `multi_agent_version`. Codex gives the model the `spawn_agent` tool (and so
 * waypoint's reviewer roles) only when its catalog entry says `v2`; `v1`, no
 * version, or a model the catalog does not list get none. Regenerate with
 * `deno run -A scripts/codex_models.ts <codex launcher>`;
 * tests/codex_models_test.ts proves each entry against the real CLI.
 *
 * @module
 */

/** One release's catalog: slug to `multi_agent_version` (`null`: none), and the default model. */
export interface ModelCatalog {
  /** The model Codex uses when no `model` is set (the catalog's first listed model). */
  default: string;
  models: Record<string, string | null>;
}

/** The `multi_agent_version` that brings `spawn_agent`. */
export const SUBAGENT_VERSION = "v2";

/** Catalogs by Codex release, oldest first. */
export const CODEX_MODEL_CATALOGS: Readonly<Record<string, ModelCatalog>> = {
  "0.169.0": {
    default: "gpt-6.1-sol",
    models: {
      "codex-auto-review": "v1",
      "gpt-5.5": null,
      "gpt-5.6-luna": "v1",
      "gpt-5.6-sol": "v2",
      "gpt-5.6-terra": "v2",
      "gpt-6-astra": "v2",
      "gpt-6-luna": "v2",
      "gpt-6-sol": "v2",
      "gpt-6.1-sol": "v2",
      "gpt-6.1-terra": "v2",
      "gpt-daybreak-blue-latest": "v2",
      "gpt-daybreak-red-latest": "v2",
    },
  },
  "0.171.0": {
    default: "gpt-6.2-sol",
    models: {
      "codex-auto-review": "v1",
      "gpt-5.5": null,
      "gpt-5.6-luna": "v1",
      "gpt-5.6-sol": "v2",
      "gpt-5.6-terra": "v2",
      "gpt-6-astra": "v2",
      "gpt-6-luna": "v2",
      "gpt-6-sol": "v2",
      "gpt-6.1-sol": "v2",
      "gpt-6.1-terra": "v2",
      "gpt-6.2-astra": "v2",
      "gpt-6.2-sol": "v2",
      "gpt-daybreak-blue-latest": "v2",
      "gpt-daybreak-red-latest": "v2",
    },
  },
};

/** The catalog part of `codex debug models` output, as {@link ModelCatalog}. */
export function catalogFromDebugModels(json: string): ModelCatalog {
  const parsed = JSON.parse(json) as {
    models?: {
      slug?: unknown;
      multi_agent_version?: unknown;
      visibility?: unknown;
      priority?: unknown;
    }[];
  };
  const models: Record<string, string | null> = {};
  let best: { slug: string; priority: number } | undefined;
  for (const model of parsed.models ?? []) {
    if (typeof model.slug !== "string") continue;
    models[model.slug] = typeof model.multi_agent_version === "string"
      ? model.multi_agent_version
      : null;
    const priority = typeof model.priority === "number"
      ? model.priority
      : Infinity;
    if (
      model.visibility === "list" && (!best || priority < best.priority)
    ) best = { slug: model.slug, priority };
  }
  const sorted = Object.fromEntries(
    Object.entries(models).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { default: best?.slug ?? "", models: sorted };
}
