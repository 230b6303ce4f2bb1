/**
 * Control endpoints. Super-user keys only: any other valid token gets 403
 * PERMISSION_ERROR. The token travels as on the data routes (`Authorization`
 * header or `token=` query parameter).
 *
 * | route                         | success                                             | errors                                 |
 * |-------------------------------|-----------------------------------------------------|----------------------------------------|
 * | `GET /v1/caches`              | 200 `{"caches":[{"name","createdAt","limits"?}]}`   |                                        |
 * | `PUT /v1/caches/:name`        | 201 `{"name","createdAt","limits"?}`; 200 (limits)  | 409 ALREADY_EXISTS_ERROR, 400 bad name |
 * | `DELETE /v1/caches/:name`     | 204 (the cache's items are flushed)                 | 404 NOT_FOUND_ERROR                    |
 * | `POST /v1/caches/:name/flush` | 204 (items gone, cache kept)                        | 404 NOT_FOUND_ERROR                    |
 *
 * `PUT /v1/caches/:name` may carry a JSON body `{"limits":{"opsPerSecond"?,
 * "bytesPerSecond"?,"opsBurst"?,"bytesBurst"?}}` (`protocol/cache_limits.ts`):
 * the cache is created with those rate limits (201), or, when it exists, its
 * limits are replaced (200; `{"limits":{}}` restores the defaults). Without a
 * body an existing cache is 409 as before.
 *
 * Cache names are validated by the registry; the gateway only maps its errors.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import {
  type CacheLimits,
  parseCacheLimits,
} from "../protocol/cache_limits.ts";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import type { CacheInfo, CacheRegistry, Store } from "../protocol/store.ts";
import { requestClaims, requireSuperUser } from "./auth.ts";
import { readBodyLimited } from "./body.ts";
import { JSON_HEADERS } from "./http_errors.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What the control routes need. */
export interface ControlRouteOptions {
  store: Store;
  caches: CacheRegistry;
  verifier: TokenVerifier;
}

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

function publicView(
  info: CacheInfo,
): { name: string; createdAt: string; limits?: CacheLimits } {
  const view = { name: info.name, createdAt: info.createdAt };
  return info.limits === undefined ? view : { ...view, limits: info.limits };
}

/** Largest `PUT /v1/caches/:name` body. */
const MAX_CACHE_BODY_BYTES = 64 * 1024;

/** The limits of a `PUT /v1/caches/:name` body, or undefined for no body. */
async function limitsFromBody(req: Request): Promise<CacheLimits | undefined> {
  const bytes = await readBodyLimited(
    req,
    MAX_CACHE_BODY_BYTES,
    (received) =>
      new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Invalid cache settings: the body is larger than ${MAX_CACHE_BODY_BYTES} bytes: received ${received}`,
        LimitCause.REQUEST_SIZE,
      ),
  );
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidSettings("the body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidSettings('expected a JSON object such as {"limits":{...}}');
  }
  for (const field of Object.keys(body)) {
    if (field !== "limits") throw invalidSettings(`unknown field: ${field}`);
  }
  const { limits } = body as { limits?: unknown };
  return limits === undefined ? undefined : parseCacheLimits(limits);
}

function invalidSettings(detail: string): KvoltError {
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Invalid cache settings: ${detail}`,
  );
}

async function requireControl(
  c: Context,
  verifier: TokenVerifier,
): Promise<void> {
  requireSuperUser(await requestClaims(c.req.raw, verifier));
}

/**
 * The cache named, for flushing it.
 *
 * @param caches the registry
 * @param name the cache's name
 * @returns its entry
 * @throws {KvoltError} NOT_FOUND_ERROR when there is none
 */
export function existingCache(
  caches: Pick<CacheRegistry, "lookup">,
  name: string,
): CacheInfo {
  const info = caches.lookup(name);
  if (info === undefined) {
    throw new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`);
  }
  return info;
}

/**
 * Adds the control routes to an app.
 *
 * @param app the gateway app
 * @param options store, registry and verifier
 */
export function addControlRoutes(
  app: Hono,
  options: ControlRouteOptions,
): void {
  const { store, caches, verifier } = options;

  app.get("/v1/caches", async (c) => {
    await requireControl(c, verifier);
    return json({ caches: caches.list().map(publicView) }, 200);
  });

  app.put("/v1/caches/:name", async (c) => {
    await requireControl(c, verifier);
    const name = c.req.param("name") as string;
    const limits = await limitsFromBody(c.req.raw);
    if (limits === undefined) {
      return json(publicView(await caches.create(name)), 201);
    }
    if (caches.lookup(name) !== undefined) {
      return json(publicView(await caches.setLimits(name, limits)), 200);
    }
    await caches.create(name);
    return json(publicView(await caches.setLimits(name, limits)), 201);
  });

  app.delete("/v1/caches/:name", async (c) => {
    await requireControl(c, verifier);
    const info = await caches.delete(c.req.param("name") as string);
    await store.flush(info.id);
    return new Response(null, { status: 204 });
  });

  app.post("/v1/caches/:name/flush", async (c) => {
    await requireControl(c, verifier);
    await store.flush(existingCache(caches, c.req.param("name") as string).id);
    return new Response(null, { status: 204 });
  });
}
