/**
 * `deno task bench`: runs every benchmark script in turn and prints their
 * tables. Each script is standalone and can be run on its own.
 *
 * Every flag goes to bench/scaffold.ts; bench/context.ts gets only `--runs`
 * (its `--sizes` counts transcripts, not docs), and `--main` from BENCH_MAIN
 * so one variable times another checkout in both.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string" } },
  strict: false,
});
const other = Deno.env.get("BENCH_MAIN");
const contextArgs = [
  ...(values.runs === undefined ? [] : ["--runs", String(values.runs)]),
  ...(other ? ["--main", other] : []),
];
const BENCHES: [string, string[]][] = [
  ["scaffold.ts", Deno.args],
  ["context.ts", contextArgs],
];

let failed = false;
for (const [name, args] of BENCHES) {
  const script = fileURLToPath(new URL(name, import.meta.url));
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`bench/${name} exited with ${code}`);
    failed = true;
  }
}
Deno.exit(failed ? 1 : 0);
