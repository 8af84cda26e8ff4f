/**
 * Drift between the repo and the scaffold, read from the same plan `init`
 * computes: missing or outdated managed files, user edits, pending new
 * versions, retired files, and the AGENTS.md block.
 *
 * @module
 */
import type { Plan, PlanAction, PlanNote } from "../scaffold/action.ts";
import { OFFER_SUFFIX } from "../scaffold/ownership.ts";
import { type Finding, moveAsideCommand } from "./finding.ts";

function finding(
  severity: Finding["severity"],
  message: string,
  remediation: string,
  paths: string[],
  category = "install",
): Finding {
  return { severity, category, message, remediation, paths };
}

/** Turns a plan into doctor findings. `version` is the running waypoint version. */
export async function scaffoldFindings(
  plan: Plan,
  version: string,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const outdated: string[] = [];
  const edited: string[] = [];
  const retired: string[] = [];
  for (const action of plan.actions) {
    findings.push(...agentsOrGitignore(action));
    if (action.path === "AGENTS.md" || action.path === ".gitignore") continue;
    if (action.path === ".waypoint/config.toml") {
      if (action.kind === "update") {
        findings.push(finding(
          "info",
          "The config lacks keys this waypoint version knows; defaults apply.",
          "Run `waypoint init` to write the missing keys (yours are kept).",
          [action.path],
          "config",
        ));
      }
      continue;
    }
    const managed = plan.manifest.files[action.path] !== undefined;
    if (action.kind === "create" && managed) {
      findings.push(finding(
        "error",
        `Managed file ${action.path} is missing.`,
        "Run `waypoint doctor --fix` or `waypoint init` to restore it.",
        [action.path],
      ));
    } else if (action.kind === "update" && managed) {
      outdated.push(action.path);
    } else if (action.leftAlone) {
      findings.push(finding(
        "warn",
        `${action.path} ${
          action.detail.replace(/^left alone: it /, "")
        }; waypoint leaves it alone.`,
        leftAloneFix(action),
        [action.path],
      ));
    } else if (action.kind === "remove" && action.remove === "temp") {
      findings.push(finding(
        "warn",
        `${action.path} is a temp file left by an interrupted waypoint run.`,
        "Run `waypoint init` (or `waypoint doctor --fix`) to remove it.",
        [action.path],
      ));
    } else if (action.kind === "conflict" && !action.edited) {
      findings.push(
        finding(
          "error",
          `${action.path} ${action.detail}.`,
          `Move it aside (\`${
            moveAsideCommand(action.path)
          }\`), then run \`waypoint init\` to write waypoint's file.`,
          [action.path],
        ),
      );
    } else if (action.kind === "conflict" && action.offerBlocked) {
      findings.push(finding(
        "warn",
        `waypoint has a new version of ${action.path}, but ${action.offerBlocked} is in its way: waypoint did not write that file, so it offers nothing.`,
        `Move your file aside (\`${
          moveAsideCommand(action.offerBlocked)
        }\`), then run \`waypoint init\` to write waypoint's version there (yours stays as it is).`,
        [action.path, action.offerBlocked],
      ));
    } else if (action.kind === "conflict" && action.merge === "conflict") {
      const offer = action.path + OFFER_SUFFIX;
      findings.push(finding(
        "warn",
        action.offer
          ? `You edited lines of ${action.path} that waypoint's new version changes too; \`waypoint init\` keeps your file and writes the merge, with conflict markers, to ${offer}.`
          : `You edited lines of ${action.path} that waypoint's new version changes too; the merge, with conflict markers, is waiting at ${offer}.`,
        `${
          action.offer ? "After `waypoint init`, open" : "Open"
        } ${offer}: every clash sits between \`<<<<<<< yours\` (your lines), \`=======\` and \`>>>>>>> waypoint\` (the new version's). Keep what you want, delete the markers, move it over ${action.path}, then run \`waypoint init\`. To keep your file as it is, delete ${offer}.`,
        [action.path, offer],
      ));
    } else if (action.kind === "conflict" && !action.offer) {
      findings.push(finding(
        "warn",
        `A new waypoint version of ${action.path} is waiting beside your edited copy.`,
        `Compare ${action.path}${OFFER_SUFFIX} with your file: to keep yours, delete the ${OFFER_SUFFIX} file; to take waypoint's, move it over yours.`,
        [action.path, action.path + OFFER_SUFFIX],
      ));
    } else if (action.edited) {
      edited.push(action.path);
    } else if (
      action.kind === "remove" && !action.path.endsWith(OFFER_SUFFIX)
    ) {
      retired.push(action.path);
    }
  }
  if (outdated.length) {
    findings.push(finding(
      "info",
      `${outdated.length} managed file(s) differ from this waypoint version's templates.`,
      "Run `waypoint init` to update them (edits of yours are merged in, never overwritten).",
      outdated,
    ));
  }
  if (edited.length) {
    findings.push(finding(
      "info",
      `${edited.length} managed file(s) were edited locally; refresh keeps your edits.`,
      "Nothing to do if the edits are intended; when waypoint's version changes, `waypoint init` merges your edits into it, or, where both change the same lines, offers the merge as <file>.waypoint-new. To return a file to waypoint's version, delete it and run `waypoint doctor --fix`.",
      edited,
    ));
  }
  if (retired.length) {
    findings.push(finding(
      "info",
      "Files from an earlier waypoint layout are still present.",
      "Run `waypoint init` to remove them.",
      retired,
    ));
  }
  for (const note of plan.notes) {
    const severity = note.path === ".waypoint/manifest.json" ? "warn" : "info";
    // A note that ends in lines to add (init prints them below it) gives them as the fix.
    const split = note.message.indexOf(":\n");
    findings.push(
      split === -1
        ? finding(severity, `${note.path}: ${note.message}.`, noteFix(note), [
          note.path,
        ])
        : finding(
          severity,
          `${note.path}: ${note.message.slice(0, split)}.`,
          `Add these lines to ${note.path}:\n${note.message.slice(split + 2)}`,
          [note.path],
        ),
    );
  }
  const previous = plan.previousManifest?.waypoint;
  if (previous === undefined) {
    findings.push(finding(
      "info",
      "No .waypoint/manifest.json: this repo was scaffolded by an older waypoint (or the Node package).",
      "Run `waypoint init` to refresh it and record what waypoint manages.",
      [".waypoint/manifest.json"],
    ));
  } else if (previous !== version && await isOlder(previous, version)) {
    findings.push(finding(
      "info",
      `This repo was scaffolded by waypoint ${previous}; you are running ${version}.`,
      "Run `waypoint init` to refresh it.",
      [".waypoint/manifest.json"],
    ));
  }
  return findings;
}

/**
 * What to do about a note: waypoint keeps what it cannot prove it wrote, so
 * the user decides; the note goes once the file is gone (or, for the
 * manifest, once init rewrites it).
 */
function noteFix(note: PlanNote): string {
  if (note.fix !== undefined) return note.fix;
  if (note.path === ".waypoint/manifest.json") {
    return "Run `waypoint init` to rewrite the manifest with only the paths waypoint writes.";
  }
  if (/left alone: /.test(note.message)) {
    return `If you no longer need it, move it away (\`${
      moveAsideCommand(note.path)
    }\`) or delete it; otherwise nothing to do, waypoint leaves it alone.`;
  }
  return "Keep or merge what you need as the note says, then delete the file if you no longer need it; waypoint never deletes a file it cannot prove it wrote.";
}

/** What to do about a managed path waypoint left alone: move what is in the way. */
function leftAloneFix(action: PlanAction): string {
  if (action.invalid) {
    return `Fix it by hand (the message says what is wrong), or move it away (\`${
      moveAsideCommand(action.path)
    }\`), then run \`waypoint init\` to write waypoint's and copy your own entries back from the moved file.`;
  }
  // "cannot exist: <folder> is a file, not a folder": the folder is in the way, not the path.
  const blocker = /cannot exist: (.+) is a file, not a folder/.exec(
    action.detail,
  )?.[1];
  if (blocker !== undefined) {
    return `If waypoint should manage it, move ${blocker} away (\`${
      moveAsideCommand(blocker)
    }\`), then run \`waypoint init\`; otherwise nothing to do.`;
  }
  return `If waypoint should manage it, move it away (\`${
    moveAsideCommand(action.path)
  }\`), then run \`waypoint init\`; otherwise nothing to do.`;
}

function agentsOrGitignore(action: PlanAction): Finding[] {
  if (action.path === "AGENTS.md") {
    if (action.kind === "create") {
      return [
        finding(
          "error",
          "AGENTS.md is missing.",
          "Run `waypoint doctor --fix` or `waypoint init`.",
          ["AGENTS.md"],
        ),
      ];
    }
    if (action.kind === "conflict" && action.leftAlone) {
      // Not a marker problem: nothing can be fixed inside it, and --force will not replace it.
      return [finding(
        "error",
        `AGENTS.md ${
          action.detail.replace(/^left alone: it /, "")
        }; waypoint cannot put its block there.`,
        `Move it away (\`${
          moveAsideCommand("AGENTS.md")
        }\`), then run \`waypoint init\` to write a fresh AGENTS.md; copy back any text of yours below the \`<!-- waypoint:end -->\` marker.`,
        ["AGENTS.md"],
      )];
    }
    if (action.kind === "conflict") {
      return [finding(
        "error",
        `${action.detail}; the waypoint block cannot be located.`,
        "Fix the markers by hand, or run `waypoint init --force` (a backup is kept).",
        ["AGENTS.md"],
      )];
    }
    if (action.kind === "update" && action.agentsBlock === "moved") {
      return [
        finding(
          "warn",
          `The waypoint block in AGENTS.md is out of Codex's reach: ${action.notice}.`,
          "Run `waypoint doctor --fix` or `waypoint init` to move it to the top of the file (your text is kept).",
          ["AGENTS.md"],
        ),
      ];
    }
    if (action.kind === "update" && action.agentsBlock === "added") {
      return [
        finding(
          "error",
          "AGENTS.md has no waypoint block.",
          "Run `waypoint doctor --fix` or `waypoint init`.",
          ["AGENTS.md"],
        ),
      ];
    }
    if (action.kind === "keep" && action.edited) {
      return [finding(
        "info",
        "The waypoint block in AGENTS.md holds edits of yours; refresh keeps them and merges them into new versions of the block.",
        "Nothing to do if the edits are intended. To go back to waypoint's block, delete it (both marker lines and everything between them), then run `waypoint init`, which adds a fresh one.",
        ["AGENTS.md"],
      )];
    }
    if (action.kind === "update") {
      return [
        finding(
          "info",
          "The waypoint block in AGENTS.md differs from this version's.",
          "Run `waypoint init` to refresh it.",
          [
            "AGENTS.md",
          ],
        ),
      ];
    }
  }
  if (action.path === ".gitignore" && action.leftAlone) {
    return [finding(
      "warn",
      `.gitignore: ${action.detail}.`,
      leftAloneFix(action),
      [".gitignore"],
    )];
  }
  if (action.path === ".gitignore" && action.kind === "conflict") {
    return [finding(
      "warn",
      `.gitignore: ${action.detail}.`,
      "Edit .gitignore so it holds one `# waypoint:start` line and, below it, one `# waypoint:end` line (or delete both), then run `waypoint doctor --fix`.",
      [".gitignore"],
    )];
  }
  if (action.path === ".gitignore" && action.kind !== "keep") {
    return [finding(
      "warn",
      ".gitignore does not ignore waypoint's generated state.",
      "Run `waypoint doctor --fix` to write waypoint's lines between its `# waypoint:start` and `# waypoint:end` markers.",
      [".gitignore"],
    )];
  }
  return [];
}

/** Whether `previous` is an older release than `current`; semver loads only when they differ. */
async function isOlder(previous: string, current: string): Promise<boolean> {
  const { default: semver } = await import("semver");
  return semver.valid(previous) !== null && semver.valid(current) !== null &&
    semver.lt(previous, current);
}
