/**
 * `deno task demo`: scaffold a fresh temporary repository with `waypoint
 * init`, show the tree, then run `waypoint doctor` on it. Every step runs the
 * real CLI entry point as a separate process, as a user would.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

async function waypoint(args: string[]): Promise<number> {
  console.log(`\n$ waypoint ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: { WAYPOINT_NO_UPDATE_CHECK: "1" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code;
}

function tree(root: string, dir = root, depth = 0): string[] {
  const entries = [...Deno.readDirSync(dir)].sort((a, b) =>
    a.name.localeCompare(b.name)
  );
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry.name === ".git") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) {
      lines.push(`${"  ".repeat(depth)}${entry.name}/`);
      lines.push(...tree(root, path, depth + 1));
    } else {
      const size = Deno.statSync(path).size;
      lines.push(`${"  ".repeat(depth)}${entry.name}  (${size} bytes)`);
    }
  }
  return lines;
}

const repo = await Deno.makeTempDir({ prefix: "waypoint-demo-" });
await new Deno.Command("git", { args: ["init", "-q", repo] }).output().catch(
  () => undefined,
);
await Deno.writeTextFile(join(repo, "README.md"), "# Demo project\n");

const initCode = await waypoint(["init", repo]);
if (initCode !== 0) Deno.exit(initCode);

console.log(`\nScaffolded tree of ${repo}:`);
console.log(tree(repo).join("\n"));

const doctorCode = await waypoint(["doctor", repo]);
console.log(
  `\nThe demo repository is kept at ${repo} for you to explore; delete it when done.`,
);
Deno.exit(doctorCode);
