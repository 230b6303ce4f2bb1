/**
 * Verifies kvolt tokens (Ed25519-signed JWTs) with the public key alone, and
 * remembers the ones that passed so a known token costs a map lookup instead
 * of a signature check.
 *
 * @module
 */

import { errors, jwtVerify } from "jose";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  type CachePermission,
  TOKEN_ISSUER,
  type TokenClaims,
} from "../protocol/claims.ts";

/** Options of {@linkcode TokenVerifier}. */
export interface TokenVerifierOptions {
  /** Most verified tokens remembered; the oldest is dropped first. Default 10 000. */
  maxEntries?: number;
  /** Clock in milliseconds since the epoch (tests inject one). Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  claims: TokenClaims;
  /** Expiry in ms since the epoch; Infinity for keys that never expire. */
  expiresAt: number;
}

/**
 * Checks tokens: signature (EdDSA), issuer (`kvolt`), expiry and the shape of
 * the claims. Only successes are cached, each until its `exp`.
 *
 * @example Verify a token
 * ```ts ignore
 * const verifier = new TokenVerifier(publicKey);
 * const claims = verifier.cached(token) ?? await verifier.verify(token);
 * ```
 */
export class TokenVerifier {
  #key: CryptoKey;
  #maxEntries: number;
  #now: () => number;
  // Insertion-ordered, so the first key is the oldest entry.
  #cache = new Map<string, Entry>();
  #revoked = new Set<string>();

  /**
   * @param publicKey the control service's Ed25519 public key
   * @param options cache size and clock
   */
  constructor(publicKey: CryptoKey, options: TokenVerifierOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new RangeError(
        `Cannot create verifier: maxEntries must be a non-negative integer: received ${maxEntries}`,
      );
    }
    this.#key = publicKey;
    this.#maxEntries = maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** How many verified tokens are remembered now. */
  get size(): number {
    return this.#cache.size;
  }

  /**
   * The claims of a token verified earlier and not yet expired, or undefined.
   * Synchronous: the hot path uses it to avoid a Promise. An expired entry is
   * dropped.
   *
   * @param token the raw token
   * @returns the cached claims, or undefined when `verify` must be called
   */
  cached(token: string): TokenClaims | undefined {
    const entry = this.#cache.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now() || this.#revoked.has(entry.claims.sub)) {
      this.#cache.delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /**
   * Verifies a token (from the cache when it is known) and returns its claims.
   *
   * @param token the raw token
   * @returns the verified claims
   * @throws {KvoltError} AUTHENTICATION_ERROR when the token is malformed,
   * forged, expired or from another issuer
   */
  async verify(token: string): Promise<TokenClaims> {
    const known = this.cached(token);
    if (known !== undefined) return known;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        issuer: TOKEN_ISSUER,
        algorithms: ["EdDSA"],
        currentDate: new Date(this.#now()),
      }));
    } catch (err) {
      throw authError(err);
    }
    const claims = toClaims(payload);
    if (this.#revoked.has(claims.sub)) {
      throw new KvoltError(ErrorCode.AUTHENTICATION, "Token revoked");
    }
    this.#remember(token, claims);
    return claims;
  }

  /**
   * Refuses, from now on, the tokens of these ids (their `sub` claim), even
   * those verified before.
   *
   * @param ids token ids
   */
  revoke(ids: Iterable<string>): void {
    for (const id of ids) this.#revoked.add(id);
  }

  #remember(token: string, claims: TokenClaims): void {
    if (this.#maxEntries === 0) return;
    if (this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    const expiresAt = claims.exp === undefined ? Infinity : claims.exp * 1000;
    this.#cache.set(token, { claims, expiresAt });
  }
}

function authError(err: unknown): KvoltError {
  if (err instanceof errors.JWTExpired) {
    return new KvoltError(ErrorCode.AUTHENTICATION, "Token expired");
  }
  if (err instanceof errors.JOSEError) {
    return new KvoltError(
      ErrorCode.AUTHENTICATION,
      `Invalid token: ${err.message}`,
    );
  }
  return new KvoltError(ErrorCode.AUTHENTICATION, "Invalid token");
}

function invalidClaims(detail: string): KvoltError {
  return new KvoltError(
    ErrorCode.AUTHENTICATION,
    `Invalid token: malformed claims: ${detail}`,
  );
}

/** Checks the payload's shape; a signed but malformed token is still refused. */
function toClaims(payload: Record<string, unknown>): TokenClaims {
  const { sub, p, c, cp, h, exp, iat, t } = payload;
  if (typeof sub !== "string") throw invalidClaims('"sub" is not a string');
  if (p !== "superuser" && !(Array.isArray(p) && p.every(isPermission))) {
    throw invalidClaims('"p" is neither "superuser" nor a permission list');
  }
  const claims: TokenClaims = { sub, p };
  if (typeof c === "string") claims.c = c;
  if (typeof cp === "string") claims.cp = cp;
  if (typeof h === "string") claims.h = h;
  if (typeof exp === "number") claims.exp = exp;
  if (typeof iat === "number") claims.iat = iat;
  if (typeof t === "string") claims.t = t;
  return claims;
}

function isPermission(value: unknown): value is CachePermission {
  if (typeof value !== "object" || value === null) return false;
  const { role, cache, item } = value as Record<string, unknown>;
  if (role !== "readwrite" && role !== "readonly" && role !== "writeonly") {
    return false;
  }
  if (!isSelector(cache, ["name"])) return false;
  return item === undefined || isSelector(item, ["key", "keyPrefix"]);
}

/** `{ all: true }` or exactly one of the named string fields. */
function isSelector(value: unknown, fields: string[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.all === true) return true;
  return fields.some((field) => typeof record[field] === "string");
}
