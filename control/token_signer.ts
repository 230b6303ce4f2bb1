/**
 * Signs kvolt tokens: JWTs with alg EdDSA (Ed25519), issuer
 * {@linkcode TOKEN_ISSUER}. Gateways verify them with {@linkcode TokenSigner.publicKey}
 * alone.
 *
 * @module
 */

import { calculateJwkThumbprint, SignJWT } from "jose";
import { type MintClaims, TOKEN_ISSUER } from "../protocol/claims.ts";

export type { MintClaims };

/** Options for {@linkcode TokenSigner.mint}. */
export interface MintOptions {
  /** Lifetime in whole seconds; omitted: the token never expires (API keys). */
  expiresInSeconds?: number;
  /**
   * Absolute expiry, whole seconds since the epoch (instead of
   * `expiresInSeconds`, for callers with their own clock).
   */
  expiresAt?: number;
}

/**
 * Mints tokens with the control service's Ed25519 key.
 *
 * @example Mint a disposable token
 * ```ts
 * import { TokenSigner } from "./token_signer.ts";
 * const signer = await TokenSigner.generate();
 * const token = await signer.mint({ sub: "t1", p: "superuser" }, { expiresInSeconds: 60 });
 * if (token.split(".").length !== 3) throw new Error("not a JWT");
 * ```
 */
export class TokenSigner {
  /** The verification key, for gateways. */
  readonly publicKey: CryptoKey;
  /** Key id put in every token's header (the JWK thumbprint of the public key). */
  readonly keyId: string;
  #privateKey: CryptoKey;

  /**
   * @param keys an Ed25519 key pair
   * @param keyId key id for the JWT header
   */
  constructor(keys: CryptoKeyPair, keyId: string) {
    if (keys.privateKey.algorithm.name !== "Ed25519") {
      throw new TypeError(
        `Cannot create token signer: key must be Ed25519: received ${keys.privateKey.algorithm.name}`,
      );
    }
    this.publicKey = keys.publicKey;
    this.keyId = keyId;
    this.#privateKey = keys.privateKey;
  }

  /** A signer with a fresh, non-persisted key (for tests and tools). */
  static async generate(): Promise<TokenSigner> {
    return await TokenSigner.fromPrivateJwk(await generateSigningJwk());
  }

  /**
   * A signer for a private Ed25519 JWK (with `d` and `x`).
   *
   * @param jwk the private key
   */
  static async fromPrivateJwk(jwk: JsonWebKey): Promise<TokenSigner> {
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.x) {
      throw new TypeError(
        "Cannot load signing key: expected a private Ed25519 JWK (kty OKP, crv Ed25519, d, x)",
      );
    }
    const alg = { name: "Ed25519" };
    const privateKey = await crypto.subtle.importKey("jwk", jwk, alg, false, [
      "sign",
    ]);
    const publicJwk = { kty: "OKP", crv: "Ed25519", x: jwk.x };
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      publicJwk,
      alg,
      true,
      [
        "verify",
      ],
    );
    const keyId = await calculateJwkThumbprint(publicJwk);
    return new TokenSigner({ privateKey, publicKey }, keyId);
  }

  /**
   * Signs a token for the claims.
   *
   * @param claims subject, permissions and endpoints
   * @param options lifetime or expiry; omit for a token that never expires
   * @returns the compact JWT
   * @throws {RangeError} for a bad lifetime or expiry, or both given
   */
  async mint(claims: MintClaims, options: MintOptions = {}): Promise<string> {
    const { sub, ...rest } = claims;
    if (!sub) {
      throw new TypeError("Cannot mint token: sub must be a non-empty string");
    }
    const jwt = new SignJWT({ ...rest })
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT", kid: this.keyId })
      .setIssuer(TOKEN_ISSUER)
      .setSubject(sub)
      .setIssuedAt();
    const ttl = options.expiresInSeconds;
    if (ttl !== undefined) {
      if (!Number.isSafeInteger(ttl) || ttl <= 0) {
        throw new RangeError(
          `Cannot mint token: expiresInSeconds must be a positive integer: received ${ttl}`,
        );
      }
      jwt.setExpirationTime(Math.floor(Date.now() / 1000) + ttl);
    }
    const at = options.expiresAt;
    if (at !== undefined) {
      if (ttl !== undefined || !Number.isSafeInteger(at) || at <= 0) {
        throw new RangeError(
          `Cannot mint token: expiresAt must be a positive integer, without expiresInSeconds: received ${at}`,
        );
      }
      jwt.setExpirationTime(at);
    }
    return await jwt.sign(this.#privateKey);
  }
}

/**
 * A fresh private Ed25519 JWK with only `kty`, `crv`, `x` and `d` (what
 * `signing-key.jwk` stores).
 */
export async function generateSigningJwk(): Promise<JsonWebKey> {
  const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", keys.privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d };
}
