// The Wasm core's edge cases, TTL and batch calls. Model equivalence:
// shard_model_test.ts; eviction and the S3-FIFO policy: shard_eviction_test.ts.
import assert from "node:assert/strict";
import { ErrorCode, KvoltError, LimitCause } from "../protocol/errors.ts";
import { WasmShard } from "./shard.ts";
import {
  assertBytes,
  assertKvoltError,
  bytes,
  clocked,
  enc,
  rng,
} from "./_test_utils.ts";

Deno.test("edge: empty key and empty value are stored and distinct from a miss", async () => {
  const { shard } = await clocked(64 * 1024);
  assert.equal(shard.get(new Uint8Array(0)), undefined);
  shard.set(new Uint8Array(0), new Uint8Array(0));
  assertBytes(shard.get(new Uint8Array(0)), new Uint8Array(0), "empty/empty");
  shard.set(enc("k"), new Uint8Array(0));
  const many = shard.getMany([new Uint8Array(0), enc("k"), enc("x")]);
  assert.deepEqual([many.has(0), many.has(1), many.has(2)], [
    true,
    true,
    false,
  ]);
  assert.equal(many.value(1)?.length, 0);
  shard.set(new Uint8Array(0), enc("now a value"));
  assertBytes(shard.get(new Uint8Array(0)), enc("now a value"), "empty key");
  assert.equal(shard.delete(new Uint8Array(0)), true);
  assert.equal(shard.get(new Uint8Array(0)), undefined);
  assertBytes(shard.get(enc("k")), new Uint8Array(0), "k");
});

Deno.test("edge: binary keys that differ only in 0x00/0xff bytes or length are distinct", async () => {
  const { shard } = await clocked(64 * 1024);
  const keys = [[], [0], [0, 0], [0xff], [0xff, 0xff], [0, 0xff], [0xff, 0], [
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ], [0, 0, 0, 0, 0, 0, 0, 0, 0]].map((k) => Uint8Array.from(k));
  keys.forEach((k, i) => shard.set(k, Uint8Array.of(i)));
  keys.forEach((k, i) =>
    assertBytes(shard.get(k), Uint8Array.of(i), `key ${i}`)
  );
  assert.equal(shard.stats().items, keys.length);
});

Deno.test("edge: overwrite with values of other sizes, across the short/long header forms", async () => {
  const { shard } = await clocked(1 << 20);
  const key = enc("k");
  const longKey = bytes(300, 3);
  for (const size of [10, 0, 70_000, 1, 65535, 65536, 200, 0]) {
    for (const k of [key, longKey]) {
      const v = bytes(size, size + k.length);
      shard.set(k, v);
      assertBytes(shard.get(k), v, `size ${size}, key ${k.length}B`);
    }
  }
  const s = shard.stats();
  assert.equal(s.items, 2);
  assert.equal(s.itemBytes, 9 + 1 + 0 + 12 + 300 + 0);
});

Deno.test("edge: delete, then get misses; a second delete is false", async () => {
  const { shard } = await clocked(64 * 1024);
  shard.set(enc("a"), enc("1"));
  shard.set(enc("b"), enc("2"));
  assert.equal(shard.delete(enc("a")), true);
  assert.equal(shard.get(enc("a")), undefined);
  assert.equal(shard.delete(enc("a")), false);
  assert.equal(shard.delete(enc("never")), false);
  assertBytes(shard.get(enc("b")), enc("2"), "b");
  assert.deepEqual(
    [shard.stats().items, shard.stats().itemBytes],
    [1, 9 + 1 + 1],
  );
});

Deno.test("edge: a value of maxValueBytes fills the shard: stored, readable, everything else evicted", async () => {
  for (const budget of [4096, 5000, 65536, 1 << 20, 3 * (1 << 20) + 17]) {
    for (const klen of [0, 5, 255, 256, 1000]) {
      if (klen * 4 > budget) continue;
      const { shard } = await clocked(budget);
      for (let i = 0; i < 20; i++) shard.set(enc(`other ${i}`), bytes(i, i));
      const key = bytes(klen, klen);
      const max = shard.maxValueBytes(klen);
      assert.ok(max + klen > budget / 2, `max ${max} of ${budget}`);
      const v = bytes(max, budget);
      shard.set(key, v);
      assertBytes(shard.get(key), v, `budget ${budget} klen ${klen}`);
      for (let i = 0; i < 20; i++) {
        assert.equal(shard.get(enc(`other ${i}`)), undefined);
      }
      assert.equal(shard.stats().items, 1);
      assert.ok(shard.stats().usedBytes <= budget);
      // 4 more bytes can never fit, whatever the header form
      assertKvoltError(
        () => shard.set(key, new Uint8Array(max + 4)),
        ErrorCode.LIMIT_EXCEEDED,
        LimitCause.ITEM_SIZE,
      );
      assertBytes(shard.get(key), v, "kept after the refused overwrite");
    }
  }
});

Deno.test("edge: a value larger than the budget throws LIMIT_EXCEEDED and leaves the data readable", async () => {
  for (const budget of [4096, 65536, 1 << 20]) {
    const { shard } = await clocked(budget);
    shard.set(enc("a"), enc("1"));
    shard.set(enc("big"), enc("old"));
    const before = shard.stats();
    for (const size of [budget + 1, budget * 2, 5 * (1 << 20)]) {
      assertKvoltError(
        () => shard.set(enc("big"), new Uint8Array(size)),
        ErrorCode.LIMIT_EXCEEDED,
        LimitCause.ITEM_SIZE,
      );
    }
    assertBytes(shard.get(enc("a")), enc("1"), "a");
    assertBytes(shard.get(enc("big")), enc("old"), "big");
    const after = shard.stats();
    assert.deepEqual(
      [after.items, after.itemBytes, after.evictions],
      [before.items, before.itemBytes, before.evictions],
    );
  }
});

Deno.test("edge: a key longer than 65535 bytes is INVALID_ARGUMENT everywhere; 65535 is fine", async () => {
  const { shard } = await clocked(1 << 20);
  const tooLong = new Uint8Array(65536);
  const longest = bytes(65535, 9);
  shard.set(longest, enc("v"));
  assertBytes(shard.get(longest), enc("v"), "65535-byte key");
  assertBytes(shard.getMany([longest]).value(0), enc("v"), "getMany");
  // a key too long for a batch is read alone, between two batches
  shard.set(enc("b"), enc("vb"));
  const mixed = shard.getMany([enc("b"), longest, bytes(20000, 1), enc("b")]);
  assert.deepEqual([...mixed.lengths], [2, 1, 0, 2]);
  assertBytes(mixed.value(0), enc("vb"), "before");
  assertBytes(mixed.value(1), enc("v"), "longest");
  assertBytes(mixed.value(2), undefined, "miss");
  assertBytes(mixed.value(3), enc("vb"), "after");
  const bad = ErrorCode.INVALID_ARGUMENT;
  assertKvoltError(() => shard.set(tooLong, enc("v")), bad);
  assertKvoltError(() => shard.get(tooLong), bad);
  assertKvoltError(() => shard.delete(tooLong), bad);
  assertKvoltError(() => shard.getMany([enc("a"), tooLong]), bad);
  assertKvoltError(() => shard.removePrefix(tooLong), bad);
  const res = shard.setMany([enc("a"), tooLong, enc("b")], [
    enc("1"),
    enc("2"),
    enc("3"),
  ]);
  assert.equal(res[0], 0);
  assert.ok(res[1] instanceof KvoltError && res[1].code === bad);
  assert.equal(res[2], 0);
  assertBytes(shard.get(enc("b")), enc("3"), "b");
  assert.equal(shard.stats().items, 3);
});

Deno.test("edge: a budget below 4096 bytes (or not an integer) is a RangeError", async () => {
  for (const budget of [0, 1, 4095, -4096, 4096.5, NaN]) {
    await assert.rejects(() => WasmShard.create({ budget }), RangeError);
  }
  const { shard } = await clocked(4096);
  shard.set(enc("k"), enc("v"));
  assertBytes(shard.get(enc("k")), enc("v"), "4096-byte shard");
});

Deno.test("edge: churn at a constant 7/8 load of the smallest index: misses terminate, nothing is lost", async () => {
  // 160 live keys never grow the 16 buckets (192 slots, grown at 168), while
  // deletes and inserts make every bucket's overflow count nonzero at once:
  // a miss must still end (it once probed forever).
  const { shard } = await clocked(1 << 20);
  const key = (i: number) => Uint8Array.of(i & 0xff, i >> 8, 7);
  const live: number[] = [];
  for (let i = 0; i < 160; i++) {
    shard.set(key(i), Uint8Array.of(i & 0xff));
    live.push(i);
  }
  const r = rng(3);
  for (let next = 160; next < 5000; next++) {
    const j = Math.floor(r() * live.length);
    assert.equal(shard.delete(key(live[j]!)), true);
    assert.equal(shard.get(key(live[j]!)), undefined);
    live[j] = next;
    shard.set(key(next), Uint8Array.of(next & 0xff));
    assert.equal(shard.get(enc("missing")), undefined);
  }
  for (const i of live) {
    assertBytes(shard.get(key(i)), Uint8Array.of(i & 0xff), `${i}`);
  }
  assert.equal(shard.stats().items, 160);
  assert.equal(shard.stats().evictions, 0);
  // the displacement built up by the churn made the index rebuild in place
  assert.ok(shard.stats().indexRebuilds > 0);
});

Deno.test("edge: clear empties the shard and gives the index's growth back to the main ring", async () => {
  const { shard } = await clocked(1 << 20);
  const fresh = shard.maxValueBytes(0);
  for (let i = 0; i < 3000; i++) shard.set(enc(`k${i}`), enc("v"));
  assert.ok(shard.maxValueBytes(0) < fresh, "the index grew");
  shard.clear();
  assert.deepEqual([shard.stats().items, shard.stats().itemBytes], [0, 0]);
  assert.equal(shard.maxValueBytes(0), fresh);
  assert.equal(shard.get(enc("k1")), undefined);
  shard.set(enc("k1"), enc("again"));
  assertBytes(shard.get(enc("k1")), enc("again"), "after clear");
});

// ---- TTL ----

Deno.test("ttl: readable while now < set time + ceil(ttl), gone at and after it", async () => {
  for (
    const [ttl, life] of [[1, 1], [10, 10], [10.2, 11], [0.001, 1], [
      60_000,
      60_000,
    ]] as const
  ) {
    const { shard, clock } = await clocked(64 * 1024);
    clock.now += 12_345;
    shard.set(enc("k"), enc("v"), ttl);
    clock.now += life - 1;
    assertBytes(shard.get(enc("k")), enc("v"), `ttl ${ttl} before`);
    assertBytes(shard.getMany([enc("k")]).value(0), enc("v"), "getMany before");
    clock.now += 1;
    assert.equal(shard.get(enc("k")), undefined, `ttl ${ttl} at expiry`);
    shard.set(enc("k2"), enc("v"), ttl);
    clock.now += life;
    assert.equal(shard.getMany([enc("k2")]).has(0), false, "getMany at expiry");
    clock.now += 1_000_000;
    assert.equal(shard.get(enc("k2")), undefined, "after");
  }
});

Deno.test("ttl: omitted, negative or >= 1e15 never expires; expired items are not deleted live", async () => {
  const { shard, clock } = await clocked(64 * 1024);
  shard.set(enc("none"), enc("v"));
  shard.set(enc("neg"), enc("v"), -1);
  shard.set(enc("inf"), enc("v"), Infinity);
  shard.set(enc("huge"), enc("v"), 1e15);
  shard.set(enc("short"), enc("v"), 5);
  clock.now += 30 * 365 * 86_400_000;
  for (const k of ["none", "neg", "inf", "huge"]) {
    assertBytes(shard.get(enc(k)), enc("v"), k);
  }
  assert.equal(shard.delete(enc("short")), false, "expired: not live");
});

Deno.test("ttl: sweep reclaims expired items without any get", async () => {
  const { shard, clock } = await clocked(1 << 20);
  for (let i = 0; i < 300; i++) {
    shard.set(enc(`t${i}`), bytes(20, i), 100 + (i % 3));
    shard.set(enc(`p${i}`), bytes(20, i));
  }
  const before = shard.stats();
  assert.equal(before.items, 600);
  clock.now += 101;
  // ttl 100 and 101 have expired, 102 not yet
  assert.equal(shard.sweep(1 << 12), 200);
  clock.now += 1;
  assert.equal(shard.sweep(1 << 12), 100);
  const after = shard.stats();
  assert.equal(after.expired - before.expired, 300);
  assert.equal(after.items, 300);
  assert.equal(after.itemBytes, 300 * (9 + 20) + 10 * 2 + 90 * 3 + 200 * 4);
  assert.equal(after.hits + after.misses, before.hits + before.misses);
  assert.equal(shard.sweep(1 << 12), 0);
  // an incremental sweep, one bucket at a time, finds them all too
  for (let i = 0; i < 300; i++) shard.set(enc(`t${i}`), bytes(20, i), 50);
  clock.now += 50;
  let n = 0;
  for (let i = 0; i < 4096; i++) n += shard.sweep(1);
  assert.equal(n, 300);
});

Deno.test("ttl: removePrefix removes exactly the keys with that prefix and counts the live ones", async () => {
  const { shard, clock } = await clocked(1 << 20);
  const keys = ["", "a", "ab", "abc", "abd", "b", "ba", "a\0", "\0ab", "xab"];
  keys.forEach((k) => shard.set(enc(k), enc(k)));
  shard.set(enc("ab-expiring"), enc("e"), 10);
  clock.now += 10;
  assert.equal(shard.removePrefix(enc("ab")), 3);
  const left = ["", "a", "b", "ba", "a\0", "\0ab", "xab"];
  for (const k of keys) {
    assertBytes(shard.get(enc(k)), left.includes(k) ? enc(k) : undefined, k);
  }
  assert.equal(shard.removePrefix(enc("ab")), 0);
  assert.equal(shard.removePrefix(Uint8Array.of(0)), 1);
  assert.equal(shard.removePrefix(new Uint8Array(0)), left.length - 1);
  assert.equal(shard.stats().items, 0);
});

// ---- batch calls ----

Deno.test("batch: getMany whose values overflow the scratch region (the deferred path)", async () => {
  const { shard } = await clocked(4 << 20);
  const keys = Array.from({ length: 20 }, (_, i) => enc(`key ${i}`));
  const values = keys.map((_, i) => bytes(10 * 1024 + i, i));
  keys.forEach((k, i) => shard.set(k, values[i]!));
  const asked = [...keys, enc("missing"), keys[3]!, ...keys.slice(0, 5)];
  const before = shard.stats();
  const got = shard.getMany(asked);
  asked.forEach((k, i) => {
    const want = shard.get(k);
    assertBytes(got.value(i), want, `[${i}]`);
    assert.equal(got.lengths[i], want?.length ?? 0);
  });
  const after = shard.stats();
  // every key counted once: the getMany, then the single gets
  assert.equal(after.hits - before.hits, 2 * (asked.length - 1));
  assert.equal(after.misses - before.misses, 2);
});

Deno.test("batch: getMany and setMany over many chunks equal single gets and sets", async () => {
  const { shard } = await clocked(8 << 20);
  // distinct keys of 2 to 41 bytes: random bytes, then the index
  const keys = Array.from(
    { length: 3000 },
    (_, i) => Uint8Array.of(...bytes(i % 40, i), i & 0xff, i >> 8),
  );
  const values = keys.map((_, i) => bytes(i % 97, i + 1));
  assert.deepEqual(shard.setMany(keys, values), keys.map(() => 0));
  const got = shard.getMany(keys);
  keys.forEach((k, i) => {
    assertBytes(got.value(i), values[i], `[${i}]`);
    assertBytes(shard.get(k), values[i], `get [${i}]`);
  });
  // thousands of empty keys: their result slots alone exceed a quarter of the scratch region
  shard.set(new Uint8Array(0), enc("empty"));
  const empties = shard.getMany(
    Array.from({ length: 9000 }, () => new Uint8Array(0)),
  );
  for (let i = 0; i < empties.length; i++) {
    assertBytes(empties.value(i), enc("empty"), `empty key [${i}]`);
  }
});

Deno.test("batch: setMany with a value larger than the scratch region, and one too large for the shard", async () => {
  const budget = 256 * 1024;
  const { shard } = await clocked(budget);
  const keys = [enc("a"), enc("big"), enc("b"), enc("huge"), enc("c")];
  const values = [
    enc("1"),
    bytes(100_000, 1),
    enc("2"),
    new Uint8Array(budget + 1),
    enc("3"),
  ];
  const res = shard.setMany(keys, values, 60_000);
  assert.deepEqual([res[0], res[1], res[2], res[4]], [0, 0, 0, 0]);
  const err = res[3];
  assert.ok(err instanceof KvoltError);
  assert.equal(err.code, ErrorCode.LIMIT_EXCEEDED);
  assert.equal(err.limit, LimitCause.ITEM_SIZE);
  [0, 1, 2, 4].forEach((i) =>
    assertBytes(shard.get(keys[i]!), values[i], `[${i}]`)
  );
  assert.equal(shard.get(enc("huge")), undefined);
});
