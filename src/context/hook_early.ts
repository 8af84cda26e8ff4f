/**
 * The hook's work that can start before the rest of its code is loaded:
 * reading stdin, and git in the folder the hook runs in when that folder is
 * a waypoint repository (Codex runs a hook in the session's folder, most
 * often the repository's top). Loading the rest of the hook's modules takes
 * longer than git needs, so git is done by the time it is wanted. This
 * module's own imports are few and small for that reason.
 *
 * It decides nothing: the hook looks the repository up again as always and
 * uses the git results only for the same root; otherwise they are dropped.
 *
 * @module
 */
import { Repo } from "../fs/mod.ts";
import { type GitSections, gitSections, prepareGit } from "./git.ts";
import { readStdin, type StdinRead } from "./hook_input.ts";
import { timeout } from "../timeout.ts";

/**
 * The longest {@link HookStart.gitStarted} waits for git's guard: it
 * answers in a few milliseconds, and a git that hangs must not hold up the
 * hook, whose own deadline starts later.
 */
export const EARLY_GIT_WAIT_MS = 100;

/** Work started by {@link startHookEarly}. */
export interface HookStart {
  stdin: Promise<StdinRead>;
  /** Both git sections, for the repository at `root`. */
  git?: { root: string; sections: GitSections };
  /**
   * Settles once git's guard has answered and the git runs are under way,
   * or after {@link EARLY_GIT_WAIT_MS}, whichever is first.
   */
  gitStarted: Promise<void>;
}

/**
 * Starts reading stdin and, when `dir` (default: the current folder) holds
 * `.waypoint/config.toml`, both git sections there. Never throws.
 */
export function startHookEarly(dir?: string): HookStart {
  const stdin = readStdin();
  try {
    const root = dir ?? Deno.cwd();
    // Only a look: the hook's own root lookup decides (and checks owners
    // and symlinks); a wrong guess costs one unused git batch.
    if (Repo.peek(root).inspect(".waypoint/config.toml").kind === "file") {
      const sections = quiet(gitSections(root));
      const cap = timeout(EARLY_GIT_WAIT_MS, undefined);
      const gitStarted = Promise.race([prepareGit(root), cap.promise])
        .finally(cap.cancel);
      return { stdin, git: { root, sections }, gitStarted };
    }
  } catch {
    // No repository here, or none readable: the hook finds out and says so.
  }
  return { stdin, gitStarted: Promise.resolve() };
}

/** The sections with their rejections handled, so an unused one is no unhandled rejection. */
function quiet(sections: GitSections): GitSections {
  sections.changes.catch(() => {});
  sections.commits.catch(() => {});
  return sections;
}
