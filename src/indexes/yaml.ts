/**
 * Strict YAML for frontmatter: the fast plain reader first, js-yaml (core
 * schema, loaded only when a doc needs it) for everything else, and a cap on
 * how far aliases may expand a document, so a few hundred bytes of anchors
 * and aliases (an "alias bomb") cannot cost minutes or memory downstream.
 *
 * @module
 */

/** The most values (scalars, lists and maps, aliases counted each time they are used) a frontmatter may expand to. */
export const MAX_YAML_VALUES = 10_000;

type JsYaml = typeof import("js-yaml");

let jsYaml: JsYaml | undefined;

/** Loads js-yaml once; later calls return at once. */
export async function loadJsYaml(): Promise<JsYaml> {
  jsYaml ??= await import("js-yaml");
  return jsYaml;
}

/** Whether {@link parseYamlWith} can run without {@link loadJsYaml}. */
export function jsYamlLoaded(): boolean {
  return jsYaml !== undefined;
}

/** The outcome of {@link parseYamlWith}. */
export type YamlResult =
  | { kind: "ok"; data: unknown }
  /** `line` is 1-based in the YAML text, when the parser named one. */
  | { kind: "error"; reason: string; line?: number; expansion?: true };

/**
 * Parses `yaml` strictly. `lib` is js-yaml, needed only when the plain reader
 * (`plain_yaml.ts`) is unsure: callers try it first and load js-yaml only then.
 */
export function parseYamlWith(lib: JsYaml, yaml: string): YamlResult {
  let data: unknown;
  try {
    data = lib.load(yaml, { schema: lib.CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = error instanceof Error
      ? error.message.split("\n")[0]
      : String(error);
    return {
      kind: "error",
      reason: `frontmatter is not valid YAML: ${reason}`,
      line: typeof mark?.line === "number" ? mark.line + 1 : undefined,
    };
  }
  if (yaml.includes("*") && expandsBeyond(data, MAX_YAML_VALUES)) {
    return {
      kind: "error",
      reason: `frontmatter expands to more than ${
        MAX_YAML_VALUES.toLocaleString("en-US")
      } values through YAML aliases`,
      expansion: true,
    };
  }
  return { kind: "ok", data };
}

/** Whether walking `value` (aliases repeated as often as they are used) meets more than `budget` values. */
export function expandsBeyond(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length) {
    const current = stack.pop();
    if (--left < 0) return true;
    if (current !== null && typeof current === "object") {
      const children = Array.isArray(current)
        ? current
        : Object.values(current as Record<string, unknown>);
      if (children.length > left) return true;
      for (const child of children) stack.push(child);
    }
  }
  return false;
}
