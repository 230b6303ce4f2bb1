/**
 * What the operation handlers of `ShardHost.execute` share: access to the
 * shards, the store's limits, and the one way to run a collection call.
 *
 * @module
 */
import type { StoreLimits } from "../protocol/data_store.ts";
import type {
  CollectionTtlArgs,
  ItemType,
  Miss,
  OpArgs,
  OpName,
  OpResult,
  Success,
} from "../protocol/operations.ts";
import { Flag, Status } from "./_abi.ts";
import type { CollRequest, CollResponse } from "./_core_request.ts";
import { collectionError } from "./core_errors.ts";
import type { WasmShard } from "./shard.ts";

/** The host as the handlers see it. */
export interface ShardAccess {
  readonly limits: StoreLimits;
  /** The shard that holds (cacheId, key). */
  shard(cacheId: number, key: Uint8Array): WasmShard;
  /** The key as stored: the cache id (u32 LE), then the user's key. */
  storedKey(cacheId: number, key: Uint8Array): Uint8Array;
  /** Random numbers in [0, 1) (set sampling). */
  random(): number;
}

/** One operation's implementation. */
export type Handler<K extends OpName> = (
  s: ShardAccess,
  cacheId: number,
  args: OpArgs<K>,
) => OpResult<K>;

/** Implementations of a family of operations. */
export type Handlers<K extends OpName> = { readonly [P in K]: Handler<P> };

/** The shared Success result. */
export const SUCCESS: Readonly<Success> = Object.freeze({ type: "Success" });
/** The shared Miss result. */
export const MISS: Readonly<Miss> = Object.freeze({ type: "Miss" });

/** The request fields of a collection write's TTL. */
export function ttlOf(ttl: Partial<CollectionTtlArgs>): CollRequest {
  if (ttl.ttlMs === undefined) return {};
  return {
    ttlMs: ttl.ttlMs,
    flags: ttl.refreshTtl === false ? 0 : Flag.REFRESH,
  };
}

/** A collection call to the shard of (cacheId, key). */
export interface Call {
  op: OpName;
  /** The type the operation works on. */
  type: ItemType;
  /** The core operation (`Op` in _abi.ts). */
  core: number;
  key: Uint8Array;
  payload?: Uint8Array;
  req?: CollRequest;
}

/**
 * Runs a collection call with the store's limits; throws the `KvoltError`
 * of a failure. A MISS comes back as a status for the caller to handle.
 */
export function call(s: ShardAccess, cacheId: number, c: Call): CollResponse {
  const { maxItemBytes, maxCollectionLength } = s.limits;
  const res = s.shard(cacheId, c.key).collection(
    c.core,
    s.storedKey(cacheId, c.key),
    c.payload ?? new Uint8Array(0),
    {
      maxLogical: maxItemBytes - c.key.length,
      maxCount: maxCollectionLength,
      ...c.req,
    },
  );
  if (res.status < 0 && res.status !== Status.MISS) {
    throw collectionError(res.status, {
      op: c.op,
      wanted: c.type,
      found: res.type,
      maxItemBytes,
      maxCollectionLength,
    });
  }
  return res;
}

/** True when a call found nothing. */
export function missed(res: CollResponse): boolean {
  return res.status === Status.MISS;
}
