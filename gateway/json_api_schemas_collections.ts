/**
 * The JSON API's schemas of the collection operations: dictionaries, lists,
 * sets and sorted sets (see `protocol/operations.ts` for their semantics).
 * `key` is always the collection's name.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import type { OpArgs, OpName } from "../protocol/operations.ts";
import {
  bytes,
  bytesList,
  bytesOut,
  collectionTtl,
  fieldValueOut,
  hitOrMiss,
  index,
  keyOnly,
  lengthOrMiss,
  type OpSchema,
  order,
  score,
  scoredValueOut,
  scoreRange,
  success,
  successWith,
  valueLookup,
} from "./json_api_schema_parts.ts";
import type { SCALAR_SCHEMAS } from "./json_api_schemas_scalar.ts";

type Collection = Exclude<OpName, keyof typeof SCALAR_SCHEMAS>;

const newLength = successWith({ length: z.number().int() });
const elementsOut = hitOrMiss({ elements: z.array(bytesOut) });
const scoredOut = hitOrMiss({ elements: z.array(scoredValueOut) });
const truncate = z.number().int().min(1).optional();
const count = z.number().int().min(1);

/** Schemas of the collection operations, by name. */
export const COLLECTION_SCHEMAS: {
  [K in Collection]: OpSchema<OpArgs<K>>;
} = {
  dictionarySetField: {
    summary: "Sets one field of a dictionary.",
    args: z.strictObject({
      key: bytes,
      field: bytes,
      value: bytes,
      ...collectionTtl,
    }),
    result: success,
  },
  dictionarySetFields: {
    summary: "Sets several fields of a dictionary.",
    args: z.strictObject({
      key: bytes,
      fields: z.array(z.strictObject({ field: bytes, value: bytes })),
      ...collectionTtl,
    }),
    result: success,
  },
  dictionaryGetField: {
    summary: "Reads one field.",
    args: z.strictObject({ key: bytes, field: bytes }),
    result: valueLookup,
  },
  dictionaryGetFields: {
    summary: "Reads several fields, one lookup each, in order.",
    args: z.strictObject({ key: bytes, fields: bytesList }),
    result: hitOrMiss({ results: z.array(valueLookup) }),
  },
  dictionaryFetch: {
    summary: "Every field of a dictionary, in no particular order.",
    args: keyOnly,
    result: hitOrMiss({ fields: z.array(fieldValueOut) }),
  },
  dictionaryIncrement: {
    summary:
      "Adds `amount` to a base-10 int64 field (a missing field starts at 0).",
    args: z.strictObject({
      key: bytes,
      field: bytes,
      amount: z.number().int(),
      ...collectionTtl,
    }),
    result: successWith({ value: z.number().int() }),
  },
  dictionaryRemoveFields: {
    summary: "Removes fields (the last one removes the dictionary).",
    args: z.strictObject({ key: bytes, fields: bytesList }),
    result: success,
  },
  dictionaryLength: {
    summary: "Number of fields.",
    args: keyOnly,
    result: lengthOrMiss,
  },
  listPushFront: {
    summary: "Pushes a value at the front; returns the new length.",
    args: z.strictObject({
      key: bytes,
      value: bytes,
      truncateBackToSize: truncate,
      ...collectionTtl,
    }),
    result: newLength,
  },
  listPushBack: {
    summary: "Pushes a value at the back; returns the new length.",
    args: z.strictObject({
      key: bytes,
      value: bytes,
      truncateFrontToSize: truncate,
      ...collectionTtl,
    }),
    result: newLength,
  },
  listConcatenateFront: {
    summary: "Adds values at the front, keeping their order.",
    args: z.strictObject({
      key: bytes,
      values: bytesList,
      truncateBackToSize: truncate,
      ...collectionTtl,
    }),
    result: newLength,
  },
  listConcatenateBack: {
    summary: "Adds values at the back, keeping their order.",
    args: z.strictObject({
      key: bytes,
      values: bytesList,
      truncateFrontToSize: truncate,
      ...collectionTtl,
    }),
    result: newLength,
  },
  listPopFront: {
    summary: "Removes and returns the first value.",
    args: keyOnly,
    result: valueLookup,
  },
  listPopBack: {
    summary: "Removes and returns the last value.",
    args: keyOnly,
    result: valueLookup,
  },
  listFetch: {
    summary: "Values from `startIndex` (inclusive) to `endIndex` (exclusive).",
    args: z.strictObject({ key: bytes, startIndex: index, endIndex: index }),
    result: hitOrMiss({ values: z.array(bytesOut) }),
  },
  listRetain: {
    summary: "Keeps only the values in the range.",
    args: z.strictObject({
      key: bytes,
      startIndex: index,
      endIndex: index,
      ttlMs: collectionTtl.ttlMs.optional(),
      refreshTtl: collectionTtl.refreshTtl,
    }),
    result: success,
  },
  listRemoveValue: {
    summary: "Removes every occurrence of a value.",
    args: z.strictObject({ key: bytes, value: bytes }),
    result: success,
  },
  listLength: {
    summary: "Number of values.",
    args: keyOnly,
    result: lengthOrMiss,
  },
  setAddElements: {
    summary: "Adds elements to a set.",
    args: z.strictObject({ key: bytes, elements: bytesList, ...collectionTtl }),
    result: success,
  },
  setRemoveElements: {
    summary: "Removes elements (the last one removes the set).",
    args: z.strictObject({ key: bytes, elements: bytesList }),
    result: success,
  },
  setContainsElements: {
    summary: "Whether the set holds each element, in order.",
    args: z.strictObject({ key: bytes, elements: bytesList }),
    result: hitOrMiss({ contains: z.array(z.boolean()) }),
  },
  setFetch: {
    summary: "Every element of a set, in no particular order.",
    args: keyOnly,
    result: elementsOut,
  },
  setSample: {
    summary: "Up to `limit` distinct elements chosen at random.",
    args: z.strictObject({ key: bytes, limit: z.number().int().min(0) }),
    result: elementsOut,
  },
  setPop: {
    summary: "Removes and returns up to `count` elements chosen at random.",
    args: z.strictObject({ key: bytes, count }),
    result: elementsOut,
  },
  setLength: {
    summary: "Number of elements.",
    args: keyOnly,
    result: lengthOrMiss,
  },
  sortedSetPutElements: {
    summary: "Sets the score of each value (adding new values).",
    args: z.strictObject({
      key: bytes,
      elements: z.array(z.strictObject({ value: bytes, score })),
      ...collectionTtl,
    }),
    result: success,
  },
  sortedSetFetchByRank: {
    summary: "Elements from `startRank` (inclusive) to `endRank` (exclusive).",
    args: z.strictObject({
      key: bytes,
      order,
      startRank: index,
      endRank: index,
    }),
    result: scoredOut,
  },
  sortedSetFetchByScore: {
    summary: "Elements in a score range, skipping `offset`, at most `count`.",
    args: z.strictObject({
      key: bytes,
      order,
      offset: z.number().int().min(0).optional(),
      count: count.optional(),
      ...scoreRange,
    }),
    result: scoredOut,
  },
  sortedSetGetRank: {
    summary: "The 0-based rank of a value.",
    args: z.strictObject({ key: bytes, value: bytes, order }),
    result: hitOrMiss({ rank: z.number().int() }),
  },
  sortedSetGetScores: {
    summary: "The score of each value, in order.",
    args: z.strictObject({ key: bytes, values: bytesList }),
    result: hitOrMiss({
      results: z.array(hitOrMiss({ score: z.number() })),
    }),
  },
  sortedSetIncrementScore: {
    summary: "Adds `amount` to a value's score (a new value starts at 0).",
    args: z.strictObject({
      key: bytes,
      value: bytes,
      amount: score,
      ...collectionTtl,
    }),
    result: successWith({ score: z.number() }),
  },
  sortedSetRemoveElements: {
    summary: "Removes values (the last one removes the sorted set).",
    args: z.strictObject({ key: bytes, values: bytesList }),
    result: success,
  },
  sortedSetLength: {
    summary: "Number of elements.",
    args: keyOnly,
    result: lengthOrMiss,
  },
  sortedSetLengthByScore: {
    summary: "Number of elements in a score range.",
    args: z.strictObject({ key: bytes, ...scoreRange }),
    result: lengthOrMiss,
  },
  sortedSetUnionStore: {
    summary:
      "Stores into `key` the weighted union of the `sources` sorted sets.",
    args: z.strictObject({
      key: bytes,
      // Momento's rules and wording: at least one source; a weight is a
      // finite number (JSON has no Infinity: null, a string... are refused
      // with the same message).
      sources: z.array(z.strictObject({
        key: bytes,
        weight: z.number({
          error: (issue) =>
            issue.input === undefined
              ? undefined
              : "weight must be a finite number",
        }),
      })).min(1, { error: "at least one source is required" }),
      aggregate: z.enum(["SUM", "MIN", "MAX"]).optional(),
      ...collectionTtl,
    }),
    result: newLength,
  },
};
