/**
 * The core's statuses as `KvoltError`s, with messages in one style. A
 * message never echoes key bytes (they may be binary).
 *
 * @module
 */
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import type { ItemType, OpName } from "../protocol/operations.ts";
import { ITEM_TYPES, Status } from "./_abi.ts";

/** The name of a core type number. */
export function typeName(type: number): ItemType {
  return ITEM_TYPES[type] ?? "SCALAR";
}

/** FAILED_PRECONDITION_ERROR: the key holds another type than `op` works on. */
export function wrongType(
  op: OpName | string,
  holds: number | ItemType,
  wanted: ItemType = "SCALAR",
): KvoltError {
  const name = typeof holds === "number" ? typeName(holds) : holds;
  return new KvoltError(
    ErrorCode.FAILED_PRECONDITION,
    `Cannot run ${op}: the key holds a ${name}, not a ${wanted}`,
  );
}

/** LIMIT_EXCEEDED_ERROR (item_size_limit_exceeded): the item cannot fit. */
export function itemTooLarge(
  op: OpName | string,
  bytes: number,
  limit: number,
): KvoltError {
  return new KvoltError(
    ErrorCode.LIMIT_EXCEEDED,
    `Cannot run ${op}: the item is larger than the ${limit}-byte limit: received ${bytes} bytes`,
    LimitCause.ITEM_SIZE,
  );
}

/** An unexpected status (a bad argument, or memory that cannot grow). */
export function refused(op: OpName | string, status: number): KvoltError {
  if (status === Status.NO_MEMORY) {
    return new KvoltError(
      ErrorCode.LIMIT_EXCEEDED,
      `Cannot run ${op}: the shard cannot grow its memory for it`,
      LimitCause.ITEM_SIZE,
    );
  }
  return new KvoltError(
    ErrorCode.INVALID_ARGUMENT,
    `Cannot run ${op}: the core refused it: status ${status}`,
  );
}

/** What a collection operation knows when it fails, for its message. */
export interface FailureContext {
  op: OpName;
  /** The type the operation works on. */
  wanted: ItemType;
  /** The type found (for WRONG_TYPE). */
  found: number;
  maxItemBytes: number;
  maxCollectionLength: number;
}

/** The error for a negative collection status (MISS excepted: callers handle it). */
export function collectionError(status: number, c: FailureContext): KvoltError {
  switch (status) {
    case Status.WRONG_TYPE:
      return wrongType(c.op, c.found, c.wanted);
    case Status.LIMIT_SIZE:
      return new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${c.op}: the collection would be larger than the ${c.maxItemBytes}-byte limit`,
        LimitCause.ITEM_SIZE,
      );
    case Status.LIMIT_COUNT:
      return new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${c.op}: the collection would hold more than ${c.maxCollectionLength} elements`,
        LimitCause.ITEM_SIZE,
      );
    case Status.TOO_LARGE:
      return new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${c.op}: the collection would be larger than the shard can hold`,
        LimitCause.ITEM_SIZE,
      );
    case Status.NOT_FINITE:
      return new KvoltError(
        ErrorCode.FAILED_PRECONDITION,
        `Cannot run ${c.op}: the resulting score is not a finite float64`,
      );
  }
  return refused(c.op, status);
}
