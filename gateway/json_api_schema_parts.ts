/**
 * The zod building blocks of the JSON API's schemas (arguments and results),
 * shared by `json_api_schemas_scalar.ts` and
 * `json_api_schemas_collections.ts`. Shapes only: bounds that depend on the
 * deployment (sizes, the largest TTL) are checked in `op_validation.ts`.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { wireBytesIn, wireBytesOut } from "./wire_bytes.ts";

/** Bytes argument. */
export const bytes = wireBytesIn;
/** Bytes in a result. */
export const bytesOut = wireBytesOut;

/** A list of bytes arguments. */
export const bytesList = z.array(bytes);

/** A TTL in ms (bounded above by `maxTtlSeconds`, in `op_validation.ts`). */
export const ttlMs = z.number().int().min(1).openapi({
  description:
    "Time to live in milliseconds, from 1 to the deployment's maximum (default 24 h).",
  example: 60_000,
});

/** Momento's CollectionTtl. */
export const collectionTtl = {
  ttlMs,
  refreshTtl: z.boolean().optional().openapi({
    description:
      "When true (the default), every write resets the TTL; when false, only creation sets it.",
  }),
};

/** A score: a finite number (JSON has no NaN or infinity). */
export const score = z.number();

/** Sort order of sorted-set reads. */
export const order = z.enum(["ASC", "DESC"]).optional().openapi({
  description: "Default ASC.",
});

/** An index or rank: an integer; negatives count from the end. */
export const index = z.number().int().optional();

/** Score range bounds; a missing bound is unbounded. */
export const scoreRange = {
  minScore: score.optional(),
  maxScore: score.optional(),
  minExclusive: z.boolean().optional(),
  maxExclusive: z.boolean().optional(),
};

/** `{ key }`: the arguments of many reads. */
export const keyOnly = z.strictObject({ key: bytes });

// ---- results ----------------------------------------------------------------

/** `{"type":"Miss"}`. */
export const miss = z.strictObject({ type: z.literal("Miss") });
/** `{"type":"Success"}`. */
export const success = z.strictObject({ type: z.literal("Success") });

/** A Hit with more fields, or a Miss. */
export function hitOrMiss<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("Hit"), ...shape }),
    miss,
  ]);
}

/** A Success with more fields. */
export function successWith<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ type: z.literal("Success"), ...shape });
}

/** A value lookup: Hit with the value, or Miss. */
export const valueLookup = hitOrMiss({ value: bytesOut }).openapi(
  "ValueLookup",
);

/** Stored or NotStored. */
export const stored = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Stored") }),
  z.strictObject({ type: z.literal("NotStored") }),
]).openapi("Stored");

/** Stored (with the new value's hash) or NotStored. */
export const storedWithHash = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Stored"), hash: bytesOut }),
  z.strictObject({ type: z.literal("NotStored") }),
]).openapi("StoredWithHash");

/** Outcome of a TTL change. */
export const ttlChange = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Set") }),
  z.strictObject({ type: z.literal("NotSet") }),
  miss,
]).openapi("TtlChange");

/** A collection's length, or Miss. */
export const lengthOrMiss = hitOrMiss({ length: z.number().int() }).openapi(
  "LengthLookup",
);

/** A sorted-set element in a result. */
export const scoredValueOut = z.strictObject({
  value: bytesOut,
  score: z.number(),
});

/** A dictionary field in a result. */
export const fieldValueOut = z.strictObject({
  field: bytesOut,
  value: bytesOut,
});

/** The schemas of one operation: what the JSON API validates and documents. */
export interface OpSchema<Args> {
  /** One line for the reference. */
  summary: string;
  /** The JSON body, parsed into the operation's arguments. */
  args: z.ZodType<Args, unknown>;
  /** The JSON result (documentation). */
  result: z.ZodType;
}
