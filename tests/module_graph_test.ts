/**
 * The module graph of `src/` has no import cycle: shared types live below
 * the modules that use them. Read from `deno info --json main.ts`, with
 * type-only and dynamic imports counted like any other.
 *
 * @module
 */
import { assertEquals } from "./support/assert.ts";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "./support/cli.ts";
import { COMMANDS } from "../src/cli/commands.ts";
import { COMMAND_LOADERS } from "../src/cli/loaders.ts";

interface InfoDependency {
  code?: { specifier?: string };
  type?: { specifier?: string };
}

interface InfoModule {
  specifier: string;
  dependencies?: InfoDependency[];
}

/** Imports between the modules of `src/`, by path relative to it. */
async function srcGraph(): Promise<Map<string, string[]>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(new TextDecoder().decode(output.stderr));
  }
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: InfoModule[];
  };
  const src = pathToFileURL(join(PROJECT_ROOT, "src")).href + "/";
  const graph = new Map<string, string[]>();
  for (const module of info.modules) {
    if (!module.specifier.startsWith(src)) continue;
    const targets = (module.dependencies ?? [])
      .flatMap((dependency) => [
        dependency.code?.specifier,
        dependency.type?.specifier,
      ])
      .filter((target): target is string => target?.startsWith(src) ?? false)
      .map((target) => target.slice(src.length));
    graph.set(module.specifier.slice(src.length), [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one module (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = graph.get(node)?.includes(node) ?? false;
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

Deno.test("cycles finds a circle, a self-import and nothing in a tree", () => {
  assertEquals(
    cycles(
      new Map([
        ["a.ts", ["b.ts"]],
        ["b.ts", ["c.ts"]],
        ["c.ts", ["a.ts"]],
        ["d.ts", ["d.ts"]],
        ["e.ts", ["a.ts"]],
      ]),
    ).sort(),
    [["a.ts", "b.ts", "c.ts"], ["d.ts"]],
  );
  assertEquals(cycles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]])), []);
});

Deno.test("src/ has no import cycle, type-only and dynamic imports included", async () => {
  const graph = await srcGraph();
  assertEquals(graph.has("cli/main.ts"), true, "the graph was read");
  assertEquals(graph.get("cli/loaders.ts")?.includes("cli/init.ts"), true);
  assertEquals(cycles(graph), []);
});

Deno.test("every command in the table has a loader, and every loader a command", () => {
  assertEquals(
    Object.keys(COMMAND_LOADERS).sort(),
    COMMANDS.map((command) => command.name).sort(),
  );
});

/**
 * Every module a run of `waypoint <command>` loads before its first dynamic
 * import: the entry point's static imports, then the command module's.
 * (`context` stands for `context --hook`: the entry point, the bundle check
 * and the hook entry, which the bundle is made from.)
 */
async function commandStaticGraph(command: string): Promise<string[]> {
  const loaded = new Set<string>();
  const entries = command === "context"
    ? ["main.ts", "src/cli/hook_bundle.ts", "src/cli/hook_entry.ts"]
    : ["main.ts", "src/cli/main.ts", `src/cli/${command}.ts`];
  for (const entry of entries) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: PROJECT_ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(new TextDecoder().decode(output.stderr));
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      roots: string[];
      modules: (InfoModule & {
        dependencies?: (InfoDependency & { isDynamic?: boolean })[];
      })[];
    };
    const byName = new Map(
      info.modules.map((module) => [module.specifier, module]),
    );
    const pending = [...info.roots];
    while (pending.length > 0) {
      const specifier = pending.pop()!;
      if (loaded.has(specifier)) continue;
      loaded.add(specifier);
      for (const dependency of byName.get(specifier)?.dependencies ?? []) {
        const target = dependency.code?.specifier;
        if (target && !dependency.isDynamic) pending.push(target);
      }
    }
  }
  return [...loaded];
}

Deno.test("context --hook loads no node: module (the first one boots Node compatibility, ~13 ms)", async () => {
  const loaded = await commandStaticGraph("context");
  assertEquals(
    loaded.some((specifier) => specifier.endsWith("/src/cli/context_hook.ts")),
    true,
    "the hook's graph was read",
  );
  assertEquals(loaded.filter((specifier) => specifier.startsWith("node:")), []);
});

Deno.test("init, sync and doctor load no node: module, and init no js-yaml (start-up is most of a small run)", async () => {
  for (const command of ["init", "sync", "doctor"]) {
    const loaded = await commandStaticGraph(command);
    assertEquals(
      loaded.some((specifier) => specifier.endsWith(`/src/cli/${command}.ts`)),
      true,
      `the ${command} graph was read`,
    );
    assertEquals(
      loaded.filter((specifier) => specifier.startsWith("node:")),
      [],
      command,
    );
  }
  const init = await commandStaticGraph("init");
  assertEquals(init.filter((specifier) => specifier.includes("js-yaml")), []);
});

Deno.test("sync and doctor load js-yaml only when a file needs it (none of the shipped scaffold does)", async () => {
  for (const command of ["sync", "doctor"]) {
    const loaded = await commandStaticGraph(command);
    assertEquals(
      loaded.filter((specifier) => specifier.includes("js-yaml")),
      [],
      command,
    );
  }
});
