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

/** Item types, as `itemGetType` reports them (Momento's names). */
export type ItemType = "SCALAR" | "DICTIONARY" | "SET" | "LIST" | "SORTED_SET";

/** Bytes on the JSON wire: UTF-8 text, or any bytes as base64. */
export type WireBytes = string | { base64: string };

/** The TTL of a collection write (Momento's `CollectionTtl`). */
export interface CollectionTtlArgs {
  /** TTL in ms, from 1 to the deployment's maximum. */
  ttlMs: number;
  /** When true (the default), every write resets the TTL; when false, only creation sets it. */
  refreshTtl?: boolean;
}

/** Sort order for sorted-set reads. Default ASC. */
export type SortOrder = "ASC" | "DESC";

/** How sortedSetUnionStore combines the scores of one value. Default SUM. */
export type Aggregate = "SUM" | "MIN" | "MAX";

/** A score range; a missing bound is unbounded; bounds are inclusive unless marked exclusive. */
export interface ScoreRange {
  minScore?: number;
  maxScore?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** Found. */
export interface Hit {
  type: "Hit";
}
/** Not found (missing key, missing field, or expired). */
export interface Miss {
  type: "Miss";
}
/** Done. */
export interface Success {
  type: "Success";
}

type HitWith<T extends object> = Hit & T;
type SuccessWith<T extends object> = Success & T;
type Bytes = Uint8Array;

/** A sorted-set element. */
export interface ScoredValue {
  value: Bytes;
  score: number;
}

/** A dictionary field. */
export interface FieldValue {
  field: Bytes;
  value: Bytes;
}

/** Per-key or per-field lookup result inside a batch. */
export type ValueLookup = HitWith<{ value: Bytes }> | Miss;

/** Arguments and result of every operation, by name. */
export interface Operations {
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
   * nothing stored. The TTL is set on creation only (Momento's behaviour).
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

  // ---- dictionaries (hash table in the core) -------------------------------
  dictionarySetField: {
    args: { key: Bytes; field: Bytes; value: Bytes } & CollectionTtlArgs;
    result: Success;
  };
  dictionarySetFields: {
    args: { key: Bytes; fields: FieldValue[] } & CollectionTtlArgs;
    result: Success;
  };
  dictionaryGetField: {
    args: { key: Bytes; field: Bytes };
    result: ValueLookup;
  };
  /** Miss when the dictionary is missing; otherwise one lookup per field, in order. */
  dictionaryGetFields: {
    args: { key: Bytes; fields: Bytes[] };
    result: HitWith<{ results: ValueLookup[] }> | Miss;
  };
  /** Fields in no particular order. */
  dictionaryFetch: {
    args: { key: Bytes };
    result: HitWith<{ fields: FieldValue[] }> | Miss;
  };
  /** Like `increment`, on one field; the collection TTL applies to the dictionary. */
  dictionaryIncrement: {
    args: { key: Bytes; field: Bytes; amount: number } & CollectionTtlArgs;
    result: SuccessWith<{ value: number }>;
  };
  /** Removing the last field removes the dictionary. */
  dictionaryRemoveFields: {
    args: { key: Bytes; fields: Bytes[] };
    result: Success;
  };
  dictionaryLength: {
    args: { key: Bytes };
    result: HitWith<{ length: number }> | Miss;
  };

  // ---- lists (O(1) at both ends) -------------------------------------------
  /** Returns the new length; `truncateBackToSize` drops values from the back after the push. */
  listPushFront: {
    args:
      & { key: Bytes; value: Bytes; truncateBackToSize?: number }
      & CollectionTtlArgs;
    result: SuccessWith<{ length: number }>;
  };
  listPushBack: {
    args:
      & { key: Bytes; value: Bytes; truncateFrontToSize?: number }
      & CollectionTtlArgs;
    result: SuccessWith<{ length: number }>;
  };
  /** Values keep their order: [a, b] concatenated to the front of [c] gives [a, b, c]. */
  listConcatenateFront: {
    args:
      & { key: Bytes; values: Bytes[]; truncateBackToSize?: number }
      & CollectionTtlArgs;
    result: SuccessWith<{ length: number }>;
  };
  listConcatenateBack: {
    args:
      & { key: Bytes; values: Bytes[]; truncateFrontToSize?: number }
      & CollectionTtlArgs;
    result: SuccessWith<{ length: number }>;
  };
  /** Popping the last value removes the list. */
  listPopFront: { args: { key: Bytes }; result: ValueLookup };
  listPopBack: { args: { key: Bytes }; result: ValueLookup };
  /**
   * Values from `startIndex` (inclusive, default 0) to `endIndex` (exclusive,
   * default the length); negative indexes count from the end. An empty range is
   * a Hit with no values.
   */
  listFetch: {
    args: { key: Bytes; startIndex?: number; endIndex?: number };
    result: HitWith<{ values: Bytes[] }> | Miss;
  };
  /** Keeps only the range (as listFetch); an empty result removes the list. */
  listRetain: {
    args:
      & { key: Bytes; startIndex?: number; endIndex?: number }
      & Partial<CollectionTtlArgs>;
    result: Success;
  };
  /** Removes every occurrence. */
  listRemoveValue: { args: { key: Bytes; value: Bytes }; result: Success };
  listLength: {
    args: { key: Bytes };
    result: HitWith<{ length: number }> | Miss;
  };

  // ---- sets (hash table in the core) ---------------------------------------
  setAddElements: {
    args: { key: Bytes; elements: Bytes[] } & CollectionTtlArgs;
    result: Success;
  };
  /** Removing the last element removes the set. */
  setRemoveElements: {
    args: { key: Bytes; elements: Bytes[] };
    result: Success;
  };
  setContainsElements: {
    args: { key: Bytes; elements: Bytes[] };
    result: HitWith<{ contains: boolean[] }> | Miss;
  };
  /** Elements in no particular order. */
  setFetch: {
    args: { key: Bytes };
    result: HitWith<{ elements: Bytes[] }> | Miss;
  };
  /** Up to `limit` distinct elements chosen at random. */
  setSample: {
    args: { key: Bytes; limit: number };
    result: HitWith<{ elements: Bytes[] }> | Miss;
  };
  /** Removes and returns up to `count` elements chosen at random. */
  setPop: {
    args: { key: Bytes; count: number };
    result: HitWith<{ elements: Bytes[] }> | Miss;
  };
  setLength: {
    args: { key: Bytes };
    result: HitWith<{ length: number }> | Miss;
  };

  // ---- sorted sets (skiplist + member index in the core) -------------------
  // Order: by score, ties by value bytes (unsigned lexicographic). Scores are
  // finite float64; NaN and infinities are INVALID_ARGUMENT_ERROR.
  /** Sets each value's score (adds the value when new). */
  sortedSetPutElements: {
    args: { key: Bytes; elements: ScoredValue[] } & CollectionTtlArgs;
    result: Success;
  };
  /** Ranks from `startRank` (inclusive, default 0) to `endRank` (exclusive, default the length); negatives count from the end. */
  sortedSetFetchByRank: {
    args: {
      key: Bytes;
      order?: SortOrder;
      startRank?: number;
      endRank?: number;
    };
    result: HitWith<{ elements: ScoredValue[] }> | Miss;
  };
  /** Elements in the score range, in `order`, skipping `offset` (default 0), at most `count` (default all). */
  sortedSetFetchByScore: {
    args:
      & { key: Bytes; order?: SortOrder; offset?: number; count?: number }
      & ScoreRange;
    result: HitWith<{ elements: ScoredValue[] }> | Miss;
  };
  /** 0-based rank in `order`; Miss when the set or the value is missing. */
  sortedSetGetRank: {
    args: { key: Bytes; value: Bytes; order?: SortOrder };
    result: HitWith<{ rank: number }> | Miss;
  };
  sortedSetGetScores: {
    args: { key: Bytes; values: Bytes[] };
    result: HitWith<{ results: (HitWith<{ score: number }> | Miss)[] }> | Miss;
  };
  /** Adds `amount` (a new value starts at 0); returns the new score. */
  sortedSetIncrementScore: {
    args: { key: Bytes; value: Bytes; amount: number } & CollectionTtlArgs;
    result: SuccessWith<{ score: number }>;
  };
  /** Removing the last element removes the sorted set. */
  sortedSetRemoveElements: {
    args: { key: Bytes; values: Bytes[] };
    result: Success;
  };
  sortedSetLength: {
    args: { key: Bytes };
    result: HitWith<{ length: number }> | Miss;
  };
  sortedSetLengthByScore: {
    args: { key: Bytes } & ScoreRange;
    result: HitWith<{ length: number }> | Miss;
  };
  /**
   * Stores into `key` the union of the sorted sets `sources` (each score times
   * its weight, combined by `aggregate`). `key` is not implicitly a source; a
   * missing source counts as empty; an empty union removes `key`. The result
   * always expires `ttlMs` from now, whatever `refreshTtl` (Momento: "it is
   * overwritten with the result and its ttl is set to the given ttl").
   */
  sortedSetUnionStore: {
    args:
      & {
        key: Bytes;
        sources: { key: Bytes; weight: number }[];
        aggregate?: Aggregate;
      }
      & CollectionTtlArgs;
    result: SuccessWith<{ length: number }>;
  };
}

/** Stored or not, for conditional sets. */
export type Stored = { type: "Stored" } | { type: "NotStored" };
/** Stored (with the new value's hash) or not. */
export type StoredWithHash = { type: "Stored"; hash: Bytes } | {
  type: "NotStored";
};
/** Outcome of a TTL change. */
export type TtlChange = { type: "Set" } | { type: "NotSet" } | Miss;

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
