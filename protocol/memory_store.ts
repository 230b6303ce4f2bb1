/**
 * {@linkcode MemoryStore}: the reference model of every data operation, in
 * plain TypeScript. It is the semantic source of truth: the Wasm-backed store
 * is tested against it with random operation sequences, and the gateway's
 * tests run against it.
 *
 * Semantics, beyond the comments of `operations.ts` and `data_store.ts`:
 * - Expired items are absent everywhere (checked lazily against `now()`; an
 *   item expires when `now() >= created + ttlMs`).
 * - A collection operation on a key holding another type throws
 *   FAILED_PRECONDITION_ERROR ("the key holds a LIST, not a DICTIONARY", never
 *   the key itself) and changes nothing; so do get, getWithHash and increment
 *   on a collection. `set`, `setWithHash`, `setBatch` and `delete` replace or
 *   remove an item of any type; `getBatch` answers Miss for a collection.
 * - Conditional sets see a collection as present and equal to nothing (they
 *   may overwrite it). The size of the value is checked before the condition:
 *   a value that can never fit is an error whatever the condition.
 * - Collection writes apply `CollectionTtl`: `refreshTtl` true (default)
 *   resets the expiry to now + ttlMs, false keeps it (creation sets it).
 *   Reads never change a TTL. Removing the last element removes the item;
 *   a write that leaves a collection empty (e.g. an empty list of elements on
 *   a missing key) creates nothing.
 * - Limits apply to the state after the operation (a list push that is then
 *   truncated counts at its truncated length); on LIMIT_EXCEEDED_ERROR
 *   nothing changes.
 * - Stored bytes are copies of the arguments and returned bytes are copies
 *   of the stored ones: the caller owns both.
 *
 * @module
 */
import { type Handlers, MemoryItems } from "./_memory_items.ts";
import { DICTIONARY_OPS } from "./_memory_dictionary.ts";
import { LIST_OPS } from "./_memory_list.ts";
import { SCALAR_OPS } from "./_memory_scalars.ts";
import { SET_OPS } from "./_memory_set.ts";
import { SORTED_SET_OPS } from "./_memory_sorted_set.ts";
import type { StoreLimits } from "./data_store.ts";
import { KvoltError } from "./errors.ts";
import type { ReadResult, Store } from "./store.ts";
import type { OpArgs, OpName, OpResult } from "./operations.ts";

/** Options of a {@linkcode MemoryStore}. */
export interface MemoryStoreOptions {
  /** The clock, in ms (default `Date.now`); tests pass a fake one. */
  now?: () => number;
  /** Limits; unset ones are {@linkcode DEFAULT_STORE_LIMITS}. */
  limits?: Partial<StoreLimits>;
  /** Random numbers in [0, 1) for setSample and setPop (default `Math.random`). */
  random?: () => number;
}

const HANDLERS: Handlers<OpName> = {
  ...SCALAR_OPS,
  ...DICTIONARY_OPS,
  ...LIST_OPS,
  ...SET_OPS,
  ...SORTED_SET_OPS,
};

/**
 * The reference model: every operation of `operations.ts` on Maps keyed by
 * cache id and key bytes. Synchronous, single-threaded, no timers; unbounded
 * memory (it never evicts).
 *
 * @example Items and collections
 * ```ts
 * import { MemoryStore } from "./memory_store.ts";
 * let now = 0;
 * const store = new MemoryStore({ now: () => now });
 * const key = new TextEncoder().encode("scores");
 * store.execute(1, "sortedSetPutElements", {
 *   key,
 *   elements: [{ value: Uint8Array.of(1), score: 2 }],
 *   ttlMs: 1000,
 * });
 * const rank = store.execute(1, "sortedSetGetRank", { key, value: Uint8Array.of(1) });
 * if (rank.type !== "Hit" || rank.rank !== 0) throw new Error("unexpected rank");
 * now = 1000; // the TTL has run out
 * if (store.execute(1, "sortedSetLength", { key }).type !== "Miss") {
 *   throw new Error("expected a miss");
 * }
 * ```
 */
export class MemoryStore implements Store {
  readonly #items: MemoryItems;

  /** @param options clock, limits and randomness */
  constructor(options: MemoryStoreOptions = {}) {
    this.#items = new MemoryItems(
      options.now ?? Date.now,
      options.limits ?? {},
      options.random ?? Math.random,
    );
  }

  /** The limits in force. */
  get limits(): Readonly<StoreLimits> {
    return this.#items.limits;
  }

  /**
   * Runs one operation.
   *
   * @param cacheId the cache the key belongs to
   * @param op the operation's name
   * @param args its arguments (already validated by the gateway)
   * @returns its result
   * @throws {KvoltError} FAILED_PRECONDITION_ERROR or LIMIT_EXCEEDED_ERROR, see the module doc
   */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): OpResult<K> {
    const handler = HANDLERS[op] as Handlers<K>[K] | undefined;
    if (handler === undefined) throw new TypeError(`Unknown operation: ${op}`);
    return handler(this.#items, cacheId, args);
  }

  /** What `get` gives for each key: the value, undefined, or its error. */
  getMany(cacheId: number, keys: readonly Uint8Array[]): ReadResult[] {
    return keys.map((key) => {
      try {
        const result = this.execute(cacheId, "get", { key });
        return result.type === "Hit" ? result.value : undefined;
      } catch (err) {
        if (err instanceof KvoltError) return err;
        throw err;
      }
    });
  }

  /** Shorthand for the `get` operation: the value, or undefined. */
  get(cacheId: number, key: Uint8Array): Uint8Array | undefined {
    const result = this.execute(cacheId, "get", { key });
    return result.type === "Hit" ? result.value : undefined;
  }

  /** Shorthand for the `set` operation. */
  set(cacheId: number, key: Uint8Array, value: Uint8Array, ttlMs: number) {
    this.execute(cacheId, "set", { key, value, ttlMs });
  }

  /** Shorthand for the `delete` operation. */
  delete(cacheId: number, key: Uint8Array): void {
    this.execute(cacheId, "delete", { key });
  }

  /** Removes every item of the cache. */
  flush(cacheId: number): void {
    this.#items.flush(cacheId);
  }
}
