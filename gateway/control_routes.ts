/**
 * Control endpoints. Super-user keys only: any other valid token gets 403
 * PERMISSION_ERROR. The token travels as on the data routes (`Authorization`
 * header or `token=` query parameter).
 *
 * | route                         | success                                    | errors                                      |
 * |-------------------------------|--------------------------------------------|---------------------------------------------|
 * | `GET /v1/caches`              | 200 `{"caches":[{"name","createdAt"}]}`    |                                             |
 * | `PUT /v1/caches/:name`        | 201 `{"name","createdAt"}`                 | 409 ALREADY_EXISTS_ERROR, 400 bad name      |
 * | `DELETE /v1/caches/:name`     | 204 (the cache's items are flushed)        | 404 NOT_FOUND_ERROR                         |
 * | `POST /v1/caches/:name/flush` | 204 (items gone, cache kept)               | 404 NOT_FOUND_ERROR                         |
 *
 * Cache names are validated by the registry; the gateway only maps its errors.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { CacheInfo, CacheRegistry, ItemStore } from "../protocol/store.ts";
import { claimsOf, requestToken, requireSuperUser } from "./auth.ts";
import { parseQuery } from "./query.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What the control routes need. */
export interface ControlRouteOptions {
  store: ItemStore;
  caches: CacheRegistry;
  verifier: TokenVerifier;
}

/** Methods served per control path pattern (for 405 answers). */
export const CONTROL_METHODS: ReadonlyArray<
  readonly [RegExp, readonly string[]]
> = [
  [/^\/v1\/caches$/, ["GET"]],
  [/^\/v1\/caches\/[^/]+$/, ["PUT", "DELETE"]],
  [/^\/v1\/caches\/[^/]+\/flush$/, ["POST"]],
];

const JSON_HEADERS = { "content-type": "application/json" };

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

function publicView(info: CacheInfo): { name: string; createdAt: string } {
  return { name: info.name, createdAt: info.createdAt };
}

async function requireControl(
  c: Context,
  verifier: TokenVerifier,
): Promise<void> {
  const req = c.req.raw;
  const token = requestToken(
    req.headers.get("authorization"),
    parseQuery(req.url).token,
  );
  requireSuperUser(await claimsOf(verifier, token));
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
    const info = await caches.create(c.req.param("name") as string);
    return json(publicView(info), 201);
  });

  app.delete("/v1/caches/:name", async (c) => {
    await requireControl(c, verifier);
    const info = await caches.delete(c.req.param("name") as string);
    store.flush(info.id);
    return new Response(null, { status: 204 });
  });

  app.post("/v1/caches/:name/flush", async (c) => {
    await requireControl(c, verifier);
    const name = c.req.param("name") as string;
    const info = caches.lookup(name);
    if (info === undefined) {
      throw new KvoltError(ErrorCode.NOT_FOUND, `Cache not found: ${name}`);
    }
    store.flush(info.id);
    return new Response(null, { status: 204 });
  });
}
