/**
 * What the gateway counts per request, cheaply enough for the GET path: a
 * route and operation from the URL (no parsing beyond string search), a
 * counter per status and a latency histogram per route and operation, in
 * plain arrays. `metrics.ts` turns them into Prometheus metrics only when
 * scraped; prom-client's own `observe` costs ~0.9 us with labels here, close
 * to a tenth of a whole GET, so it is not called per request.
 *
 * @module
 */

import { OPERATIONS } from "../protocol/operations.ts";

/** Upper bounds of the latency buckets, seconds (Prometheus `le`). */
export const LATENCY_BUCKETS = [
  0.0001,
  0.00025,
  0.0005,
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
] as const;

/** Counters of one route and operation. */
export interface RouteStats {
  route: string;
  op: string;
  /** Responses by HTTP status. */
  statuses: Map<number, number>;
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  buckets: Float64Array;
  /** Sum of latencies, seconds. */
  sum: number;
  count: number;
}

/** The route and operation of a request, for labels (bounded cardinality). */
export interface RouteLabel {
  route: string;
  op: string;
}

const ITEM_OPS: Record<string, string> = {
  GET: "get",
  PUT: "set",
  DELETE: "delete",
};

/**
 * Labels a request by its path and method; unknown paths are `other` so a
 * client cannot grow the label set.
 *
 * @param url the request's absolute URL
 * @param method its method
 *
 * @example
 * ```ts
 * import { routeOf } from "./request_stats.ts";
 * const label = routeOf("http://h/v1/cache/default/dictionaryFetch", "POST");
 * if (label.route !== "json_api" || label.op !== "dictionaryFetch") throw new Error();
 * ```
 */
export function routeOf(url: string, method: string): RouteLabel {
  const start = url.indexOf("/", url.indexOf(":") + 3);
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const path = start < 0 ? "/" : url.slice(start, end);
  if (path.startsWith("/cache/")) {
    return { route: "cache_item", op: ITEM_OPS[method] ?? "other" };
  }
  if (path.startsWith("/v1/cache/")) {
    const op = path.slice(path.lastIndexOf("/") + 1);
    return {
      route: "json_api",
      op: Object.hasOwn(OPERATIONS, op) ? op : "other",
    };
  }
  if (path === "/v1/pipeline") return { route: "pipeline", op: "pipeline" };
  if (path.startsWith("/v1/caches")) {
    return { route: "control", op: method.toLowerCase() };
  }
  if (path.startsWith("/v1/tokens")) {
    return { route: "tokens", op: method.toLowerCase() };
  }
  if (
    path === "/healthz" || path === "/metrics" || path === "/openapi.json" ||
    path === "/docs"
  ) {
    return { route: path.slice(1), op: method.toLowerCase() };
  }
  return { route: "other", op: "other" };
}

/** The per-request counters. */
export class RequestStats {
  readonly #byRoute = new Map<string, Map<string, RouteStats>>();

  /**
   * Counts one answered request.
   *
   * @param label from {@linkcode routeOf}
   * @param status the HTTP status
   * @param seconds time from the handler's start to its answer
   */
  record(label: RouteLabel, status: number, seconds: number): void {
    let ops = this.#byRoute.get(label.route);
    if (ops === undefined) {
      ops = new Map();
      this.#byRoute.set(label.route, ops);
    }
    let stats = ops.get(label.op);
    if (stats === undefined) {
      stats = {
        route: label.route,
        op: label.op,
        statuses: new Map(),
        buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
        sum: 0,
        count: 0,
      };
      ops.set(label.op, stats);
    }
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    stats.buckets[i]!++;
    stats.sum += seconds;
    stats.count++;
  }

  /** Every route and operation seen so far. */
  *routes(): IterableIterator<RouteStats> {
    for (const ops of this.#byRoute.values()) yield* ops.values();
  }
}
