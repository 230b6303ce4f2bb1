/**
 * The claims kvolt puts in its tokens (JWTs signed with Ed25519 by the control
 * service, verified by gateways with the public key alone).
 *
 * `c` and `cp` carry the data and control endpoints (host:port) the way
 * Momento's tokens do, so a printed key is all a client needs.
 *
 * @module
 */

/** Token issuer, checked on verify. */
export const TOKEN_ISSUER = "kvolt";

/** A cache permission (Momento's model; only super-user keys exist for now). */
export interface CachePermission {
  role: "readwrite" | "readonly" | "writeonly";
  cache: { all: true } | { name: string };
  item?: { all: true } | { key: string } | { keyPrefix: string };
}

/** What a verified token says. */
export interface TokenClaims {
  /** Key or token id. */
  sub: string;
  /** "superuser", or the list of permissions. */
  p: "superuser" | CachePermission[];
  /** Data endpoint, host:port. */
  c?: string;
  /** Control endpoint, host:port. */
  cp?: string;
  /** Expiry, seconds since the epoch; absent for API keys that never expire. */
  exp?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
}

/** True when the claims grant every operation, control included. */
export function isSuperUser(claims: TokenClaims): boolean {
  return claims.p === "superuser";
}
