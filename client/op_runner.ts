/**
 * The shared machinery of every data operation: validate, build the wire
 * arguments, send, map the result to an sdk-core response, and turn any
 * failure into the operation's Error response (or throw it, with
 * `throwOnErrors`). The `*_ops.ts` files are one table each of these calls.
 *
 * @module
 */

import {
  type CollectionTtl,
  type SdkError,
  UnknownServiceError,
} from "./_sdk_core.ts";
import { validateCacheName, validateTtlSeconds } from "./_sdk_core.ts";
import type { OpName, WireBytes } from "../protocol/operations.ts";
import type { CompressionStrategy } from "./compression.ts";
import type { ErrorMapper } from "./errors.ts";
import type { HttpTransport } from "./transport.ts";
import { fromWire, toWire } from "./wire.ts";

/** A result object as the server sent it. */
export type WireResult = Record<string, unknown>;

/** One operation call, described for {@linkcode OpRunner.call}. */
export interface OpCall<T> {
  cacheName: string;
  op: OpName;
  signal?: AbortSignal | undefined;
  /** Validates and builds the wire arguments (may throw InvalidArgumentError). */
  args: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Maps the result; throw {@linkcode unexpected} for a type it does not know. */
  result: (r: WireResult) => T | Promise<T>;
  /** Builds the Error response. */
  error: (err: SdkError) => T;
}

/** What every operation needs: transport, error mapping, defaults. */
export class OpRunner {
  /** Sends requests. */
  readonly transport: HttpTransport;
  /** Returns or throws errors. */
  readonly errors: ErrorMapper;
  /** TTL when a call gives none, seconds. */
  readonly defaultTtlSeconds: number;
  /** zstd settings. */
  readonly compression: CompressionStrategy;

  /**
   * @param parts transport, error mapper, default TTL (s), compression settings
   */
  constructor(parts: {
    transport: HttpTransport;
    errors: ErrorMapper;
    defaultTtlSeconds: number;
    compression: CompressionStrategy;
  }) {
    this.transport = parts.transport;
    this.errors = parts.errors;
    this.defaultTtlSeconds = parts.defaultTtlSeconds;
    this.compression = parts.compression;
  }

  /** Runs one operation as described by `call`. */
  async call<T>(call: OpCall<T>): Promise<T> {
    try {
      validateCacheName(call.cacheName);
      const args = await call.args();
      const result = await this.transport.op(
        call.cacheName,
        call.op,
        args,
        call.signal,
      );
      return await call.result(result);
    } catch (err) {
      return this.errors.returnOrThrowError(err, call.error);
    }
  }

  /** The TTL of a scalar write in ms (the default when none is given). */
  scalarTtlMs(ttlSeconds: number | undefined): number {
    if (ttlSeconds !== undefined) validateTtlSeconds(ttlSeconds);
    return (ttlSeconds || this.defaultTtlSeconds) * 1000;
  }

  /** The wire TTL arguments of a collection write. */
  collectionTtl(
    ttl: CollectionTtl | undefined,
  ): { ttlMs: number; refreshTtl: boolean } {
    const seconds = ttl?.ttlSeconds() ?? this.defaultTtlSeconds;
    validateTtlSeconds(seconds);
    return { ttlMs: seconds * 1000, refreshTtl: ttl?.refreshTtl() ?? true };
  }
}

/** The error for a result type an operation does not know. */
export function unexpected(op: string, result: WireResult): SdkError {
  return new UnknownServiceError(
    `Unexpected result of ${op}: ${JSON.stringify(result).slice(0, 200)}`,
  );
}

/** A numeric field of a result. */
export function num(result: WireResult, field: string): number {
  const value = result[field];
  if (typeof value !== "number") throw unexpected(field, result);
  return value;
}

/** A bytes field of a result. */
export function bytes(result: WireResult, field: string): Uint8Array {
  return fromWire(result[field]);
}

/** An array field of a result. */
export function list(result: WireResult, field: string): unknown[] {
  const value = result[field];
  if (!Array.isArray(value)) throw unexpected(field, result);
  return value;
}

/** Optional arguments, omitted when undefined. */
export function optional<V>(
  args: Record<string, V | undefined>,
): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The wire key of a collection, after its kind's name check.
 *
 * @param validate sdk-core's validator for the kind (throws InvalidArgumentError)
 */
export function collectionKey(
  validate: (name: string) => void,
): (name: string) => WireBytes {
  return (name) => {
    validate(name);
    return toWire(name);
  };
}
