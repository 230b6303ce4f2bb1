/**
 * Disposable tokens: `POST /v1/tokens`, super-user keys only (any other valid
 * token gets 403 PERMISSION_ERROR, as on the control routes).
 *
 * Body: `{"expiresInSeconds": 1..86400, "permissions": [CachePermission, ...]
 * (1..20), "tokenId"?: string (<= 64 chars)}`; any other field, or a bad one,
 * is 400 INVALID_ARGUMENT_ERROR naming the problem.
 *
 * Answer 200: `{"authToken":"<jwt>","endpoint":"host:port","expiresAt":<epoch
 * seconds>,"id":"token-..."}`; `id` is the token's unique id (its `sub`
 * claim), the one `POST /v1/tokens/revoke` takes (`{"id"}`, super-user keys
 * only: 204, and from then on the token is refused with
 * AUTHENTICATION_ERROR, also where it was verified before). The token's
 * endpoint claims (`endpointClaims`: `h` the HTTP API, `c`/`cp` the gRPC port
 * when the server has one) and `endpoint` name the server by the host this
 * request reached (never the caller's key's claims, which may name an address
 * the server had before a restart); the permissions go in `p` and the token
 * id in `t`.
 *
 * @module
 */

import type { Hono } from "hono";
import {
  type CachePermission,
  endpointClaims,
  MAX_TOKEN_EXPIRY_SECONDS,
  MAX_TOKEN_ID_LENGTH,
  MAX_TOKEN_PERMISSIONS,
  type MintClaims,
  parseCachePermission,
  type ServerEndpoints,
  type TokenMinter,
} from "../protocol/claims.ts";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { requestClaims, requireSuperUser } from "./auth.ts";
import { readBodyLimited } from "./body.ts";
import type { TokenVerifier } from "./token_verifier.ts";
import type { Revocations } from "../protocol/claims.ts";

/** What the token routes need. */
export interface TokenRouteOptions {
  verifier: TokenVerifier;
  /** Signs the tokens; without it the route answers 503 SERVER_UNAVAILABLE. */
  minter?: TokenMinter;
  /** Clock in milliseconds since the epoch (tests inject one). Default `Date.now`. */
  now?: () => number;
  /** Where revocations are kept; without it revoking answers 503. */
  revocations?: Revocations;
  /** The gRPC listener's port, named in minted tokens' `c`/`cp` claims. */
  grpcPort?: () => number | undefined;
}

/** A checked `POST /v1/tokens` body. */
export interface TokenRequest {
  expiresInSeconds: number;
  permissions: CachePermission[];
  tokenId?: string;
}

/** The `POST /v1/tokens` answer. */
export interface TokenResponse {
  authToken: string;
  endpoint: string;
  expiresAt: number;
  /** The token's unique id (its `sub`), for revoking it. */
  id: string;
}

/** Largest accepted body: 20 permissions with long keys fit many times. */
export const MAX_TOKEN_REQUEST_BYTES = 256 * 1024;

const TOKENS_PATH = "/v1/tokens";
const REVOKE_PATH = "/v1/tokens/revoke";
const MAX_TOKEN_SUB_LENGTH = 128;

/**
 * Checks a parsed `POST /v1/tokens` body.
 *
 * @param value the parsed JSON body
 * @returns the checked request
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR naming the problem
 *
 * @example A valid body
 * ```ts
 * import { parseTokenRequest } from "./token_routes.ts";
 * const req = parseTokenRequest({
 *   expiresInSeconds: 600,
 *   permissions: [{ role: "readonly", cache: { all: true } }],
 * });
 * if (req.permissions.length !== 1) throw new Error("lost a permission");
 * ```
 */
export function parseTokenRequest(value: unknown): TokenRequest {
  const fail = (detail: string) =>
    new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      `Invalid token request: ${detail}`,
    );
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail("expected a JSON object");
  }
  const body = value as Record<string, unknown>;
  for (const field of Object.keys(body)) {
    if (!["expiresInSeconds", "permissions", "tokenId"].includes(field)) {
      throw fail(`unknown field: ${field}`);
    }
  }
  const { expiresInSeconds, permissions, tokenId } = body;
  if (
    typeof expiresInSeconds !== "number" ||
    !Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 ||
    expiresInSeconds > MAX_TOKEN_EXPIRY_SECONDS
  ) {
    throw fail(
      `expiresInSeconds must be an integer from 1 to ${MAX_TOKEN_EXPIRY_SECONDS}: received ${
        JSON.stringify(expiresInSeconds)
      }`,
    );
  }
  if (
    !Array.isArray(permissions) || permissions.length < 1 ||
    permissions.length > MAX_TOKEN_PERMISSIONS
  ) {
    throw fail(
      `permissions must be an array of 1 to ${MAX_TOKEN_PERMISSIONS} permissions: received ${
        Array.isArray(permissions)
          ? `${permissions.length}`
          : JSON.stringify(permissions) ?? "nothing"
      }`,
    );
  }
  const request: TokenRequest = {
    expiresInSeconds,
    permissions: permissions.map((p, i) =>
      parseCachePermission(p, `permissions[${i}]`)
    ),
  };
  if (tokenId !== undefined) {
    if (typeof tokenId !== "string" || tokenId.length > MAX_TOKEN_ID_LENGTH) {
      throw fail(
        `tokenId must be a string of at most ${MAX_TOKEN_ID_LENGTH} characters`,
      );
    }
    request.tokenId = tokenId;
  }
  return request;
}

/**
 * Adds `POST /v1/tokens` to an app (its other methods get 405 from the
 * gateway, which reads the app's routes).
 *
 * @param app the gateway app
 * @param options verifier, minter and clock
 */
export function addTokenRoutes(app: Hono, options: TokenRouteOptions): void {
  const { verifier, minter } = options;
  const now = options.now ?? Date.now;

  app.post(REVOKE_PATH, async (c) => {
    const req = c.req.raw;
    requireSuperUser(await requestClaims(req, verifier));
    const body = await readJson(req);
    const id = (body as { id?: unknown } | null)?.id;
    if (
      typeof id !== "string" || id.length === 0 ||
      id.length > MAX_TOKEN_SUB_LENGTH ||
      Object.keys(body as object).length !== 1
    ) {
      throw new KvoltError(
        ErrorCode.INVALID_ARGUMENT,
        `Invalid revocation: expected {"id": "<the token's id, as POST /v1/tokens answered it>"}`,
      );
    }
    if (options.revocations === undefined) {
      throw new KvoltError(
        ErrorCode.SERVER_UNAVAILABLE,
        "Cannot revoke tokens: this gateway keeps no revocations",
      );
    }
    await options.revocations.revoke(id);
    verifier.revoke([id]);
    return c.body(null, 204);
  });
  app.post(TOKENS_PATH, async (c) => {
    const req = c.req.raw;
    const claims = await requestClaims(req, verifier);
    requireSuperUser(claims);
    const signer = requireMinter(minter);
    const request = parseTokenRequest(await readJson(req));
    const url = new URL(req.url);
    const grpcPort = options.grpcPort?.();
    const answer = await mintToken(signer, request, {
      now: now(),
      endpoints: {
        http: url.host,
        grpc: grpcPort === undefined
          ? undefined
          : `${url.hostname}:${grpcPort}`,
      },
    });
    return Response.json(answer, { status: 200 });
  });
}

/**
 * The signer, or the error its absence is (both front ends mint tokens).
 *
 * @param minter the gateway's minter, if it has one
 * @returns the minter
 * @throws {KvoltError} SERVER_UNAVAILABLE without one
 */
export function requireMinter(minter: TokenMinter | undefined): TokenMinter {
  if (minter === undefined) {
    throw new KvoltError(
      ErrorCode.SERVER_UNAVAILABLE,
      "Cannot mint token: this gateway holds no signing key",
    );
  }
  return minter;
}

/**
 * Mints a disposable token (for `POST /v1/tokens` and gRPC's
 * `GenerateDisposableToken`).
 *
 * @param minter the signer
 * @param request the checked request
 * @param at the clock (ms since the epoch) and the server's endpoints
 * @returns the token, its id and expiry; `endpoint` is the HTTP API's
 */
export async function mintToken(
  minter: TokenMinter,
  request: TokenRequest,
  at: { now: number; endpoints: ServerEndpoints },
): Promise<TokenResponse> {
  const endpoint = at.endpoints.http;
  const expiresAt = Math.floor(at.now / 1000) + request.expiresInSeconds;
  const claims: MintClaims = {
    sub: `token-${crypto.randomUUID()}`,
    p: request.permissions,
    ...endpointClaims(at.endpoints),
  };
  if (request.tokenId !== undefined) claims.t = request.tokenId;
  const authToken = await minter.mint(claims, { expiresAt });
  return { authToken, endpoint, expiresAt, id: claims.sub };
}

async function readJson(req: Request): Promise<unknown> {
  const bytes = await readBodyLimited(
    req,
    MAX_TOKEN_REQUEST_BYTES,
    (received) =>
      new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Invalid token request: the body is larger than ${MAX_TOKEN_REQUEST_BYTES} bytes: received ${received}`,
        LimitCause.REQUEST_SIZE,
      ),
  );
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new KvoltError(
      ErrorCode.INVALID_ARGUMENT,
      "Invalid token request: the body is not JSON",
    );
  }
}
