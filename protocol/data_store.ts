/**
 What every store of the contract (`Store` in `store.ts`) enforces itself:
 * the errors only a store can know and its limits. Two implementations keep
 * each other honest: the reference model (`protocol/memory_store.ts`, plain
 * JS, the semantics as written) and the node's Wasm-backed `ShardHost`;
 * contract tests run the same operations against both.
 *
 * Arguments reaching a store are already validated by the gateway (shapes,
 * key/element sizes, TTL bounds; see `gateway/op_validation.ts`). A store
 * still raises what only it can know, as `KvoltError`s:
 * - FAILED_PRECONDITION_ERROR: the key holds another type than the operation
 *   works on ("Cannot run dictionaryFetch: the key holds a LIST, not a
 *   DICTIONARY"; never the key's bytes), or increment on a value
 *   that is not int64 text, or an increment that overflows int64. Nothing is
 *   changed.
 * - LIMIT_EXCEEDED_ERROR `item_size_limit_exceeded`: the item (for a
 *   collection, its {@linkcode logicalSize}) would pass `maxItemBytes`, or a
 *   collection would pass `maxCollectionLength`. Nothing is changed.
 *
 * @module
 */

/** Limits a store enforces itself (they depend on what is stored). */
export interface StoreLimits {
  /** Largest item: key + value, or key + the collection's logical size. Default 5 MiB. */
  maxItemBytes: number;
  /** Most elements (fields, values, members) in one collection. Default unlimited. */
  maxCollectionLength: number;
}

/** Momento's defaults. */
export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxItemBytes: 5 * 1024 * 1024,
  maxCollectionLength: Number.POSITIVE_INFINITY,
};

/**
 * The size a collection counts against `maxItemBytes`, the same in every
 * store: the sum over its elements of
 * - dictionary: field bytes + value bytes,
 * - list: value bytes,
 * - set: element bytes,
 * - sorted set: value bytes + 8 (the score).
 */
export const logicalSize = {
  dictionary: (field: Uint8Array, value: Uint8Array) =>
    field.length + value.length,
  list: (value: Uint8Array) => value.length,
  set: (element: Uint8Array) => element.length,
  sortedSet: (value: Uint8Array) => value.length + 8,
} as const;
