/**
 * A throwaway npm registry for tests: Verdaccio 5 from
 * `tests/fixtures/registry`, bound to 127.0.0.1 on a free port, with its
 * storage, config and npm userconfig in a temp dir. It has no uplinks, so it
 * never reaches the network; anonymous users may read and publish.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A running test registry. */
export interface TestRegistry {
  /** Base URL, e.g. `http://127.0.0.1:41234/` (always ends in `/`). */
  url: string;
  /** An npm userconfig pointing at the registry, with a token it accepts. */
  npmrcPath: string;
  /** Runs `npm publish` for `packageDir` against this registry. */
  publish(packageDir: string): Promise<void>;
  /** Kills the server (and its process group) and removes its temp dir. */
  stop(): Promise<void>;
}

const FIXTURE_DIR = fileURLToPath(
  new URL("../fixtures/registry/", import.meta.url),
);
const VERDACCIO_BIN = join(
  FIXTURE_DIR,
  "node_modules",
  "verdaccio",
  "bin",
  "verdaccio",
);
const START_TIMEOUT_MS = 30_000;
const IS_WINDOWS = Deno.build.os === "windows";

/** Registries still running; killed on exit if a test forgot `stop()`. */
const running = new Set<Deno.ChildProcess>();
globalThis.addEventListener("unload", () => {
  for (const child of running) killTree(child);
});

/** Whether tests/fixtures/registry/node_modules/verdaccio is installed. */
export function registryFixtureInstalled(): boolean {
  try {
    return Deno.statSync(VERDACCIO_BIN).isFile;
  } catch {
    return false;
  }
}

/** Starts Verdaccio 5 on 127.0.0.1 on a free port with temp storage and config (no uplinks: fully offline; anonymous publish allowed), waits until it answers. */
export async function startRegistry(): Promise<TestRegistry> {
  if (!registryFixtureInstalled()) {
    throw new Error(
      "Verdaccio is not installed: run `npm ci` in tests/fixtures/registry",
    );
  }
  // The port is free when we ask; if something grabs it before Verdaccio
  // binds, the start fails and we try again with another port.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const root = await Deno.makeTempDir({ prefix: "waypoint-registry-" });
    try {
      return await launch(root, freePort());
    } catch (error) {
      lastError = error;
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  }
  throw lastError;
}

async function launch(root: string, port: number): Promise<TestRegistry> {
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}/`;
  const configPath = join(root, "config.yaml");
  const logPath = join(root, "verdaccio.log");
  await Deno.writeTextFile(configPath, verdaccioConfig(root, logPath));

  const child = new Deno.Command("node", {
    args: [VERDACCIO_BIN, "--config", configPath, "--listen", host],
    cwd: root,
    env: { ...Deno.env.toObject(), NODE_ENV: "production" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
    // Its own process group on Unix, so stop() can signal the whole group.
    detached: !IS_WINDOWS,
  }).spawn();
  running.add(child);
  const status = child.status;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killTree(child);
    await status;
    running.delete(child);
    await Deno.remove(root, { recursive: true }).catch(() => {});
  };

  try {
    await waitUntilReady(url, status, logPath);
    const token = await createUser(url);
    // Only our Verdaccio writes our htpasswd: if it is missing, another
    // server took the port first and answered instead.
    if (!(await exists(join(root, "htpasswd")))) {
      throw new Error(`another server answered at ${url}`);
    }
    const npmrcPath = join(root, "npmrc");
    await Deno.writeTextFile(
      npmrcPath,
      `registry=${url}\n//${host}/:_authToken=${token}\n` +
        "audit=false\nfund=false\nupdate-notifier=false\n",
    );
    return {
      url,
      npmrcPath,
      publish: (packageDir) => publish(packageDir, npmrcPath, url, root),
      stop,
    };
  } catch (error) {
    killTree(child);
    await status;
    running.delete(child);
    throw error;
  }
}

function verdaccioConfig(root: string, logPath: string): string {
  // JSON is valid YAML and spares us quoting rules for temp paths.
  const config = {
    storage: join(root, "storage"),
    auth: { htpasswd: { file: join(root, "htpasswd"), max_users: 100 } },
    uplinks: {},
    packages: {
      "**": {
        access: "$all",
        publish: "$all",
        unpublish: "$all",
      },
    },
    publish: { allow_offline: true },
    log: { type: "file", path: logPath, format: "pretty", level: "warn" },
  };
  return JSON.stringify(config, null, 2) + "\n";
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitUntilReady(
  url: string,
  status: Promise<Deno.CommandStatus>,
  logPath: string,
): Promise<void> {
  let exited = false;
  status.then(() => exited = true);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(`${url}-/ping`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = await Deno.readTextFile(logPath).catch(() => "");
  throw new Error(
    `Verdaccio did not start at ${url}${exited ? " (it exited)" : ""}` +
      (log ? `:\n${log.slice(-2000)}` : ""),
  );
}

/** Registers a throwaway user; Verdaccio answers with a token npm can use. */
async function createUser(url: string): Promise<string> {
  // Unique, so a stray request to another test's registry cannot collide.
  const name = `waypoint-test-${crypto.randomUUID().slice(0, 8)}`;
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password: "waypoint-test-password" }),
  });
  const body = await response.json() as { token?: string };
  if (!response.ok || !body.token) {
    throw new Error(
      `Verdaccio refused to create a user (${response.status}): ${
        JSON.stringify(body)
      }`,
    );
  }
  return body.token;
}

async function publish(
  packageDir: string,
  npmrcPath: string,
  url: string,
  root: string,
): Promise<void> {
  const output = await new Deno.Command("npm", {
    args: [
      "publish",
      "--userconfig",
      npmrcPath,
      "--registry",
      url,
      "--access",
      "public",
      "--provenance=false",
      "--loglevel=error",
    ],
    cwd: packageDir,
    // A private cache keeps the user's ~/.npm out of the test.
    env: { ...Deno.env.toObject(), npm_config_cache: join(root, "npm-cache") },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `npm publish ${packageDir} failed (exit ${output.code}):\n` +
        decoder.decode(output.stdout) + decoder.decode(output.stderr),
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function killTree(child: Deno.ChildProcess): void {
  try {
    if (IS_WINDOWS) child.kill("SIGTERM");
    else Deno.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
