/**
 * Rewrites a bundled ES module so that V8 compiles its functions together
 * with the module, which puts their bytecode in the code cache Deno keeps
 * for the file. Deno creates that cache right after compiling a module,
 * before it runs, and V8 compiles a function there only when a heuristic
 * says it will run soon; every other function is compiled again, from
 * source, the first time each process calls it. For the session-start hook
 * that was 450 functions in every run.
 *
 * V8's heuristic is a function written in parentheses, so the rewrite:
 *
 * - puts each function expression and arrow function in parentheses
 *   (a method, getter or setter cannot be, and stays as it is);
 * - turns each function declaration that sits directly in a module or
 *   function body into `var name = (function (…) {…});` at the start of
 *   that body, in their order, where a declaration would have been
 *   initialized anyway. The function expression is anonymous, so the name
 *   inside it still means the outer binding (a declaration that assigns its
 *   own name keeps working) and `name.name` is still the name. Declarations
 *   inside blocks, `export function` and classes are left alone.
 *
 * Nothing else changes: the result parses to the same program with extra
 * parentheses and the moved declarations. `tests/eager_compile_test.ts`
 * holds it to that.
 *
 * @module
 */
import { type Node, parse } from "acorn";
import { fullAncestor } from "acorn-walk";

/** A node of acorn's ESTree, with the fields the rewrite reads. */
interface EsNode extends Node {
  body?: EsNode | EsNode[];
  id?: EsNode | null;
  name?: string;
  directive?: string;
  method?: boolean;
  kind?: string;
}

/** One change to the source, on the range of a node or at a point. */
type Edit =
  | { kind: "wrap"; start: number; end: number }
  | { kind: "drop"; start: number; end: number }
  | { kind: "hoist"; start: number; end: number; declarations: EsNode[] };

/** How many functions {@link eagerCompile} changed, by kind. */
export interface EagerCompileStats {
  /** Function expressions and arrow functions put in parentheses. */
  wrapped: number;
  /** Function declarations moved to the start of their body. */
  hoisted: number;
}

/** `source` (an ES module) rewritten as the module doc says, and what changed. */
export function eagerCompile(
  source: string,
): { code: string; stats: EagerCompileStats } {
  const program = parse(source, {
    ecmaVersion: "latest",
    sourceType: "module",
    preserveParens: true,
  }) as EsNode;
  const edits: Edit[] = [];
  const stats: EagerCompileStats = { wrapped: 0, hoisted: 0 };
  const hoistFrom = (statements: EsNode[]) => {
    const declarations = statements.filter((statement) =>
      statement.type === "FunctionDeclaration" && statement.id
    );
    if (declarations.length === 0) return;
    let at = statements[0].start;
    for (const statement of statements) {
      const prologue = statement.type === "ImportDeclaration" ||
        (statement.type === "ExpressionStatement" &&
          statement.directive !== undefined);
      if (!prologue) break;
      at = statement.end;
    }
    edits.push({ kind: "hoist", start: at, end: at, declarations });
    for (const declaration of declarations) {
      edits.push({
        kind: "drop",
        start: declaration.start,
        end: declaration.end,
      });
    }
    stats.hoisted += declarations.length;
  };
  hoistFrom(program.body as EsNode[]);
  fullAncestor(program, (node, _state, ancestors) => {
    const esNode = node as EsNode;
    const isFunction = esNode.type === "FunctionDeclaration" ||
      esNode.type === "FunctionExpression" ||
      esNode.type === "ArrowFunctionExpression";
    if (!isFunction) return;
    const body = esNode.body as EsNode;
    if (body.type === "BlockStatement") hoistFrom(body.body as EsNode[]);
    if (esNode.type === "FunctionDeclaration") return;
    const parent = ancestors[ancestors.length - 2] as EsNode | undefined;
    if (
      parent?.type === "ParenthesizedExpression" ||
      parent?.type === "MethodDefinition" ||
      (parent?.type === "Property" &&
        (parent.method === true || parent.kind !== "init"))
    ) return;
    edits.push({ kind: "wrap", start: esNode.start, end: esNode.end });
    stats.wrapped++;
  });
  // By position; at one position a hoist (a point) comes first, then the
  // outer of two ranges.
  edits.sort((a, b) =>
    a.start - b.start ||
    (a.kind === "hoist" ? -1 : b.kind === "hoist" ? 1 : b.end - a.end)
  );

  /** `source[from, to)` with the edits inside it applied; `self` is the edit being rendered. */
  const render = (from: number, to: number, self?: Edit): string => {
    let out = "";
    let position = from;
    for (const edit of edits) {
      if (edit === self || edit.start < position || edit.end > to) continue;
      if (edit.kind !== "hoist" && edit.start >= to) continue;
      out += source.slice(position, edit.start);
      if (edit.kind === "hoist") {
        for (const declaration of edit.declarations) {
          const id = declaration.id!;
          out += `var ${id.name}=(${source.slice(declaration.start, id.start)}${
            render(id.end, declaration.end)
          });`;
        }
        position = edit.start;
      } else {
        if (edit.kind === "wrap") {
          out += `(${render(edit.start, edit.end, edit)})`;
        }
        position = edit.end;
      }
    }
    return out + source.slice(position, to);
  };
  return { code: render(0, source.length), stats };
}
