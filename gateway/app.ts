/**
 * The public HTTP API of kvolt (Momento's HTTP API, the JSON API and its
 * pipeline, control endpoints, the OpenAPI document) as a Hono app. Routes
 * live in `data_routes.ts`, `json_api.ts`, `pipeline.ts`, `control_routes.ts`,
 * `token_routes.ts` and `openapi.ts`; CORS in `cors.ts`; the error-to-status
 * mapping in `http_errors.ts`.
 *
 * @module
 */

import { Hono } from "hono";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { CacheRegistry, Store } from "../protocol/store.ts";
import { addControlRoutes } from "./control_routes.ts";
import type { CorsOrigins } from "./cors.ts";
import { addDataRoutes } from "./data_routes.ts";
import { composeFetch } from "./fetch.ts";
import {
  errorResponse,
  methodNotAllowed,
  responseForThrown,
} from "./http_errors.ts";
import type { TokenMinter } from "../protocol/claims.ts";
import { addJsonApiRoutes } from "./json_api.ts";
import { DEFAULT_MAX_REQUEST_BYTES } from "./json_api_body.ts";
import { addOpenApiRoutes } from "./openapi.ts";
import { allowedMethods } from "./method_table.ts";
import {
  DEFAULT_MAX_ELEMENT_BYTES,
  MAX_KEY_BYTES,
} from "../protocol/op_limits.ts";
import type { OpLimits } from "../protocol/op_limits.ts";
import { addPipelineRoute } from "./pipeline.ts";
import { RateLimiter } from "./rate_limits.ts";
import { addTokenRoutes } from "./token_routes.ts";
import type { Revocations } from "../protocol/claims.ts";
import type { AccessLogMode } from "./access_log.ts";
import {
  type ConnectionCounters,
  createMetrics,
  type ShardCounters,
} from "./metrics.ts";
import { addOpsRoutes, type Health } from "./ops_routes.ts";
import { RequestStats } from "./request_stats.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** What {@linkcode createGateway} needs. */
export interface GatewayOptions {
  /** Where items live: every data operation. */
  store: Store;
  /** The caches that exist. */
  caches: CacheRegistry;
  /** Checks tokens. */
  verifier: TokenVerifier;
  /** Largest key + value in bytes; default 5 MiB, Momento's limit. */
  maxItemBytes?: number;
  /** Largest `ttl_seconds` (and `ttlMs` / 1000); default 86400 (24 h). */
  maxTtlSeconds?: number;
  /** Largest collection element (field, value, member); default 128 KiB. */
  maxElementBytes?: number;
  /** Largest JSON API or pipeline request body; default 10 MiB. */
  maxRequestBytes?: number;
  /**
   * Browser origins allowed by CORS: exact origins (`https://app.example`),
   * or `"localhost"` for any http(s) origin on localhost, 127.0.0.1 or [::1].
   * Default none.
   */
  corsOrigins?: CorsOrigins;
  /**
   * Answers grpc-web (Momento's browser SDK) on this port: the handler of
   * `gateway/grpc/web.ts` over the gRPC front end's services.
   */
  grpcWeb?: (request: Request) => Promise<Response>;
  /** Signs disposable tokens (`POST /v1/tokens`); without it that route answers 503. */
  minter?: TokenMinter;
  /** Keeps revoked token ids (`POST /v1/tokens/revoke`); without it that route answers 503. */
  revocations?: Revocations;
  /** The gRPC listener's port once it listens, named in minted tokens. */
  grpcPort?: () => number | undefined;
  /**
   * Per-cache operation and throughput limits; default a
   * `new RateLimiter({ caches })` with `DEFAULT_RATE_LIMITS` (generous).
   */
  rateLimiter?: RateLimiter;
  /** What operators see: metrics sources, health, the access log. */
  ops?: GatewayOpsOptions;
}

/** The gateway's operator hooks (`/healthz`, `/metrics`, the access log). */
export interface GatewayOpsOptions {
  /** The shards' counters for `/metrics`. */
  shards?: () => readonly ShardCounters[];
  /** The listener's connection counters for `/metrics`, once it listens. */
  connections?: () => ConnectionCounters | undefined;
  /** Health for `/healthz`; default always `ok`. */
  health?: () => Health;
  /** Which requests are logged; default `errors` (5xx). */
  accessLog?: AccessLogMode;
  /** Where access-log lines go; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * The operation limits of a gateway's options (defaults filled in): what the
 * JSON API, the pipeline and the gRPC front end check.
 *
 * @param options the limits given to {@linkcode createGateway}
 * @returns key, element, item and TTL limits
 */
export function opLimits(
  options: Pick<
    GatewayOptions,
    "maxItemBytes" | "maxTtlSeconds" | "maxElementBytes"
  > = {},
): OpLimits {
  return {
    maxKeyBytes: MAX_KEY_BYTES,
    maxElementBytes: options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES,
    maxItemBytes: options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES,
    maxTtlMs: (options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS) * 1000,
  };
}

/** Default largest item (key + value): 5 MiB. */
export const DEFAULT_MAX_ITEM_BYTES = 5 * 1024 * 1024;
/** Default largest TTL: 24 h. */
export const DEFAULT_MAX_TTL_SECONDS = 86_400;

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
  const maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  requirePositiveInteger("maxElementBytes", maxElementBytes);
  requirePositiveInteger("maxRequestBytes", maxRequestBytes);
  const limiter = options.rateLimiter ?? new RateLimiter({ caches });
  // No app.use(): with one handler per route Hono skips its middleware
  // composition and returns a synchronous handler's Response as is (speed).
  const app = new Hono();
  const dataHandlers = addDataRoutes(app, {
    store,
    caches,
    verifier,
    maxItemBytes,
    maxTtlSeconds,
    limiter,
  });
  const jsonApi = {
    store,
    caches,
    verifier,
    limiter,
    maxRequestBytes,
    limits: opLimits(options),
  };
  addJsonApiRoutes(app, jsonApi);
  addPipelineRoute(app, jsonApi);
  addOpenApiRoutes(app);
  addControlRoutes(app, { store, caches, verifier });
  addTokenRoutes(app, {
    verifier,
    ...(options.minter ? { minter: options.minter } : {}),
    ...(options.revocations ? { revocations: options.revocations } : {}),
    ...(options.grpcPort ? { grpcPort: options.grpcPort } : {}),
  });
  const ops = options.ops ?? {};
  const requests = new RequestStats();
  addOpsRoutes(app, {
    verifier,
    metrics: createMetrics({
      requests,
      limiter,
      ...(ops.shards ? { shards: ops.shards } : {}),
      ...(ops.connections ? { connections: ops.connections } : {}),
    }),
    ...(ops.health ? { health: ops.health } : {}),
  });

  // 405 is decided here, only once no route matched, so that it costs the
  // matched routes nothing; the table comes from the routes themselves.
  let allow: ReturnType<typeof allowedMethods> | undefined;
  app.notFound((c) => {
    const { method, path } = c.req;
    allow ??= allowedMethods(app.routes);
    const methods = allow(path);
    if (methods !== undefined) return methodNotAllowed(method, path, methods);
    return errorResponse(
      new KvoltError(ErrorCode.NOT_FOUND, `Route not found: ${method} ${path}`),
    );
  });
  app.onError((err) => responseForThrown(err));

  const route = app.fetch;
  app.fetch = composeFetch({
    route: (request, env) => route(request, env),
    data: dataHandlers,
    drainLimit: Math.max(maxItemBytes, maxRequestBytes),
    corsOrigins: options.corsOrigins ?? [],
    grpcWeb: options.grpcWeb,
    observation: {
      stats: requests,
      accessLog: ops.accessLog ?? "errors",
      ...(ops.log ? { log: ops.log } : {}),
    },
  });
  return app;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot create gateway: ${name} must be a positive integer: received ${value}`,
    );
  }
}
