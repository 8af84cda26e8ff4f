/**
 * Stalled and dripping registries against `init` (with its update check on)
 * and `upgrade`, run as subprocesses with the default timeouts a user gets:
 * no stalled transfer may hold a command for long, a slow but moving one
 * goes on, and the update notices never reach init's stdout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import semver from "semver";
import { VERSION } from "../src/version.ts";
import { needsStandIn, requires } from "./support/requires.ts";
import {
  MAIN_TS,
  pathExists,
  PROJECT_ROOT,
  runCli,
  runCommand,
  versionOf,
  WAYPOINT_BIN,
} from "./support/cli.ts";
import { SPEED_WINDOW_MS } from "../src/update/http.ts";
import { PROGRESS_REDRAW_MS } from "../src/update/progress.ts";
import {
  type Fault,
  listDir,
  SLOW_TARBALL_BYTES,
  snapshot,
  withFaultSandbox,
} from "./support/fault_registry.ts";

const NEWER = semver.inc(VERSION, "minor")!;

/** Loose: the goal is about 10 s; without the floor these take 30-60 s. */
const INIT_BOUND_MS = 15_000;

/** Each stall, and what the one line about giving up must say. */
const INIT_STALLS: [Fault, RegExp][] = [
  [
    "metadata-trickle",
    /^waypoint: skipped the update check: the registry did not answer within 3 s/,
  ],
  [
    "metadata-hang",
    /^waypoint: skipped the update check: the registry did not answer within 3 s/,
  ],
  [
    "platform-trickle",
    /^waypoint: warning: could not update to \S+: the registry is too slow: 127\.0\.0\.1:\d+\/waypoint-codex-\w+-\w+ sent \d+ bytes? in \d+(\.\d)? s \(\d+(\.\d)? B\/s\), below the floor of 4 KiB\/s over 5 s; giving up; continuing with /,
  ],
  [
    "platform-hang",
    /^waypoint: warning: could not update to \S+: the registry is too slow: 127\.0\.0\.1:\d+\/waypoint-codex-\w+-\w+ sent 0 bytes in \d+(\.\d)? s \(0 B\/s\), below the floor of 4 KiB\/s over 5 s; giving up; continuing with /,
  ],
  [
    "tarball-trickle",
    /^waypoint: warning: could not update to \S+: the download of waypoint-codex-\w+-\w+@\S+ is too slow: 127\.0\.0\.1:\d+\/.*\.tgz sent \d+ bytes? in \d+(\.\d)? s \(\d+(\.\d)? B\/s\), below the floor of 4 KiB\/s over 5 s; giving up; continuing with /,
  ],
  [
    "tarball-hang",
    /^waypoint: warning: could not update to \S+: the download of waypoint-codex-\w+-\w+@\S+ is too slow: 127\.0\.0\.1:\d+\/.*\.tgz sent 0 bytes in \d+(\.\d)? s \(0 B\/s\), below the floor of 4 KiB\/s over 5 s; giving up; continuing with /,
  ],
];

/** The sandbox env with the check on and the user's default timeouts. */
function userEnv(
  env: Record<string, string | undefined>,
  cache: string,
): Record<string, string | undefined> {
  return {
    ...env,
    WAYPOINT_NO_UPDATE_CHECK: undefined,
    WAYPOINT_HTTP_TIMEOUT_MS: undefined,
    XDG_CACHE_HOME: cache,
  };
}

Deno.test(
  requires(
    "a stalled or dripping registry holds init for seconds; init still scaffolds",
    needsStandIn(),
  ),
  async (t) => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const before = await snapshot(box.binary);
        for (const [fault, message] of INIT_STALLS) {
          await t.step(fault, async () => {
            registry.setFault(fault);
            const repo = join(box.root, `repo-${fault}`);
            const started = Date.now();
            const result = await runCli(["init", repo], {
              env: userEnv(box.env, join(box.root, `cache-${fault}`)),
              timeoutMs: 120_000,
            });
            const elapsed = Date.now() - started;
            console.error(`  ${fault}: init took ${elapsed} ms`);
            assert.equal(result.code, 0, result.stderr);
            assert.ok(
              elapsed < INIT_BOUND_MS,
              `${fault} held init ${elapsed} ms`,
            );
            assert.ok(await pathExists(join(repo, "AGENTS.md")), fault);
            const leaked = result.stdout.split("\n").filter((line) =>
              /^waypoint:|update check|could not update|too slow|giving up/
                .test(line) || line.includes(NEWER)
            );
            assert.deepEqual(leaked, [], `${fault}: update notices on stdout`);
            const giveUps = result.stderr.split("\n").filter((line) =>
              /giving up|did not answer|could not update/.test(line)
            );
            assert.equal(giveUps.length, 1, result.stderr);
            assert.match(giveUps[0], message);
            assert.deepEqual(await snapshot(box.binary), before, fault);
            assert.deepEqual(await listDir(join(box.root, "bin")), [
              "waypoint",
            ]);
          });
        }
      },
    );
  },
);

Deno.test(
  requires(
    "upgrade gives up on a dripping tarball at the speed floor, in one line",
    needsStandIn(),
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        registry.setFault("tarball-trickle");
        const before = await snapshot(box.binary);
        const started = Date.now();
        const result = await runCli(["upgrade", "--skip-repo-refresh"], {
          env: userEnv(box.env, join(box.root, "cache")),
          timeoutMs: 120_000,
        });
        const elapsed = Date.now() - started;
        console.error(`  upgrade, tarball-trickle: ${elapsed} ms`);
        assert.equal(result.code, 1, result.stdout);
        assert.ok(elapsed < INIT_BOUND_MS, `held upgrade ${elapsed} ms`);
        const lines = result.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(
          lines[0],
          /^waypoint: the download of waypoint-codex-\w+-\w+@\S+ is too slow: 127\.0\.0\.1:\d+\/waypoint-codex-\w+-\w+\/-\/waypoint-codex-\w+-\w+-\S+\.tgz sent \d+ bytes? in 5(\.\d)? s \(\d(\.\d)? B\/s\), below the floor of 4 KiB\/s over 5 s; giving up$/,
        );
        assert.deepEqual(await snapshot(box.binary), before);
        assert.deepEqual(await listDir(join(box.root, "bin")), ["waypoint"]);
      },
    );
  },
);

Deno.test(
  requires("the check asks the registry at most once a day", needsStandIn()),
  async () => {
    // Nothing newer: every run continues with this init.
    await withFaultSandbox(
      { latest: VERSION },
      VERSION,
      async (registry, box) => {
        const cache = join(box.root, "cache");
        const env = userEnv(box.env, cache);
        const repo = join(box.root, "repo");
        const asks = () =>
          registry.requests.filter((r) => r.path === "/waypoint-codex").length;
        const first = await runCli(["init", repo], { env });
        assert.equal(first.code, 0, first.stderr);
        assert.equal(asks(), 1);
        assert.equal(first.stderr, "");
        const second = await runCli(["init", repo], { env });
        assert.equal(second.code, 0, second.stderr);
        assert.equal(asks(), 1, "a check within the day is not repeated");

        // A day and a minute later, it asks again.
        const file = join(cache, "waypoint", "update-check.json");
        const entry = JSON.parse(await Deno.readTextFile(file));
        entry.checkedAt -= 24 * 60 * 60 * 1000 + 60_000;
        await Deno.writeTextFile(file, JSON.stringify(entry));
        const third = await runCli(["init", repo], { env });
        assert.equal(third.code, 0, third.stderr);
        assert.equal(asks(), 2);
      },
    );
  },
);

Deno.test(
  requires(
    "under CI the check makes no request at all; CI=false or empty still checks",
    needsStandIn(),
  ),
  async () => {
    await withFaultSandbox(
      { latest: VERSION },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        for (const ci of ["true", "1", "yes", "woodpecker"]) {
          const result = await runCli(["init", repo], {
            env: { ...userEnv(box.env, join(box.root, `c-${ci}`)), CI: ci },
          });
          assert.equal(result.code, 0, result.stderr);
          assert.deepEqual(registry.requests, [], `CI=${ci}`);
          assert.equal(await pathExists(join(box.root, `c-${ci}`)), false);
        }
        let seen = 0;
        for (const ci of ["false", "FALSE", ""]) {
          const result = await runCli(["init", repo], {
            env: { ...userEnv(box.env, join(box.root, `c-n${ci}`)), CI: ci },
          });
          assert.equal(result.code, 0, result.stderr);
          assert.equal(registry.requests.length, ++seen, `CI=${ci}`);
        }
      },
    );
  },
);

Deno.test(
  requires(
    "init --json with a newer release out prints one JSON document and asks nothing",
    needsStandIn(),
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        const repo = join(box.root, "repo");
        const result = await runCli(["init", repo, "--json"], {
          env: userEnv(box.env, join(box.root, "cache")),
        });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(typeof JSON.parse(result.stdout), "object");
        assert.deepEqual(registry.requests, []);
        assert.equal(result.stderr, "");
      },
    );
  },
);

/** The terminal's erase-to-end-of-line sequence. */
const ERASE_LINE = "\x1b[K";

/** util-linux `script`, which runs a command on a pseudo-terminal. */
const SCRIPT = "/usr/bin/script";
const NO_SCRIPT = await Deno.stat(SCRIPT).then(
  () => undefined,
  () => `needs ${SCRIPT} (apt-get install util-linux)`,
);

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

Deno.test(
  requires(
    "a slow but moving download goes on, drawing progress on a terminal's stderr only",
    needsStandIn(),
    NO_SCRIPT,
  ),
  async () => {
    await withFaultSandbox(
      { latest: NEWER },
      VERSION,
      async (registry, box) => {
        registry.setFault("tarball-slow");
        const stdoutFile = join(box.root, "stdout.txt");
        const argv = WAYPOINT_BIN
          ? [WAYPOINT_BIN]
          : [Deno.execPath(), "run", "-A", "--quiet", MAIN_TS];
        // stdout to a file: what the terminal shows is stderr alone.
        const command = [...argv, "upgrade", "--skip-repo-refresh"]
          .map(shellQuote).join(" ") + ` >${shellQuote(stdoutFile)}`;
        const env: Record<string, string> = {
          ...Deno.env.toObject(),
          NO_COLOR: "1",
          WAYPOINT_NO_UPDATE_CHECK: "1",
          SHELL: "/bin/sh",
          TERM: "xterm",
        };
        for (const [key, value] of Object.entries(box.env)) {
          if (value === undefined) delete env[key];
          else env[key] = value;
        }
        delete env.WAYPOINT_HTTP_TIMEOUT_MS;
        const started = Date.now();
        const result = await runCommand(
          SCRIPT,
          ["-qfec", command, "/dev/null"],
          { env, clearEnv: true, cwd: PROJECT_ROOT, timeoutMs: 120_000 },
        );
        const elapsed = Date.now() - started;
        console.error(`  slow tarball under a pty: ${elapsed} ms`);
        const stdout = await Deno.readTextFile(stdoutFile);
        assert.equal(result.code, 0, `${result.stdout}\n${stdout}`);
        // Slower than the floor's window, yet it went on to the end.
        assert.ok(elapsed > SPEED_WINDOW_MS, `${elapsed} ms`);
        assert.equal(await versionOf(box.binary), NEWER);
        assert.match(stdout, /Replaced .* with waypoint /);
        assert.ok(!/\r|downloading/.test(stdout), stdout);

        const draws = result.stdout.split("\r").filter((part) =>
          part.startsWith("waypoint: downloading ")
        );
        assert.ok(draws.length >= 3, result.stdout);
        assert.ok(
          draws.length <= elapsed / PROGRESS_REDRAW_MS + 2,
          `${draws.length} redraws in ${elapsed} ms`,
        );
        for (const draw of draws) {
          assert.ok(draw.endsWith(ERASE_LINE), JSON.stringify(draw));
          assert.match(
            draw.slice(0, -ERASE_LINE.length),
            /^waypoint: downloading waypoint-codex-\w+-\w+@\S+: [\d.]+ K?i?B \/ [\d.]+ KiB \(\d+%\), [\d.]+ K?i?B\/s$/,
          );
        }
        const total = Number(draws[0].match(/ \/ ([\d.]+) KiB/)![1]) * 1024;
        assert.ok(total > SLOW_TARBALL_BYTES, `total ${total}`);
        // Erased once done: the terminal's last word is the erase.
        assert.ok(
          result.stdout.replace(/\r?\n$/, "").endsWith(`\r${ERASE_LINE}`),
          JSON.stringify(result.stdout.slice(-80)),
        );
      },
    );
  },
);
