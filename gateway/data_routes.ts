/**
 * Momento's HTTP API for scalar items:
 *
 * - `GET /cache/:cache?key=K` -> 200 raw bytes (application/octet-stream);
 *   404 NOT_FOUND_ERROR "Key not found in cache: NAME" on a miss, and
 *   "Cache not found: NAME" when the cache does not exist
 * - `PUT /cache/:cache?key=K&ttl_seconds=N`, raw body as value -> 204
 * - `DELETE /cache/:cache?key=K` -> 204, also for a missing key
 *
 * The key is `key=` (UTF-8) or `key_base64=` (standard or URL-safe base64);
 * the token is the `Authorization` header or `token=`. Checks run in this
 * order: token (400/401), key and TTL (400), permission (403), cache (404),
 * size (413), rate limits (429: one operation, and the key and value bytes).
 *
 * @module
 */

import type { Hono } from "hono";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import type { TokenClaims } from "../protocol/claims.ts";
import type {
  CacheInfo,
  CacheRegistry,
  ReadResult,
  Store,
} from "../protocol/store.ts";
import { requestToken } from "./auth.ts";
import { readBodyLimited } from "./body.ts";
import { errorResponse } from "./http_errors.ts";
import { type Access, canAccess } from "./permissions.ts";
import { itemKey, parseQuery, type QueryParams, ttlMs } from "./query.ts";
import { requestKey } from "./key_arena.ts";
import { requestHeader } from "./serve_request.ts";
import { valueResponse } from "./value_response.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What the data routes need. */
export interface DataRouteOptions {
  store: Store;
  caches: CacheRegistry;
  verifier: TokenVerifier;
  /** Largest key + value, in bytes. */
  maxItemBytes: number;
  /** Largest `ttl_seconds`. */
  maxTtlSeconds: number;
  /** Per-cache rate limits (`rate_limits.ts` `RateLimiter` is one). */
  limiter?: {
    take(cacheName: string, ops: number, bytes: number): void;
  };
}

/**
 * The handlers of `GET` and `DELETE /cache/:cache`, for callers that route
 * without Hono (`fast_path.ts`): each takes the request and the decoded cache
 * name and answers as the route does; it may throw a `KvoltError` (or reject
 * with one), which the caller turns into the error response.
 */
export interface DataHandlers {
  get(req: Request, name: string): Response | Promise<Response>;
  delete(req: Request, name: string): Response | Promise<Response>;
}

/**
 * Adds the data routes to an app.
 *
 * @param app the gateway app
 * @param options store, registry, verifier and limits
 * @returns the GET and DELETE handlers, for the pre-router (`fast_path.ts`)
 */
export function addDataRoutes(
  app: Hono,
  options: DataRouteOptions,
): DataHandlers {
  const { store, caches, verifier, maxItemBytes, maxTtlSeconds, limiter } =
    options;

  function cacheNamed(name: string): CacheInfo {
    const info = caches.lookup(name);
    if (info === undefined) throw cacheNotFound(name);
    return info;
  }

  // GET and DELETE keys come from the arena (key_arena.ts): no allocation.
  function get(claims: TokenClaims, name: string, params: QueryParams) {
    const key = requestKey(params);
    authorize(claims, name, key, "read");
    const id = cacheNamed(name).id;
    limiter?.take(name, 1, key.length);
    // the one read path; a view is enough: valueResponse copies it at once
    const values = store.getMany(id, [key]);
    if (values instanceof Promise) {
      return values.then((v) => answerGet(v[0], name));
    }
    return answerGet(values[0], name);
  }

  function remove(claims: TokenClaims, name: string, params: QueryParams) {
    const key = requestKey(params);
    authorize(claims, name, key, "write");
    const id = cacheNamed(name).id;
    limiter?.take(name, 1, key.length);
    const done = store.execute(id, "delete", { key });
    if (done instanceof Promise) return done.then(noContent);
    return noContent();
  }

  /**
   * Runs `op` with the request's claims. Speed: a token the verifier already
   * knows is handled synchronously (no Promise, no microtask); Hono returns a
   * synchronous Response as is.
   */
  function withClaims(
    req: Request,
    name: string,
    op: (
      claims: TokenClaims,
      name: string,
      params: QueryParams,
      req: Request,
    ) => Response | Promise<Response>,
  ): Response | Promise<Response> {
    const params = parseQuery(req.url);
    const token = requestToken(
      requestHeader(req, "authorization"),
      params.token,
    );
    const claims = verifier.cached(token);
    if (claims !== undefined) return op(claims, name, params, req);
    return verifier.verify(token).then((claims) =>
      op(claims, name, params, req)
    );
  }

  const handlers: DataHandlers = {
    get: (req, name) => withClaims(req, name, get),
    delete: (req, name) => withClaims(req, name, remove),
  };
  app.get(
    "/cache/:cache",
    (c) => handlers.get(c.req.raw, c.req.param("cache")),
  );
  app.delete(
    "/cache/:cache",
    (c) => handlers.delete(c.req.raw, c.req.param("cache")),
  );

  async function put(
    claims: TokenClaims,
    name: string,
    params: QueryParams,
    req: Request,
  ): Promise<Response> {
    const key = itemKey(params);
    const ttl = ttlMs(params.ttlSeconds, maxTtlSeconds);
    authorize(claims, name, key, "write");
    const info = cacheNamed(name);
    const tooLarge = (received: string) =>
      new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot set item: key and value are larger than the ${maxItemBytes} byte limit: received a key of ${key.length} bytes and a value of ${received}`,
        LimitCause.ITEM_SIZE,
      );
    if (key.length > maxItemBytes) throw tooLarge("any size");
    const value = await readBodyLimited(
      req,
      maxItemBytes - key.length,
      tooLarge,
    );
    // The cache may have been deleted while the body was uploading.
    if (caches.lookup(name)?.id !== info.id) throw cacheNotFound(name);
    limiter?.take(name, 1, key.length + value.length);
    await store.execute(info.id, "set", { key, value, ttlMs: ttl });
    return noContent();
  }
  app.put(
    "/cache/:cache",
    (c) => withClaims(c.req.raw, c.req.param("cache"), put),
  );
  return handlers;
}

function answerGet(value: ReadResult, name: string): Response {
  if (value instanceof KvoltError) throw value;
  if (value === undefined) {
    return errorResponse(
      new KvoltError(ErrorCode.NOT_FOUND, `Key not found in cache: ${name}`),
    );
  }
  return valueResponse(value);
}

function noContent(): Response {
  return new Response(null, { status: 204 });
}

function cacheNotFound(name: string): KvoltError {
  return new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`);
}

function authorize(
  claims: TokenClaims,
  name: string,
  key: Uint8Array,
  access: Access,
): void {
  if (!canAccess(claims, name, key, access)) {
    throw new KvoltError(
      ErrorCode.PERMISSION,
      `Permission denied: the token does not allow ${access} access to this key in cache: ${name}`,
    );
  }
}
