/**
 * Sorted-set operations of `IDataClient` over the JSON API.
 *
 * @module
 */

import {
  CacheSortedSetFetch,
  CacheSortedSetGetRank,
  CacheSortedSetGetScore,
  CacheSortedSetGetScores,
  CacheSortedSetIncrementScore,
  CacheSortedSetLength,
  CacheSortedSetLengthByScore,
  CacheSortedSetPutElement,
  CacheSortedSetPutElements,
  CacheSortedSetRemoveElement,
  CacheSortedSetRemoveElements,
  CacheSortedSetUnionStore,
  InvalidArgumentError,
  SortedSetAggregate,
} from "./_sdk_core.ts";
import type { IDataClient } from "./_sdk_core.ts";
import type { Aggregate, OpResult } from "../protocol/operations.ts";
import {
  _ECacheResult,
  _SortedSetElement,
  _SortedSetGetScoreResponsePart,
} from "./_sdk_core.ts";
import {
  validateSortedSetCount,
  validateSortedSetName,
  validateSortedSetOffset,
  validateSortedSetRanks,
  validateSortedSetScores,
} from "./_sdk_core.ts";
import { collectionKey, type OpRunner, optional } from "./op_runner.ts";
import { bytesAll } from "./value_codec.ts";
import { toBytes } from "./wire.ts";

/** The sorted-set methods of `IDataClient`. */
export type SortedSetOps = Pick<
  IDataClient,
  | "sortedSetFetchByRank"
  | "sortedSetFetchByScore"
  | "sortedSetPutElement"
  | "sortedSetPutElements"
  | "sortedSetGetRank"
  | "sortedSetGetScore"
  | "sortedSetGetScores"
  | "sortedSetIncrementScore"
  | "sortedSetRemoveElement"
  | "sortedSetRemoveElements"
  | "sortedSetLength"
  | "sortedSetLengthByScore"
  | "sortedSetUnionStore"
>;

type Elements = Parameters<IDataClient["sortedSetPutElements"]>[2];

/** sortedSetPutElements' three input shapes as wire elements. */
function scoredValues(elements: Elements) {
  const pairs: [string | Uint8Array, number][] = elements instanceof Map
    ? [...elements]
    : Array.isArray(elements)
    ? elements
    : Object.entries(elements);
  return pairs.map(([value, score]) => ({ value: toBytes(value), score }));
}

/**
 * Sorted-set operations.
 *
 * @param r the runner every call goes through
 */
export function sortedSetOps(r: OpRunner): SortedSetOps {
  const named = collectionKey(validateSortedSetName);
  const fetched = (res: OpResult<"sortedSetFetchByRank">) =>
    res.type === "Miss"
      ? new CacheSortedSetFetch.Miss()
      : new CacheSortedSetFetch.Hit(
        res.elements.map((one) => new _SortedSetElement(one.value, one.score)),
      );
  const scoresOf = (
    res: Extract<OpResult<"sortedSetGetScores">, { type: "Hit" }>,
  ) =>
    res.results.map((one) => {
      return one.type === "Hit"
        ? new _SortedSetGetScoreResponsePart(
          _ECacheResult.Hit,
          one.score,
        )
        : new _SortedSetGetScoreResponsePart(_ECacheResult.Miss, 0);
    });

  return {
    sortedSetFetchByRank: (
      cacheName,
      name,
      order,
      startRank,
      endRank,
      signal,
    ) =>
      r.call<"sortedSetFetchByRank", CacheSortedSetFetch.Response>({
        cacheName,
        op: "sortedSetFetchByRank",
        signal,
        args: () => {
          validateSortedSetRanks(startRank ?? 0, endRank);
          return {
            key: named(name),
            ...optional({ order, startRank, endRank }),
          };
        },
        error: (e) => new CacheSortedSetFetch.Error(e),
        result: fetched,
      }),
    sortedSetFetchByScore: (
      cacheName,
      name,
      order,
      minScore,
      maxScore,
      offset,
      count,
      signal,
    ) =>
      r.call<"sortedSetFetchByScore", CacheSortedSetFetch.Response>({
        cacheName,
        op: "sortedSetFetchByScore",
        signal,
        args: () => {
          validateSortedSetScores(minScore, maxScore);
          if (offset !== undefined) validateSortedSetOffset(offset);
          if (count !== undefined) validateSortedSetCount(count);
          return {
            key: named(name),
            ...optional({ order, minScore, maxScore, offset, count }),
          };
        },
        error: (e) => new CacheSortedSetFetch.Error(e),
        result: fetched,
      }),
    sortedSetPutElement: (cacheName, name, value, score, ttl, signal) =>
      r.call<"sortedSetPutElements", CacheSortedSetPutElement.Response>({
        cacheName,
        op: "sortedSetPutElements",
        signal,
        args: () => ({
          key: named(name),
          elements: [{ value: toBytes(value), score }],
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSortedSetPutElement.Error(e),
        result: () => new CacheSortedSetPutElement.Success(),
      }),
    sortedSetPutElements: (cacheName, name, elements, ttl, signal) =>
      r.call<"sortedSetPutElements", CacheSortedSetPutElements.Response>({
        cacheName,
        op: "sortedSetPutElements",
        signal,
        args: () => ({
          key: named(name),
          elements: scoredValues(elements),
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSortedSetPutElements.Error(e),
        result: () => new CacheSortedSetPutElements.Success(),
      }),
    sortedSetGetRank: (cacheName, name, value, order, signal) =>
      r.call<"sortedSetGetRank", CacheSortedSetGetRank.Response>({
        cacheName,
        op: "sortedSetGetRank",
        signal,
        args: () => ({
          key: named(name),
          value: toBytes(value),
          ...optional({ order }),
        }),
        error: (e) => new CacheSortedSetGetRank.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetGetRank.Miss()
            : new CacheSortedSetGetRank.Hit(res.rank),
      }),
    sortedSetGetScore: (cacheName, name, value, signal) => {
      const valueBytes = toBytes(value);
      const Score = CacheSortedSetGetScore;
      return r.call<"sortedSetGetScores", CacheSortedSetGetScore.Response>({
        cacheName,
        op: "sortedSetGetScores",
        signal,
        args: () => ({ key: named(name), values: [toBytes(value)] }),
        error: (e) => new Score.Error(e, valueBytes),
        result: (res) => {
          const first = res.type === "Miss" ? undefined : scoresOf(res)[0];
          return first?.result === _ECacheResult.Hit
            ? new Score.Hit(first.score, valueBytes)
            : new Score.Miss(valueBytes);
        },
      });
    },
    sortedSetGetScores: (cacheName, name, values, signal) =>
      r.call<"sortedSetGetScores", CacheSortedSetGetScores.Response>({
        cacheName,
        op: "sortedSetGetScores",
        signal,
        args: () => ({ key: named(name), values: bytesAll(values) }),
        error: (e) => new CacheSortedSetGetScores.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetGetScores.Miss()
            : new CacheSortedSetGetScores.Hit(scoresOf(res), bytesAll(values)),
      }),
    sortedSetIncrementScore: (
      cacheName,
      name,
      value,
      amount = 1,
      ttl,
      signal,
    ) =>
      r.call<"sortedSetIncrementScore", CacheSortedSetIncrementScore.Response>({
        cacheName,
        op: "sortedSetIncrementScore",
        signal,
        args: () => ({
          key: named(name),
          value: toBytes(value),
          amount,
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSortedSetIncrementScore.Error(e),
        result: (res) => new CacheSortedSetIncrementScore.Success(res.score),
      }),
    sortedSetRemoveElement: (cacheName, name, value, signal) =>
      r.call<"sortedSetRemoveElements", CacheSortedSetRemoveElement.Response>({
        cacheName,
        op: "sortedSetRemoveElements",
        signal,
        args: () => ({ key: named(name), values: [toBytes(value)] }),
        error: (e) => new CacheSortedSetRemoveElement.Error(e),
        result: () => new CacheSortedSetRemoveElement.Success(),
      }),
    sortedSetRemoveElements: (cacheName, name, values, signal) =>
      r.call<"sortedSetRemoveElements", CacheSortedSetRemoveElements.Response>({
        cacheName,
        op: "sortedSetRemoveElements",
        signal,
        args: () => ({ key: named(name), values: bytesAll(values) }),
        error: (e) => new CacheSortedSetRemoveElements.Error(e),
        result: () => new CacheSortedSetRemoveElements.Success(),
      }),
    sortedSetLength: (cacheName, name, signal) =>
      r.call<"sortedSetLength", CacheSortedSetLength.Response>({
        cacheName,
        op: "sortedSetLength",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheSortedSetLength.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetLength.Miss()
            : new CacheSortedSetLength.Hit(res.length),
      }),
    sortedSetLengthByScore: (cacheName, name, minScore, maxScore, signal) =>
      r.call<"sortedSetLengthByScore", CacheSortedSetLengthByScore.Response>({
        cacheName,
        op: "sortedSetLengthByScore",
        signal,
        args: () => {
          validateSortedSetScores(minScore, maxScore);
          return { key: named(name), ...optional({ minScore, maxScore }) };
        },
        error: (e) => new CacheSortedSetLengthByScore.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetLengthByScore.Miss()
            : new CacheSortedSetLengthByScore.Hit(res.length),
      }),
    sortedSetUnionStore: (cacheName, name, sources, aggregate, ttl, signal) =>
      r.call<"sortedSetUnionStore", CacheSortedSetUnionStore.Response>({
        cacheName,
        op: "sortedSetUnionStore",
        signal,
        args: () => {
          // Checked here: JSON cannot carry Infinity or NaN (they would
          // arrive as null).
          if (sources.length === 0) {
            throw new InvalidArgumentError(
              "sources must contain at least one sorted set",
            );
          }
          for (const s of sources) {
            if (!Number.isFinite(s.weight)) {
              throw new InvalidArgumentError("weight must be a finite number");
            }
          }
          return {
            key: named(name),
            sources: sources.map((s) => ({
              key: named(s.sortedSetName),
              weight: s.weight,
            })),
            aggregate: SortedSetAggregate[
              aggregate ?? SortedSetAggregate.SUM
            ] as Aggregate,
            ...r.collectionTtl(ttl),
          };
        },
        error: (e) => new CacheSortedSetUnionStore.Error(e),
        result: (res) => new CacheSortedSetUnionStore.Success(res.length),
      }),
  };
}
