/**
 * The catalogue's scalar operations, and those on items of any type (TTL,
 * type, existence, batches): one entry each (see `catalogue.ts` for what an
 * entry holds).
 *
 * @module
 */

import { z } from "zod";
import { type OpEntry, operation } from "./catalogue_entry.ts";
import {
  bytes,
  bytesOut,
  hitOrMiss,
  itemType,
  key,
  keyList,
  keyOnly,
  stored,
  storedWithHash,
  success,
  successWith,
  ttlChange,
  ttlMs,
  value,
  valueLookup,
} from "./catalogue_parts.ts";

const keyValueTtl = z.strictObject({ key, value, ttlMs });

function conditional<F extends string>(field: F) {
  return z.strictObject({
    key,
    value,
    ttlMs,
    ...({ [field]: bytes } as { [K in F]: typeof bytes }),
  });
}

const keyTtl = z.strictObject({ key, ttlMs });
const hash = "the 8-byte hash getWithHash returned";

const scalar = <A extends z.ZodType, R extends z.ZodType>(
  entry: Omit<OpEntry<A, R>, "family">,
) => operation({ ...entry, family: "scalar" });

/** The scalar operations, by name. */
export const SCALAR_OPERATIONS = {
  get: scalar({
    summary: "Reads a value.",
    access: "read",
    idempotent: true,
    args: keyOnly,
    result: valueLookup,
  }),
  getWithHash: scalar({
    summary:
      "Reads a value and its 8-byte hash (`hash` is valueHash of the stored value).",
    access: "read",
    idempotent: true,
    args: keyOnly,
    result: hitOrMiss({ value: bytesOut, hash: bytesOut }),
  }),
  set: scalar({
    summary: "Stores a value (replacing an item of any type).",
    access: "write",
    idempotent: true,
    args: keyValueTtl,
    result: success,
  }),
  setWithHash: scalar({
    summary: "Stores a value and returns its hash.",
    access: "readWrite",
    idempotent: false,
    args: keyValueTtl,
    result: z.strictObject({ type: z.literal("Stored"), hash: bytesOut }),
  }),
  delete: scalar({
    summary: "Removes an item of any type (Success when it is missing).",
    access: "write",
    idempotent: true,
    args: keyOnly,
    result: success,
  }),
  getAndDelete: scalar({
    summary:
      "Reads a value and removes it, atomically (Redis's GETDEL): Hit with the value it removed, or Miss. A collection at the key is FAILED_PRECONDITION_ERROR and stays.",
    access: "readWrite",
    idempotent: false,
    args: keyOnly,
    result: valueLookup,
  }),
  setIfAbsent: scalar({
    summary: "Stores when the key is missing.",
    access: "readWrite",
    idempotent: false,
    args: keyValueTtl,
    result: stored,
  }),
  setIfPresent: scalar({
    summary: "Stores when the key exists.",
    access: "readWrite",
    idempotent: false,
    args: keyValueTtl,
    result: stored,
  }),
  setIfEqual: scalar({
    summary: "Stores when the current value equals `equal`.",
    access: "readWrite",
    idempotent: false,
    args: conditional("equal"),
    result: stored,
  }),
  setIfNotEqual: scalar({
    summary:
      "Stores when the key is missing or its value differs from `notEqual`.",
    access: "readWrite",
    idempotent: false,
    args: conditional("notEqual"),
    result: stored,
  }),
  setIfPresentAndNotEqual: scalar({
    summary:
      "Stores when the key exists and its value differs from `notEqual`.",
    access: "readWrite",
    idempotent: false,
    args: conditional("notEqual"),
    result: stored,
  }),
  setIfAbsentOrEqual: scalar({
    summary: "Stores when the key is missing or its value equals `equal`.",
    access: "readWrite",
    idempotent: false,
    args: conditional("equal"),
    result: stored,
  }),
  setIfPresentAndHashEqual: scalar({
    summary:
      `Stores when the key exists and its hash equals \`hashEqual\` (${hash}).`,
    access: "readWrite",
    idempotent: false,
    args: conditional("hashEqual"),
    result: storedWithHash,
  }),
  setIfPresentAndHashNotEqual: scalar({
    summary:
      `Stores when the key exists and its hash differs from \`hashNotEqual\` (${hash}).`,
    access: "readWrite",
    idempotent: false,
    args: conditional("hashNotEqual"),
    result: storedWithHash,
  }),
  setIfAbsentOrHashEqual: scalar({
    summary:
      `Stores when the key is missing or its hash equals \`hashEqual\` (${hash}).`,
    access: "readWrite",
    idempotent: false,
    args: conditional("hashEqual"),
    result: storedWithHash,
  }),
  setIfAbsentOrHashNotEqual: scalar({
    summary:
      `Stores when the key is missing or its hash differs from \`hashNotEqual\` (${hash}).`,
    access: "readWrite",
    idempotent: false,
    args: conditional("hashNotEqual"),
    result: storedWithHash,
  }),
  increment: scalar({
    summary:
      "Adds `amount` to a base-10 int64 value (a missing key starts at 0; the TTL given replaces the item's expiry, as a set does). Non-integer text or int64 overflow: FAILED_PRECONDITION_ERROR, nothing stored.",
    access: "readWrite",
    idempotent: false,
    args: z.strictObject({ key, amount: z.number().int(), ttlMs }),
    result: successWith({ value: z.number().int() }),
  }),
  keyExists: scalar({
    summary: "Whether the key exists.",
    access: "read",
    idempotent: true,
    args: keyOnly,
    result: successWith({ exists: z.boolean() }),
  }),
  keysExist: scalar({
    summary: "Whether each key exists, in order.",
    access: "read",
    idempotent: true,
    counts: "keys",
    args: z.strictObject({ keys: keyList }),
    result: successWith({ exists: z.array(z.boolean()) }),
  }),
  updateTtl: scalar({
    summary: "Sets the remaining TTL of an item of any type.",
    access: "readWrite",
    idempotent: true,
    args: keyTtl,
    result: ttlChange,
  }),
  increaseTtl: scalar({
    summary: "Sets the remaining TTL when `ttlMs` is longer than it.",
    access: "readWrite",
    idempotent: false,
    args: keyTtl,
    result: ttlChange,
  }),
  decreaseTtl: scalar({
    summary: "Sets the remaining TTL when `ttlMs` is shorter than it.",
    access: "readWrite",
    idempotent: false,
    args: keyTtl,
    result: ttlChange,
  }),
  itemGetTtl: scalar({
    summary: "The remaining TTL of an item, in ms.",
    access: "read",
    idempotent: true,
    args: keyOnly,
    result: hitOrMiss({ remainingTtlMs: z.number().int() }),
  }),
  itemGetType: scalar({
    summary: "The type of an item.",
    access: "read",
    idempotent: true,
    args: keyOnly,
    result: hitOrMiss({ itemType }),
  }),
  getBatch: scalar({
    summary: "Reads several values, one lookup per key, in order.",
    access: "read",
    idempotent: true,
    counts: "keys",
    args: z.strictObject({ keys: keyList }),
    result: successWith({ results: z.array(valueLookup) }),
  }),
  setBatch: scalar({
    summary: "Stores several values.",
    access: "write",
    idempotent: true,
    counts: "items",
    args: z.strictObject({ items: z.array(keyValueTtl) }),
    result: success,
  }),
} as const;
