/**
 * The zod building blocks of the operation catalogue (`catalogue.ts`):
 * arguments and results, in their JSON form (input) and as every store sees
 * them (output: bytes as `Uint8Array`).
 *
 * Leaves carry a **limit role** that the deployment's limits attach to
 * (`op_limits.ts` walks the schemas for them, so no operation lists its
 * limits twice):
 *
 * | role      | schema                | checked against                          |
 * | --------- | --------------------- | ---------------------------------------- |
 * | `key`     | {@linkcode key}       | 1 to `maxKeyBytes`; what a token's scope sees |
 * | `ttl`     | {@linkcode ttlMs}     | 1 to `maxTtlMs`                          |
 * | `value`   | {@linkcode value}     | with its sibling `key`, `maxItemBytes`   |
 * | `element` | {@linkcode element}   | `maxElementBytes`                        |
 *
 * Other bytes (hashes, `equal`...) have no role.
 *
 * @module
 */

import { z } from "zod";
import { wireBytesIn, wireBytesOut } from "./wire_bytes.ts";

/** What a leaf is, for the limits and the token scope. */
export type LimitRole = "key" | "ttl" | "value" | "element";

const ROLES = new WeakMap<object, LimitRole>();

/**
 * The limit role of a schema node, if it has one.
 *
 * @param schema any zod schema
 */
export function roleOf(schema: object): LimitRole | undefined {
  return ROLES.get(schema);
}

function withRole<T extends object>(role: LimitRole, schema: T): T {
  ROLES.set(schema, role);
  return schema;
}

/** Bytes with no limit of their own (hashes, compared values). */
export const bytes = wireBytesIn;
/** Bytes in a result. */
export const bytesOut = wireBytesOut;
/** An item's key (a collection's name). */
export const key = withRole(
  "key",
  wireBytesIn.meta({
    id: "Key",
    description:
      "An item's key (a collection's name), 1 to 65531 bytes, as WireBytes.",
    example: "user:42",
  }),
);
/** A scalar item's value: key + value is bounded by `maxItemBytes`. */
export const value = withRole(
  "value",
  wireBytesIn.meta({
    id: "ItemValue",
    description:
      "A scalar value, as WireBytes; key and value together are at most the deployment's item size (default 5 MiB).",
    example: "hello",
  }),
);
/** A collection element (field, value, member). */
export const element = withRole(
  "element",
  wireBytesIn.meta({
    id: "Element",
    description:
      "A collection element (field, value or member), as WireBytes; at most the deployment's element size (default 128 KiB).",
    example: "apple",
  }),
);

/** A list of keys. */
export const keyList = z.array(key);
/** A list of elements. */
export const elementList = z.array(element);

/** A TTL in ms (bounded above by `maxTtlMs`, in `op_limits.ts`). */
export const ttlMs = withRole(
  "ttl",
  z.number().int().min(1).meta({
    description:
      "Time to live in milliseconds, from 1 to the deployment's maximum (default 24 h).",
    example: 60_000,
  }),
);

/** Momento's CollectionTtl. */
export const collectionTtl = {
  ttlMs,
  refreshTtl: z.boolean().optional().meta({
    description:
      "When true (the default), every write resets the TTL; when false, only creation sets it.",
  }),
};

/** A score: a finite number (JSON has no NaN or infinity). */
export const score = z.number();

/** Sort order of sorted-set reads. */
export const order = z.enum(["ASC", "DESC"]).optional().meta({
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
export const keyOnly = z.strictObject({ key });

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
export const valueLookup = hitOrMiss({ value: bytesOut }).meta({
  id: "ValueLookup",
});

/** Stored or NotStored. */
export const stored = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Stored") }),
  z.strictObject({ type: z.literal("NotStored") }),
]).meta({ id: "Stored" });

/** Stored (with the new value's hash) or NotStored. */
export const storedWithHash = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Stored"), hash: bytesOut }),
  z.strictObject({ type: z.literal("NotStored") }),
]).meta({ id: "StoredWithHash" });

/** Outcome of a TTL change. */
export const ttlChange = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("Set") }),
  z.strictObject({ type: z.literal("NotSet") }),
  miss,
]).meta({ id: "TtlChange" });

/** A collection's length, or Miss. */
export const lengthOrMiss = hitOrMiss({ length: z.number().int() }).meta({
  id: "LengthLookup",
});

/** A collection's length after a write. */
export const newLength = successWith({ length: z.number().int() });

/** How many elements to take: at least one. */
export const count = z.number().int().min(1);

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

/** Item types, as `itemGetType` reports them (Momento's names). */
export const itemType = z.enum([
  "SCALAR",
  "DICTIONARY",
  "SET",
  "LIST",
  "SORTED_SET",
]);

/** How sortedSetUnionStore combines the scores of one value. */
export const aggregate = z.enum(["SUM", "MIN", "MAX"]);
