/**
 * The super-user API key: a JWT with claims
 * `{ sub, p: "superuser", c, cp, h }` (`endpointClaims`: `h` the HTTP API,
 * `c`/`cp` the gRPC listener or else the HTTP API) and no expiry,
 * stored in the data dir (`api-key`, mode 0600) and reused across restarts as
 * long as the signing key still verifies it.
 *
 * @module
 */

import { jwtVerify } from "jose";
import {
  endpointClaims,
  type ServerEndpoints,
  TOKEN_ISSUER,
} from "../protocol/claims.ts";
import { readTextIfExists, writeFileAtomic } from "./_files.ts";
import type { TokenSigner } from "./token_signer.ts";

/** The stored key and whether this call created it. */
export interface ApiKey {
  /** The key, a compact JWT. */
  token: string;
  /** True when it was minted by this call. */
  created: boolean;
  /** Where the previous key pointed (`describeEndpoints`), when this call re-issued it. */
  previousEndpoint?: string;
}

/**
 * Loads the super-user API key from `path`, or mints and stores one whose
 * endpoint claims name `endpoints`. A stored key that the signer's public key no
 * longer verifies (the signing key was replaced) is minted again, and so is
 * one that names other endpoints (the server moved to another host or port):
 * the key in the file, and printed at start, always names where the server
 * listens now. The old key still authenticates (same signing key); only the
 * address an SDK reads from it is stale.
 *
 * @param path the key file
 * @param signer the control service's signer
 * @param endpoints where clients reach the service: its HTTP API's
 *   `host:port`, or that and its gRPC listener's
 */
export async function loadOrCreateApiKey(
  path: string,
  signer: TokenSigner,
  endpoints: string | ServerEndpoints,
): Promise<ApiKey> {
  const wanted = endpointClaims(
    typeof endpoints === "string" ? { http: endpoints } : endpoints,
  );
  const stored = (await readTextIfExists(path))?.trim();
  const claims = stored
    ? await superUserClaims(stored, signer.publicKey)
    : undefined;
  if (
    stored && claims && claims.c === wanted.c && claims.cp === wanted.cp &&
    claims.h === wanted.h
  ) {
    return { token: stored, created: false };
  }
  const token = await signer.mint({
    sub: `superuser-${crypto.randomUUID()}`,
    p: "superuser",
    ...wanted,
  });
  await writeFileAtomic(path, token + "\n", { mode: 0o600 });
  const previous = typeof claims?.c === "string"
    ? describeEndpoints({
      c: claims.c,
      h: typeof claims.h === "string" ? claims.h : claims.c,
    })
    : undefined;
  return previous !== undefined
    ? { token, created: true, previousEndpoint: previous }
    : { token, created: true };
}

/**
 * Where a key's claims point, for messages: the HTTP API, and the gRPC
 * endpoint when it is another.
 *
 * @param claims the key's `h` and `c` claims
 * @returns e.g. `127.0.0.1:8443 and gRPC 127.0.0.1:8444`
 */
export function describeEndpoints(claims: { h: string; c: string }): string {
  return claims.c === claims.h ? claims.h : `${claims.h} and gRPC ${claims.c}`;
}

async function superUserClaims(
  token: string,
  publicKey: CryptoKey,
): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      issuer: TOKEN_ISSUER,
      algorithms: ["EdDSA"],
    });
    return payload.p === "superuser" ? payload : undefined;
  } catch {
    return undefined;
  }
}
