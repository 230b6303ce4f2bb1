/**
 * {@linkcode ShardHost}: the node-side home of a node's shards. It routes
 * (cache, key) to a shard, namespaces keys by cache id, and runs the
 * incremental expiry sweep on a timer.
 *
 * @module
 */
import {
  DEFAULT_STORE_LIMITS,
  type StoreLimits,
} from "../protocol/data_store.ts";
import { slotBitmap, slotOf, slotRanges } from "../protocol/slots.ts";
import type {
  ItemKey,
  ReadResult,
  SlotListing,
  Store,
} from "../protocol/store.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/operations.ts";
import { coreModule, type ShardStats, WasmShard } from "./shard.ts";
import type { Handler, ShardAccess } from "./_op_context.ts";
import { SCALAR_OPS } from "./scalar_ops.ts";
import { DICTIONARY_OPS, SET_OPS } from "./dictionary_set_ops.ts";
import { LIST_OPS } from "./list_ops.ts";
import { SORTED_SET_OPS } from "./sorted_set_ops.ts";
import { KvoltError } from "../protocol/errors.ts";
import { wrongType } from "./core_errors.ts";

/** Longer keys are read one by one by `getMany` (they are rare). */
const BATCH_KEY_BYTES = 1024;

/** Every operation's handler, by name. */
const HANDLERS: { readonly [K in OpName]: Handler<K> } = {
  ...SCALAR_OPS,
  ...DICTIONARY_OPS,
  ...LIST_OPS,
  ...SET_OPS,
  ...SORTED_SET_OPS,
};

/** Options for a {@linkcode ShardHost}. */
export interface ShardHostOptions {
  /** Number of shards (Wasm instances). Default 4. */
  shards?: number;
  /** Memory budget of each shard in bytes. Default 64 MiB. */
  bytesPerShard?: number;
  /** Clock in ms; injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** Period of the background expiry sweep in ms; 0 turns it off. Default 1000. */
  sweepEveryMs?: number;
  /** Limits the store enforces. Default {@linkcode DEFAULT_STORE_LIMITS}. */
  limits?: Partial<StoreLimits>;
  /** Random numbers in [0, 1) for set sampling. Default `Math.random`. */
  random?: () => number;
}

/**
 * Every shard of one node, behind the store contract (`Store` in
 * `protocol/store.ts`). The node's slots (`protocol/slots.ts`) are split into
 * one contiguous range per shard, so (cache, key) -> slot -> shard. A stored
 * key is the cache id (u32, little endian) followed by the user's key.
 *
 * @example Store and read back
 * ```ts
 * import { ShardHost } from "./shard_host.ts";
 * const host = await ShardHost.create({ shards: 2, bytesPerShard: 1 << 20, sweepEveryMs: 0 });
 * const key = new TextEncoder().encode("k");
 * host.set(1, key, new Uint8Array([7]), 60_000);
 * if (host.get(1, key)?.[0] !== 7 || host.get(2, key) !== undefined) throw new Error("namespaces leak");
 * host.close();
 * ```
 */
export class ShardHost implements Store, ShardAccess, SlotListing {
  #shards: WasmShard[];
  /** The shard of each slot, by index. */
  #shardOfSlot: Uint16Array;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** The limits in force. */
  readonly limits: StoreLimits;
  /** Random numbers in [0, 1) (set sampling). */
  readonly random: () => number;

  /** Instantiates the shards. */
  static async create(options: ShardHostOptions = {}): Promise<ShardHost> {
    const module = await coreModule();
    const count = options.shards ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 4096) {
      throw new RangeError(
        `Cannot create shard host: shards must be an integer from 1 to 4096: received ${count}`,
      );
    }
    const shards: WasmShard[] = [];
    for (let i = 0; i < count; i++) {
      const opts = {
        budget: options.bytesPerShard ?? 64 * 1024 * 1024,
        ...(options.now ? { now: options.now } : {}),
      };
      shards.push(new WasmShard(module, opts));
    }
    return new ShardHost(shards, options);
  }

  private constructor(shards: WasmShard[], options: ShardHostOptions) {
    this.#shards = shards;
    const bounds = slotRanges(shards.length);
    this.#shardOfSlot = new Uint16Array(bounds[bounds.length - 1]!);
    for (let i = 0; i < shards.length; i++) {
      this.#shardOfSlot.fill(i, bounds[i], bounds[i + 1]);
      // the shard's memory image records the slots it hosts
      shards[i]!.setSlots(slotBitmap(bounds[i]!, bounds[i + 1]!));
    }
    this.limits = { ...DEFAULT_STORE_LIMITS, ...options.limits };
    this.random = options.random ?? Math.random;
    const sweepEveryMs = options.sweepEveryMs ?? 1000;
    if (sweepEveryMs > 0) {
      const timer = setInterval(() => this.sweep(), sweepEveryMs);
      Deno.unrefTimer(timer as unknown as number);
      this.#timer = timer;
    }
  }

  /**
   * Runs one operation of the catalogue (protocol/operations.ts); throws
   * `KvoltError` as `protocol/data_store.ts` describes.
   */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): OpResult<K> {
    const handler = HANDLERS[op] as unknown as Handler<K> | undefined;
    if (handler === undefined) {
      throw new RangeError(`Cannot execute: unknown operation: ${op}`);
    }
    return handler(this, cacheId, args);
  }

  /** The shard that holds (cacheId, key). */
  shard(cacheId: number, key: Uint8Array): WasmShard {
    return this.#shards[this.#shardOfSlot[slotOf(cacheId, key)]!]!;
  }

  /**
   * The value as a view into the shard's memory, valid until the next call
   * into that shard (for a caller that copies it at once), or undefined.
   */
  getView(cacheId: number, key: Uint8Array): Uint8Array | undefined {
    return this.shard(cacheId, key).getView(key, cacheId);
  }

  /** The value (caller-owned copy), or undefined. */
  get(cacheId: number, key: Uint8Array): Uint8Array | undefined {
    // the cache id goes straight into the shard's scratch: no key allocated
    return this.shard(cacheId, key).get(key, cacheId);
  }

  /**
   * What `get` gives for each key of one cache, in order, with one boundary
   * crossing per shard and chunk of keys: the value (a view, valid until the
   * next call into this host), undefined for a miss, or the `KvoltError` that `get`
   * would throw for that key (a key holding a collection, a key too long
   * for the core). Unlike the `getBatch` operation, a collection is an
   * error, exactly as for single gets.
   *
   * @param cacheId the cache
   * @param keys the user's keys (duplicates allowed)
   * @returns one result per key
   */
  getMany(cacheId: number, keys: readonly Uint8Array[]): ReadResult[] {
    // one key: a view of the shard's memory, valid until the next call (the
    // contract allows it for synchronous answers); no copy, no buffer
    if (keys.length === 1) return [this.#getOrError(cacheId, keys[0]!, true)];
    const out: ReadResult[] = new Array(keys.length);
    const groups: number[][] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key.length > BATCH_KEY_BYTES) {
        out[i] = this.#getOrError(cacheId, key, false);
        continue;
      }
      const at = this.#shardOfSlot[slotOf(cacheId, key)]!;
      (groups[at] ??= []).push(i);
    }
    for (let at = 0; at < groups.length; at++) {
      const group = groups[at];
      if (group === undefined) continue;
      const shard = this.#shards[at]!;
      const many = shard.getMany(group.map((i) => keys[i]!), cacheId);
      for (let j = 0; j < group.length; j++) {
        const type = many.type(j);
        out[group[j]!] = type === 0 ? many.value(j) : wrongType("get", type);
      }
    }
    return out;
  }

  #getOrError(cacheId: number, key: Uint8Array, view: boolean): ReadResult {
    try {
      return view ? this.getView(cacheId, key) : this.get(cacheId, key);
    } catch (err) {
      if (err instanceof KvoltError) return err;
      throw err;
    }
  }

  /** Stores a value that expires in `ttlMs`. */
  set(
    cacheId: number,
    key: Uint8Array,
    value: Uint8Array,
    ttlMs: number,
  ): void {
    this.shard(cacheId, key).set(key, value, ttlMs, cacheId);
  }

  /** Removes the item, if any. */
  delete(cacheId: number, key: Uint8Array): void {
    this.shard(cacheId, key).delete(key, cacheId);
  }

  /** Removes every item of the cache from every shard. */
  flush(cacheId: number): void {
    // every stored key of the cache starts with its id (u32 LE)
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, cacheId, true);
    for (const shard of this.#shards) shard.removePrefix(prefix);
  }

  /**
   * The cache id and key of every live item in the slots `inSlot` accepts,
   * copied (a slot move lists what it sends this way). Synchronous: nothing
   * writes in between.
   */
  keysIn(inSlot: (slot: number) => boolean): ItemKey[] {
    const out: ItemKey[] = [];
    for (let i = 0; i < this.#shards.length; i++) {
      for (const stored of this.#shards[i]!.storedKeys()) {
        const cacheId = stored[0]! | stored[1]! << 8 | stored[2]! << 16 |
          stored[3]! << 24;
        const key = stored.subarray(4);
        if (inSlot(slotOf(cacheId >>> 0, key))) {
          out.push({ cacheId: cacheId >>> 0, key });
        }
      }
    }
    return out;
  }

  /** One step of the incremental expiry sweep on every shard. */
  sweep(buckets = 1024): number {
    let n = 0;
    for (const shard of this.#shards) n += shard.sweep(buckets);
    return n;
  }

  /** The shards, in slot order (for inspection). */
  shardList(): readonly WasmShard[] {
    return this.#shards;
  }

  /** Per-shard counters. */
  stats(): ShardStats[] {
    return this.#shards.map((s) => s.stats());
  }

  /** Stops the sweep timer. */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
