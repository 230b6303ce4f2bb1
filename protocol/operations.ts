/**
 * The types of the data operations, as every layer sees them: one name per
 * operation, its arguments and its result. They are derived from the
 * catalogue (`catalogue.ts`), the single source; this module names them for
 * the stores and the gateway. The JSON wire form is the same objects with
 * every `Uint8Array` written as {@linkcode WireBytes}
 * (`protocol/wire_bytes.ts`).
 *
 * `key` is always the item's key: for collection operations it is the
 * collection's name (Momento's `dictionaryName`, `listName`, ...).
 *
 * Times are milliseconds. A `ttlMs` is relative to now.
 *
 * @module
 */

import type { OpArgs, OpName, OpOfFamily, OpResult } from "./catalogue.ts";

export type * from "./operation_types.ts";
export {
  type Access,
  CATALOGUE,
  IDEMPOTENT_OPS,
  isOpName,
  OP_NAMES,
  type OpArgs,
  type OperationInfo,
  OPERATIONS,
  type OpName,
  type OpResult,
  type WireArgs,
  type WireResult,
} from "./catalogue.ts";

/** Arguments and result of every operation, by name. */
export type Operations = {
  [K in OpName]: { args: OpArgs<K>; result: OpResult<K> };
};

/** Dictionary operations. */
export type DictionaryOp = OpOfFamily<"dictionary">;
/** List operations. */
export type ListOp = OpOfFamily<"list">;
/** Sorted-set operations. */
export type SortedSetOp = OpOfFamily<"sortedSet">;
/** Set operations. */
export type SetOp = OpOfFamily<"set">;
/** Scalar operations, and those on items of any type (TTL, type, existence). */
export type ScalarOp = OpOfFamily<"scalar">;
