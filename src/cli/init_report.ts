/**
 * What `init` tells the user, sized to what happened: a summary with counts,
 * one line per thing that needs the user, the next step; every file with
 * `--verbose`, only the lines that need the user with `--quiet`, and one JSON
 * document with `--json`. Deciding what to say is kept apart from running
 * init, so the report reads only the plan and the actions carried out.
 *
 * @module
 */
import { HOOKS_JSON_PATH } from "../codex_hooks.ts";
import type { Plan, PlanAction } from "../scaffold/action.ts";
import type { IndexProblem, SyncResult } from "../indexes/sync.ts";
import type { CommandRoot, RootSource } from "./root.ts";

/** How much `init` prints. */
export type Verbosity = "quiet" | "normal" | "verbose";

/** One thing that needs the user: a conflict, a removal, a backup, a note. */
export interface Attention {
  /** The action kind, `backup` for an overwrite with a backup, or `note`. */
  kind: string;
  /** Repo-relative path it is about. */
  path: string;
  /** What happened and what to do, in words. */
  message: string;
}

/** Everything `init` reports, in the shape `init --json` prints. */
export interface InitReport {
  command: "init";
  root: string;
  rootSource: RootSource;
  dryRun: boolean;
  /** Whether a file was (or would be) written or removed. */
  changed: boolean;
  version: string;
  profile: string;
  /** Actions per kind; the five base kinds are always present. */
  counts: Record<string, number>;
  actions: {
    kind: string;
    path: string;
    detail: string;
    edited: boolean;
    offer: string | null;
    /** Whether the three-way merge wrote the file (`clean`) or offered it with conflict markers. */
    merge: "clean" | "conflict" | null;
    backup: string | null;
  }[];
  notes: { path: string; message: string }[];
  attention: Attention[];
  /** Index rebuild; `null` on a dry run (indexes are rebuilt only on a real run). */
  indexes: { written: string[]; unchanged: string[] } | null;
  /** Files the index rebuild could not use. */
  warnings: IndexProblem[];
}

/** What {@link buildInitReport} needs. */
export interface InitOutcome {
  plan: Plan;
  /** The actions carried out (a real run) or planned (a dry run). */
  actions: readonly PlanAction[];
  dryRun: boolean;
  where: CommandRoot;
  version: string;
  /** The index rebuild of a real run. */
  synced?: SyncResult;
}

const BASE_KINDS = ["create", "update", "keep", "conflict", "remove"];
const CHANGING_KINDS = new Set(["create", "update", "remove"]);
const QUIET_KINDS = new Set(["create", "update", "keep"]);
const PAST: Record<string, string> = {
  create: "Created",
  update: "Updated",
  keep: "Kept",
};

/** Decides what to report about an init run or plan. */
export function buildInitReport(outcome: InitOutcome): InitReport {
  const { plan, actions, dryRun, where, version, synced } = outcome;
  const counts: Record<string, number> = {};
  for (const kind of BASE_KINDS) counts[kind] = 0;
  for (const action of actions) {
    counts[action.kind] = (counts[action.kind] ?? 0) + 1;
  }
  const attention: Attention[] = [];
  for (const action of actions) {
    const line = attentionFor(action, dryRun);
    if (line) attention.push(line);
  }
  for (const note of plan.notes) {
    attention.push({
      kind: "note",
      path: note.path,
      message: `Left ${note.path}: ${note.message}`,
    });
  }
  const changed =
    actions.some((action) =>
      CHANGING_KINDS.has(action.kind) || action.offer !== undefined
    ) || (synced?.written.length ?? 0) > 0;
  return {
    command: "init",
    root: where.root,
    rootSource: where.source,
    dryRun,
    changed,
    version,
    profile: plan.config.profile,
    counts,
    actions: actions.map((action) => ({
      kind: action.kind,
      path: action.path,
      detail: action.detail,
      edited: action.edited === true,
      offer: action.offer?.path ?? null,
      backup: action.backup ?? null,
      merge: action.merge ?? null,
    })),
    notes: plan.notes.map(({ path, message }) => ({ path, message })),
    attention,
    indexes: synced
      ? { written: [...synced.written], unchanged: [...synced.unchanged] }
      : null,
    warnings: synced
      ? [...synced.problems, ...synced.refused].map(({ path, message }) => ({
        path,
        message,
      }))
      : [],
  };
}

/** The line an action needs the user for, if any. Unknown kinds are always shown. */
function attentionFor(
  action: PlanAction,
  dryRun: boolean,
): Attention | undefined {
  const { kind, path, detail } = action;
  if (kind === "conflict") {
    return { kind, path, message: `Conflict ${path}: ${detail}` };
  }
  if (kind === "remove") {
    const verb = dryRun ? "Would remove" : "Removed";
    return { kind, path, message: `${verb} ${path}: ${detail}` };
  }
  const notice = action.notice ? `; ${action.notice}` : "";
  if (action.merge === "clean") {
    return {
      kind: "merge",
      path,
      message: dryRun
        ? `Would update ${path}: would merge your edits into the new version${notice}`
        : `Updated ${path}: ${detail}${notice}`,
    };
  }
  if (action.backup) {
    const verb = dryRun ? "Would update" : "Updated";
    return {
      kind: "backup",
      path,
      message: `${verb} ${path}: ${detail}${notice}`,
    };
  }
  if (action.notice) {
    const verb = PAST[kind] ?? capitalize(kind);
    return {
      kind: "notice",
      path,
      message: `${dryRun ? `Would ${kind}` : verb} ${path}: ${detail}${notice}`,
    };
  }
  if (QUIET_KINDS.has(kind)) return undefined;
  return { kind, path, message: `${capitalize(kind)} ${path}: ${detail}` };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).replaceAll("-", " ");
}

/** The text `init` prints on stdout, one string per line. */
export function renderInitText(
  report: InitReport,
  verbosity: Verbosity,
  cwd: string,
): string[] {
  const lines: string[] = [];
  if (report.rootSource === "git") {
    lines.push(
      `No waypoint repository at or above ${cwd}: using the top of this git work tree, ${report.root}.`,
    );
  }
  // A message that spans lines (lines to paste, say) is split here, where
  // its newlines are known to be meant; continuation lines are indented, so
  // no newline inside a message can pass for a line of the report.
  const needs = report.attention.flatMap((item) => {
    const [first, ...rest] = item.message.split("\n");
    return [`- ${first}`, ...rest.map((line) => `    ${line}`)];
  });
  if (verbosity === "quiet") return [...lines, ...needs];

  lines.push(headline(report));
  if (verbosity === "verbose") lines.push(...fileTable(report));
  lines.push(...needs);
  if (report.changed) lines.push(nextStep(report));
  return lines;
}

function headline(report: InitReport): string {
  const { counts, root } = report;
  if (!report.changed) {
    return report.dryRun
      ? `Dry run: nothing would change in ${root}.`
      : `Waypoint ${report.version} in ${root} is up to date: nothing changed.`;
  }
  const parts = [
    `${counts.create} created`,
    `${counts.update} updated`,
    `${counts.keep} kept`,
    `${counts.remove} removed`,
  ];
  if (counts.conflict) {
    parts.push(
      `${counts.conflict} conflict${counts.conflict === 1 ? "" : "s"}`,
    );
  }
  for (const [kind, count] of Object.entries(counts)) {
    if (!BASE_KINDS.includes(kind)) parts.push(`${count} ${kind}`);
  }
  if (report.dryRun) {
    return `Dry run for ${root} (nothing written): would be ${
      parts.join(", ")
    }.`;
  }
  const rebuilt = report.indexes?.written.length ?? 0;
  const indexes = rebuilt
    ? `; rebuilt ${rebuilt} index${rebuilt === 1 ? "" : "es"}`
    : "";
  return `Waypoint ${report.version} is set up in ${root} (profile: ${report.profile}): ${
    parts.join(", ")
  }${indexes}.`;
}

function fileTable(report: InitReport): string[] {
  const rows = [
    ...report.actions.map((
      action,
    ) => [action.kind, action.path, action.detail]),
    ...report.notes.map((note) => ["leave", note.path, note.message]),
    ...(report.indexes?.written ?? []).map((path) => [
      "rebuilt",
      path,
      "index",
    ]),
  ];
  const width = Math.max(0, ...rows.map((row) => row[1].length));
  return rows.map(([kind, path, detail]) =>
    `  ${kind.padEnd(8)} ${path.padEnd(width)}  ${detail}`
  );
}

function nextStep(report: InitReport): string {
  if (report.dryRun) {
    return "Next: run 'waypoint init' without --dry-run to apply it.";
  }
  const offers = report.actions.filter((action) => action.offer).length;
  if (offers) {
    return `Next: compare each of the ${offers} edited file${
      offers === 1 ? "" : "s"
    } with its .waypoint-new and keep what you want, then run 'waypoint doctor'.`;
  }
  const hooked = report.actions.some((action) =>
    action.path === HOOKS_JSON_PATH &&
    (action.kind === "create" || action.kind === "update" ||
      action.kind === "keep")
  );
  return hooked
    ? "Next: run 'waypoint trust' so Codex hands each new session its context by itself, then 'waypoint doctor' to check it."
    : "Next: run 'waypoint doctor' to check it, and start your agent session with 'waypoint context'.";
}
