/**
 * Per-cache rate limits as stored with a cache (`caches.json`) and set through
 * `PUT /v1/caches/{name}` with `{"limits":{...}}`: token buckets for
 * operations and bytes per second. A field left out takes the deployment's
 * default; a burst left out is one second's worth of its rate.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";

/** A cache's own rate limits; every field is optional. */
export interface CacheLimits {
  /** Operations per second (refill rate of the operations bucket). */
  opsPerSecond?: number;
  /** Bytes per second (refill rate of the throughput bucket). */
  bytesPerSecond?: number;
  /** Most operations in a burst (the bucket's size); default `opsPerSecond`. */
  opsBurst?: number;
  /** Most bytes in a burst (the bucket's size); default `bytesPerSecond`. */
  bytesBurst?: number;
}

/** The fields of {@linkcode CacheLimits}, in wire order. */
export const CACHE_LIMIT_FIELDS = [
  "opsPerSecond",
  "bytesPerSecond",
  "opsBurst",
  "bytesBurst",
] as const;

/** Largest value any limit may take (beyond it, no limit is meant). */
export const MAX_LIMIT_VALUE = 1e15;

/**
 * Checks a JSON value as {@linkcode CacheLimits}: an object holding only the
 * known fields, each a finite number greater than 0 and at most
 * {@linkcode MAX_LIMIT_VALUE}.
 *
 * @param value the parsed JSON value
 * @returns a fresh object holding the given fields
 * @throws {KvoltError} INVALID_ARGUMENT_ERROR naming the problem
 *
 * @example Parse a body's limits
 * ```ts
 * import { parseCacheLimits } from "./cache_limits.ts";
 * const limits = parseCacheLimits({ opsPerSecond: 500 });
 * if (limits.opsPerSecond !== 500) throw new Error("lost a field");
 * ```
 */
export function parseCacheLimits(value: unknown): CacheLimits {
  const fail = (detail: string) =>
    new KvoltError(ErrorCode.INVALID_ARGUMENT, `Invalid limits: ${detail}`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail("expected an object");
  }
  const record = value as Record<string, unknown>;
  const known: readonly string[] = CACHE_LIMIT_FIELDS;
  for (const field of Object.keys(record)) {
    if (!known.includes(field)) {
      throw fail(
        `unknown field: ${field}: expected ${CACHE_LIMIT_FIELDS.join(", ")}`,
      );
    }
  }
  const limits: CacheLimits = {};
  for (const field of CACHE_LIMIT_FIELDS) {
    const v = record[field];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
      throw fail(
        `${field} must be a number greater than 0: received ${
          JSON.stringify(v)
        }`,
      );
    }
    if (v > MAX_LIMIT_VALUE) {
      throw fail(`${field} must be at most ${MAX_LIMIT_VALUE}: received ${v}`);
    }
    limits[field] = v;
  }
  return limits;
}
