/**
 * Scalar operations of `IDataClient` over the JSON API (conditional sets are
 * in `conditional_ops.ts`).
 *
 * @module
 */

import {
  CacheDecreaseTtl,
  CacheDelete,
  CacheGet,
  CacheGetBatch,
  CacheGetWithHash,
  CacheIncreaseTtl,
  CacheIncrement,
  CacheItemGetTtl,
  CacheItemGetType,
  CacheKeyExists,
  CacheKeysExist,
  CacheSet,
  CacheSetBatch,
  CacheSetWithHash,
  CacheUpdateTtl,
  ItemType,
  type SetBatchItem,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import { type OpRunner, unexpected } from "./op_runner.ts";
import { bytesAll, readValue, scalarWriteArgs } from "./value_codec.ts";
import { toBytes } from "./wire.ts";

/** The scalar methods of `IDataClient`, bound to a runner. */
export type ScalarOps = Pick<
  IDataClient,
  | "get"
  | "getWithHash"
  | "set"
  | "setWithHash"
  | "delete"
  | "increment"
  | "getBatch"
  | "setBatch"
  | "itemGetType"
  | "itemGetTtl"
  | "keyExists"
  | "keysExist"
  | "updateTtl"
  | "increaseTtl"
  | "decreaseTtl"
>;

type TtlChangeClasses<T> = {
  Set: new () => T;
  NotSet?: new () => T;
  Miss: new () => T;
  Error: new (e: ConstructorParameters<typeof CacheGet.Error>[0]) => T;
};

/**
 * Scalar operations.
 *
 * @param r the runner every call goes through
 */
export function scalarOps(r: OpRunner): ScalarOps {
  const ttlChange = <T>(
    op: "updateTtl" | "increaseTtl" | "decreaseTtl",
    classes: TtlChangeClasses<T>,
  ) =>
  (
    cacheName: string,
    key: string | Uint8Array,
    ttlMilliseconds: number,
    signal?: AbortSignal,
  ) =>
    r.call<"updateTtl" | "increaseTtl" | "decreaseTtl", T>({
      cacheName,
      op,
      signal,
      args: () => ({ key: toBytes(key), ttlMs: ttlMilliseconds }),
      error: (e) => new classes.Error(e),
      result: (res) => {
        if (res.type === "Set") return new classes.Set();
        if (res.type === "Miss") return new classes.Miss();
        if (res.type === "NotSet" && classes.NotSet) {
          return new classes.NotSet();
        }
        throw unexpected(op, res);
      },
    });

  return {
    get: (cacheName, key, options) =>
      r.call<"get", CacheGet.Response>({
        cacheName,
        op: "get",
        signal: options?.abortSignal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheGet.Error(e),
        result: async (res) => {
          if (res.type === "Miss") return new CacheGet.Miss();
          if (res.type !== "Hit") throw unexpected("get", res);
          const value = await readValue(
            r,
            res.value,
            options?.decompress,
          );
          return new CacheGet.Hit(value);
        },
      }),
    getWithHash: (cacheName, key, options) =>
      r.call<"getWithHash", CacheGetWithHash.Response>({
        cacheName,
        op: "getWithHash",
        signal: options?.abortSignal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheGetWithHash.Error(e),
        result: async (res) => {
          if (res.type === "Miss") return new CacheGetWithHash.Miss();
          if (res.type !== "Hit") throw unexpected("getWithHash", res);
          const value = await readValue(
            r,
            res.value,
            options?.decompress,
          );
          return new CacheGetWithHash.Hit(value, res.hash);
        },
      }),
    set: (cacheName, key, value, options) =>
      r.call<"set", CacheSet.Response>({
        cacheName,
        op: "set",
        signal: options?.abortSignal,
        args: () => scalarWriteArgs(r, key, value, options),
        error: (e) => new CacheSet.Error(e),
        result: (res) => {
          if (res.type !== "Success") throw unexpected("set", res);
          return new CacheSet.Success();
        },
      }),
    setWithHash: (cacheName, key, value, options) =>
      r.call<"setWithHash", CacheSetWithHash.Response>({
        cacheName,
        op: "setWithHash",
        signal: options?.abortSignal,
        args: () => scalarWriteArgs(r, key, value, options),
        error: (e) => new CacheSetWithHash.Error(e),
        result: (res) => {
          if (res.type !== "Stored") throw unexpected("setWithHash", res);
          return new CacheSetWithHash.Stored(res.hash);
        },
      }),
    delete: (cacheName, key, signal) =>
      r.call<"delete", CacheDelete.Response>({
        cacheName,
        op: "delete",
        signal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheDelete.Error(e),
        result: (res) => {
          if (res.type !== "Success") throw unexpected("delete", res);
          return new CacheDelete.Success();
        },
      }),
    increment: (cacheName, key, amount, ttl, signal) =>
      r.call<"increment", CacheIncrement.Response>({
        cacheName,
        op: "increment",
        signal,
        args: () => ({
          key: toBytes(key),
          amount,
          ttlMs: r.scalarTtlMs(ttl),
        }),
        error: (e) => new CacheIncrement.Error(e),
        result: (res) => new CacheIncrement.Success(res.value),
      }),
    getBatch: (cacheName, keys, options) =>
      r.call<"getBatch", CacheGetBatch.Response>({
        cacheName,
        op: "getBatch",
        signal: options?.abortSignal,
        args: () => ({ keys: bytesAll(keys) }),
        error: (e) => new CacheGetBatch.Error(e),
        result: async (res) => {
          const results = await Promise.all(
            res.results.map(async (one) => {
              if (one.type !== "Hit") return new CacheGet.Miss();
              const value = await readValue(
                r,
                one.value,
                options?.decompress,
              );
              return new CacheGet.Hit(value);
            }),
          );
          return new CacheGetBatch.Success(results, bytesAll(keys));
        },
      }),
    setBatch: (cacheName, items, options) =>
      r.call<"setBatch", CacheSetBatch.Response>({
        cacheName,
        op: "setBatch",
        signal: options?.abortSignal,
        args: async () => ({
          items: await Promise.all(
            batchItems(items).map((item) =>
              scalarWriteArgs(r, item.key, item.value, {
                ttl: item.ttl ?? options?.ttl,
                compress: options?.compress,
              })
            ),
          ),
        }),
        error: (e) => new CacheSetBatch.Error(e),
        result: (res) => {
          if (res.type !== "Success") throw unexpected("setBatch", res);
          const count = batchItems(items).length;
          return new CacheSetBatch.Success(
            Array.from({ length: count }, () => new CacheSet.Success()),
          );
        },
      }),
    itemGetType: (cacheName, key, signal) =>
      r.call<"itemGetType", CacheItemGetType.Response>({
        cacheName,
        op: "itemGetType",
        signal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheItemGetType.Error(e),
        result: (res) => {
          if (res.type === "Miss") return new CacheItemGetType.Miss();
          const type = ItemType[res.itemType as keyof typeof ItemType];
          if (res.type !== "Hit" || type === undefined) {
            throw unexpected("itemGetType", res);
          }
          return new CacheItemGetType.Hit(type);
        },
      }),
    itemGetTtl: (cacheName, key, signal) =>
      r.call<"itemGetTtl", CacheItemGetTtl.Response>({
        cacheName,
        op: "itemGetTtl",
        signal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheItemGetTtl.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheItemGetTtl.Miss()
            : new CacheItemGetTtl.Hit(res.remainingTtlMs),
      }),
    keyExists: (cacheName, key, signal) =>
      r.call<"keyExists", CacheKeyExists.Response>({
        cacheName,
        op: "keyExists",
        signal,
        args: () => ({ key: toBytes(key) }),
        error: (e) => new CacheKeyExists.Error(e),
        result: (res) => new CacheKeyExists.Success([res.exists === true]),
      }),
    keysExist: (cacheName, keys, signal) =>
      r.call<"keysExist", CacheKeysExist.Response>({
        cacheName,
        op: "keysExist",
        signal,
        args: () => ({ keys: bytesAll(keys) }),
        error: (e) => new CacheKeysExist.Error(e),
        result: (res) =>
          new CacheKeysExist.Success(
            bytesAll(keys),
            res.exists.map((x) => x === true),
          ),
      }),
    updateTtl: ttlChange<CacheUpdateTtl.Response>("updateTtl", CacheUpdateTtl),
    increaseTtl: ttlChange<CacheIncreaseTtl.Response>(
      "increaseTtl",
      CacheIncreaseTtl,
    ),
    decreaseTtl: ttlChange<CacheDecreaseTtl.Response>(
      "decreaseTtl",
      CacheDecreaseTtl,
    ),
  };
}

type BatchItems = Parameters<IDataClient["setBatch"]>[1];

/** setBatch's three input shapes as one list. */
function batchItems(items: BatchItems): SetBatchItem[] {
  if (Array.isArray(items)) return items;
  if (items instanceof Map) {
    return [...items].map(([key, value]) => ({ key, value }));
  }
  return Object.entries(items).map(([key, value]) => ({ key, value }));
}
