/**
 * A worker of `read_parallel.ts`'s pool: it reads and judges the docs it is
 * sent exactly as the main thread would (`readDoc`), through a `Repo` of
 * its own for the same root, and posts one result per doc back, in order.
 *
 * @module
 */
import { Repo } from "../fs/mod.ts";
import type { DocHeads } from "../fs/doc_heads.ts";
import { describeError } from "../errors.ts";
import { type DocRead, readDoc, type YamlHolder } from "./read_doc.ts";
import type { ReadReply, ReadRequest } from "./read_parallel.ts";

/** The part of a worker's global scope this module uses. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  postMessage(message: ReadReply): void;
}

const scope = globalThis as unknown as WorkerScope;
const yaml: YamlHolder = {};
let open: { root: string; heads: DocHeads } | undefined;

scope.onmessage = async ({ data }) => {
  try {
    if (open?.root !== data.root) {
      open?.heads.close();
      open = { root: data.root, heads: Repo.open(data.root).openDocHeads() };
    }
    const started = performance.now();
    const reads: DocRead[] = [];
    for (const [real, path] of data.files) {
      const read = readDoc({ real, path }, open.heads, yaml);
      reads.push(read instanceof Promise ? await read : read);
    }
    scope.postMessage({
      id: data.id,
      reads,
      ms: performance.now() - started,
    });
  } catch (error) {
    scope.postMessage({ id: data.id, error: describeError(error) });
  }
};
