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
import type { CollCall } from "./_core_request.ts";
import type { Payload } from "./collection_codec.ts";
import { collectionError } from "./core_errors.ts";
import type { WasmShard } from "./shard.ts";

/** The host as the handlers see it. */
export interface ShardAccess {
  readonly limits: StoreLimits;
  /** The shard that holds (cacheId, key). */
  shard(cacheId: number, key: Uint8Array): WasmShard;
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

/** What a collection call runs: its operation, the type it works on, the core's op. */
export interface OpSpec {
  readonly op: OpName;
  /** The type the operation works on. */
  readonly type: ItemType;
  /** The core operation (`Op` in _abi.ts). */
  readonly core: number;
}

/** An {@linkcode OpSpec} (every spec has this one shape). */
export function spec(op: OpName, type: ItemType, core: number): OpSpec {
  return { op, type, core };
}

/**
 * Starts a collection call on the shard of (cacheId, key): the stored key
 * and the payload (`items` in the `payload` format) are written straight
 * into the core's memory, the request fields reset. Set the request fields
 * on the returned call (`ttlMs`, `flags`, `a`, `b`, `x`, `y`; see
 * {@linkcode withTtl}), then {@linkcode run} it, with no other call on the
 * store in between. Anything computed through the store must be computed
 * before `begin`: the shard has one call object.
 */
export function begin<T>(
  s: ShardAccess,
  cacheId: number,
  key: Uint8Array,
  payload?: Payload<T>,
  items?: T,
): CollCall {
  const cc = s.shard(cacheId, key).collCall;
  if (payload === undefined) cc.begin(key, cacheId, 0);
  else {
    cc.begin(key, cacheId, payload.size(items as T));
    payload.write(cc, items as T);
  }
  return cc;
}

/** Sets a collection write's TTL on a started call. */
export function withTtl(cc: CollCall, ttl: Partial<CollectionTtlArgs>): void {
  if (ttl.ttlMs === undefined) return;
  cc.ttlMs = ttl.ttlMs;
  cc.flags |= ttl.refreshTtl === false ? 0 : Flag.REFRESH;
}

/**
 * Runs a started call with the store's limits; throws the `KvoltError` of
 * a failure. A MISS comes back as a status for the caller to handle. Read
 * the result before anything else calls the store.
 */
export function run(s: ShardAccess, cc: CollCall, sp: OpSpec): CollCall {
  const { maxItemBytes, maxCollectionLength } = s.limits;
  const status = cc.run(
    sp.core,
    maxItemBytes - cc.keyLength,
    maxCollectionLength,
  );
  if (status < 0 && status !== Status.MISS) {
    throw collectionError(status, {
      op: sp.op,
      wanted: sp.type,
      found: cc.type(),
      maxItemBytes,
      maxCollectionLength,
    });
  }
  return cc;
}

/** `begin` then `run`, for a call whose request fields keep their defaults. */
export function call<T>(
  s: ShardAccess,
  cacheId: number,
  sp: OpSpec,
  key: Uint8Array,
  payload?: Payload<T>,
  items?: T,
): CollCall {
  return run(s, begin(s, cacheId, key, payload, items), sp);
}

/** True when a call found nothing. */
export function missed(res: CollCall): boolean {
  return res.status === Status.MISS;
}
