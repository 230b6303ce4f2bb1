/**
 * The eviction tests' oracle: a shard beside the reference model, with the
 * checks every operation must pass under eviction (a value returned is exactly
 * the model's; a new item is readable; memory and used bytes stay in bounds).
 *
 * @module
 */
import assert from "node:assert/strict";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { ModelShard } from "./reference_model.ts";
import { WasmShard } from "./shard.ts";
import { itemHeaderSize } from "./_abi.ts";
import { same, T0 } from "./_test_utils.ts";

/** Header, scratch, static data and page rounding above the budget. */
export const OVERHEAD = 192 * 1024;

export const itemSize = (klen: number, vlen: number) =>
  itemHeaderSize(klen, vlen) + klen + vlen;

/**
 * A shard and its model (the last value set per key, deletes and expiry
 * applied), with the checks every operation must pass.
 */
export class Checked {
  readonly shard: WasmShard;
  readonly model: ModelShard;
  readonly budget: number;
  now = T0;
  #memory: number;

  private constructor(shard: WasmShard, model: ModelShard, budget: number) {
    this.shard = shard;
    this.model = model;
    this.budget = budget;
    this.#memory = shard.stats().memoryBytes;
    assert.ok(this.#memory <= budget + OVERHEAD, `memory ${this.#memory}`);
  }

  static async create(budget: number): Promise<Checked> {
    let c: Checked | undefined = undefined;
    const clock = () => c?.now ?? T0;
    const shard = await WasmShard.create({ budget, now: clock });
    c = new Checked(shard, new ModelShard({ now: clock }), budget);
    return c;
  }

  /** A get returns a miss or exactly the model's value, never a stale or foreign one. */
  get(key: Uint8Array, what = "get"): Uint8Array | undefined {
    const got = this.shard.get(key);
    const want = this.model.get(key);
    if (got !== undefined && !same(got, want)) {
      assert.fail(
        `${what} [${
          key.subarray(0, 8)
        }…${key.length}B]: got ${got.length}B, expected ${
          want === undefined ? "a miss" : `${want.length}B`
        }`,
      );
    }
    return got;
  }

  /**
   * A set throws the size error only; with `look`, it is readable right after
   * (ttl >= 1). Looking counts as a hit for the policy: the item is promoted
   * rather than evicted from the small ring.
   */
  set(key: Uint8Array, value: Uint8Array, ttl?: number, look = true): boolean {
    try {
      this.shard.set(key, value, ttl);
    } catch (err) {
      this.#sizeError(err, key, value);
      return false;
    }
    this.model.set(key, value, ttl);
    if (look && (ttl === undefined || ttl >= 1)) {
      assert.ok(
        this.get(key, "just set") !== undefined,
        "newest item readable",
      );
    }
    return true;
  }

  #sizeError(err: unknown, key: Uint8Array, value: Uint8Array): void {
    assert.ok(err instanceof KvoltError, `only KvoltErrors: ${err}`);
    assert.equal(err.code, ErrorCode.LIMIT_EXCEEDED);
    assert.equal(err.limit, LimitCause.ITEM_SIZE);
    // the largest item the shard can hold now (a 300-byte key has the long header)
    const max = this.shard.maxValueBytes(300) + 312;
    assert.ok(itemSize(key.length, value.length) > max, "refused yet it fits");
  }

  setMany(
    keys: Uint8Array[],
    values: Uint8Array[],
    ttl?: number,
    look = true,
  ): void {
    const res = this.shard.setMany(keys, values, ttl);
    let last = -1;
    res.forEach((r, i) => {
      if (r === 0) {
        this.model.set(keys[i]!, values[i]!, ttl);
        last = i;
      } else this.#sizeError(r, keys[i]!, values[i]!);
    });
    if (look && last >= 0 && (ttl === undefined || ttl >= 1)) {
      assert.ok(
        this.get(keys[last]!, "just set") !== undefined,
        "newest item readable",
      );
    }
  }

  getMany(keys: Uint8Array[]): void {
    const got = this.shard.getMany(keys);
    keys.forEach((key, i) => {
      const v = got.value(i);
      if (v !== undefined && !same(v, this.model.get(key))) {
        assert.fail(`getMany [${i}]: a value that is not the last one set`);
      }
    });
  }

  delete(key: Uint8Array): void {
    const live = this.model.delete(key);
    if (this.shard.delete(key)) {
      assert.ok(live, "deleted an item the model had not");
    }
  }

  removePrefix(prefix: Uint8Array): void {
    const n = this.shard.removePrefix(prefix);
    assert.ok(
      n <= this.model.removePrefix(prefix),
      "removed more than there was",
    );
  }

  /** The memory bounds that hold after every call. */
  bounds(): void {
    const s = this.shard.stats();
    assert.equal(s.memoryBytes, this.#memory, "memory never grows");
    assert.ok(
      s.usedBytes <= this.budget,
      `used ${s.usedBytes} > ${this.budget}`,
    );
    assert.ok(s.itemBytes <= s.usedBytes, "item bytes within used bytes");
  }

  /**
   * Reads every key that was ever used: each is a miss or the model's value,
   * and the shard's counters account for exactly the hits (no item is in the
   * index yet unreachable, none is counted twice).
   */
  scan(keys: Iterable<Uint8Array>): number {
    let hits = 0;
    let hitBytes = 0;
    for (const key of keys) {
      const v = this.get(key, "scan");
      if (v !== undefined) {
        hits++;
        hitBytes += itemSize(key.length, v.length);
      }
    }
    const s = this.shard.stats();
    assert.equal(s.items, hits, "live items == keys found");
    assert.equal(s.itemBytes, hitBytes, "item bytes == bytes found");
    this.bounds();
    return hits;
  }
}
