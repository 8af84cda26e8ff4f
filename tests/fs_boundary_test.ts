/**
 * `src/fs/` is the only door to a repository's filesystem. This test reads
 * every source file and fails on a direct file-system call anywhere else,
 * except in the few modules that work on files outside any repository, each
 * listed with the reason.
 */
import { join, relative } from "node:path";
import { assertEquals } from "./support/assert.ts";
import { PROJECT_ROOT } from "./support/cli.ts";

/** Modules allowed to call the file system directly, and why. */
const OUTSIDE_THE_REPO: Record<string, string> = {
  "src/update/": "replaces waypoint's own binary and its per-user cache",
  "src/context/transcripts/": "reads Codex transcripts under CODEX_HOME",
  "src/scaffold/legacy.ts":
    "reads the test-only extra table named by WAYPOINT_TEST_LEGACY_TABLE",
  "src/templates/generate.ts":
    "build step: reads templates/ of this project, not a user's repo",
  "src/cli/init.ts":
    "checks and creates the folder the user named as the repo root",
  "src/cli/root.ts":
    "finds the repo root: lstat of each ancestor's .waypoint for its owner, read-only, before any repo is chosen",
  "src/context/zone_names.ts":
    "the time zone name cache lives in the user cache folder",
  "src/indexes/cache.ts":
    "the frontmatter cache lives in the user cache folder",
  "src/indexes/scan_memo.ts": "the scan memos live in the user cache folder",
  "src/doctor/codex_user_config.ts":
    "reads the user's Codex config under CODEX_HOME (trust), the root's real path and a worktree's .git pointer",
  "src/cli/trust.ts":
    "writes the trust entries into the user's Codex config under CODEX_HOME, only when the user runs `waypoint trust`",
  "src/cli/hook_paths.ts":
    "checks that the hook input's cwd is a folder and its transcript_path a file (paths Codex names, read-only)",
  "src/context/git_batch.ts":
    "a git batch's output goes to a private 0700 temp folder outside the repo, made and removed in one call",
  "src/cli/hook_bundle.ts":
    "stats waypoint's own sources (the checkout main.ts runs from, never a user's repo) and reads the stamp in waypoint's user cache folder to tell whether the hook bundle is current",
  "src/cli/hook_bundle_digest.ts":
    "hashes waypoint's own sources (the checkout main.ts runs from, never a user's repo) when the stamp does not answer",
  "src/context/git_pointer.ts":
    "judges a nested .git: lstat and read of its pointer file (git metadata, which src/fs refuses) and the real path it names, read-only",
};

const DIRECT_CALL =
  /\bDeno\.(readFile|readTextFile|writeFile|writeTextFile|remove|rename|mkdir|open|create|readDir|lstat|stat|realPath|symlink|link|copyFile|chmod|chown|truncate|makeTempDir|makeTempFile|readLink|utime)(Sync)?\b|from "node:fs(\/promises)?"/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...sources(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

Deno.test("no module outside src/fs touches the filesystem directly", () => {
  const offenders: string[] = [];
  for (const file of sources(join(PROJECT_ROOT, "src"))) {
    const rel = relative(PROJECT_ROOT, file).split("\\").join("/");
    if (rel.startsWith("src/fs/")) continue;
    if (
      Object.keys(OUTSIDE_THE_REPO).some((prefix) => rel.startsWith(prefix))
    ) {
      continue;
    }
    const lines = Deno.readTextFileSync(file).split("\n");
    lines.forEach((line, index) => {
      if (DIRECT_CALL.test(line) && !/^\s*(\/\/|\*)/.test(line)) {
        offenders.push(`${rel}:${index + 1}: ${line.trim()}`);
      }
    });
  }
  assertEquals(offenders, [], "route these through src/fs");
});

Deno.test("the boundary test itself catches a direct call", () => {
  assertEquals(DIRECT_CALL.test("Deno.writeTextFileSync(path, text)"), true);
  assertEquals(DIRECT_CALL.test('import { rmSync } from "node:fs";'), true);
  assertEquals(DIRECT_CALL.test("writeRepoFile(root, path, text)"), false);
});
