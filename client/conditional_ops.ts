/**
 * Conditional sets of `IDataClient` (setIfAbsent, setIfPresent, ..., and the
 * hash-conditional ones). None is idempotent, so none is retried.
 *
 * @module
 */

import {
  CacheSetIfAbsent,
  CacheSetIfAbsentOrEqual,
  CacheSetIfAbsentOrHashEqual,
  CacheSetIfAbsentOrHashNotEqual,
  CacheSetIfEqual,
  CacheSetIfNotEqual,
  CacheSetIfNotExists,
  CacheSetIfPresent,
  CacheSetIfPresentAndHashEqual,
  CacheSetIfPresentAndHashNotEqual,
  CacheSetIfPresentAndNotEqual,
  type SdkError,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import type { OpArgs, OpName } from "../protocol/catalogue.ts";
import { type OpRunner, unexpected } from "./op_runner.ts";
import { scalarWriteArgs } from "./value_codec.ts";
import { toBytes } from "./wire.ts";

/** The conditional-set methods of `IDataClient`. */
export type ConditionalOps = Pick<
  IDataClient,
  | "setIfNotExists"
  | "setIfAbsent"
  | "setIfPresent"
  | "setIfEqual"
  | "setIfNotEqual"
  | "setIfPresentAndNotEqual"
  | "setIfAbsentOrEqual"
  | "setIfPresentAndHashEqual"
  | "setIfPresentAndHashNotEqual"
  | "setIfAbsentOrHashEqual"
  | "setIfAbsentOrHashNotEqual"
>;

interface StoredClasses<T> {
  /** Hash-conditional sets take the stored value's hash; the others ignore it. */
  Stored: new (hash: Uint8Array) => T;
  NotStored: new () => T;
  Error: new (e: SdkError) => T;
}

type Value = string | Uint8Array;
/** The conditional sets of the catalogue. */
type ConditionalOp = Extract<OpName, `setIf${string}`>;

/**
 * Conditional sets.
 *
 * @param r the runner every call goes through
 */
export function conditionalOps(r: OpRunner): ConditionalOps {
  /** One conditional set; `extra` is the condition's wire argument, if any. */
  const run = <T>(
    op: ConditionalOp,
    classes: StoredClasses<T>,
    call: {
      cacheName: string;
      key: Value;
      value: Value;
      extra?: Record<string, Value>;
      ttl?: number | undefined;
      compress?: boolean | undefined;
      signal?: AbortSignal | undefined;
    },
  ) =>
    r.call<ConditionalOp, T>({
      cacheName: call.cacheName,
      op,
      signal: call.signal,
      args: async () => {
        const args: Record<string, Uint8Array | number> = await scalarWriteArgs(
          r,
          call.key,
          call.value,
          call,
        );
        for (const [name, v] of Object.entries(call.extra ?? {})) {
          args[name] = toBytes(v);
        }
        return args as OpArgs<ConditionalOp>;
      },
      error: (e) => new classes.Error(e),
      result: (res) => {
        if (res.type === "NotStored") return new classes.NotStored();
        if (res.type !== "Stored") throw unexpected(op, res);
        return new classes.Stored(
          "hash" in res ? res.hash : new Uint8Array(),
        );
      },
    });

  return {
    setIfNotExists: (cacheName, key, value, ttl, signal) =>
      run<CacheSetIfNotExists.Response>("setIfAbsent", CacheSetIfNotExists, {
        cacheName,
        key,
        value,
        ttl,
        signal,
      }),
    setIfAbsent: (cacheName, key, value, options) =>
      run<CacheSetIfAbsent.Response>("setIfAbsent", CacheSetIfAbsent, {
        cacheName,
        key,
        value,
        ttl: options?.ttl,
        compress: options?.compress,
        signal: options?.abortSignal,
      }),
    setIfPresent: (cacheName, key, value, ttl, signal) =>
      run<CacheSetIfPresent.Response>("setIfPresent", CacheSetIfPresent, {
        cacheName,
        key,
        value,
        ttl,
        signal,
      }),
    setIfEqual: (cacheName, key, value, equal, ttl, signal) =>
      run<CacheSetIfEqual.Response>("setIfEqual", CacheSetIfEqual, {
        cacheName,
        key,
        value,
        extra: { equal },
        ttl,
        signal,
      }),
    setIfNotEqual: (cacheName, key, value, notEqual, ttl, signal) =>
      run<CacheSetIfNotEqual.Response>("setIfNotEqual", CacheSetIfNotEqual, {
        cacheName,
        key,
        value,
        extra: { notEqual },
        ttl,
        signal,
      }),
    setIfPresentAndNotEqual: (cacheName, key, value, notEqual, ttl, signal) =>
      run<CacheSetIfPresentAndNotEqual.Response>(
        "setIfPresentAndNotEqual",
        CacheSetIfPresentAndNotEqual,
        { cacheName, key, value, extra: { notEqual }, ttl, signal },
      ),
    setIfAbsentOrEqual: (cacheName, key, value, equal, ttl, signal) =>
      run<CacheSetIfAbsentOrEqual.Response>(
        "setIfAbsentOrEqual",
        CacheSetIfAbsentOrEqual,
        { cacheName, key, value, extra: { equal }, ttl, signal },
      ),
    setIfPresentAndHashEqual: (cacheName, key, value, hashEqual, ttl, signal) =>
      run<CacheSetIfPresentAndHashEqual.Response>(
        "setIfPresentAndHashEqual",
        CacheSetIfPresentAndHashEqual,
        { cacheName, key, value, extra: { hashEqual }, ttl, signal },
      ),
    setIfPresentAndHashNotEqual: (
      cacheName,
      key,
      value,
      hashNotEqual,
      ttl,
      signal,
    ) =>
      run<CacheSetIfPresentAndHashNotEqual.Response>(
        "setIfPresentAndHashNotEqual",
        CacheSetIfPresentAndHashNotEqual,
        { cacheName, key, value, extra: { hashNotEqual }, ttl, signal },
      ),
    setIfAbsentOrHashEqual: (cacheName, key, value, hashEqual, ttl, signal) =>
      run<CacheSetIfAbsentOrHashEqual.Response>(
        "setIfAbsentOrHashEqual",
        CacheSetIfAbsentOrHashEqual,
        { cacheName, key, value, extra: { hashEqual }, ttl, signal },
      ),
    setIfAbsentOrHashNotEqual: (
      cacheName,
      key,
      value,
      hashNotEqual,
      ttl,
      signal,
    ) =>
      run<CacheSetIfAbsentOrHashNotEqual.Response>(
        "setIfAbsentOrHashNotEqual",
        CacheSetIfAbsentOrHashNotEqual,
        { cacheName, key, value, extra: { hashNotEqual }, ttl, signal },
      ),
  };
}
