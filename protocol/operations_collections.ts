/**
 * Collection operations of the catalogue: dictionaries, lists, sets and
 * sorted sets. Part of {@linkcode Operations} in `operations.ts`.
 *
 * @module
 */
import type {
  Aggregate,
  Bytes,
  CollectionTtlArgs,
  FieldValue,
  HitWith,
  Miss,
  ScoredValue,
  ScoreRange,
  SortOrder,
  Success,
  SuccessWith,
  ValueLookup,
} from "./operation_types.ts";

/** Arguments and result of every collection operation, by name. */
export interface CollectionOperations {
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
