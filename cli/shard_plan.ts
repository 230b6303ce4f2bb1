/**
 * How `kvolt serve` splits its `--capacity` into shards (one Wasm instance
 * each) for the single node it hosts.
 *
 * @module
 */

/** Shards a `kvolt serve` node hosts when the capacity allows. */
export const DEFAULT_SHARDS = 4;
/** Smallest budget worth giving one shard. */
export const MIN_SHARD_BYTES = 4 << 20;
/**
 * Largest budget of one shard: a Wasm instance addresses 4 GiB, and smaller
 * shards keep a flush or an index doubling short. Larger capacities get more
 * shards.
 */
export const MAX_SHARD_BYTES = 1 << 30;

/** Number of shards and the budget of each. */
export interface ShardPlan {
  /** How many shards. */
  shards: number;
  /** Memory budget of each shard, in bytes. */
  bytesPerShard: number;
}

/**
 * Splits `capacityBytes` into up to {@linkcode DEFAULT_SHARDS} shards of at
 * least {@linkcode MIN_SHARD_BYTES} each (one shard when the capacity is
 * small), or into as many shards as keep each within
 * {@linkcode MAX_SHARD_BYTES} when the capacity is large.
 *
 * @param capacityBytes total bytes for items
 *
 * @example
 * ```ts
 * import { planShards } from "./shard_plan.ts";
 * const plan = planShards(256 * 2 ** 20);
 * if (plan.shards !== 4 || plan.bytesPerShard !== 64 * 2 ** 20) throw new Error();
 * ```
 */
export function planShards(capacityBytes: number): ShardPlan {
  const shards = Math.max(
    1,
    Math.min(DEFAULT_SHARDS, Math.floor(capacityBytes / MIN_SHARD_BYTES)),
    Math.ceil(capacityBytes / MAX_SHARD_BYTES),
  );
  return { shards, bytesPerShard: Math.floor(capacityBytes / shards) };
}
