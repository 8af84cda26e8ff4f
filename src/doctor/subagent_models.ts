/**
 * Whether the model in effect can run waypoint's reviewer agents: Codex
 * offers the `spawn_agent` tool only to models its bundled catalog marks for
 * subagents. Doctor judges this from the catalogs embedded in
 * `codex_models.ts` and never runs Codex itself: doctor stays offline, fast
 * and free of side effects, and works where no `codex` is on the PATH.
 *
 * @module
 */
import {
  CODEX_MODEL_CATALOGS,
  type ModelCatalog,
  SUBAGENT_VERSION,
} from "./codex_models.ts";
import { type CodexSettings, settingSource } from "./codex_settings.ts";
import type { Finding } from "./finding.ts";

/** The reviewer roles waypoint installs, named in findings. */
const REVIEWERS = "code-reviewer, code-health-reviewer and plan-reviewer";

function list(items: string[], conjunction = "and"): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

/** A model every known catalog gives subagents: the oldest release's default, when it qualifies. */
function suggestedModel(
  catalogs: Readonly<Record<string, ModelCatalog>>,
): string | undefined {
  const all = Object.values(catalogs);
  return all.map((catalog) => catalog.default).find((slug) =>
    all.every((catalog) => catalog.models[slug] === SUBAGENT_VERSION)
  );
}

/** Findings about the model Codex will use for this repo and its subagents. */
export function checkSubagentModel(
  settings: CodexSettings,
  catalogs: Readonly<Record<string, ModelCatalog>> = CODEX_MODEL_CATALOGS,
): Finding[] {
  const releases = Object.keys(catalogs);
  const model = settings.model.value;
  const where = settingSource(settings.model);
  const versionIn = (release: string, slug: string) =>
    catalogs[release].models[slug];
  const with_ = releases.filter((release) =>
    versionIn(release, model ?? catalogs[release].default) === SUBAGENT_VERSION
  );
  if (with_.length === releases.length) return [];
  const suggestion = suggestedModel(catalogs);
  const file = settings.model.file ?? settings.userConfig;
  const fix =
    (model === undefined
      ? `Set model = "${suggestion}" in ${file}`
      : `Set model = "${suggestion}" in ${where}, or delete that line to use Codex's default model`) +
    `; with the model as it is, the reviewer agents will not run.`;
  if (model === undefined) {
    return [{
      severity: "warn",
      category: "roles",
      message: `Codex's default model gets no subagents in Codex ${
        list(releases.filter((release) => !with_.includes(release)))
      }, so the reviewer agents (${REVIEWERS}) cannot run.`,
      remediation: fix,
      paths: [".codex/agents"],
    }];
  }
  const known = releases.filter((release) =>
    versionIn(release, model) !== undefined
  );
  if (with_.length > 0) {
    const without = releases.filter((release) => !with_.includes(release));
    return [{
      severity: "info",
      category: "roles",
      message: `model = "${model}" (${where}) gets subagents from Codex ${
        list(with_)
      }, but not in Codex ${
        list(without)
      }: with those, the reviewer agents (${REVIEWERS}) cannot run.`,
      remediation: `Use Codex ${with_[0]} or newer (\`codex --version\`).`,
      paths: [".codex/agents"],
    }];
  }
  if (known.length > 0) {
    const versions = [
      ...new Set(known.map((release) => versionIn(release, model) ?? "none")),
    ];
    return [{
      severity: "warn",
      category: "roles",
      message:
        `Codex gives model "${model}" (set at ${where}) no spawn_agent tool (its catalog entry has multi_agent_version ${
          list(versions)
        }, not ${SUBAGENT_VERSION}, in Codex ${
          list(known)
        }), so the reviewer agents (${REVIEWERS}) cannot run.`,
      remediation: fix,
      paths: [".codex/agents"],
    }];
  }
  return [{
    severity: "warn",
    category: "roles",
    message:
      `Model "${model}" (set at ${where}) is not in the model catalog of Codex ${
        list(releases, "or")
      }; Codex offers no spawn_agent tool to a model its catalog does not know, so the reviewer agents (${REVIEWERS}) cannot run.`,
    remediation:
      `${fix} If your Codex is newer, \`codex debug models\` shows whether "${model}" has multi_agent_version "${SUBAGENT_VERSION}".`,
    paths: [".codex/agents"],
  }];
}
