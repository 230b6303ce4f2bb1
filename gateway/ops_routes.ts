/**
 * Routes for operators: `GET /healthz` (no token: liveness and readiness for
 * load balancers, no data) and `GET /metrics` (Prometheus text, super-user
 * key only: the metrics name caches and show traffic, which a data token must
 * not learn).
 *
 * @module
 */

import type { Hono } from "hono";
import { requestClaims, requireSuperUser } from "./auth.ts";
import { JSON_HEADERS } from "./http_errors.ts";
import { METRICS_CONTENT_TYPE } from "./metrics.ts";
import type { TokenVerifier } from "./token_verifier.ts";

/** Whether the process takes traffic: `stopping` once shutdown has begun. */
export type Health = "ok" | "stopping";

/** What the operator routes need. */
export interface OpsRouteOptions {
  verifier: TokenVerifier;
  /** Renders the metrics (from `createMetrics`). */
  metrics: () => Promise<string>;
  /** The process's health; default always `ok`. */
  health?: () => Health;
}

/**
 * Adds `GET /healthz` and `GET /metrics` to `app`.
 *
 * @param app the gateway app
 * @param options verifier, metrics and health
 */
export function addOpsRoutes(app: Hono, options: OpsRouteOptions): void {
  app.get("/healthz", () => {
    const status = options.health?.() ?? "ok";
    return new Response(JSON.stringify({ status }), {
      status: status === "ok" ? 200 : 503,
      headers: { ...JSON_HEADERS, "cache-control": "no-store" },
    });
  });
  app.get("/metrics", async (c) => {
    requireSuperUser(await requestClaims(c.req.raw, options.verifier));
    return new Response(await options.metrics(), {
      headers: {
        "content-type": METRICS_CONTENT_TYPE,
        "cache-control": "no-store",
      },
    });
  });
}
