/**
 * `deno task bench`: runs every benchmark script in turn and prints their
 * tables. Each script is standalone and can be run on its own.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const BENCHES = ["scaffold.ts", "context.ts"];

let failed = false;
for (const name of BENCHES) {
  const script = fileURLToPath(new URL(name, import.meta.url));
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...Deno.args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    console.error(`bench/${name} exited with ${code}`);
    failed = true;
  }
}
Deno.exit(failed ? 1 : 0);
