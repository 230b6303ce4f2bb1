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

/** Access class, keys and element count of every operation. */
export const OPERATIONS: { readonly [K in OpName]: OperationInfo } = {
  get: { access: "read", keys: oneKey, elements: one },
  getWithHash: { access: "read", keys: oneKey, elements: one },
  set: { access: "write", keys: oneKey, elements: one },
  setWithHash: { access: "readWrite", keys: oneKey, elements: one },
  delete: { access: "write", keys: oneKey, elements: one },
  setIfAbsent: { access: "readWrite", keys: oneKey, elements: one },
  setIfPresent: { access: "readWrite", keys: oneKey, elements: one },
  setIfEqual: { access: "readWrite", keys: oneKey, elements: one },
  setIfNotEqual: { access: "readWrite", keys: oneKey, elements: one },
  setIfPresentAndNotEqual: { access: "readWrite", keys: oneKey, elements: one },
  setIfAbsentOrEqual: { access: "readWrite", keys: oneKey, elements: one },
  setIfPresentAndHashEqual: {
    access: "readWrite",
    keys: oneKey,
    elements: one,
  },
  setIfPresentAndHashNotEqual: {
    access: "readWrite",
    keys: oneKey,
    elements: one,
  },
  setIfAbsentOrHashEqual: { access: "readWrite", keys: oneKey, elements: one },
  setIfAbsentOrHashNotEqual: {
    access: "readWrite",
    keys: oneKey,
    elements: one,
  },
  increment: { access: "readWrite", keys: oneKey, elements: one },
  keyExists: { access: "read", keys: oneKey, elements: one },
  keysExist: {
    access: "read",
    keys: (a) => a.keys as Uint8Array[],
    elements: count("keys"),
  },
  updateTtl: { access: "readWrite", keys: oneKey, elements: one },
  increaseTtl: { access: "readWrite", keys: oneKey, elements: one },
  decreaseTtl: { access: "readWrite", keys: oneKey, elements: one },
  itemGetTtl: { access: "read", keys: oneKey, elements: one },
  itemGetType: { access: "read", keys: oneKey, elements: one },
  getBatch: {
    access: "read",
    keys: (a) => a.keys as Uint8Array[],
    elements: count("keys"),
  },
  setBatch: {
    access: "write",
    keys: (a) => (a.items as { key: Uint8Array }[]).map((i) => i.key),
    elements: count("items"),
  },
  dictionarySetField: { access: "write", keys: oneKey, elements: one },
  dictionarySetFields: {
    access: "write",
    keys: oneKey,
    elements: count("fields"),
  },
  dictionaryGetField: { access: "read", keys: oneKey, elements: one },
  dictionaryGetFields: {
    access: "read",
    keys: oneKey,
    elements: count("fields"),
  },
  dictionaryFetch: { access: "read", keys: oneKey, elements: one },
  dictionaryIncrement: { access: "readWrite", keys: oneKey, elements: one },
  dictionaryRemoveFields: {
    access: "write",
    keys: oneKey,
    elements: count("fields"),
  },
  dictionaryLength: { access: "read", keys: oneKey, elements: one },
  listPushFront: { access: "readWrite", keys: oneKey, elements: one },
  listPushBack: { access: "readWrite", keys: oneKey, elements: one },
  listConcatenateFront: {
    access: "readWrite",
    keys: oneKey,
    elements: count("values"),
  },
  listConcatenateBack: {
    access: "readWrite",
    keys: oneKey,
    elements: count("values"),
  },
  listPopFront: { access: "readWrite", keys: oneKey, elements: one },
  listPopBack: { access: "readWrite", keys: oneKey, elements: one },
  listFetch: { access: "read", keys: oneKey, elements: one },
  listRetain: { access: "write", keys: oneKey, elements: one },
  listRemoveValue: { access: "write", keys: oneKey, elements: one },
  listLength: { access: "read", keys: oneKey, elements: one },
  setAddElements: {
    access: "write",
    keys: oneKey,
    elements: count("elements"),
  },
  setRemoveElements: {
    access: "write",
    keys: oneKey,
    elements: count("elements"),
  },
  setContainsElements: {
    access: "read",
    keys: oneKey,
    elements: count("elements"),
  },
  setFetch: { access: "read", keys: oneKey, elements: one },
  setSample: { access: "read", keys: oneKey, elements: one },
  setPop: { access: "readWrite", keys: oneKey, elements: one },
  setLength: { access: "read", keys: oneKey, elements: one },
  sortedSetPutElements: {
    access: "write",
    keys: oneKey,
    elements: count("elements"),
  },
  sortedSetFetchByRank: { access: "read", keys: oneKey, elements: one },
  sortedSetFetchByScore: { access: "read", keys: oneKey, elements: one },
  sortedSetGetRank: { access: "read", keys: oneKey, elements: one },
  sortedSetGetScores: {
    access: "read",
    keys: oneKey,
    elements: count("values"),
  },
  sortedSetIncrementScore: { access: "readWrite", keys: oneKey, elements: one },
  sortedSetRemoveElements: {
    access: "write",
    keys: oneKey,
    elements: count("values"),
  },
  sortedSetLength: { access: "read", keys: oneKey, elements: one },
  sortedSetLengthByScore: { access: "read", keys: oneKey, elements: one },
  sortedSetUnionStore: {
    access: "readWrite",
    keys: (a) => [
      a.key as Uint8Array,
      ...(a.sources as { key: Uint8Array }[]).map((s) => s.key),
    ],
    elements: count("sources"),
  },
};

/** Every operation name, in catalogue order. */
export const OP_NAMES = Object.keys(OPERATIONS) as OpName[];
