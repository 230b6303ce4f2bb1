// The Wasm core against the reference model (no eviction): long random
// operation sequences over binary keys, every result compared.
import assert from "node:assert/strict";
import fc from "fast-check";
import { ModelShard } from "./reference_model.ts";
import { WasmShard } from "./shard.ts";
import { assertBytes, bytes, hex, MiB, rng, T0 } from "./_test_utils.ts";

/**
 * A fixed table of distinct binary keys: the empty key, 0x00/0xff keys, keys
 * that are prefixes of each other, keys of 256+ bytes (long item header), one
 * of 65535 bytes (the largest), and random short keys over a 6-byte alphabet
 * (so that prefixes are shared often).
 */
function keyTable(n: number, seed: number): Uint8Array[] {
  const r = rng(seed);
  const seen = new Set<string>();
  const keys: Uint8Array[] = [];
  const add = (k: Uint8Array) => {
    const s = k.join(",");
    if (!seen.has(s) && keys.length < n) {
      seen.add(s);
      keys.push(k);
    }
  };
  for (
    const k of [[], [0], [0, 0], [0, 0, 0], [0xff], [0xff, 0xff], [0, 0xff], [
      0xff,
      0,
    ]]
  ) add(Uint8Array.from(k));
  const base = bytes(300, seed);
  for (const len of [1, 2, 3, 5, 8, 16, 64, 255, 256, 257, 300]) {
    add(base.slice(0, len));
  }
  add(bytes(65535, seed + 1));
  add(bytes(30000, seed + 2));
  const alphabet = [0, 1, 2, 0x61, 0xfe, 0xff];
  while (keys.length < n) {
    const len = r() < 0.92
      ? 1 + Math.floor(r() * 12)
      : 256 + Math.floor(r() * 300);
    const k = new Uint8Array(len);
    for (let i = 0; i < len; i++) k[i] = alphabet[Math.floor(r() * 6)]!;
    add(k);
  }
  return keys;
}

type Ttl = number | undefined;
type Op =
  | { t: "set"; k: number; size: number; seed: number; ttl: Ttl }
  | { t: "get"; k: number }
  | { t: "del"; k: number }
  | { t: "prefix"; k: number; len: number }
  | { t: "getMany"; ks: number[] }
  | { t: "setMany"; ks: number[]; sizes: number[]; seed: number; ttl: Ttl }
  | { t: "tick"; ms: number };

const sizeArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 16 }) },
  { weight: 4, arbitrary: fc.integer({ min: 17, max: 1024 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1025, max: 20000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65530, max: 70000 }) },
);

/** TTLs: none (`never` weight), small, fractional, large, and ones that never expire. */
const ttlArb = (never: number): fc.Arbitrary<Ttl> =>
  fc.oneof(
    { weight: never, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 3000 }) },
    { weight: 1, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
    { weight: 2, arbitrary: fc.integer({ min: 1_000_000, max: 2 ** 45 }) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 1e15, Infinity, NaN) },
  );

/** Op sequences over a table of `keys` keys (uniform), an eighth of them on the first 32. */
function opsArb(
  keys: number,
  length: number,
  { setManyMax = 20, never = 6 } = {},
): fc.Arbitrary<Op[]> {
  const ttl = ttlArb(never);
  const k = fc.oneof(
    { weight: 7, arbitrary: fc.noBias(fc.nat({ max: keys - 1 })) },
    { weight: 1, arbitrary: fc.nat({ max: 31 }) },
  );
  const seed = fc.nat();
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 40,
      arbitrary: fc.record({
        t: fc.constant("set" as const),
        k,
        size: sizeArb,
        seed,
        ttl,
      }),
    },
    { weight: 20, arbitrary: fc.record({ t: fc.constant("get" as const), k }) },
    { weight: 6, arbitrary: fc.record({ t: fc.constant("del" as const), k }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant("prefix" as const),
        k,
        len: fc.noBias(fc.nat()),
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        t: fc.constant("getMany" as const),
        ks: fc.array(k, { maxLength: 30 }),
      }),
    },
    {
      weight: 12,
      arbitrary: fc.record({
        t: fc.constant("setMany" as const),
        ks: fc.array(k, { minLength: 1, maxLength: setManyMax, size: "max" }),
        sizes: fc.array(sizeArb, {
          minLength: setManyMax,
          maxLength: setManyMax,
        }),
        seed,
        ttl,
      }),
    },
    {
      weight: 6,
      arbitrary: fc.record({
        t: fc.constant("tick" as const),
        // fractional ticks too: the core truncates the clock to whole ms
        ms: fc.oneof(
          { weight: 8, arbitrary: fc.nat({ max: 1500 }) },
          { weight: 1, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) },
          { weight: 1, arbitrary: fc.nat({ max: 10_000_000 }) },
        ),
      }),
    },
  );
  return fc.array(op, { minLength: length, maxLength: length });
}

/** Runs ops on a shard and the model, comparing every observable result. */
async function runAgainstModel(
  table: Uint8Array[],
  ops: Op[],
  budget: number,
): Promise<WasmShard> {
  let now = T0;
  const clock = () => now;
  const shard = await WasmShard.create({ budget, now: clock });
  const model = new ModelShard({ now: clock });
  ops.forEach((op, i) => {
    const at = `op ${i} ${op.t}`;
    switch (op.t) {
      case "set": {
        const v = bytes(op.size, op.seed + i * 1024); // distinct per op
        shard.set(table[op.k]!, v, op.ttl);
        model.set(table[op.k]!, v, op.ttl);
        break;
      }
      case "get":
        assertBytes(
          shard.get(table[op.k]!),
          model.get(table[op.k]!),
          `${at} key ${op.k}`,
        );
        break;
      case "del":
        assert.equal(
          shard.delete(table[op.k]!),
          model.delete(table[op.k]!),
          `${at} key ${op.k}`,
        );
        break;
      case "prefix": {
        // Mostly the key less up to 2 bytes, at least 4 (a few keys); one
        // time in 64 its first byte (a sixth of the short keys) or, for the
        // empty key, the empty prefix (every key).
        const wide = op.len % 64 === 0;
        const key = table[op.k]!.length > 0 || wide ? table[op.k]! : table[1]!;
        const len = wide
          ? Math.min(1, key.length)
          : Math.max(Math.min(4, key.length), key.length - op.len % 3);
        const p = key.subarray(0, len);
        assert.equal(
          shard.removePrefix(p),
          model.removePrefix(p),
          `${at} ${hex(p)}`,
        );
        break;
      }
      case "getMany": {
        const ks = op.ks.map((k) => table[k]!);
        const got = shard.getMany(ks);
        assert.equal(got.length, ks.length);
        ks.forEach((key, j) => {
          const want = model.get(key);
          assertBytes(got.value(j), want, `${at} [${j}] key ${op.ks[j]}`);
          assert.equal(
            got.lengths[j],
            want?.length ?? 0,
            `${at} [${j}] length`,
          );
        });
        break;
      }
      case "setMany": {
        const ks = op.ks.map((k) => table[k]!);
        const vs = ks.map((_, j) =>
          bytes(op.sizes[j]!, op.seed + i * 1024 + j)
        );
        assert.deepEqual(shard.setMany(ks, vs, op.ttl), ks.map(() => 0), at);
        ks.forEach((key, j) => model.set(key, vs[j]!, op.ttl));
        break;
      }
      case "tick":
        now += op.ms;
        break;
    }
  });
  // Every key, then the counters: once the sweep has visited every bucket, the
  // shard holds exactly the model's live items.
  table.forEach((key, k) =>
    assertBytes(shard.get(key), model.get(key), `final key ${k}`)
  );
  shard.sweep(1 << 16);
  const live = model.keys();
  const stats = shard.stats();
  assert.equal(stats.items, live.length, "live items");
  const itemBytes = live.reduce((n, key) => {
    const v = model.get(key)!.length;
    return n + (key.length < 256 && v < 65536 ? 9 : 12) + key.length + v;
  }, 0);
  assert.equal(stats.itemBytes, itemBytes, "item bytes");
  assert.equal(
    stats.evictions,
    0,
    "the budget was meant to be large enough for no eviction",
  );
  return shard;
}

Deno.test("model: 3500-op sequences over 2000 binary keys (the index grows from 16 to 256+ buckets)", async () => {
  const table = keyTable(2000, 7);
  const fresh = (await WasmShard.create({ budget: 64 * MiB })).maxValueBytes(
    300,
  );
  await fc.assert(
    fc.asyncProperty(
      opsArb(table.length, 3500, { setManyMax: 30, never: 20 }),
      async (ops) => {
        const shard = await runAgainstModel(table, ops, 64 * MiB);
        // The index took its growth from the main ring: 16 -> 256 buckets at least.
        assert.ok(
          fresh - shard.maxValueBytes(300) >= (256 - 16) * 80,
          "index growth",
        );
      },
    ),
    { seed: 42, numRuns: 12, endOnFailure: true },
  );
});

Deno.test("model: short sequences over 40 keys (overwrite, delete, expiry interplay)", async () => {
  const table = keyTable(40, 11);
  await fc.assert(
    fc.asyncProperty(opsArb(table.length, 300), async (ops) => {
      await runAgainstModel(table, ops, 8 * MiB);
    }),
    { seed: 4242, numRuns: 150 },
  );
});
