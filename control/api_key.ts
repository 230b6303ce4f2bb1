/**
 * The super-user API key: a JWT with claims
 * `{ sub, p: "superuser", c: "host:port", cp: "host:port" }` and no expiry,
 * stored in the data dir (`api-key`, mode 0600) and reused across restarts as
 * long as the signing key still verifies it and its claims name the address
 * the server is bound to now; after a restart on another `--host` or
 * `--port` a new key naming the new address replaces it (the old key still
 * verifies, but names an address nobody serves).
 *
 * @module
 */

import { jwtVerify } from "jose";
import { TOKEN_ISSUER } from "../protocol/claims.ts";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";
import type { TokenSigner } from "./token_signer.ts";

/** The stored key and whether this call created it. */
export interface ApiKey {
  /** The key, a compact JWT. */
  token: string;
  /** True when it was minted by this call. */
  created: boolean;
}

/**
 * Loads the super-user API key from `path`, or mints and stores one whose
 * `c`/`cp` claims name `endpoint`. A stored key that the signer's public key no
 * longer verifies (the signing key was replaced), or that names another
 * endpoint (the server moved), is minted again.
 *
 * @param path the key file
 * @param signer the control service's signer
 * @param endpoint `host:port` clients reach the service at
 */
export async function loadOrCreateApiKey(
  path: string,
  signer: TokenSigner,
  endpoint: string,
): Promise<ApiKey> {
  const stored = (await readTextIfExists(path))?.trim();
  if (stored && await isSuperUserKey(stored, signer.publicKey, endpoint)) {
    return { token: stored, created: false };
  }
  const token = await signer.mint({
    sub: `superuser-${crypto.randomUUID()}`,
    p: "superuser",
    c: endpoint,
    cp: endpoint,
  });
  await writeFileAtomic(path, token + "\n", { mode: 0o600 });
  return { token, created: true };
}

async function isSuperUserKey(
  token: string,
  publicKey: CryptoKey,
  endpoint: string,
): Promise<boolean> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: TOKEN_ISSUER,
      algorithms: ["EdDSA"],
    });
    return payload.p === "superuser" && payload.c === endpoint &&
      payload.cp === endpoint;
  } catch {
    return false;
  }
}
