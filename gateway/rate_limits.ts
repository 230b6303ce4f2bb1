/**
 * Per-cache rate limits: two token buckets per cache, one for operations and
 * one for bytes (throughput), refilled continuously (fractional tokens) from
 * an injectable clock. No timers: a bucket is brought up to date when it is
 * used, in O(1).
 *
 * A cache's own limits (`CacheInfo.limits`, stored in `caches.json`) override
 * the deployment's defaults field by field.
 *
 * @module
 */

import type { CacheLimits } from "../protocol/cache_limits.ts";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import type { CacheInfo, CacheRegistry } from "../protocol/store.ts";

/** A deployment's default limits; bursts default to one second's worth. */
export interface RateLimits {
  /** Operations per second. */
  opsPerSecond: number;
  /** Bytes per second. */
  bytesPerSecond: number;
  /** Operations bucket size; default `opsPerSecond`. */
  opsBurst?: number;
  /** Bytes bucket size; default `bytesPerSecond`. */
  bytesBurst?: number;
}

/**
 * Generous defaults (100 000 operations/s and 100 MiB/s per cache) so that a
 * laptop deployment and its benchmarks are not throttled; set lower ones per
 * cache.
 */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = {
  opsPerSecond: 100_000,
  bytesPerSecond: 100 * 1024 * 1024,
};

/** Options of {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** The deployment's defaults; default {@linkcode DEFAULT_RATE_LIMITS}. */
  defaults?: RateLimits;
  /**
   * Where per-cache limits come from. A cache it does not know is not limited
   * (its operations fail with NOT_FOUND anyway). Without it every name gets
   * the defaults.
   */
  caches?: Pick<CacheRegistry, "lookup">;
  /** Clock in milliseconds (tests inject one). Default `performance.now`. */
  now?: () => number;
}

interface Buckets {
  /** The registry entry (id and limits object) the rates were taken from. */
  source: CacheInfo | undefined;
  /** This gateway's share of the cache's limits when they were taken. */
  share: number;
  opsRate: number;
  opsBurst: number;
  ops: number;
  bytesRate: number;
  bytesBurst: number;
  bytes: number;
  /** Last refill, ms. */
  at: number;
}

/** Requests a cache's limits refused, by which limit. */
export interface RateLimitRefusals {
  /** Refused by the operations/s bucket. */
  operations: number;
  /** Refused by the bytes/s bucket. */
  throughput: number;
}

/**
 * Token buckets per cache for operations/s and bytes/s.
 *
 * A request is refused when a bucket holds fewer tokens than it needs, and
 * then consumes nothing. A request needing more than a whole burst passes
 * when the bucket is full and leaves it in debt, so large items still pass
 * at the configured average rate.
 *
 * @example Refuse the request past the burst, accept it after a refill
 * ```ts
 * import { RateLimiter } from "./rate_limits.ts";
 * let now = 0;
 * const limiter = new RateLimiter({
 *   defaults: { opsPerSecond: 2, bytesPerSecond: 1000 },
 *   now: () => now,
 * });
 * limiter.take("orders", 1, 10);
 * limiter.take("orders", 1, 10);
 * let refused = false;
 * try {
 *   limiter.take("orders", 1, 10);
 * } catch {
 *   refused = true;
 * }
 * now += 500; // half a second refills one operation
 * limiter.take("orders", 1, 10);
 * if (!refused) throw new Error("the third operation passed");
 * ```
 */
export class RateLimiter {
  readonly #defaults: RateLimits;
  readonly #caches: Pick<CacheRegistry, "lookup"> | undefined;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Buckets>();
  readonly #refusals = new Map<string, RateLimitRefusals>();
  /** This gateway's share of each cache's limits (absent: all of them). */
  #shares = new Map<string, number>();
  /** Operations asked per cache since the last `drainDemand`. */
  #demand = new Map<string, number>();

  /** @param options defaults, registry and clock */
  constructor(options: RateLimiterOptions = {}) {
    const defaults = options.defaults ?? DEFAULT_RATE_LIMITS;
    for (const field of ["opsPerSecond", "bytesPerSecond"] as const) {
      requirePositive(field, defaults[field]);
    }
    for (const field of ["opsBurst", "bytesBurst"] as const) {
      const v = defaults[field];
      if (v !== undefined) requirePositive(field, v);
    }
    this.#defaults = { ...defaults };
    this.#caches = options.caches;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The limits in force for a cache: its own fields over the defaults, with
   * bursts filled in.
   *
   * @param limits the cache's own limits, if any
   * @returns every field set
   */
  effective(limits: CacheLimits | undefined): Required<RateLimits> {
    const d = this.#defaults;
    const opsPerSecond = limits?.opsPerSecond ?? d.opsPerSecond;
    const bytesPerSecond = limits?.bytesPerSecond ?? d.bytesPerSecond;
    // A burst follows its own rate unless set at the same level.
    const opsBurst = limits?.opsBurst ??
      (limits?.opsPerSecond !== undefined
        ? opsPerSecond
        : d.opsBurst ?? opsPerSecond);
    const bytesBurst = limits?.bytesBurst ??
      (limits?.bytesPerSecond !== undefined
        ? bytesPerSecond
        : d.bytesBurst ?? bytesPerSecond);
    return { opsPerSecond, bytesPerSecond, opsBurst, bytesBurst };
  }

  /**
   * Takes `ops` operations and `bytes` bytes from the cache's buckets, or
   * refuses and takes nothing.
   *
   * @param cacheName the cache addressed
   * @param ops operations the request counts for (Momento: elements / 2, at
   * least 1; see `OPERATIONS[op].elements`)
   * @param bytes bytes the request carries (keys, values, fields...)
   * @throws {KvoltError} LIMIT_EXCEEDED_ERROR (429) with cause
   * `operations_rate_limit_exceeded` or `throughput_rate_limit_exceeded`
   * @throws {RangeError} for a negative or non-finite `ops` or `bytes`
   */
  take(cacheName: string, ops: number, bytes: number): void {
    if (!(ops >= 0 && ops < Infinity && bytes >= 0 && bytes < Infinity)) {
      throw new RangeError(
        `Cannot take from rate limits: ops and bytes must be finite and non-negative: received ${ops} and ${bytes}`,
      );
    }
    const b = this.#bucketsOf(cacheName);
    if (b === undefined) return;
    this.#asked(cacheName, ops);
    this.#refill(b);
    if (b.ops < Math.min(ops, b.opsBurst)) {
      this.#refused(cacheName).operations++;
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Rate limit exceeded: cache ${cacheName} allows ${
          this.effective(b.source?.limits).opsPerSecond
        } operations per second`,
        LimitCause.OPERATIONS_RATE,
      );
    }
    if (b.bytes < Math.min(bytes, b.bytesBurst)) {
      this.#refused(cacheName).throughput++;
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Throughput limit exceeded: cache ${cacheName} allows ${
          this.effective(b.source?.limits).bytesPerSecond
        } bytes per second`,
        LimitCause.THROUGHPUT_RATE,
      );
    }
    b.ops -= ops;
    b.bytes -= bytes;
  }

  /**
   * Sets this gateway's share of each cache's limits (a cluster's gateways
   * split them by demand, `peer/limit_sharing.ts`); a cache not named gets
   * all of its limits. A share is in (0, 1].
   */
  setShares(shares: ReadonlyMap<string, number>): void {
    this.#shares = new Map(
      [...shares].filter(([, v]) => v > 0 && v <= 1),
    );
  }

  /** A cache's whole operations limit, ops/s; undefined when it is not limited (unknown to the registry). */
  opsLimit(cacheName: string): number | undefined {
    if (this.#caches === undefined) return this.#defaults.opsPerSecond;
    const info = this.#caches.lookup(cacheName);
    return info === undefined
      ? undefined
      : this.effective(info.limits).opsPerSecond;
  }

  /**
   * Called at each refusal (a cluster's gateways then share limits anew at
   * once, `peer/limit_sharing.ts`).
   */
  onRefusal: (() => void) | undefined;

  /**
   * Operations asked per cache (taken or refused) since the last call, and
   * starts counting again.
   */
  drainDemand(): Map<string, number> {
    const demand = this.#demand;
    this.#demand = new Map();
    return demand;
  }

  #asked(cacheName: string, ops: number): void {
    this.#demand.set(cacheName, (this.#demand.get(cacheName) ?? 0) + ops);
  }

  /** Refusals so far, by cache (for metrics). */
  refusals(): ReadonlyMap<string, Readonly<RateLimitRefusals>> {
    return this.#refusals;
  }

  #refused(cacheName: string): RateLimitRefusals {
    this.onRefusal?.();
    let r = this.#refusals.get(cacheName);
    if (r === undefined) {
      r = { operations: 0, throughput: 0 };
      this.#refusals.set(cacheName, r);
    }
    return r;
  }

  /**
   * Takes `ops` operations and `bytes` bytes only when both buckets hold
   * them in full, and tells whether it did; takes nothing otherwise. When
   * this takes the sum of several requests, `take` one by one would have let
   * each of them through (the pipeline counts a run of gets at once).
   *
   * @param cacheName the cache addressed
   * @param ops operations, as for `take`
   * @param bytes bytes, as for `take`
   * @returns true when taken
   */
  takeAll(cacheName: string, ops: number, bytes: number): boolean {
    if (!(ops >= 0 && ops < Infinity && bytes >= 0 && bytes < Infinity)) {
      return false;
    }
    const b = this.#bucketsOf(cacheName);
    if (b === undefined) return true;
    this.#asked(cacheName, ops);
    this.#refill(b);
    if (b.ops < ops || b.bytes < bytes) {
      this.onRefusal?.();
      return false;
    }
    b.ops -= ops;
    b.bytes -= bytes;
    return true;
  }

  /** Adds what the buckets earned since they were last used. */
  #refill(b: Buckets): void {
    const now = this.#now();
    const elapsed = now > b.at ? (now - b.at) / 1000 : 0;
    if (now > b.at) b.at = now;
    b.ops = Math.min(b.opsBurst, b.ops + elapsed * b.opsRate);
    b.bytes = Math.min(b.bytesBurst, b.bytes + elapsed * b.bytesRate);
  }

  #bucketsOf(cacheName: string): Buckets | undefined {
    let source: CacheInfo | undefined;
    if (this.#caches !== undefined) {
      source = this.#caches.lookup(cacheName);
      if (source === undefined) {
        this.#buckets.delete(cacheName);
        return undefined;
      }
    }
    const share = this.#shares.get(cacheName) ?? 1;
    const known = this.#buckets.get(cacheName);
    if (
      known !== undefined && known.source === source && known.share === share
    ) return known;
    const full = this.effective(source?.limits);
    const limits = {
      opsPerSecond: full.opsPerSecond * share,
      opsBurst: full.opsBurst * share,
      bytesPerSecond: full.bytesPerSecond * share,
      bytesBurst: full.bytesBurst * share,
    };
    if (known !== undefined && known.source?.id === source?.id) {
      // Same cache, new limits or share: keep what is left, within the new
      // bursts.
      known.source = source;
      known.share = share;
      known.opsRate = limits.opsPerSecond;
      known.opsBurst = limits.opsBurst;
      known.ops = Math.min(known.ops, limits.opsBurst);
      known.bytesRate = limits.bytesPerSecond;
      known.bytesBurst = limits.bytesBurst;
      known.bytes = Math.min(known.bytes, limits.bytesBurst);
      return known;
    }
    const fresh: Buckets = {
      source,
      share,
      opsRate: limits.opsPerSecond,
      opsBurst: limits.opsBurst,
      ops: limits.opsBurst,
      bytesRate: limits.bytesPerSecond,
      bytesBurst: limits.bytesBurst,
      bytes: limits.bytesBurst,
      at: this.#now(),
    };
    this.#buckets.set(cacheName, fresh);
    return fresh;
  }
}

function requirePositive(name: string, value: number): void {
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(
      `Cannot create rate limiter: ${name} must be a finite number greater than 0: received ${value}`,
    );
  }
}
