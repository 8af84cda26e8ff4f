/**
 * `CURRENT_DATETIME.md`: the local time zone and date-time, so the agent can
 * write correct timestamps into WORKSPACE.md.
 *
 * @module
 */
import { document } from "./markdown.ts";
import { localZoneNames, type ZoneNames } from "./zone_names.ts";

/** Formats `now` as local `YYYY-MM-DD HH:MM:SS` plus its UTC offset, e.g. `+02:00`. */
export function localDateTime(now: Date): { local: string; offset: string } {
  const pad = (value: number) => String(value).padStart(2, "0");
  const local = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${
    pad(now.getDate())
  } ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const minutes = -now.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const offset = `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${
    pad(Math.abs(minutes) % 60)
  }`;
  return { local, offset };
}

/**
 * Builds `CURRENT_DATETIME.md` for the moment `now`; `names` are the local
 * zone's names at `now`, when the caller has them.
 */
export function currentDateTime(
  now: Date,
  names: ZoneNames = localZoneNames(now),
): string {
  const { timeZone, abbreviation: zone } = names;
  const { local, offset } = localDateTime(now);
  // WORKSPACE.md timestamps need a 2–5 letter zone; some zones only have "GMT+5:30".
  const example = /^[A-Z]{2,5}$/.test(zone)
    ? `${local.slice(0, 16)} ${zone}`
    : `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return document([
    "# Current Date and Time",
    [
      `- Time zone: ${timeZone} (${zone}, UTC${offset})`,
      `- Local date-time: ${local} ${zone}`,
      `- UTC: ${now.toISOString()}`,
    ].join("\n"),
    `Timestamp WORKSPACE.md entries like this: \`[${example}]\`.`,
  ]);
}
