/**
 * The public HTTP API of kvolt (Momento's HTTP API plus control endpoints) as
 * a Hono app. Routes live in `data_routes.ts` and `control_routes.ts`; the
 * error-to-status mapping in `http_errors.ts`.
 *
 * @module
 */

import { Hono } from "hono";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { CacheRegistry, ItemStore } from "../protocol/store.ts";
import { addControlRoutes, CONTROL_METHODS } from "./control_routes.ts";
import { addDataRoutes, DATA_METHODS } from "./data_routes.ts";
import {
  errorResponse,
  methodNotAllowed,
  responseForThrown,
} from "./http_errors.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What {@linkcode createGateway} needs. */
export interface GatewayOptions {
  /** Where items live. */
  store: ItemStore;
  /** The caches that exist. */
  caches: CacheRegistry;
  /** Checks tokens. */
  verifier: TokenVerifier;
  /** Largest key + value in bytes; default 5 MiB, Momento's limit. */
  maxItemBytes?: number;
  /** Largest `ttl_seconds`; default 86400 (24 h). */
  maxTtlSeconds?: number;
}

/** Default largest item (key + value): 5 MiB. */
export const DEFAULT_MAX_ITEM_BYTES = 5 * 1024 * 1024;
/** Default largest TTL: 24 h. */
export const DEFAULT_MAX_TTL_SECONDS = 86_400;

const ROUTES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^\/cache\/[^/]+$/, DATA_METHODS],
  ...CONTROL_METHODS,
];

/**
 * Builds the gateway app. Serve it with `Deno.serve(app.fetch)`.
 *
 * Unknown paths answer 404 and known paths asked with another method 405,
 * both JSON; any unexpected exception is logged and answered 500
 * INTERNAL_SERVER_ERROR.
 *
 * @param options store, registry, verifier and limits
 * @returns the Hono app
 *
 * @example Serve
 * ```ts ignore
 * const app = createGateway({ store, caches, verifier: new TokenVerifier(publicKey) });
 * Deno.serve(app.fetch);
 * ```
 */
export function createGateway(options: GatewayOptions): Hono {
  const { store, caches, verifier } = options;
  const maxItemBytes = options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES;
  const maxTtlSeconds = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
  requirePositiveInteger("maxItemBytes", maxItemBytes);
  requirePositiveInteger("maxTtlSeconds", maxTtlSeconds);
  // No app.use(): with one handler per route Hono skips its middleware
  // composition and returns a synchronous handler's Response as is (speed).
  const app = new Hono();
  addDataRoutes(app, { store, caches, verifier, maxItemBytes, maxTtlSeconds });
  addControlRoutes(app, { store, caches, verifier });

  // 405 is decided here, only once no route matched, so that it costs the
  // matched routes nothing.
  app.notFound((c) => {
    const { method, path } = c.req;
    const allow = ROUTES.find(([pattern]) => pattern.test(path))?.[1];
    if (allow !== undefined) return methodNotAllowed(method, path, allow);
    return errorResponse(
      new KvoltError(ErrorCode.NOT_FOUND, `Route not found: ${method} ${path}`),
    );
  });
  app.onError((err) => responseForThrown(err));

  // Hono rethrows values that are not Error instances; answer them too.
  const fetch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    try {
      const res = fetch(request, env, executionCtx);
      return res instanceof Promise ? res.catch(responseForThrown) : res;
    } catch (err) {
      return responseForThrown(err);
    }
  };
  return app;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create gateway: ${name} must be a positive integer: received ${value}`,
    );
  }
}
