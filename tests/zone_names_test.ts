/**
 * The cached zone names agree with `Intl` for every shape of `$TZ`, on the
 * run that fills the cache and on the next one that reads it; an entry of
 * the wrong shape is not used.
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assertEquals } from "./support/assert.ts";
import { PROJECT_ROOT } from "./support/cli.ts";
import { intlZoneNames, localZoneNames } from "../src/context/zone_names.ts";

const PROBE = `
import { intlZoneNames, localZoneNames } from "${
  pathToFileURL(join(PROJECT_ROOT, "src/context/zone_names.ts"))
}";
const now = new Date("2026-07-01T12:00:00Z");
const attempt = (names: () => unknown) => {
  try {
    return names();
  } catch (error) {
    return { error: String(error) };
  }
};
console.log(JSON.stringify([
  attempt(() => localZoneNames(now)),
  attempt(() => intlZoneNames(now)),
]));
`;

async function probe(tz: string | undefined, cacheDir: string) {
  const env: Record<string, string> = {
    ...Deno.env.toObject(),
    WAYPOINT_CACHE_DIR: cacheDir,
  };
  if (tz === undefined) delete env.TZ;
  else env.TZ = tz;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", PROBE],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(output.success, true, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

const ZONES = [
  undefined,
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "Asia/Kolkata",
  "GMT",
  "Nowhere/Bogus",
  "",
];

Deno.test("cached zone names equal Intl's, filling the cache and reading it", async () => {
  const cacheDir = await Deno.makeTempDir();
  for (const round of ["fill", "read"]) {
    for (const tz of ZONES) {
      const [ours, intl] = await probe(tz, cacheDir);
      assertEquals(ours, intl, `${round} TZ=${JSON.stringify(tz)}`);
    }
  }
  const stored = JSON.parse(
    await Deno.readTextFile(join(cacheDir, "time-zones.json")),
  );
  assertEquals(Object.keys(stored.entries).length >= 4, true);
});

Deno.test("a cache entry of the wrong shape is not used, and is written again", async () => {
  const cacheDir = await Deno.makeTempDir();
  const now = new Date("2026-01-15T08:00:00Z");
  assertEquals(localZoneNames(now, cacheDir), intlZoneNames(now));
  const file = join(cacheDir, "time-zones.json");
  const stored = JSON.parse(await Deno.readTextFile(file));
  for (const key of Object.keys(stored.entries)) {
    stored.entries[key] = {
      timeZone: "Europe/Paris",
      abbreviation: "\u001b[31mX",
    };
  }
  await Deno.writeTextFile(file, JSON.stringify(stored));
  assertEquals(localZoneNames(now, cacheDir), intlZoneNames(now));
  const again = JSON.parse(await Deno.readTextFile(file));
  assertEquals(Object.values(again.entries), [intlZoneNames(now)]);
  await Deno.writeTextFile(file, "not json");
  assertEquals(localZoneNames(now, cacheDir), intlZoneNames(now));
});
