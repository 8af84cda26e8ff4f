/**
 * Doctor findings: their shape, ordering, exit code and the two output
 * formats (text and `--json`).
 *
 * @module
 */

/** How serious a finding is. Only errors and warnings affect the exit code. */
export type Severity = "error" | "warn" | "info";

/** One thing doctor found. */
export interface Finding {
  severity: Severity;
  /** Area: install, config, workspace, docs, track, skills, roles. */
  category: string;
  message: string;
  /** What to do about it. */
  remediation: string;
  /** Repo-relative paths involved. */
  paths: string[];
}

/** What the skill list costs at session start, as doctor reports it. */
export interface SkillBudget {
  /** Skills Codex loads. */
  count: number;
  /** Of those, the ones Codex lists for the model (the rest run only as `$name`). */
  listed: number;
  /** Characters of the listed skills' lines in Codex's skills section. */
  characters: number;
  /** About where Codex starts shortening descriptions for current models. */
  trimAt: number;
}

/** Whether the user's Codex trusts the repo (it ignores a project's `.codex/` until then). */
export interface CodexTrust {
  trusted: boolean;
  /** The Codex user config read: `$CODEX_HOME/config.toml` or `~/.codex/config.toml`. */
  config: string;
  /** 1-based line of the project's `[projects."…"]` entry, when there is one. */
  line?: number;
  /** That line's text. */
  text?: string;
}

/** A complete doctor report. */
export interface DoctorReport {
  findings: Finding[];
  skills?: SkillBudget;
  codex?: CodexTrust;
}

const ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** Sorts findings: errors, then warnings, then notes; stable within a severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.map((finding, index) => ({ finding, index }))
    .sort((a, b) =>
      ORDER[a.finding.severity] - ORDER[b.finding.severity] || a.index - b.index
    )
    .map(({ finding }) => finding);
}

/** 2 if any error, 1 if any warning, else 0. */
export function exitCodeFor(findings: readonly Finding[]): number {
  if (findings.some((finding) => finding.severity === "error")) return 2;
  if (findings.some((finding) => finding.severity === "warn")) return 1;
  return 0;
}

/** Renders the report as text: `[SEVERITY] category: message`, then Fix and Path lines. */
export function renderText(report: DoctorReport): string {
  return renderTextLines(report).join("\n");
}

/**
 * The lines of {@link renderText}, one screen line each: a fix that spans
 * lines is split here, where its newlines are known to be meant, so the
 * printer can show any other newline (in a path, say) as an escape.
 */
export function renderTextLines(report: DoctorReport): string[] {
  const lines: string[] = [];
  for (const finding of sortFindings(report.findings)) {
    lines.push(
      `[${finding.severity.toUpperCase()}] ${finding.category}: ${finding.message}`,
    );
    const [first, ...rest] = finding.remediation.split("\n");
    lines.push(`  Fix: ${first}`, ...rest.map((line) => `    ${line}`));
    for (const path of finding.paths) lines.push(`  Path: ${path}`);
  }
  if (report.skills) {
    const { count, listed, characters, trimAt } = report.skills;
    const invokedOnly = count - listed;
    lines.push(
      `Skills: ${count} installed, ${listed} listed for the model at session start${
        invokedOnly ? ` (${invokedOnly} only when invoked as $name)` : ""
      }; their lines cost ${
        groupThousands(characters)
      } characters. Codex shortens descriptions only once its skills section passes about 2% of the model's context window (about ${
        groupThousands(trimAt)
      } characters for current models).`,
    );
  }
  if (report.codex?.trusted) {
    lines.push(
      `Codex: this project is trusted (${report.codex.config}:${report.codex.line}: ${report.codex.text}).`,
    );
  }
  if (report.findings.length === 0) {
    lines.push("Waypoint doctor: no findings.");
  } else {
    const count = (severity: Severity) =>
      report.findings.filter((f) => f.severity === severity).length;
    lines.push(
      `Waypoint doctor: ${count("error")} error(s), ${
        count("warn")
      } warning(s), ${count("info")} note(s).`,
    );
  }
  return lines;
}

/** Renders the report as the stable JSON shape `{"findings": [...], "summary": {...}}`. */
export function renderJson(report: DoctorReport): string {
  const findings = sortFindings(report.findings).map((
    { severity, category, message, remediation, paths },
  ) => ({
    severity,
    category,
    message,
    remediation,
    paths,
  }));
  const count = (severity: Severity) =>
    findings.filter((f) => f.severity === severity).length;
  return JSON.stringify(
    {
      findings,
      summary: {
        errors: count("error"),
        warnings: count("warn"),
        info: count("info"),
        exitCode: exitCodeFor(findings),
        skills: report.skills ?? null,
        codex: report.codex ?? null,
      },
    },
    null,
    2,
  );
}

/** Formats 4960 as "4,960" without loading Intl (which costs milliseconds at startup). */
export function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * The shell command that moves `path` out of waypoint's way, for a fix text:
 * `mv <path> <path>.old`, quoted when the path needs it. For a symlink it
 * moves the link, not what the link points to.
 */
export function moveAsideCommand(path: string): string {
  const quote = (text: string) =>
    /^[\w./@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
  return `mv ${quote(path)} ${quote(`${path}.old`)}`;
}
