/**
 * The catalogue's sorted-set operations, one entry each (see `catalogue.ts`).
 * `key` is always the sorted set's name; every other byte string is an
 * element (a value with a score).
 *
 * @module
 */

import { z } from "zod";
import { operation } from "./catalogue_entry.ts";
import {
  aggregate,
  collectionTtl,
  count,
  element,
  elementList,
  hitOrMiss,
  index,
  key,
  keyOnly,
  lengthOrMiss,
  newLength,
  order,
  score,
  scoredValueOut,
  scoreRange,
  success,
  successWith,
} from "./catalogue_parts.ts";

const scoredOut = hitOrMiss({ elements: z.array(scoredValueOut) });

/** Sorted-set operations, by name. */
export const SORTED_SET_OPERATIONS = {
  sortedSetPutElements: operation({
    family: "sortedSet",
    access: "write",
    idempotent: true,
    counts: "elements",
    summary: "Sets the score of each value (adding new values).",
    args: z.strictObject({
      key,
      elements: z.array(z.strictObject({ value: element, score })),
      ...collectionTtl,
    }),
    result: success,
  }),
  sortedSetFetchByRank: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    summary: "Elements from `startRank` (inclusive) to `endRank` (exclusive).",
    args: z.strictObject({
      key,
      order,
      startRank: index,
      endRank: index,
    }),
    result: scoredOut,
  }),
  sortedSetFetchByScore: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    summary: "Elements in a score range, skipping `offset`, at most `count`.",
    args: z.strictObject({
      key,
      order,
      offset: z.number().int().min(0).optional(),
      count: count.optional(),
      ...scoreRange,
    }),
    result: scoredOut,
  }),
  sortedSetGetRank: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    summary: "The 0-based rank of a value.",
    args: z.strictObject({ key, value: element, order }),
    result: hitOrMiss({ rank: z.number().int() }),
  }),
  sortedSetGetScores: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    counts: "values",
    summary: "The score of each value, in order.",
    args: z.strictObject({ key, values: elementList }),
    result: hitOrMiss({
      results: z.array(hitOrMiss({ score: z.number() })),
    }),
  }),
  sortedSetIncrementScore: operation({
    family: "sortedSet",
    access: "readWrite",
    idempotent: false,
    summary: "Adds `amount` to a value's score (a new value starts at 0).",
    args: z.strictObject({
      key,
      value: element,
      amount: score,
      ...collectionTtl,
    }),
    result: successWith({ score: z.number() }),
  }),
  sortedSetRemoveElements: operation({
    family: "sortedSet",
    access: "write",
    idempotent: true,
    counts: "values",
    summary: "Removes values (the last one removes the sorted set).",
    args: z.strictObject({ key, values: elementList }),
    result: success,
  }),
  sortedSetLength: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    summary: "Number of elements.",
    args: keyOnly,
    result: lengthOrMiss,
  }),
  sortedSetLengthByScore: operation({
    family: "sortedSet",
    access: "read",
    idempotent: true,
    summary: "Number of elements in a score range.",
    args: z.strictObject({ key, ...scoreRange }),
    result: lengthOrMiss,
  }),
  sortedSetUnionStore: operation({
    family: "sortedSet",
    access: "readWrite",
    idempotent: false,
    counts: "sources",
    summary:
      "Stores into `key` the weighted union of the `sources` sorted sets.",
    args: z.strictObject({
      key,
      // Momento's rules and wording: at least one source; a weight is a
      // finite number (JSON has no Infinity: null, a string... are refused
      // with the same message).
      sources: z.array(z.strictObject({
        key,
        weight: z.number({
          error: (issue) =>
            issue.input === undefined
              ? undefined
              : "weight must be a finite number",
        }),
      })).min(1, { error: "at least one source is required" }),
      aggregate: aggregate.optional(),
      ...collectionTtl,
    }),
    result: newLength,
  }),
} as const;
