/**
 * The claims kvolt puts in its tokens (JWTs signed with Ed25519 by the control
 * service, verified by gateways with the public key alone).
 *
 * `c` and `cp` carry the data and control endpoints (host:port) the way
 * Momento's tokens do, so a printed key is all a client needs: Momento's SDKs
 * read them as their gRPC endpoints, so they name kvolt's gRPC port when it
 * has one; `h` names the HTTP API, which kvolt's own SDK reads first.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";

/** Token issuer, checked on verify. */
export const TOKEN_ISSUER = "kvolt";

/**
 * A cache permission (Momento's model). A token grants an operation when, for
 * every key it touches, some permission matches the cache, the key and the
 * operation's access class (`protocol/operations.ts`): `readwrite` allows all,
 * `readonly` only reads, `writeonly` only plain writes (never conditional
 * writes or writes that return state). `item` absent means every item.
 */
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
  /** Data endpoint, host:port: the gRPC port, or the HTTP API without one. */
  c?: string;
  /** Control endpoint, host:port (as `c`). */
  cp?: string;
  /** The HTTP API's endpoint, host:port. */
  h?: string;
  /** Expiry, seconds since the epoch; absent for API keys that never expire. */
  exp?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** The caller's token id of a disposable token (`tokenId` when minted). */
  t?: string;
}

/** Most permissions in one disposable token. */
export const MAX_TOKEN_PERMISSIONS = 20;
/** Longest lifetime of a disposable token, in seconds (24 h, as Momento). */
export const MAX_TOKEN_EXPIRY_SECONDS = 86_400;
/** Longest `tokenId` of a disposable token, in characters. */
export const MAX_TOKEN_ID_LENGTH = 64;

/** The claims a minter's caller chooses; `exp` and `iat` are set by the signer. */
export type MintClaims = Omit<TokenClaims, "exp" | "iat">;

/**
 * Signs tokens: what the gateway needs from the control service to mint
 * disposable tokens (`control/token_signer.ts` `TokenSigner` is one).
 */
export interface TokenMinter {
  /**
   * Signs a token for the claims.
   *
   * @param claims subject, permissions, endpoints, token id
   * @param options `expiresAt`, seconds since the epoch
   * @returns the compact JWT
   */
  mint(claims: MintClaims, options: { expiresAt: number }): Promise<string>;
}

/** Where a server's clients reach it, host:port each. */
export interface ServerEndpoints {
  /** The HTTP API. */
  http: string;
  /** The gRPC listener (Momento's protocol), when there is one. */
  grpc?: string | undefined;
}

/**
 * The endpoint claims of a key or token for a server: `h` its HTTP API, and
 * `c`/`cp` where Momento's SDKs connect (the gRPC listener, else the HTTP
 * API).
 *
 * @param endpoints the server's endpoints
 * @returns the `c`, `cp` and `h` claims
 *
 * @example
 * ```ts
 * import { endpointClaims } from "./claims.ts";
 * const claims = endpointClaims({ http: "h:8443", grpc: "h:8444" });
 * if (claims.c !== "h:8444" || claims.h !== "h:8443") throw new Error();
 * ```
 */
export function endpointClaims(
  endpoints: ServerEndpoints,
): Required<Pick<TokenClaims, "c" | "cp" | "h">> {
  const momento = endpoints.grpc ?? endpoints.http;
  return { c: momento, cp: momento, h: endpoints.http };
}

/** True when the claims grant every operation, control included. */
export function isSuperUser(claims: TokenClaims): boolean {
  return claims.p === "superuser";
}

/**
 * Checks a JSON value as a {@linkcode CachePermission}, strictly: no unknown
 * fields, `cache` exactly `{"all":true}` or `{"name":"..."}`, `item` absent or
 * exactly `{"all":true}`, `{"key":"..."}` or `{"keyPrefix":"..."}`, names and
 * keys non-empty strings.
 *
 * @param value the parsed JSON value
 * @param where how to name it in an error, e.g. `permissions[0]`
 * @returns the permission (a fresh object)
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR naming the problem
 *
 * @example Parse a permission
 * ```ts
 * import { parseCachePermission } from "./claims.ts";
 * const p = parseCachePermission(
 *   { role: "readonly", cache: { name: "orders" }, item: { keyPrefix: "u:" } },
 *   "permissions[0]",
 * );
 * if (p.role !== "readonly") throw new Error("lost the role");
 * ```
 */
export function parseCachePermission(
  value: unknown,
  where: string,
): CachePermission {
  const fail = (detail: string) =>
    new KvoltError(ErrorCode.INVALID_ARGUMENT, `Invalid ${where}${detail}`);
  const record = objectOf(value, ["role", "cache", "item"], where);
  const { role, cache, item } = record;
  if (role !== "readwrite" && role !== "readonly" && role !== "writeonly") {
    throw fail(
      `.role: expected "readwrite", "readonly" or "writeonly": received ${
        JSON.stringify(role)
      }`,
    );
  }
  const permission: CachePermission = {
    role,
    cache: selector(cache, "name", `${where}.cache`) as CachePermission[
      "cache"
    ],
  };
  if (item !== undefined) {
    permission.item = selector(item, "key", `${where}.item`, "keyPrefix");
  }
  return permission;
}

function objectOf(
  value: unknown,
  fields: readonly string[],
  where: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid ${where}: expected an object`,
    );
  }
  for (const field of Object.keys(value)) {
    if (!fields.includes(field)) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        `Invalid ${where}: unknown field: ${field}`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** `{all: true}` or exactly one of the named non-empty string fields. */
function selector(
  value: unknown,
  field: string,
  where: string,
  other?: string,
): { all: true } | { key: string } | { keyPrefix: string } {
  const names = other === undefined ? [field] : [field, other];
  const expected = `expected {"all":true} or ${
    names.map((n) => `{"${n}":"..."}`).join(" or ")
  }`;
  const fail = (detail: string) =>
    new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid ${where}: ${detail}`,
    );
  const record = objectOf(value, ["all", ...names], where);
  const keys = Object.keys(record);
  if (keys.length !== 1) throw fail(expected);
  const [name] = keys as [string];
  const v = record[name];
  if (name === "all") {
    if (v !== true) throw fail(`${expected}: all must be true`);
    return { all: true };
  }
  if (typeof v !== "string" || v === "") {
    throw fail(`${name} must be a non-empty string`);
  }
  return { [name]: v } as { key: string } | { keyPrefix: string };
}

/**
 * Where revocations are kept: a file of the data dir (`serve`) or the
 * control service (a cluster node). The gateway's verifier refuses a revoked
 * token as soon as `revoke` resolves.
 */
export interface Revocations {
  /** Records that the token of this id (its `sub`) is revoked. */
  revoke(id: string): Promise<void>;
}
