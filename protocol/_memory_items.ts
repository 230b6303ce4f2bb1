/**
 * The item table of the reference model (`memory_store.ts`): entries by cache
 * id and key bytes, lazy expiry, type checks, limits and the helpers every
 * operation family shares. Private to the model.
 *
 * @module
 */
import { byteKey } from "./bytes.ts";
import { DEFAULT_STORE_LIMITS, type StoreLimits } from "./data_store.ts";
import { ErrorCode, KvoltError, LimitCause } from "./errors.ts";
import type {
  CollectionTtlArgs,
  FieldValue,
  ItemType,
  Miss,
  OpArgs,
  OpName,
  OpResult,
  ScoredValue,
  Success,
} from "./operations.ts";

/** A scalar value. */
export interface ScalarEntry {
  type: "SCALAR";
  value: Uint8Array;
  /** Absolute expiry, ms on the store's clock; expired when `now() >= expiresAt`. */
  expiresAt: number;
}
/** A dictionary: fields by their bytes (as a {@linkcode byteKey}). */
export interface DictionaryEntry {
  type: "DICTIONARY";
  fields: Map<string, FieldValue>;
  /** Logical size (`logicalSize.dictionary` summed). */
  size: number;
  expiresAt: number;
}
/** A list, front first. */
export interface ListEntry {
  type: "LIST";
  values: Uint8Array[];
  size: number;
  expiresAt: number;
}
/** A set: elements by their bytes. */
export interface SetEntry {
  type: "SET";
  elements: Map<string, Uint8Array>;
  size: number;
  expiresAt: number;
}
/** A sorted set: members by their value bytes. */
export interface SortedSetEntry {
  type: "SORTED_SET";
  members: Map<string, ScoredValue>;
  size: number;
  expiresAt: number;
}
/** Any stored item. */
export type Entry =
  | ScalarEntry
  | DictionaryEntry
  | ListEntry
  | SetEntry
  | SortedSetEntry;
/** The collection types. */
export type CollectionType = Exclude<ItemType, "SCALAR">;
/** The entry of one type. */
export type EntryOf<T extends ItemType> = Extract<Entry, { type: T }>;

/** The shared (frozen) Success result. */
export const SUCCESS: Readonly<Success> = Object.freeze({ type: "Success" });
/** The shared (frozen) Miss result. */
export const MISS: Readonly<Miss> = Object.freeze({ type: "Miss" });

/** One operation's implementation in the model. */
export type Handler<K extends OpName> = (
  items: MemoryItems,
  cacheId: number,
  args: OpArgs<K>,
) => OpResult<K>;
/** Implementations of a family of operations. */
export type Handlers<K extends OpName> = { readonly [P in K]: Handler<P> };

/**
 * Applies a Python-style slice to a length: `start` inclusive (default 0),
 * `end` exclusive (default the length), negatives count from the end, both
 * clamped to [0, length], fractions truncated, NaN as the default.
 *
 * @returns `[from, to]` with `from <= to`
 */
export function sliceBounds(
  length: number,
  start: number | undefined,
  end: number | undefined,
): [number, number] {
  const at = (i: number | undefined, fallback: number) => {
    if (i === undefined || Number.isNaN(i)) return fallback;
    const t = Math.trunc(i);
    return Math.min(length, Math.max(0, t < 0 ? t + length : t));
  };
  const from = at(start, 0);
  return [from, Math.max(from, at(end, length))];
}

/** Entries by cache id and key, with lazy expiry and the store's limits. */
export class MemoryItems {
  readonly #caches = new Map<number, Map<string, Entry>>();
  /** The store's clock, in ms. */
  readonly now: () => number;
  /** Random numbers in [0, 1), for setSample and setPop. */
  readonly random: () => number;
  /** The limits in force. */
  readonly limits: StoreLimits;

  /**
   * @param now the clock
   * @param limits limits, defaults filled in
   * @param random random numbers in [0, 1)
   */
  constructor(
    now: () => number,
    limits: Partial<StoreLimits>,
    random: () => number,
  ) {
    this.now = now;
    this.random = random;
    this.limits = { ...DEFAULT_STORE_LIMITS, ...limits };
  }

  /** The live entry of a key; an expired entry is dropped and absent. */
  find(cacheId: number, key: Uint8Array): Entry | undefined {
    const items = this.#caches.get(cacheId);
    if (items === undefined) return undefined;
    const id = byteKey(key);
    const entry = items.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      items.delete(id);
      return undefined;
    }
    return entry;
  }

  /**
   * The live collection of `type` at `key`, or undefined when absent.
   * Throws FAILED_PRECONDITION_ERROR when the key holds another type.
   */
  collection<T extends CollectionType>(
    cacheId: number,
    key: Uint8Array,
    type: T,
    op: OpName,
  ): EntryOf<T> | undefined {
    const entry = this.find(cacheId, key);
    if (entry === undefined) return undefined;
    if (entry.type !== type) throw wrongType(op, entry.type, type);
    return entry as EntryOf<T>;
  }

  /** Stores (or replaces) the entry of a key. */
  put(cacheId: number, key: Uint8Array, entry: Entry): void {
    let items = this.#caches.get(cacheId);
    if (items === undefined) {
      items = new Map();
      this.#caches.set(cacheId, items);
    }
    items.set(byteKey(key), entry);
  }

  /** Removes the entry of a key, if any. */
  remove(cacheId: number, key: Uint8Array): void {
    this.#caches.get(cacheId)?.delete(byteKey(key));
  }

  /** Removes every entry of a cache. */
  flush(cacheId: number): void {
    this.#caches.delete(cacheId);
  }

  /** Throws LIMIT_EXCEEDED_ERROR when key + value pass `maxItemBytes`. */
  checkScalar(op: OpName, key: Uint8Array, value: Uint8Array): void {
    const bytes = key.length + value.length;
    if (bytes > this.limits.maxItemBytes) {
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${op}: the item is larger than the ${this.limits.maxItemBytes}-byte limit: received ${bytes} bytes`,
        LimitCause.ITEM_SIZE,
      );
    }
  }

  /**
   * Throws LIMIT_EXCEEDED_ERROR (item_size_limit_exceeded) when a collection
   * of `length` elements and logical `size` under `key` would not fit.
   */
  checkCollection(
    op: OpName,
    key: Uint8Array,
    size: number,
    length: number,
  ): void {
    const { maxItemBytes, maxCollectionLength } = this.limits;
    if (length > maxCollectionLength) {
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${op}: the collection would hold more than ${maxCollectionLength} elements: ${length}`,
        LimitCause.ITEM_SIZE,
      );
    }
    if (key.length + size > maxItemBytes) {
      throw new KvoltError(
        ErrorCode.LIMIT_EXCEEDED,
        `Cannot run ${op}: the collection would be larger than the ${maxItemBytes}-byte limit: ${
          key.length + size
        } bytes`,
        LimitCause.ITEM_SIZE,
      );
    }
  }

  /**
   * The expiry after a collection write: `now + ttlMs` on creation or when
   * `refreshTtl` is not false; otherwise the existing expiry.
   */
  expiry(existing: Entry | undefined, ttl: CollectionTtlArgs): number {
    if (existing !== undefined && ttl.refreshTtl === false) {
      return existing.expiresAt;
    }
    return this.now() + ttl.ttlMs;
  }
}

/** FAILED_PRECONDITION_ERROR for an operation on a key of another type. */
export function wrongType(
  op: OpName,
  holds: ItemType,
  wanted: ItemType,
): KvoltError {
  return new KvoltError(
    ErrorCode.FAILED_PRECONDITION,
    `Cannot run ${op}: the key holds a ${holds}, not a ${wanted}`,
  );
}
