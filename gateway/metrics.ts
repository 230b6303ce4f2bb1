/**
 * `GET /metrics`: kvolt in Prometheus text format, through prom-client's
 * registry. Everything is read when scraped, from counters kept elsewhere
 * (`request_stats.ts` per request, the rate limiter's refusals, the shards'
 * own counters, the listener's connection counts), so serving a request
 * never calls into prom-client. prom-client's default metrics add the
 * process (RSS, heap, open descriptors) and the event loop's delay
 * (`nodejs_eventloop_lag_*`, from `monitorEventLoopDelay`).
 *
 * @module
 */

import client from "prom-client";
import type { RateLimiter } from "./rate_limits.ts";
import {
  LATENCY_BUCKETS,
  type RequestStats,
  type RouteStats,
} from "./request_stats.ts";

/** A shard's counters, as the store reports them. */
export interface ShardCounters {
  items: number;
  itemBytes: number;
  usedBytes: number;
  memoryBytes: number;
  evictions: number;
  expired: number;
  hits: number;
  misses: number;
}

/** What the listener counts about connections. */
export interface ConnectionCounters {
  open: number;
  accepted: number;
  refused: number;
  timedOut: { head: number; idle: number; body: number };
  acceptErrors: number;
  inFlight: number;
}

/** Where the metrics come from. */
export interface MetricsSources {
  requests: RequestStats;
  limiter: RateLimiter;
  /** The shards' counters, one entry per shard. */
  shards?: () => readonly ShardCounters[];
  /** The listener's counters, once it listens. */
  connections?: () => ConnectionCounters | undefined;
}

/**
 * Builds the registry that `GET /metrics` renders.
 *
 * @param sources the counters to read at scrape time
 * @returns a function that renders the Prometheus text
 */
export function createMetrics(sources: MetricsSources): () => Promise<string> {
  const registry = new client.Registry();
  client.collectDefaultMetrics({
    register: registry,
    eventLoopMonitoringPrecision: 10,
  });

  counter(
    registry,
    "kvolt_requests_total",
    "Requests answered, by route, operation and status",
    ["route", "op", "status"],
    (set) => {
      for (const r of sources.requests.routes()) {
        for (const [status, n] of r.statuses) {
          set({ route: r.route, op: r.op, status: String(status) }, n);
        }
      }
    },
  );
  registry.registerMetric(
    latencyHistogram(sources.requests) as unknown as client.Metric,
  );

  const shardGauge = (
    name: string,
    help: string,
    pick: (s: ShardCounters) => number,
    kind: "counter" | "gauge",
  ) =>
    (kind === "counter" ? counter : gauge)(
      registry,
      name,
      help,
      ["shard"],
      (set) => {
        (sources.shards?.() ?? []).forEach((s, i) =>
          set({ shard: String(i) }, pick(s))
        );
      },
    );
  shardGauge(
    "kvolt_cache_hits_total",
    "Reads that found their item, per shard",
    (s) => s.hits,
    "counter",
  );
  shardGauge(
    "kvolt_cache_misses_total",
    "Reads that found nothing, per shard",
    (s) => s.misses,
    "counter",
  );
  shardGauge(
    "kvolt_evictions_total",
    "Items evicted to make room, per shard",
    (s) => s.evictions,
    "counter",
  );
  shardGauge(
    "kvolt_expirations_total",
    "Items dropped at expiry, per shard",
    (s) => s.expired,
    "counter",
  );
  shardGauge("kvolt_items", "Items stored, per shard", (s) => s.items, "gauge");
  shardGauge(
    "kvolt_item_bytes",
    "Bytes of stored items (header, key, value), per shard",
    (s) => s.itemBytes,
    "gauge",
  );
  shardGauge(
    "kvolt_used_bytes",
    "Bytes of the budget in use (logs, index, ghost), per shard",
    (s) => s.usedBytes,
    "gauge",
  );
  shardGauge(
    "kvolt_shard_memory_bytes",
    "Linear memory of the shard's Wasm instance",
    (s) => s.memoryBytes,
    "gauge",
  );

  counter(
    registry,
    "kvolt_rate_limit_refusals_total",
    "Requests refused by a cache's rate limits, by limit",
    ["cache", "limit"],
    (set) => {
      for (const [cache, r] of sources.limiter.refusals()) {
        set({ cache, limit: "operations" }, r.operations);
        set({ cache, limit: "throughput" }, r.throughput);
      }
    },
  );

  const conn = (pick: (c: ConnectionCounters) => number) => (set: Setter) => {
    const c = sources.connections?.();
    if (c !== undefined) set({}, pick(c));
  };
  gauge(
    registry,
    "kvolt_connections_open",
    "Connections open",
    [],
    conn((c) => c.open),
  );
  gauge(
    registry,
    "kvolt_requests_in_flight",
    "Requests being handled",
    [],
    conn((c) => c.inFlight),
  );
  counter(
    registry,
    "kvolt_connections_accepted_total",
    "Connections accepted",
    [],
    conn((c) => c.accepted),
  );
  counter(
    registry,
    "kvolt_connections_refused_total",
    "Connections closed at once: the cap was reached",
    [],
    conn((c) => c.refused),
  );
  counter(
    registry,
    "kvolt_accept_errors_total",
    "Accept errors (e.g. out of descriptors)",
    [],
    conn((c) => c.acceptErrors),
  );
  counter(
    registry,
    "kvolt_connection_timeouts_total",
    "Connections closed by a timeout, by kind",
    ["kind"],
    (set) => {
      const c = sources.connections?.();
      if (c === undefined) return;
      for (const [kind, n] of Object.entries(c.timedOut)) set({ kind }, n);
    },
  );

  return () => registry.metrics();
}

/** The content type of the text `createMetrics` renders. */
export const METRICS_CONTENT_TYPE = client.Registry.PROMETHEUS_CONTENT_TYPE;

type Setter = (labels: Record<string, string>, value: number) => void;

function counter(
  registry: client.Registry,
  name: string,
  help: string,
  labelNames: string[],
  fill: (set: Setter) => void,
): void {
  new client.Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    },
  });
}

function gauge(
  registry: client.Registry,
  name: string,
  help: string,
  labelNames: string[],
  fill: (set: Setter) => void,
): void {
  new client.Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/**
 * The latency histogram as a metric prom-client renders: prom-client's
 * Histogram can only `observe` one value at a time, and the counts are kept
 * pre-aggregated in `RequestStats`, so this object gives the registry the
 * same shape `Histogram.get()` does.
 */
function latencyHistogram(requests: RequestStats) {
  const name = "kvolt_request_duration_seconds";
  return {
    name,
    help: "Time from a request's head to its answer, by route and operation",
    type: "histogram",
    aggregator: "sum",
    get() {
      const values: {
        labels: Record<string, string | number>;
        value: number;
        metricName: string;
      }[] = [];
      for (const r of requests.routes()) {
        values.push(...histogramValues(name, r));
      }
      return Promise.resolve({
        name,
        help: this.help,
        type: "histogram",
        values,
        aggregator: "sum",
      });
    },
    reset() {},
  };
}

function histogramValues(name: string, r: RouteStats) {
  const labels = { route: r.route, op: r.op };
  const out = [];
  let cumulative = 0;
  for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
    cumulative += r.buckets[i]!;
    out.push({
      labels: { ...labels, le: LATENCY_BUCKETS[i]! },
      value: cumulative,
      metricName: `${name}_bucket`,
    });
  }
  out.push({
    labels: { ...labels, le: "+Inf" },
    value: r.count,
    metricName: `${name}_bucket`,
  });
  out.push({ labels, value: r.sum, metricName: `${name}_sum` });
  out.push({ labels, value: r.count, metricName: `${name}_count` });
  return out;
}
