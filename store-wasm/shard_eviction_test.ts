// The Wasm core under eviction: small budgets, random sizes, the S3-FIFO
// policy. The oracle is the reference model (no eviction): a shard may have
// lost an item, but what it returns must be exactly the model's value.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { ModelShard } from "./reference_model.ts";
import { WasmShard } from "./shard.ts";
import { bytes, rng, same, T0 } from "./_test_utils.ts";

/** Header, scratch, static data and page rounding above the budget. */
const OVERHEAD = 192 * 1024;

const itemSize = (klen: number, vlen: number) =>
  (klen < 256 && vlen < 65536 ? 9 : 12) + klen + vlen;

/**
 * A shard and its model (the last value set per key, deletes and expiry
 * applied), with the checks every operation must pass.
 */
class Checked {
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

/** Binary keys: short ones over a 6-byte alphabet (shared prefixes), some of 256+ bytes. */
function keyTable(n: number, seed: number): Uint8Array[] {
  const r = rng(seed);
  const seen = new Set<string>();
  const keys: Uint8Array[] = [
    new Uint8Array(0),
    Uint8Array.of(0),
    Uint8Array.of(0xff),
  ];
  keys.forEach((k) => seen.add(k.join()));
  const alphabet = [0, 1, 2, 0x61, 0xfe, 0xff];
  while (keys.length < n) {
    const len = r() < 0.9
      ? 1 + Math.floor(r() * 10)
      : 256 + Math.floor(r() * 64);
    const k = new Uint8Array(len);
    for (let i = 0; i < len; i++) k[i] = alphabet[Math.floor(r() * 6)]!;
    if (!seen.has(k.join())) {
      seen.add(k.join());
      keys.push(k);
    }
  }
  return keys;
}

type Op =
  | { t: "set"; k: number; size: number; ttl?: number; look: boolean }
  | { t: "get"; k: number }
  | { t: "del"; k: number }
  | { t: "prefix"; k: number; len: number }
  | { t: "getMany"; ks: number[] }
  | { t: "setMany"; ks: number[]; size: number; ttl?: number; look: boolean }
  | { t: "tick"; ms: number }
  | { t: "sweep"; buckets: number };

/** Sizes as a fraction of the budget: mostly tiny, up to "larger than the shard". */
const sizeArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 16 }) },
  { weight: 4, arbitrary: fc.integer({ min: 17, max: 300 }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 0.2, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: 0.2, max: 1.1, noNaN: true }) },
);

function sizeOf(size: number, budget: number): number {
  return Number.isInteger(size) ? size : Math.floor(size * budget);
}

const ttlArb = fc.option(fc.integer({ min: 1, max: 5000 }), {
  freq: 2,
  nil: undefined,
});

function opsArb(keys: number, length: number): fc.Arbitrary<Op[]> {
  const k = fc.noBias(fc.nat({ max: keys - 1 }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 40,
      arbitrary: fc.record({
        t: fc.constant("set" as const),
        k,
        size: sizeArb,
        ttl: ttlArb,
        look: fc.boolean(),
      }),
    },
    { weight: 25, arbitrary: fc.record({ t: fc.constant("get" as const), k }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant("del" as const), k }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("prefix" as const),
        k,
        len: fc.nat({ max: 3 }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant("getMany" as const),
        ks: fc.array(k, { maxLength: 40 }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant("setMany" as const),
        ks: fc.array(k, { minLength: 1, maxLength: 40, size: "max" }),
        size: sizeArb,
        ttl: ttlArb,
        look: fc.boolean(),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        t: fc.constant("tick" as const),
        ms: fc.nat({ max: 3000 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("sweep" as const),
        buckets: fc.nat({ max: 64 }),
      }),
    },
  );
  return fc.array(op, { minLength: length, maxLength: length });
}

Deno.test("eviction: random ops under a small budget never return a stale, deleted, expired or foreign value", async () => {
  const table = keyTable(3000, 5);
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.constantFrom(4096, 5000, 16384, 65536, 262144),
        fc.integer({ min: 4096, max: 262144 }),
      ),
      opsArb(table.length, 1500),
      async (budget, ops) => {
        const c = await Checked.create(budget);
        // values differ per op, so that a stale value cannot pass for the last one
        for (const [i, op] of ops.entries()) {
          switch (op.t) {
            case "set":
              c.set(
                table[op.k]!,
                bytes(sizeOf(op.size, budget), i * 4096 + op.k),
                op.ttl,
                op.look,
              );
              break;
            case "get":
              c.get(table[op.k]!);
              break;
            case "del":
              c.delete(table[op.k]!);
              break;
            case "prefix": {
              const key = table[op.k]!;
              c.removePrefix(key.subarray(0, Math.max(key.length - op.len, 2)));
              break;
            }
            case "getMany":
              c.getMany(op.ks.map((k) => table[k]!));
              break;
            case "setMany": {
              const n = sizeOf(op.size, budget);
              c.setMany(
                op.ks.map((k) => table[k]!),
                op.ks.map((_, j) => bytes(n, i * 4096 + j)),
                op.ttl,
                op.look,
              );
              break;
            }
            case "tick":
              c.now += op.ms;
              break;
            case "sweep":
              c.shard.sweep(op.buckets);
              break;
          }
          c.bounds();
        }
        c.scan(table);
      },
    ),
    { seed: 1234, numRuns: 100 },
  );
});

Deno.test("eviction: filling shards to 10x their budget in phases of sizes (index growth while the rings wrap)", async () => {
  const phases: [number, number][] = [
    // [min, max] value size as a fraction of the budget; tiny items grow the index
    [0, 0.01],
    [0.01, 0.2],
    [0, 0.0005],
    [0.1, 1],
    [0, 0.002],
    [0, 0.3],
  ];
  for (const budget of [4096, 6000, 65536, 262144, 1 << 20]) {
    const r = rng(budget);
    const c = await Checked.create(budget);
    const fresh = c.shard.maxValueBytes(300);
    const keys: Uint8Array[] = [];
    let written = 0;
    for (const [lo, hi] of phases) {
      const phaseEnd = written + (10 * budget) / phases.length;
      while (written < phaseEnd) {
        // mostly new keys, some overwrites of recent ones, a few deletes
        const x = r();
        const id = x < 0.8 || keys.length === 0
          ? keys.length
          : Math.max(0, keys.length - 1 - Math.floor(r() * 500));
        if (id === keys.length) {
          keys.push(
            bytes(r() < 0.95 ? 4 + Math.floor(r() * 12) : 260, budget + id),
          );
        }
        const key = keys[id]!;
        if (r() < 0.03) {
          c.delete(key);
          continue;
        }
        const size = Math.floor((lo + r() * (hi - lo)) * budget);
        const ttl = r() < 0.2 ? 1 + Math.floor(r() * 2000) : undefined;
        if (c.set(key, bytes(size, written), ttl, r() < 0.3)) {
          written += itemSize(key.length, size);
        }
        if (r() < 0.3) c.get(keys[Math.floor(r() * keys.length)]!);
        if (r() < 0.05) c.now += Math.floor(r() * 200);
        c.bounds();
      }
      c.scan(keys);
    }
    assert.ok(written >= 10 * budget);
    const s = c.shard.stats();
    assert.ok(s.evictions > 0, "evicted");
    if (budget >= 65536) {
      assert.ok(c.shard.maxValueBytes(300) < fresh, "the index grew");
    }
  }
});

Deno.test("eviction: the size error is the only error, and it leaves the shard intact", async () => {
  const c = await Checked.create(16384);
  const keys = Array.from({ length: 50 }, (_, i) => bytes(8, i));
  keys.forEach((k, i) => c.set(k, bytes(40, i)));
  const before = c.scan(keys);
  assert.equal(c.set(keys[0]!, new Uint8Array(16384)), false);
  assert.equal(
    c.set(new Uint8Array(300), new Uint8Array(c.shard.maxValueBytes(300) + 4)),
    false,
  );
  assert.equal(c.scan(keys), before);
});
