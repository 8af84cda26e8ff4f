/**
 * Subresource Integrity strings as npm publishes them in `dist.integrity`
 * (`sha512-<base64>`, possibly several, space-separated).
 *
 * @module
 */
import { WaypointError } from "../errors.ts";

/**
 * Returns the base64 sha512 digests listed in `integrity`. Throws when there
 * is none: waypoint does not install a binary it cannot verify.
 */
export function sha512Digests(
  integrity: string | undefined,
  label: string,
): string[] {
  const digests = (integrity ?? "").trim().split(/\s+/)
    .filter((token) => token.startsWith("sha512-"))
    // An SRI token may carry `?options` after the digest.
    .map((token) => token.slice("sha512-".length).split("?")[0])
    .filter(Boolean);
  if (digests.length === 0) {
    throw new WaypointError(
      `the registry gives no sha512 integrity for ${label}${
        integrity ? ` (found "${integrity}")` : ""
      }; refusing to install a binary that cannot be verified`,
    );
  }
  return digests;
}
