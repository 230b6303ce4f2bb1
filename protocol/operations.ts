/**
 * The catalogue of data operations: one name per operation, its arguments and
 * its result, as every layer sees them. The JSON API, the pipeline endpoint,
 * the SDK's transport, the reference model and the Wasm-backed store all speak
 * these shapes; the JSON wire form is the same objects with every `Uint8Array`
 * written as {@linkcode WireBytes} (see `gateway/json_api.ts`).
 *
 * `key` is always the item's key: for collection operations it is the
 * collection's name (Momento's `dictionaryName`, `listName`, ...).
 *
 * Times are milliseconds. A `ttlMs` is relative to now.
 *
 * @module
 */

import type { CollectionOperations } from "./operations_collections.ts";
import type { ScalarOperations } from "./operations_scalar.ts";

export type * from "./operation_types.ts";
export type { CollectionOperations, ScalarOperations };

/** Arguments and result of every operation, by name. */
export interface Operations extends ScalarOperations, CollectionOperations {}

/** The name of an operation. */
export type OpName = keyof Operations;

/** Dictionary operations. */
export type DictionaryOp = Extract<OpName, `dictionary${string}`>;
/** List operations. */
export type ListOp = Extract<OpName, `list${string}`>;
/** Sorted-set operations. */
export type SortedSetOp = Extract<OpName, `sortedSet${string}`>;
/** Set operations. */
export type SetOp =
  | "setAddElements"
  | "setRemoveElements"
  | "setContainsElements"
  | "setFetch"
  | "setSample"
  | "setPop"
  | "setLength";
/** Scalar operations, and those on items of any type (TTL, type, existence). */
export type ScalarOp = Exclude<
  OpName,
  DictionaryOp | ListOp | SortedSetOp | SetOp
>;
/** Arguments of operation `K`. */
export type OpArgs<K extends OpName> = Operations[K]["args"];
/** Result of operation `K`. */
export type OpResult<K extends OpName> = Operations[K]["result"];

/**
 * What an operation needs from a token's role (Momento's model):
 * - `read`: returns state, writes nothing (readonly and readwrite).
 * - `write`: writes, returns nothing about prior state (writeonly and readwrite).
 * - `readWrite`: conditional writes and writes that return state, e.g. a list
 *   push's new length or a pop (readwrite only).
 */
export type Access = "read" | "write" | "readWrite";

/** Everything but the types that is known about an operation. */
export interface OperationInfo {
  access: Access;
  /** Item keys the operation touches (every one is checked against the token's scope). */
  keys(args: Record<string, unknown>): Uint8Array[];
  /** Elements it carries or asks for, for rate limits (Momento: elements/2 operations, at least 1). */
  elements(args: Record<string, unknown>): number;
}

const oneKey = (a: Record<string, unknown>) => [a.key as Uint8Array];
const one = () => 1;
const count = (field: string) => (a: Record<string, unknown>) =>
  Math.max(1, ((a[field] as unknown[] | undefined)?.length ?? 0) / 2);

/** An entry of the table: the item at `key`, one element, unless told. */
const op = (
  access: Access,
  elements: OperationInfo["elements"] = one,
  keys: OperationInfo["keys"] = oneKey,
): OperationInfo => ({ access, keys, elements });

/** Access class, keys and element count of every operation. */
export const OPERATIONS: { readonly [K in OpName]: OperationInfo } = {
  get: op("read"),
  getWithHash: op("read"),
  set: op("write"),
  setWithHash: op("readWrite"),
  delete: op("write"),
  setIfAbsent: op("readWrite"),
  setIfPresent: op("readWrite"),
  setIfEqual: op("readWrite"),
  setIfNotEqual: op("readWrite"),
  setIfPresentAndNotEqual: op("readWrite"),
  setIfAbsentOrEqual: op("readWrite"),
  setIfPresentAndHashEqual: op("readWrite"),
  setIfPresentAndHashNotEqual: op("readWrite"),
  setIfAbsentOrHashEqual: op("readWrite"),
  setIfAbsentOrHashNotEqual: op("readWrite"),
  increment: op("readWrite"),
  keyExists: op("read"),
  keysExist: op("read", count("keys"), (a) => a.keys as Uint8Array[]),
  updateTtl: op("readWrite"),
  increaseTtl: op("readWrite"),
  decreaseTtl: op("readWrite"),
  itemGetTtl: op("read"),
  itemGetType: op("read"),
  getBatch: op("read", count("keys"), (a) => a.keys as Uint8Array[]),
  setBatch: op(
    "write",
    count("items"),
    (a) => (a.items as { key: Uint8Array }[]).map((i) => i.key),
  ),
  dictionarySetField: op("write"),
  dictionarySetFields: op("write", count("fields")),
  dictionaryGetField: op("read"),
  dictionaryGetFields: op("read", count("fields")),
  dictionaryFetch: op("read"),
  dictionaryIncrement: op("readWrite"),
  dictionaryRemoveFields: op("write", count("fields")),
  dictionaryLength: op("read"),
  listPushFront: op("readWrite"),
  listPushBack: op("readWrite"),
  listConcatenateFront: op("readWrite", count("values")),
  listConcatenateBack: op("readWrite", count("values")),
  listPopFront: op("readWrite"),
  listPopBack: op("readWrite"),
  listFetch: op("read"),
  listRetain: op("write"),
  listRemoveValue: op("write"),
  listLength: op("read"),
  setAddElements: op("write", count("elements")),
  setRemoveElements: op("write", count("elements")),
  setContainsElements: op("read", count("elements")),
  setFetch: op("read"),
  setSample: op("read"),
  setPop: op("readWrite"),
  setLength: op("read"),
  sortedSetPutElements: op("write", count("elements")),
  sortedSetFetchByRank: op("read"),
  sortedSetFetchByScore: op("read"),
  sortedSetGetRank: op("read"),
  sortedSetGetScores: op("read", count("values")),
  sortedSetIncrementScore: op("readWrite"),
  sortedSetRemoveElements: op("write", count("values")),
  sortedSetLength: op("read"),
  sortedSetLengthByScore: op("read"),
  sortedSetUnionStore: op("readWrite", count("sources"), (a) => [
    a.key as Uint8Array,
    ...(a.sources as { key: Uint8Array }[]).map((s) => s.key),
  ]),
};

/** Every operation name, in catalogue order. */
export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];

/**
 * Operations safe to run twice (what a client may retry): running them again after an unknown outcome
 * leaves the same state. Increments, conditional sets, list pushes, pops and
 * concatenations, setPop, incrementScore and unionStore are not.
 */
export const IDEMPOTENT_OPS: ReadonlySet<OpName> = new Set<OpName>([
  "get",
  "getWithHash",
  "set",
  "delete",
  "getBatch",
  "setBatch",
  "keyExists",
  "keysExist",
  "itemGetType",
  "itemGetTtl",
  "updateTtl",
  "dictionarySetField",
  "dictionarySetFields",
  "dictionaryGetField",
  "dictionaryGetFields",
  "dictionaryFetch",
  "dictionaryRemoveFields",
  "dictionaryLength",
  "listFetch",
  "listLength",
  "listRemoveValue",
  "setAddElements",
  "setRemoveElements",
  "setContainsElements",
  "setFetch",
  "setSample",
  "setLength",
  "sortedSetPutElements",
  "sortedSetFetchByRank",
  "sortedSetFetchByScore",
  "sortedSetGetRank",
  "sortedSetGetScores",
  "sortedSetRemoveElements",
  "sortedSetLength",
  "sortedSetLengthByScore",
]);
