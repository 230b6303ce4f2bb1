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

export type { CacheLimits };

/** Scalar item storage, namespaced by cache id. */
export interface ItemStore {
  /** The value, as bytes the caller owns, or undefined on a miss or expired item. */
  get(cacheId: number, key: Uint8Array): Uint8Array | undefined;
  /**
   * Optional: what `get` gives, but as a view the store may overwrite at its
   * next call, for a caller that copies the value at once (the GET route:
   * `new Response` copies its body). Saves `get`'s own copy.
   */
  getView?(cacheId: number, key: Uint8Array): Uint8Array | undefined;
  /**
   * Stores a value that expires `ttlMs` milliseconds from now.
   * Throws a `KvoltError` (LIMIT_EXCEEDED_ERROR, item_size_limit_exceeded) when
   * the item can never fit.
   */
  set(cacheId: number, key: Uint8Array, value: Uint8Array, ttlMs: number): void;
  /** Removes the item; succeeds when it is absent. */
  delete(cacheId: number, key: Uint8Array): void;
  /** Removes every item of the cache. */
  flush(cacheId: number): void;
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
   * throws NOT_FOUND_ERROR. Optional: registries without it cannot store
   * per-cache limits.
   */
  setLimits?(name: string, limits: CacheLimits): Promise<CacheInfo>;
}
