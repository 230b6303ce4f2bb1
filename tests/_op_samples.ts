/**
 * TEST-ONLY: valid arguments for every operation of the catalogue
 * (`protocol/operations.ts`), built around given keys, and the access class
 * each operation should have under Momento's permission model, written down
 * independently of the catalogue. Used by the permission matrix.
 *
 * @module
 */

import type { Access, OpArgs, OpName } from "../protocol/operations.ts";

const text = (s: string) => new TextEncoder().encode(s);
const v = text("v");
/** A hash of the right size (8 bytes, `protocol/value_hash.ts`). */
const h = new Uint8Array(8);
const ttl = { ttlMs: 60_000 };

/** Keys an operation's arguments are built around. */
export interface SampleKeys {
  /** The item (collection) key. */
  key: Uint8Array;
  /** Keys of multi-key operations (batches, union sources); at least one. */
  keys: Uint8Array[];
}

/** Valid arguments for every operation, touching exactly the sample's keys. */
export const SAMPLE_ARGS: {
  readonly [K in OpName]: (k: SampleKeys) => OpArgs<K>;
} = {
  get: ({ key }) => ({ key }),
  getWithHash: ({ key }) => ({ key }),
  set: ({ key }) => ({ key, value: v, ...ttl }),
  setWithHash: ({ key }) => ({ key, value: v, ...ttl }),
  delete: ({ key }) => ({ key }),
  getAndDelete: ({ key }) => ({ key }),
  setIfAbsent: ({ key }) => ({ key, value: v, ...ttl }),
  setIfPresent: ({ key }) => ({ key, value: v, ...ttl }),
  setIfEqual: ({ key }) => ({ key, value: v, equal: v, ...ttl }),
  setIfNotEqual: ({ key }) => ({ key, value: v, notEqual: v, ...ttl }),
  setIfPresentAndNotEqual: ({ key }) => ({
    key,
    value: v,
    notEqual: v,
    ...ttl,
  }),
  setIfAbsentOrEqual: ({ key }) => ({ key, value: v, equal: v, ...ttl }),
  setIfPresentAndHashEqual: ({ key }) => ({
    key,
    value: v,
    hashEqual: h,
    ...ttl,
  }),
  setIfPresentAndHashNotEqual: ({ key }) => ({
    key,
    value: v,
    hashNotEqual: h,
    ...ttl,
  }),
  setIfAbsentOrHashEqual: ({ key }) => ({
    key,
    value: v,
    hashEqual: h,
    ...ttl,
  }),
  setIfAbsentOrHashNotEqual: ({ key }) => ({
    key,
    value: v,
    hashNotEqual: h,
    ...ttl,
  }),
  increment: ({ key }) => ({ key, amount: 1, ...ttl }),
  keyExists: ({ key }) => ({ key }),
  keysExist: ({ keys }) => ({ keys }),
  updateTtl: ({ key }) => ({ key, ...ttl }),
  increaseTtl: ({ key }) => ({ key, ...ttl }),
  decreaseTtl: ({ key }) => ({ key, ...ttl }),
  itemGetTtl: ({ key }) => ({ key }),
  itemGetType: ({ key }) => ({ key }),
  getBatch: ({ keys }) => ({ keys }),
  setBatch: ({ keys }) => ({
    items: keys.map((key) => ({ key, value: v, ...ttl })),
  }),
  dictionarySetField: ({ key }) => ({ key, field: v, value: v, ...ttl }),
  dictionarySetFields: ({ key }) => ({
    key,
    fields: [{ field: v, value: v }],
    ...ttl,
  }),
  dictionaryGetField: ({ key }) => ({ key, field: v }),
  dictionaryGetFields: ({ key }) => ({ key, fields: [v] }),
  dictionaryFetch: ({ key }) => ({ key }),
  dictionaryIncrement: ({ key }) => ({ key, field: v, amount: 1, ...ttl }),
  dictionaryRemoveFields: ({ key }) => ({ key, fields: [v] }),
  dictionaryLength: ({ key }) => ({ key }),
  listPushFront: ({ key }) => ({ key, value: v, ...ttl }),
  listPushBack: ({ key }) => ({ key, value: v, ...ttl }),
  listConcatenateFront: ({ key }) => ({ key, values: [v], ...ttl }),
  listConcatenateBack: ({ key }) => ({ key, values: [v], ...ttl }),
  listPopFront: ({ key }) => ({ key }),
  listPopBack: ({ key }) => ({ key }),
  listFetch: ({ key }) => ({ key }),
  listRetain: ({ key }) => ({ key, startIndex: 0, endIndex: 1 }),
  listRemoveValue: ({ key }) => ({ key, value: v }),
  listLength: ({ key }) => ({ key }),
  setAddElements: ({ key }) => ({ key, elements: [v], ...ttl }),
  setRemoveElements: ({ key }) => ({ key, elements: [v] }),
  setContainsElements: ({ key }) => ({ key, elements: [v] }),
  setFetch: ({ key }) => ({ key }),
  setSample: ({ key }) => ({ key, limit: 1 }),
  setPop: ({ key }) => ({ key, count: 1 }),
  setLength: ({ key }) => ({ key }),
  sortedSetPutElements: ({ key }) => ({
    key,
    elements: [{ value: v, score: 1 }],
    ...ttl,
  }),
  sortedSetFetchByRank: ({ key }) => ({ key }),
  sortedSetFetchByScore: ({ key }) => ({ key }),
  sortedSetGetRank: ({ key }) => ({ key, value: v }),
  sortedSetGetScores: ({ key }) => ({ key, values: [v] }),
  sortedSetIncrementScore: ({ key }) => ({ key, value: v, amount: 1, ...ttl }),
  sortedSetRemoveElements: ({ key }) => ({ key, values: [v] }),
  sortedSetLength: ({ key }) => ({ key }),
  sortedSetLengthByScore: ({ key }) => ({ key }),
  sortedSetUnionStore: ({ key, keys }) => ({
    key,
    sources: keys.map((k) => ({ key: k, weight: 1 })),
    ...ttl,
  }),
};

/** Operations whose arguments name several keys (every one is checked). */
export const MULTI_KEY_OPS: ReadonlySet<OpName> = new Set<OpName>([
  "keysExist",
  "getBatch",
  "setBatch",
  "sortedSetUnionStore",
]);

const READS: OpName[] = [
  "get",
  "getWithHash",
  "keyExists",
  "keysExist",
  "itemGetTtl",
  "itemGetType",
  "getBatch",
  "dictionaryGetField",
  "dictionaryGetFields",
  "dictionaryFetch",
  "dictionaryLength",
  "listFetch",
  "listLength",
  "setContainsElements",
  "setFetch",
  "setSample",
  "setLength",
  "sortedSetFetchByRank",
  "sortedSetFetchByScore",
  "sortedSetGetRank",
  "sortedSetGetScores",
  "sortedSetLength",
  "sortedSetLengthByScore",
];

/** Plain writes that say nothing about prior state: what writeonly may run. */
const PLAIN_WRITES: OpName[] = [
  "set",
  "delete",
  "setBatch",
  "dictionarySetField",
  "dictionarySetFields",
  "dictionaryRemoveFields",
  "listRetain",
  "listRemoveValue",
  "setAddElements",
  "setRemoveElements",
  "sortedSetPutElements",
  "sortedSetRemoveElements",
];

/**
 * The access class each operation should have: reads, plain writes, and
 * everything else (conditional writes, increments, TTL changes, pushes that
 * return a length, pops, union stores) read-write.
 */
export function expectedAccess(op: OpName): Access {
  if (READS.includes(op)) return "read";
  if (PLAIN_WRITES.includes(op)) return "write";
  return "readWrite";
}
