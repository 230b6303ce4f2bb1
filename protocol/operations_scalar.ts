/**
 * Scalar operations of the catalogue, and those on items of any type (TTL,
 * type, existence, batches). Part of {@linkcode Operations} in
 * `operations.ts`.
 *
 * @module
 */
import type {
  Bytes,
  HitWith,
  ItemType,
  Miss,
  Stored,
  StoredWithHash,
  Success,
  SuccessWith,
  TtlChange,
  ValueLookup,
} from "./operation_types.ts";

/** Arguments and result of every scalar operation, by name. */
export interface ScalarOperations {
  // ---- scalars --------------------------------------------------------------
  get: { args: { key: Bytes }; result: ValueLookup };
  /** `hash` is {@linkcode valueHash} of the stored value. */
  getWithHash: {
    args: { key: Bytes };
    result: HitWith<{ value: Bytes; hash: Bytes }> | Miss;
  };
  /** Overwrites an item of any type. */
  set: { args: { key: Bytes; value: Bytes; ttlMs: number }; result: Success };
  setWithHash: {
    args: { key: Bytes; value: Bytes; ttlMs: number };
    result: { type: "Stored"; hash: Bytes };
  };
  /** Succeeds for a missing key; removes an item of any type. */
  delete: { args: { key: Bytes }; result: Success };
  setIfAbsent: {
    args: { key: Bytes; value: Bytes; ttlMs: number };
    result: Stored;
  };
  setIfPresent: {
    args: { key: Bytes; value: Bytes; ttlMs: number };
    result: Stored;
  };
  setIfEqual: {
    args: { key: Bytes; value: Bytes; equal: Bytes; ttlMs: number };
    result: Stored;
  };
  /** Stores when the key is absent OR its value differs. */
  setIfNotEqual: {
    args: { key: Bytes; value: Bytes; notEqual: Bytes; ttlMs: number };
    result: Stored;
  };
  setIfPresentAndNotEqual: {
    args: { key: Bytes; value: Bytes; notEqual: Bytes; ttlMs: number };
    result: Stored;
  };
  setIfAbsentOrEqual: {
    args: { key: Bytes; value: Bytes; equal: Bytes; ttlMs: number };
    result: Stored;
  };
  setIfPresentAndHashEqual: {
    args: { key: Bytes; value: Bytes; hashEqual: Bytes; ttlMs: number };
    result: StoredWithHash;
  };
  setIfPresentAndHashNotEqual: {
    args: { key: Bytes; value: Bytes; hashNotEqual: Bytes; ttlMs: number };
    result: StoredWithHash;
  };
  setIfAbsentOrHashEqual: {
    args: { key: Bytes; value: Bytes; hashEqual: Bytes; ttlMs: number };
    result: StoredWithHash;
  };
  setIfAbsentOrHashNotEqual: {
    args: { key: Bytes; value: Bytes; hashNotEqual: Bytes; ttlMs: number };
    result: StoredWithHash;
  };
  /**
   * The stored value must be base-10 int64 text; a missing key is created with
   * `amount`. Non-integer text or int64 overflow: FAILED_PRECONDITION_ERROR,
   * nothing stored. The TTL given applies to the result each time, as for a
   * set (Momento's behaviour: an existing item's expiry is replaced).
   */
  increment: {
    args: { key: Bytes; amount: number; ttlMs: number };
    result: SuccessWith<{ value: number }>;
  };
  keyExists: { args: { key: Bytes }; result: SuccessWith<{ exists: boolean }> };
  keysExist: {
    args: { keys: Bytes[] };
    result: SuccessWith<{ exists: boolean[] }>;
  };
  /** Sets the remaining TTL of an item of any type. */
  updateTtl: { args: { key: Bytes; ttlMs: number }; result: TtlChange };
  /** Only when `ttlMs` is longer than the remaining TTL. */
  increaseTtl: { args: { key: Bytes; ttlMs: number }; result: TtlChange };
  /** Only when `ttlMs` is shorter than the remaining TTL. */
  decreaseTtl: { args: { key: Bytes; ttlMs: number }; result: TtlChange };
  itemGetTtl: {
    args: { key: Bytes };
    result: HitWith<{ remainingTtlMs: number }> | Miss;
  };
  itemGetType: {
    args: { key: Bytes };
    result: HitWith<{ itemType: ItemType }> | Miss;
  };
  getBatch: {
    args: { keys: Bytes[] };
    result: SuccessWith<{ results: ValueLookup[] }>;
  };
  setBatch: {
    args: { items: { key: Bytes; value: Bytes; ttlMs: number }[] };
    result: Success;
  };
}
