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
import {
  collectionKey,
  list,
  num,
  type OpRunner,
  optional,
  type WireResult,
} from "./op_runner.ts";
import { bytesAll, wireAll } from "./value_codec.ts";
import { fromWire, toBytes, toWire } from "./wire.ts";

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
  return pairs.map(([value, score]) => ({ value: toWire(value), score }));
}

/**
 * Sorted-set operations.
 *
 * @param r the runner every call goes through
 */
export function sortedSetOps(r: OpRunner): SortedSetOps {
  const named = collectionKey(validateSortedSetName);
  const fetched = (res: WireResult) =>
    res.type === "Miss"
      ? new CacheSortedSetFetch.Miss()
      : new CacheSortedSetFetch.Hit(
        list(res, "elements").map((item) => {
          const one = item as WireResult;
          return new _SortedSetElement(fromWire(one.value), num(one, "score"));
        }),
      );
  const scoresOf = (res: WireResult) =>
    list(res, "results").map((item) => {
      const one = item as WireResult;
      return one.type === "Hit"
        ? new _SortedSetGetScoreResponsePart(
          _ECacheResult.Hit,
          num(one, "score"),
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
      r.call<CacheSortedSetFetch.Response>({
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
      r.call<CacheSortedSetFetch.Response>({
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
      r.call<CacheSortedSetPutElement.Response>({
        cacheName,
        op: "sortedSetPutElements",
        signal,
        args: () => ({
          key: named(name),
          elements: [{ value: toWire(value), score }],
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSortedSetPutElement.Error(e),
        result: () => new CacheSortedSetPutElement.Success(),
      }),
    sortedSetPutElements: (cacheName, name, elements, ttl, signal) =>
      r.call<CacheSortedSetPutElements.Response>({
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
      r.call<CacheSortedSetGetRank.Response>({
        cacheName,
        op: "sortedSetGetRank",
        signal,
        args: () => ({
          key: named(name),
          value: toWire(value),
          ...optional({ order }),
        }),
        error: (e) => new CacheSortedSetGetRank.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetGetRank.Miss()
            : new CacheSortedSetGetRank.Hit(num(res, "rank")),
      }),
    sortedSetGetScore: (cacheName, name, value, signal) => {
      const valueBytes = toBytes(value);
      const Score = CacheSortedSetGetScore;
      return r.call<CacheSortedSetGetScore.Response>({
        cacheName,
        op: "sortedSetGetScores",
        signal,
        args: () => ({ key: named(name), values: [toWire(value)] }),
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
      r.call<CacheSortedSetGetScores.Response>({
        cacheName,
        op: "sortedSetGetScores",
        signal,
        args: () => ({ key: named(name), values: wireAll(values) }),
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
      r.call<CacheSortedSetIncrementScore.Response>({
        cacheName,
        op: "sortedSetIncrementScore",
        signal,
        args: () => ({
          key: named(name),
          value: toWire(value),
          amount,
          ...r.collectionTtl(ttl),
        }),
        error: (e) => new CacheSortedSetIncrementScore.Error(e),
        result: (res) =>
          new CacheSortedSetIncrementScore.Success(num(res, "score")),
      }),
    sortedSetRemoveElement: (cacheName, name, value, signal) =>
      r.call<CacheSortedSetRemoveElement.Response>({
        cacheName,
        op: "sortedSetRemoveElements",
        signal,
        args: () => ({ key: named(name), values: [toWire(value)] }),
        error: (e) => new CacheSortedSetRemoveElement.Error(e),
        result: () => new CacheSortedSetRemoveElement.Success(),
      }),
    sortedSetRemoveElements: (cacheName, name, values, signal) =>
      r.call<CacheSortedSetRemoveElements.Response>({
        cacheName,
        op: "sortedSetRemoveElements",
        signal,
        args: () => ({ key: named(name), values: wireAll(values) }),
        error: (e) => new CacheSortedSetRemoveElements.Error(e),
        result: () => new CacheSortedSetRemoveElements.Success(),
      }),
    sortedSetLength: (cacheName, name, signal) =>
      r.call<CacheSortedSetLength.Response>({
        cacheName,
        op: "sortedSetLength",
        signal,
        args: () => ({ key: named(name) }),
        error: (e) => new CacheSortedSetLength.Error(e),
        result: (res) =>
          res.type === "Miss"
            ? new CacheSortedSetLength.Miss()
            : new CacheSortedSetLength.Hit(num(res, "length")),
      }),
    sortedSetLengthByScore: (cacheName, name, minScore, maxScore, signal) =>
      r.call<CacheSortedSetLengthByScore.Response>({
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
            : new CacheSortedSetLengthByScore.Hit(num(res, "length")),
      }),
    sortedSetUnionStore: (cacheName, name, sources, aggregate, ttl, signal) =>
      r.call<CacheSortedSetUnionStore.Response>({
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
            aggregate: SortedSetAggregate[aggregate ?? SortedSetAggregate.SUM],
            ...r.collectionTtl(ttl),
          };
        },
        error: (e) => new CacheSortedSetUnionStore.Error(e),
        result: (res) =>
          new CacheSortedSetUnionStore.Success(num(res, "length")),
      }),
  };
}
