/**
 * The JSON API's schemas of the scalar operations (see
 * `protocol/operations.ts` for their semantics).
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import type { OpArgs } from "../protocol/operations.ts";
import {
  bytes,
  bytesList,
  bytesOut,
  hitOrMiss,
  keyOnly,
  type OpSchema,
  stored,
  storedWithHash,
  success,
  successWith,
  ttlChange,
  ttlMs,
  valueLookup,
} from "./json_api_schema_parts.ts";

type Scalar =
  | "get"
  | "getWithHash"
  | "set"
  | "setWithHash"
  | "delete"
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
  | "increment"
  | "keyExists"
  | "keysExist"
  | "updateTtl"
  | "increaseTtl"
  | "decreaseTtl"
  | "itemGetTtl"
  | "itemGetType"
  | "getBatch"
  | "setBatch";

const keyValueTtl = z.strictObject({ key: bytes, value: bytes, ttlMs });

function conditional<F extends string>(field: F) {
  return z.strictObject({
    key: bytes,
    value: bytes,
    ttlMs,
    ...({ [field]: bytes } as { [K in F]: typeof bytes }),
  });
}

const keyTtl = z.strictObject({ key: bytes, ttlMs });
const hash = "the 8-byte hash getWithHash returned";

/** Schemas of the scalar operations, by name. */
export const SCALAR_SCHEMAS: { [K in Scalar]: OpSchema<OpArgs<K>> } = {
  get: { summary: "Reads a value.", args: keyOnly, result: valueLookup },
  getWithHash: {
    summary: "Reads a value and its 8-byte hash.",
    args: keyOnly,
    result: hitOrMiss({ value: bytesOut, hash: bytesOut }),
  },
  set: {
    summary: "Stores a value (replacing an item of any type).",
    args: keyValueTtl,
    result: success,
  },
  setWithHash: {
    summary: "Stores a value and returns its hash.",
    args: keyValueTtl,
    result: z.strictObject({ type: z.literal("Stored"), hash: bytesOut }),
  },
  delete: {
    summary: "Removes an item of any type (Success when it is missing).",
    args: keyOnly,
    result: success,
  },
  setIfAbsent: {
    summary: "Stores when the key is missing.",
    args: keyValueTtl,
    result: stored,
  },
  setIfPresent: {
    summary: "Stores when the key exists.",
    args: keyValueTtl,
    result: stored,
  },
  setIfEqual: {
    summary: "Stores when the current value equals `equal`.",
    args: conditional("equal"),
    result: stored,
  },
  setIfNotEqual: {
    summary:
      "Stores when the key is missing or its value differs from `notEqual`.",
    args: conditional("notEqual"),
    result: stored,
  },
  setIfPresentAndNotEqual: {
    summary:
      "Stores when the key exists and its value differs from `notEqual`.",
    args: conditional("notEqual"),
    result: stored,
  },
  setIfAbsentOrEqual: {
    summary: "Stores when the key is missing or its value equals `equal`.",
    args: conditional("equal"),
    result: stored,
  },
  setIfPresentAndHashEqual: {
    summary:
      `Stores when the key exists and its hash equals \`hashEqual\` (${hash}).`,
    args: conditional("hashEqual"),
    result: storedWithHash,
  },
  setIfPresentAndHashNotEqual: {
    summary:
      `Stores when the key exists and its hash differs from \`hashNotEqual\` (${hash}).`,
    args: conditional("hashNotEqual"),
    result: storedWithHash,
  },
  setIfAbsentOrHashEqual: {
    summary:
      `Stores when the key is missing or its hash equals \`hashEqual\` (${hash}).`,
    args: conditional("hashEqual"),
    result: storedWithHash,
  },
  setIfAbsentOrHashNotEqual: {
    summary:
      `Stores when the key is missing or its hash differs from \`hashNotEqual\` (${hash}).`,
    args: conditional("hashNotEqual"),
    result: storedWithHash,
  },
  increment: {
    summary:
      "Adds `amount` to a base-10 int64 value (a missing key starts at 0; the TTL given replaces the item's expiry, as a set does).",
    args: z.strictObject({ key: bytes, amount: z.number().int(), ttlMs }),
    result: successWith({ value: z.number().int() }),
  },
  keyExists: {
    summary: "Whether the key exists.",
    args: keyOnly,
    result: successWith({ exists: z.boolean() }),
  },
  keysExist: {
    summary: "Whether each key exists, in order.",
    args: z.strictObject({ keys: bytesList }),
    result: successWith({ exists: z.array(z.boolean()) }),
  },
  updateTtl: {
    summary: "Sets the remaining TTL of an item.",
    args: keyTtl,
    result: ttlChange,
  },
  increaseTtl: {
    summary: "Sets the remaining TTL when `ttlMs` is longer than it.",
    args: keyTtl,
    result: ttlChange,
  },
  decreaseTtl: {
    summary: "Sets the remaining TTL when `ttlMs` is shorter than it.",
    args: keyTtl,
    result: ttlChange,
  },
  itemGetTtl: {
    summary: "The remaining TTL of an item, in ms.",
    args: keyOnly,
    result: hitOrMiss({ remainingTtlMs: z.number().int() }),
  },
  itemGetType: {
    summary: "The type of an item.",
    args: keyOnly,
    result: hitOrMiss({
      itemType: z.enum(["SCALAR", "DICTIONARY", "SET", "LIST", "SORTED_SET"]),
    }),
  },
  getBatch: {
    summary: "Reads several values, one lookup per key, in order.",
    args: z.strictObject({ keys: bytesList }),
    result: successWith({ results: z.array(valueLookup) }),
  },
  setBatch: {
    summary: "Stores several values.",
    args: z.strictObject({ items: z.array(keyValueTtl) }),
    result: success,
  },
};
