/**
 * The join token: what a node presents to the control service to register,
 * heartbeat and follow the topology. Written to `DIR/join-token` (0600) on the
 * control service's first start; `kvolt node --join-token FILE` reads it. It
 * is not the super-user key: a node cannot mint tokens or manage caches.
 *
 * @module
 */

import { readTextIfExists, writeFileAtomic } from "./_files.ts";

/**
 * The join token in `path`, created (32 random bytes, base64url) when absent.
 *
 * @param path `DIR/join-token`
 * @returns the token and whether it was created now
 */
export async function loadOrCreateJoinToken(
  path: string,
): Promise<{ token: string; created: boolean }> {
  const stored = (await readTextIfExists(path))?.trim();
  if (stored) return { token: stored, created: false };
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = `kvj_${
    btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
      .replace(/=+$/, "")
  }`;
  await writeFileAtomic(path, token + "\n", { mode: 0o600 });
  return { token, created: true };
}
