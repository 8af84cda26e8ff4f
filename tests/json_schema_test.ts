/**
 * Every `--json` document waypoint prints, checked against the JSON Schema
 * files in `schema/v1/` with a real validator (Ajv, draft 2020-12), in the
 * states a user meets: a fresh init, a dry run, a refresh, doctor clean and
 * with findings, sync with a doc it cannot read, context, trust, and
 * upgrade against a local registry. A failed command prints nothing on
 * stdout. The command table and the schema folder must name the same
 * commands.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { join } from "node:path";
import semver from "semver";
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import {
  MAIN_TS,
  PROJECT_ROOT,
  runCli,
  type RunCliOptions,
  withTempRepo,
  writeRepoFile,
} from "./support/cli.ts";
import {
  type FaultRegistryOptions,
  withFaultSandbox,
} from "./support/fault_registry.ts";
import { hostPlatform, nativeStandIn } from "./support/native_standin.ts";
import { needsDenoRun, needsStandIn, requires } from "./support/requires.ts";
import { COMMANDS, findCommand } from "../src/cli/commands.ts";
import { JSON_SCHEMA_VERSION } from "../src/cli/json_report.ts";
import { VERSION } from "../src/version.ts";

const SCHEMA_DIR = join(PROJECT_ROOT, "schema", `v${JSON_SCHEMA_VERSION}`);
const NEWER = semver.inc(VERSION, "minor")!;

/** The schema files, by command name. */
function schemaFiles(): Map<string, Record<string, unknown>> {
  const files = new Map<string, Record<string, unknown>>();
  for (const entry of Deno.readDirSync(SCHEMA_DIR)) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    files.set(
      entry.name.slice(0, -".json".length),
      JSON.parse(Deno.readTextFileSync(join(SCHEMA_DIR, entry.name))),
    );
  }
  return files;
}

/** One validator per command; strict mode rejects a schema with a typo in a keyword. */
function compileSchemas(): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  for (const [name, schema] of schemaFiles()) {
    validators.set(name, ajv.compile(schema));
  }
  return validators;
}

const VALIDATORS = compileSchemas();

/** Why `document` does not fit `command`'s schema, or `undefined` when it does. */
function schemaErrors(command: string, document: unknown): string | undefined {
  const validate = VALIDATORS.get(command);
  if (!validate) return `no schema for ${command}`;
  if (validate(document)) return undefined;
  return (validate.errors ?? []).map((error) =>
    `${error.instancePath || "/"} ${error.message} ${
      JSON.stringify(error.params)
    }`
  ).join("\n");
}

/**
 * Runs waypoint with `args`, expects exit `code` and one JSON document on
 * stdout that starts with "schema" and fits the command's schema.
 */
async function documentOf(
  args: string[],
  code: number,
  options: RunCliOptions = {},
): Promise<Record<string, unknown>> {
  const result = await runCli(args, options);
  assertEquals(
    result.code,
    code,
    `waypoint ${args.join(" ")}: ${result.stderr}`,
  );
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(
      `waypoint ${
        args.join(" ")
      }: stdout is not one JSON document (${error}):\n${result.stdout}`,
    );
  }
  assertEquals(Object.keys(document)[0], "schema", "schema is the first key");
  assertEquals(document.schema, JSON_SCHEMA_VERSION);
  const errors = schemaErrors(args[0], document);
  assert(
    errors === undefined,
    `waypoint ${args.join(" ")} does not fit schema/v${JSON_SCHEMA_VERSION}/${
      args[0]
    }.json:\n${errors}\n${result.stdout}`,
  );
  return document;
}

/** Runs waypoint with `args` and expects a failure with nothing on stdout. */
async function expectFailure(
  args: string[],
  options: RunCliOptions = {},
): Promise<string> {
  const result = await runCli(args, options);
  assert(result.code !== 0, `waypoint ${args.join(" ")} should fail`);
  assertEquals(result.stdout, "", `waypoint ${args.join(" ")}: stdout`);
  assertEquals(
    result.stderr.trim().split("\n").length,
    1,
    `one line on stderr: ${result.stderr}`,
  );
  return result.stderr;
}

Deno.test("the command table and schema/v1/ name the same commands, and each --help points at its schema", () => {
  const withJson = COMMANDS.filter((command) =>
    command.options.some((option) => option.name === "json")
  ).map((command) => command.name).sort();
  assertEquals([...schemaFiles().keys()].sort(), withJson);
  // Every command that reports something takes --json; completions prints a script.
  assertEquals(
    COMMANDS.map((command) => command.name).filter((name) =>
      !withJson.includes(name)
    ),
    ["completions"],
  );
  assertMatch(findCommand("completions")!.help, /There is no --json/);
  for (const [name, schema] of schemaFiles()) {
    const help = findCommand(name)!.help;
    assert(
      help.includes(`schema/v${JSON_SCHEMA_VERSION}/${name}.json`),
      `${name} --help names its schema file`,
    );
    const properties = schema.properties as Record<string, unknown>;
    assertEquals(
      properties.schema,
      { const: JSON_SCHEMA_VERSION },
      `${name}.json pins the schema number`,
    );
    assertEquals(
      (schema.required as string[])[0],
      "schema",
      `${name}.json requires schema first`,
    );
    assertEquals(schema.additionalProperties, false, `${name}.json is closed`);
    for (const key of Object.keys(properties)) {
      assert(help.includes(`"${key}"`), `${name} --help documents ${key}`);
    }
  }
});

Deno.test("the schemas catch a renamed, a missing and a retyped key", async () => {
  await withTempRepo(async (dir) => {
    const document = await documentOf(["sync", dir, "--json"], 0);
    const { written, ...rest } = document;
    assert(schemaErrors("sync", rest) !== undefined, "missing key passes");
    assert(
      schemaErrors("sync", { ...rest, writen: written }) !== undefined,
      "renamed key passes",
    );
    assert(
      schemaErrors("sync", { ...document, root: 1 }) !== undefined,
      "retyped key passes",
    );
    assert(
      schemaErrors("sync", { ...document, schema: 2 }) !== undefined,
      "another schema number passes",
    );
    const init = await documentOf(["init", dir, "--json"], 0);
    const actions = init.actions as Record<string, unknown>[];
    const { detail: _detail, ...action } = actions[0];
    assert(
      schemaErrors("init", { ...init, actions: [action] }) !== undefined,
      "an action without detail passes",
    );
  }, { init: true });
});

Deno.test("init --json fits its schema: dry run, fresh init, refresh, --force over edits", async () => {
  await withTempRepo(async (dir) => {
    const plan = await documentOf(["init", dir, "--dry-run", "--json"], 0);
    assertEquals([plan.dryRun, plan.changed, plan.indexes], [true, true, null]);
    const fresh = await documentOf(["init", dir, "--json"], 0);
    assertEquals([fresh.dryRun, fresh.changed], [false, true]);
    const refresh = await documentOf(["init", dir, "--json"], 0);
    assertEquals(refresh.changed, false);
    const skill = ".agents/skills/planning/SKILL.md";
    await writeRepoFile(dir, skill, "my own planning\n");
    await writeRepoFile(dir, ".waypoint/SOUL.md", "edited\n");
    const forced = await documentOf(["init", dir, "--force", "--json"], 0);
    assert(
      (forced.actions as { backup: string | null }[]).some((a) => a.backup),
      "--force saved a backup",
    );
  });
});

Deno.test("doctor --json fits its schema: clean, with findings, and after --fix", async () => {
  await withTempRepo(async (dir) => {
    const home = join(dir, "codex-home");
    const env = { env: { CODEX_HOME: home } };
    await documentOf(["trust", dir, "--json"], 0, env);
    const clean = await documentOf(["doctor", dir, "--json"], 0, env);
    assertEquals(clean.command, "doctor");
    assertEquals(clean.root, dir);
    assertEquals(clean.fixed, null);
    const summary = clean.summary as Record<string, unknown>;
    assertEquals(summary.exitCode, 0);
    assert(summary.skills !== null && summary.codex !== null);

    await Deno.remove(join(dir, ".waypoint", "SOUL.md"));
    const broken = await documentOf(["doctor", dir, "--json"], 2, env);
    assert((broken.findings as unknown[]).length > 0);
    assertEquals((broken.summary as { exitCode: number }).exitCode, 2);

    const fixed = await documentOf(["doctor", dir, "--fix", "--json"], 0, env);
    assertEquals(fixed.fixed, ["restored .waypoint/SOUL.md"]);
  }, { init: true });
});

Deno.test("sync --json and context --json fit their schemas, with a doc sync cannot read", async () => {
  await withTempRepo(async (dir) => {
    await Deno.writeFile(
      join(dir, ".waypoint", "docs", "bad.md"),
      new Uint8Array([0xff, 0xfe, 0x00]),
    );
    const sync = await documentOf(["sync", dir, "--json"], 0);
    assertEquals(
      (sync.problems as { path: string }[]).map((p) => p.path),
      [".waypoint/docs/bad.md"],
    );
    const context = await documentOf(["context", dir, "--json"], 0, {
      env: { CODEX_HOME: join(dir, "no-codex-home"), CODEX_THREAD_ID: "" },
    });
    assertEquals(
      (context.warnings as { path: string }[]).map((p) => p.path),
      [".waypoint/docs/bad.md"],
    );
  }, { init: true });
});

Deno.test("trust --json fits its schema: dry run, the write, then nothing to do", async () => {
  await withTempRepo(async (dir) => {
    const home = join(dir, "codex-home");
    const env = { env: { CODEX_HOME: home } };
    const dry = await documentOf(["trust", dir, "--dry-run", "--json"], 0, env);
    assertEquals([dry.dryRun, dry.changed, dry.hook], [true, false, true]);
    assertEquals(
      (dry.edits as { key: string }[]).map((edit) => edit.key),
      ["trust_level", "trusted_hash"],
    );
    assertEquals(dry.config, join(home, "config.toml"));
    const done = await documentOf(["trust", dir, "--json"], 0, env);
    assertEquals(done.changed, true);
    assertEquals(done.edits, dry.edits);
    const again = await documentOf(["trust", dir, "--json"], 0, env);
    assertEquals([again.changed, again.edits], [false, []]);
  }, { init: true });
});

Deno.test("remove --json fits its schema: dry run, then the removal, with an edited file kept", async () => {
  await withTempRepo(async (dir) => {
    const edited = ".waypoint/SOUL.md";
    await writeRepoFile(dir, edited, "mine\n");
    const dry = await documentOf(["remove", dir, "--dry-run", "--json"], 0);
    assertEquals([dry.dryRun, dry.kept], [true, [edited]]);
    assert((dry.removed as string[]).includes(".waypoint/manifest.json"));
    const done = await documentOf(["remove", dir, "--json"], 0);
    assertEquals([done.dryRun, done.kept], [false, [edited]]);
    assertEquals(done.removed, dry.removed);
  }, { init: true });
});

Deno.test("a failed command prints nothing on stdout under --json", async () => {
  await withTempRepo(async (dir) => {
    const outside = { cwd: dir };
    await expectFailure(["sync", "--json"], outside);
    await expectFailure(["context", "--json"], outside);
    await expectFailure(["trust", "--json"], outside);
    await expectFailure(["remove", "--json"], outside);
    const doctor = await runCli(["doctor", "--json"], outside);
    assertEquals([doctor.code, doctor.stdout], [2, ""]);
    // init creates a missing folder: a file in its place is the failure.
    await Deno.writeTextFile(join(dir, "a-file"), "");
    await expectFailure(["init", join(dir, "a-file"), "--json"]);
    assertMatch(
      await expectFailure(["context", dir, "--hook", "--json"]),
      /--hook and --json cannot be used together/,
    );
    await expectFailure(["completions", "bash", "--json"]);
  });
});

/** Runs `fn` with a fault registry publishing `options` and a stand-in for this version. */
function withRegistry(
  options: FaultRegistryOptions,
  fn: Parameters<typeof withFaultSandbox>[2],
): Promise<void> {
  return withFaultSandbox(options, VERSION, fn);
}

Deno.test(
  requires(
    "upgrade --check --json fits its schema: up to date, newer, prerelease, a registry error",
    needsStandIn(),
  ),
  async () => {
    await withRegistry({ latest: VERSION }, async (_registry, box) => {
      const current = await documentOf(["upgrade", "--check", "--json"], 0, {
        env: box.env,
      });
      assertEquals(
        [current.status, current.version, current.next, current.refresh],
        ["up-to-date", VERSION, null, null],
      );
    });
    await withRegistry({ latest: NEWER }, async (registry, box) => {
      const newer = await documentOf(["upgrade", "--check", "--json"], 0, {
        env: box.env,
      });
      assertEquals([newer.status, newer.version], ["available", NEWER]);
      assertEquals(newer.next, "Run 'waypoint upgrade' to install it.");
      assertEquals(newer.check, true);
      registry.setFault("metadata-404");
      await expectFailure(["upgrade", "--check", "--json"], { env: box.env });
    });
    const pre = `${NEWER}-beta.1`;
    await withRegistry({ latest: pre }, async (_registry, box) => {
      const held = await documentOf(["upgrade", "--check", "--json"], 0, {
        env: box.env,
      });
      assertEquals(held.status, "up-to-date");
      assertMatch(String(held.note), /prerelease/);
    });
  },
);

/**
 * A new "binary" that answers --version with `version` and runs everything
 * else with this checkout, so the refresh after an upgrade prints real
 * init and doctor documents.
 */
function delegatingBinary(version: string): Uint8Array {
  return nativeStandIn(
    `#!/bin/sh
if [ "$1" = "--version" ]; then
  echo "${version}"
  exit 0
fi
exec "${Deno.execPath()}" run -A --quiet "${MAIN_TS}" "$@"
`,
    hostPlatform(),
  );
}

Deno.test(
  requires(
    "upgrade --json fits its schema: binary only, and with the repository refresh",
    needsStandIn(),
    needsDenoRun(),
  ),
  async () => {
    await withRegistry(
      { latest: NEWER, binary: delegatingBinary(NEWER) },
      async (_registry, box) => {
        const only = await documentOf(
          ["upgrade", "--skip-repo-refresh", "--json"],
          0,
          { env: box.env },
        );
        assertEquals(
          [only.status, only.version, only.binary, only.refresh],
          ["upgraded", NEWER, box.binary, null],
        );
      },
    );
    await withRegistry(
      { latest: NEWER, binary: delegatingBinary(NEWER) },
      async (_registry, box) => {
        const repo = join(box.root, "repo");
        await runCli(["init", repo]);
        const env = { ...box.env, CODEX_HOME: join(box.root, "codex-home") };
        const first = await documentOf(["upgrade", repo, "--json"], 0, {
          env,
        });
        assertEquals(first.status, "upgraded");
        const refresh = first.refresh as Record<string, unknown>;
        assertEquals(
          [refresh.root, refresh.configured, refresh.profile],
          [repo, true, "universal"],
        );
        // The new binary's own documents, checked against their own schemas.
        assertEquals(schemaErrors("init", refresh.init), undefined);
        assertEquals(schemaErrors("doctor", refresh.doctor), undefined);
        assertEquals(
          refresh.exitCode,
          (refresh.doctor as { summary: { exitCode: number } }).summary
            .exitCode,
        );
        const none = join(box.root, "plain");
        await Deno.mkdir(none);
        const bare = await documentOf(["upgrade", none, "--json"], 0, { env });
        assertEquals(bare.refresh, {
          root: none,
          configured: false,
          profile: null,
          init: null,
          doctor: null,
          exitCode: 0,
        });
      },
    );
  },
);
