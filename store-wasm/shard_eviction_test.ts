// The Wasm core under eviction: small budgets, random sizes. The oracle is the
// reference model (no eviction), wrapped in _checked_shard.ts: a shard may have
// lost an item, but what it returns must be exactly the model's value.
import assert from "node:assert/strict";
import fc from "fast-check";
import { Checked, itemSize } from "./_checked_shard.ts";
import { bytes, rng } from "./_test_utils.ts";

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
