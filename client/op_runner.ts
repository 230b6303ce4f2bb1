/**
 * The shared machinery of every data operation: validate, build the
 * arguments, send, map the result to an sdk-core response, and turn any
 * failure into the operation's Error response (or throw it, with
 * `throwOnErrors`). The `*_ops.ts` files are one table each of these calls.
 *
 * Arguments and results are typed by the operation catalogue
 * (`protocol/catalogue.ts`): a call builds `OpArgs<K>` (bytes as
 * `Uint8Array`), the runner writes them as JSON, and reads the answer with
 * the catalogue's result schema, so a call maps an `OpResult<K>`, never an
 * untyped object.
 *
 * @module
 */

import {
  type CollectionTtl,
  type SdkError,
  UnknownServiceError,
} from "./_sdk_core.ts";
import { validateCacheName, validateTtlSeconds } from "./_sdk_core.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/catalogue.ts";
import type { CompressionStrategy } from "./compression.ts";
import type { ErrorMapper } from "./errors.ts";
import type { HttpTransport } from "./transport.ts";
import { toBytes } from "./wire.ts";

/** One operation call, described for {@linkcode OpRunner.call}. */
export interface OpCall<K extends OpName, T> {
  cacheName: string;
  op: K;
  signal?: AbortSignal | undefined;
  /** Validates and builds the arguments (may throw InvalidArgumentError). */
  args: () => OpArgs<K> | Promise<OpArgs<K>>;
  /** Maps the result; throw {@linkcode unexpected} for a type it does not know. */
  result: (r: OpResult<K>) => T | Promise<T>;
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
  async call<K extends OpName, T>(call: OpCall<K, T>): Promise<T> {
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
export function unexpected(op: string, result: unknown): SdkError {
  return new UnknownServiceError(
    `Unexpected result of ${op}: ${JSON.stringify(result).slice(0, 200)}`,
  );
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
 * The key of a collection, after its kind's name check.
 *
 * @param validate sdk-core's validator for the kind (throws InvalidArgumentError)
 */
export function collectionKey(
  validate: (name: string) => void,
): (name: string) => Uint8Array {
  return (name) => {
    validate(name);
    return toBytes(name);
  };
}
