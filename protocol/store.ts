/**
 * What the gateway needs from the place items live. The gateway depends on this
 * interface only, never on the Wasm core; the core knows nothing of HTTP.
 *
 * Items are namespaced by the numeric id of their cache (assigned by the control
 * service, never reused), so caches with equal keys never collide.
 *
 * @module
 */

import type { CacheLimits } from "./cache_limits.ts";
import type { KvoltError } from "./errors.ts";
import type { OpArgs, OpName, OpResult } from "./operations.ts";

export type { CacheLimits };

/** A value or a Promise of it: what a store may answer. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What one key of {@linkcode Store.getMany} gives: the value, `undefined` on
 * a miss or an expired item, or the `KvoltError` a `get` of that key throws
 * (the key holds a collection).
 */
export type ReadResult = Uint8Array | undefined | KvoltError;

/**
 * The store contract (v2): the one seam between the gateway and wherever
 * items live: a local Wasm shard, the reference model, a shard in a Worker,
 * a node across the network. Operations go in as values
 * (`protocol/operations.ts`) and results come out; nothing else crosses it.
 *
 * A store may answer synchronously or with a Promise. Callers await only
 * when they get a Promise, so a local store costs no microtask.
 *
 * Bytes:
 * - Argument bytes are the store's to read during the call only (it copies
 *   what it keeps); a caller may reuse its buffers once the call returned,
 *   even when the answer is a Promise.
 * - Result bytes of a synchronous answer may be views that the store
 *   overwrites at its next call (a local store hands out its memory: no
 *   copy). The caller uses or copies them before it calls the store again.
 *   Result bytes of a Promise are the caller's.
 *
 * Errors: every expected failure is a `KvoltError` (see `data_store.ts` for
 * the ones only a store can know), thrown or as the Promise's rejection.
 */
export interface Store {
  /** Runs one operation of the catalogue. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>>;
  /**
   * What `get` gives for each key of one cache, in order (duplicates
   * allowed); a collection is that key's error, not the whole call's.
   */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]>;
  /** Removes every item of the cache. */
  flush(cacheId: number): MaybePromise<void>;
}

/** Where an item is: its cache and its key. */
export interface ItemKey {
  cacheId: number;
  key: Uint8Array;
}

/**
 * A local store that lists what it holds of some slots: a slot move
 * (`peer/slot_mover.ts`) copies and drops slots through it.
 */
export interface SlotListing {
  /**
   * The keys of every live item in the slots `inSlot` accepts, copied.
   * Synchronous: nothing writes to the store in between.
   */
  keysIn(inSlot: (slot: number) => boolean): ItemKey[];
}

/** A cache as the control service knows it. */
export interface CacheInfo {
  /** Name users address it by. */
  name: string;
  /** Numeric id that namespaces its items; never reused. */
  id: number;
  /** Creation time, ISO 8601. */
  createdAt: string;
  /** Its own rate limits, when set; else the deployment's defaults apply. */
  limits?: CacheLimits;
}

/** The control service's list of caches, as the gateway sees it. */
export interface CacheRegistry {
  /** The cache of that name, or undefined. */
  lookup(name: string): CacheInfo | undefined;
  /** Creates a cache; throws ALREADY_EXISTS_ERROR or INVALID_ARGUMENT_ERROR. */
  create(name: string): Promise<CacheInfo>;
  /** Deletes a cache; throws NOT_FOUND_ERROR. Items are flushed by the caller. */
  delete(name: string): Promise<CacheInfo>;
  /** Every cache, sorted by name. */
  list(): CacheInfo[];
  /**
   * Replaces a cache's rate limits (an empty object: back to the defaults);
   * throws NOT_FOUND_ERROR.
   */
  setLimits(name: string, limits: CacheLimits): Promise<CacheInfo>;
}
