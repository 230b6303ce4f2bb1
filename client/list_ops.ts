/**
 * List operations of `IDataClient` over the JSON API.
 *
 * @module
 */

import {
  CacheListConcatenateBack,
  CacheListConcatenateFront,
  CacheListFetch,
  CacheListLength,
  CacheListPopBack,
  CacheListPopFront,
  CacheListPushBack,
  CacheListPushFront,
  CacheListRemoveValue,
  CacheListRetain,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import { validateListName, validateListSliceStartEnd } from "./_sdk_core.ts";
import {
  collectionKey,
  type OpRunner,
  optional,
  unexpected,
} from "./op_runner.ts";
import {} from "./value_codec.ts";
import { toBytes } from "./wire.ts";
import { bytesAll } from "./value_codec.ts";

/** The list methods of `IDataClient`. */
export type ListOps = Pick<
  IDataClient,
  | "listFetch"
  | "listLength"
  | "listPushFront"
  | "listPushBack"
  | "listConcatenateBack"
  | "listConcatenateFront"
  | "listPopBack"
  | "listPopFront"
  | "listRemoveValue"
  | "listRetain"
>;

/**
 * List operations.
 *
 * @param r the runner every call goes through
 */
export function listOps(r: OpRunner): ListOps {
  const named = collectionKey(validateListName);
  const pop = <T>(
    op: "listPopFront" | "listPopBack",
    classes: {
      Hit: new (b: Uint8Array) => T;
      Miss: new () => T;
      Error: new (
        e: ConstructorParameters<typeof CacheListPopBack.Error>[0],
      ) => T;
    },
  ) =>
  (cacheName: string, name: string, signal?: AbortSignal) =>
    r.call<"listPopFront" | "listPopBack", T>({
      cacheName,
      op,
      signal,
      args: () => ({ key: named(name) }),
      error: (e) => new classes.Error(e),
      result: (res) => {
        if (res.type === "Miss") return new classes.Miss();
        if (res.type !== "Hit") throw unexpected(op, res);
        return new classes.Hit(res.value);
      },
    });

  return {
    listFetch: (cacheName, name, startIndex, endIndex, signal) =>
      r.call<"listFetch", CacheListFetch.Response>({
        cacheName,
        op: "listFetch",
        signal,
        args: () => {
          validateListSliceStartEnd(startIndex, endIndex);
          return { key: named(name), ...optional({ startIndex, endIndex }) };
        },
        error: (e) => new CacheListFetch.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheListFetch.Miss()
            : new CacheListFetch.Hit(res.values),
      }),
    listLength: (cacheName, name, signal) =>
      r.call<"listLength", CacheListLength.Response>({
        cacheName,
        op: "listLength",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheListLength.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheListLength.Miss()
            : new CacheListLength.Hit(res.length),
      }),
    listPushFront: (cacheName, name, value, truncateBackToSize, ttl, signal) =>
      r.call<"listPushFront", CacheListPushFront.Response>({
        cacheName,
        op: "listPushFront",
        signal,
        args: () => ({
          key: named(name),
          value: toBytes(value),
          ...optional({ truncateBackToSize }),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheListPushFront.Error(e),
        result: (res) => new CacheListPushFront.Success(res.length),
      }),
    listPushBack: (cacheName, name, value, truncateFrontToSize, ttl, signal) =>
      r.call<"listPushBack", CacheListPushBack.Response>({
        cacheName,
        op: "listPushBack",
        signal,
        args: () => ({
          key: named(name),
          value: toBytes(value),
          ...optional({ truncateFrontToSize }),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheListPushBack.Error(e),
        result: (res) => new CacheListPushBack.Success(res.length),
      }),
    listConcatenateBack: (
      cacheName,
      name,
      values,
      truncateFrontToSize,
      ttl,
      signal,
    ) =>
      r.call<"listConcatenateBack", CacheListConcatenateBack.Response>({
        cacheName,
        op: "listConcatenateBack",
        signal,
        args: () => ({
          key: named(name),
          values: bytesAll(values),
          ...optional({ truncateFrontToSize }),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheListConcatenateBack.Error(e),
        result: (res) => new CacheListConcatenateBack.Success(res.length),
      }),
    listConcatenateFront: (
      cacheName,
      name,
      values,
      truncateBackToSize,
      ttl,
      signal,
    ) =>
      r.call<"listConcatenateFront", CacheListConcatenateFront.Response>({
        cacheName,
        op: "listConcatenateFront",
        signal,
        args: () => ({
          key: named(name),
          values: bytesAll(values),
          ...optional({ truncateBackToSize }),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheListConcatenateFront.Error(e),
        result: (res) => new CacheListConcatenateFront.Success(res.length),
      }),
    listPopBack: pop<CacheListPopBack.Response>(
      "listPopBack",
      CacheListPopBack,
    ),
    listPopFront: pop<CacheListPopFront.Response>(
      "listPopFront",
      CacheListPopFront,
    ),
    listRemoveValue: (cacheName, name, value, signal) =>
      r.call<"listRemoveValue", CacheListRemoveValue.Response>({
        cacheName,
        op: "listRemoveValue",
        signal,
        args: () => ({ key: named(name), value: toBytes(value) }),
        error: (e) => new CacheListRemoveValue.Error(e),
        result: () => new CacheListRemoveValue.Success(),
      }),
    listRetain: (cacheName, name, startIndex, endIndex, ttl, signal) =>
      r.call<"listRetain", CacheListRetain.Response>({
        cacheName,
        op: "listRetain",
        signal,
        args: () => {
          validateListSliceStartEnd(startIndex, endIndex);
          return {
            key: named(name),
            ...optional({ startIndex, endIndex }),
            ...(ttl === undefined ? {} : r.collectionTtl(ttl)),
          };
        },
        error: (e) => new CacheListRetain.Error(e),
        result: () => new CacheListRetain.Success(),
      }),
  };
}
