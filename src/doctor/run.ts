/**
 * Runs every doctor check on a repo and collects the findings.
 *
 * @module
 */
import {
  CONFIG_PATH,
  parseConfig,
  readConfigText,
  type WaypointConfig,
} from "../config.ts";
import { describeError } from "../errors.ts";
import type { Plan } from "../scaffold/action.ts";
import { computePlan } from "../scaffold/plan.ts";
import { REQUIRED_SKILLS } from "../scaffold/layout.ts";
import { RepoFsError, type RepoView, textProblem } from "../fs/mod.ts";
import {
  closeRendered,
  formatIndexProblem,
  indexWarnings,
  type RenderedIndex,
  renderIndexes,
} from "../indexes/sync.ts";
import { judgeIndexTarget } from "../indexes/generated.ts";
import { TRACK_DIR, TRACKS_INDEX_PATH } from "../indexes/tracks.ts";
import { checkAgentsSize } from "./agents_size.ts";
import { checkCodex } from "./codex.ts";
import { checkHookTrust } from "./hook_trust.ts";
import { agentsLimit, readCodexSettings } from "./codex_settings.ts";
import { checkContextSections } from "./context_sections.ts";
import {
  type DoctorReport,
  type Finding,
  moveAsideCommand,
} from "./finding.ts";
import { scaffoldFindings } from "./scaffold.ts";
import { staleInstructionFindings } from "./stale_instructions.ts";
import { checkSkills } from "./skill_scan.ts";
import { checkSubagentModel } from "./subagent_models.ts";
import { checkWorkspace } from "./workspace.ts";

/** Loads the config for doctor: a finding instead of an exception when it is unusable. */
export function doctorConfig(
  repo: RepoView,
): { config?: WaypointConfig; finding?: Finding } {
  let text: string | undefined;
  try {
    text = readConfigText(repo);
  } catch (error) {
    return {
      finding: configFinding(
        describeError(error),
        `Make it a readable UTF-8 TOML file, or move it away (\`${
          moveAsideCommand(CONFIG_PATH)
        }\`), then run \`waypoint init\` to write a fresh one.`,
      ),
    };
  }
  if (text === undefined) {
    return {
      finding: configFinding(
        `${CONFIG_PATH} is missing: waypoint is not set up in ${repo.root}.`,
        `Run \`waypoint init ${repo.root}\` to set it up (or check the directory you gave).`,
        "install",
      ),
    };
  }
  try {
    return { config: parseConfig(text) };
  } catch (error) {
    return {
      finding: configFinding(
        describeError(error),
        "Fix the value named above; waypoint will not guess.",
      ),
    };
  }
}

function configFinding(
  message: string,
  remediation: string,
  category = "config",
): Finding {
  return {
    severity: "error",
    category,
    message,
    remediation,
    paths: [CONFIG_PATH],
  };
}

/**
 * Runs all checks through `repo`, a read-only view (take a fresh
 * `Repo.readOnlyView()` per run: it remembers the folders it looked at).
 * `version` is the running waypoint version.
 */
export async function runDoctor(
  repo: RepoView,
  version: string,
): Promise<DoctorReport> {
  const { config, finding } = doctorConfig(repo);
  if (!config) return { findings: [finding!] };
  const findings: Finding[] = [];
  const settings = readCodexSettings(repo);

  let plan: Plan | undefined;
  try {
    plan = await computePlan(repo, {
      version,
      tolerateMalformedAgents: true,
      agentsLimit: agentsLimit(settings),
    });
  } catch (error) {
    findings.push({
      severity: "error",
      category: "install",
      message: describeError(error),
      remediation: planFailureFix(repo, error),
      paths: [],
    });
  }
  if (plan) {
    findings.push(...(await scaffoldFindings(plan, version)));
    findings.push(...staleInstructionFindings(repo, [
      ...plan.actions.filter((action) => action.kind !== "remove").map((
        action,
      ) => action.path),
      ...plan.notes.map((note) => note.path),
      config.workspaceFile,
    ]));
  }

  const agentsText = orUndefined(() =>
    repo.readText("AGENTS.md", { followInside: true })
  );
  if (agentsText !== undefined) {
    findings.push(...checkContextSections(agentsText));
  }
  findings.push(...checkAgentsSize(repo, settings));
  findings.push(...checkSubagentModel(settings));

  const workspace = workspaceFindings(repo, config.workspaceFile);
  findings.push(...workspace.findings);

  const rendered = await renderIndexes(repo, config);
  // Judged first, so the docs listings (and their temporary files) go at
  // once; the finding keeps its place in the report.
  let docsIndexFindings: Finding[];
  try {
    docsIndexFindings = rendered.docsIndex
      ? indexFinding(repo, rendered.docsIndex, "docs")
      : [];
  } finally {
    closeRendered(rendered);
  }
  for (const docsRoot of rendered.docs.roots) {
    if (docsRoot.state !== "ok") {
      findings.push({
        severity: "error",
        category: "docs",
        message: docsRoot.state === "missing"
          ? `Docs folder ${docsRoot.root} is missing.`
          : `Docs root ${docsRoot.root} is a file, not a directory.`,
        remediation: docsRoot.state === "missing"
          ? "Run `waypoint doctor --fix` to create it, or fix docs_dir in .waypoint/config.toml."
          : `Move the file aside (\`${
            moveAsideCommand(docsRoot.root)
          }\`), then run \`waypoint doctor --fix\` to create the folder; or point docs_dir in .waypoint/config.toml at a folder.`,
        paths: [docsRoot.root],
      });
    }
  }
  for (const doc of rendered.docs.invalid) {
    findings.push({
      severity: "warn",
      category: "docs",
      message: `${doc.path} is not routable: ${doc.reasons.join("; ")}.`,
      remediation:
        "Give it frontmatter with summary, last_updated and a read_when list (see .waypoint/docs/README.md).",
      paths: [doc.path],
    });
  }
  for (const doc of indexWarnings(rendered).lenient) {
    findings.push({
      severity: "warn",
      category: doc.path.startsWith(TRACK_DIR) ? "track" : "docs",
      message: `${formatIndexProblem(doc)}.`,
      remediation:
        "Quote the value on that line so strict YAML reads it as text; it is indexed meanwhile.",
      paths: [doc.path],
    });
  }
  for (
    const problem of [...rendered.docs.problems, ...rendered.tracks.problems]
  ) {
    findings.push({
      severity: "warn",
      category: problem.path.startsWith(TRACK_DIR) ? "track" : "docs",
      message: `${problem.path}: ${problem.message}.`,
      remediation: "Fix or remove the file; it is left out of the index.",
      paths: [problem.path],
    });
  }
  findings.push(...docsIndexFindings);

  if (rendered.tracks.state !== "ok") {
    findings.push({
      severity: "error",
      category: "track",
      message: rendered.tracks.state === "missing"
        ? `Tracker folder ${TRACK_DIR} is missing.`
        : `${TRACK_DIR} is a file, not a directory.`,
      remediation: rendered.tracks.state === "missing"
        ? "Run `waypoint doctor --fix` to create it."
        : `Move the file aside (\`${
          moveAsideCommand(TRACK_DIR)
        }\`), then run \`waypoint doctor --fix\` to create the folder.`,
      paths: [TRACK_DIR],
    });
  }
  for (const tracker of rendered.tracks.invalid) {
    findings.push({
      severity: "warn",
      category: "track",
      message: `Tracker ${tracker.path} is invalid: ${
        tracker.reasons.join("; ")
      }.`,
      remediation: "Fix its frontmatter (see .waypoint/track/_template.md).",
      paths: [tracker.path],
    });
  }
  findings.push(...indexFinding(repo, rendered.tracksIndex, "track"));
  const active = rendered.tracks.trackers.filter((tracker) => tracker.active)
    .map((tracker) => tracker.path);
  if (active.length) {
    const mentioned = active.some((path) =>
      workspace.text?.includes(path) ||
      workspace.text?.includes(path.replace(/^\.waypoint\//, ""))
    );
    if (workspace.text !== undefined && !mentioned) {
      findings.push({
        severity: "warn",
        category: "track",
        message:
          "Active trackers exist, but the workspace mentions none of them.",
        remediation:
          `List them under "## Active Trackers" in ${config.workspaceFile}.`,
        paths: active,
      });
    }
  }

  if (config.features.repoSkills) {
    const skills = await checkSkills(repo, REQUIRED_SKILLS);
    const missing = new Set(
      findings.filter((f) => f.category === "install" && f.severity === "error")
        .flatMap((f) => f.paths),
    );
    // A required skill the plan already reports as a missing managed file needs no second finding.
    findings.push(
      ...skills.findings.filter((f) =>
        !(f.severity === "error" && missing.has(f.paths[0]))
      ),
    );
    const codex = checkCodex(repo, settings);
    findings.push(...codex.findings, ...await checkHookTrust(repo, settings));
    return { findings, skills: skills.budget, codex: codex.trust };
  }
  const codex = checkCodex(repo, settings);
  findings.push(...codex.findings, ...await checkHookTrust(repo, settings));
  return { findings, codex: codex.trust };
}

/**
 * The fix for a plan that could not be computed: the file it names (a
 * binary or oversized AGENTS.md, say) can be repaired or moved away, and
 * `init` then writes waypoint's own.
 */
function planFailureFix(repo: RepoView, error: unknown): string {
  const named = error instanceof RepoFsError
    ? error.path
    : /^([^\s:]+)(?::| is )/.exec(describeError(error))?.[1];
  let exists = false;
  try {
    exists = named !== undefined && repo.inspect(named).kind !== "missing";
  } catch {
    exists = false;
  }
  if (!named || !exists) {
    return "Fix the file named above, then run `waypoint doctor` again.";
  }
  return `Fix ${named}, or move it away (\`${
    moveAsideCommand(named)
  }\`), then run \`waypoint init\` to write waypoint's version.`;
}

function orUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Checks the workspace; also returns its text (when readable) for the tracker check. */
function workspaceFindings(
  repo: RepoView,
  path: string,
): { findings: Finding[]; text?: string } {
  let bytes: Uint8Array | undefined;
  try {
    bytes = repo.readFile(path);
  } catch (error) {
    return {
      findings: [{
        severity: "error",
        category: "workspace",
        message: describeError(error, path),
        remediation:
          `Make it a readable regular file inside the repository, or move it away (\`${
            moveAsideCommand(path)
          }\`), then run \`waypoint doctor --fix\` to create a fresh one.`,
        paths: [path],
      }],
    };
  }
  if (bytes === undefined) {
    return {
      findings: [{
        severity: "error",
        category: "workspace",
        message: `Workspace file ${path} is missing.`,
        remediation: "Run `waypoint doctor --fix` to create it.",
        paths: [path],
      }],
    };
  }
  const problem = textProblem(bytes);
  if (problem) {
    return {
      findings: [{
        severity: "error",
        category: "workspace",
        message: `${path} ${problem}.`,
        remediation: `Restore it as UTF-8 Markdown, or move it away (\`${
          moveAsideCommand(path)
        }\`), then run \`waypoint doctor --fix\` to create a fresh one.`,
        paths: [path],
      }],
    };
  }
  const text = new TextDecoder().decode(bytes);
  return { findings: checkWorkspace(path, text), text };
}

function indexFinding(
  repo: RepoView,
  index: RenderedIndex,
  category: string,
): Finding[] {
  const target = judgeIndexTarget(repo, index.path, index.content);
  if (target.kind === "refused") {
    return [{
      severity: "error",
      category,
      message: `${index.path}: ${target.problem}.`,
      remediation: `Move the file aside (\`${
        moveAsideCommand(index.path)
      }\`), then run \`waypoint sync\`${
        index.path === TRACKS_INDEX_PATH
          ? " (waypoint writes its tracks index there)"
          : "; or set docs_index_file in .waypoint/config.toml to a path of its own"
      }.`,
      paths: [index.path],
    }];
  }
  if (target.kind === "current") return [];
  return [{
    severity: "warn",
    category,
    message: target.kind === "missing"
      ? `${index.path} is missing.`
      : `${index.path} is stale.`,
    remediation: "Run `waypoint sync` (or `waypoint doctor --fix`).",
    paths: [index.path],
  }];
}
