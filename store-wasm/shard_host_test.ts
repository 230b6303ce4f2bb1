// ShardHost: cache namespaces, flush, routing.
import assert from "node:assert/strict";
import { ShardHost } from "./shard_host.ts";
import { SLOT_COUNT, slotOf, slotRanges } from "../protocol/slots.ts";

const enc = (s: string) => new TextEncoder().encode(s);

async function host(shards = 4, now?: () => number): Promise<ShardHost> {
  return await ShardHost.create({
    shards,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
    ...(now ? { now } : {}),
  });
}

/** Cache ids whose 4-byte little-endian prefixes share leading bytes with cache 1's. */
const CACHES = [1, 2, 257, 0x0100_0001, 0xffff_ffff, 0];

Deno.test("host: caches with equal keys are isolated", async () => {
  const h = await host();
  const keys = [enc("k"), new Uint8Array(0), Uint8Array.of(0, 0, 0, 0)];
  for (const id of CACHES) {
    for (const k of keys) h.set(id, k, enc(`${id}`), 60_000);
  }
  for (const id of CACHES) {
    for (const k of keys) assert.deepEqual(h.get(id, k), enc(`${id}`));
  }
  h.delete(1, enc("k"));
  assert.equal(h.get(1, enc("k")), undefined);
  for (const id of CACHES.filter((c) => c !== 1)) {
    assert.deepEqual(h.get(id, enc("k")), enc(`${id}`));
  }
  h.close();
});

Deno.test("host: flush(cacheId) removes that cache's items only", async () => {
  const h = await host();
  for (const id of CACHES) {
    for (let i = 0; i < 200; i++) {
      h.set(id, enc(`key ${i}`), enc(`${id}/${i}`), 60_000);
    }
  }
  const total = () => h.stats().reduce((n, s) => n + s.items, 0);
  assert.equal(total(), CACHES.length * 200);
  h.flush(1);
  assert.equal(total(), (CACHES.length - 1) * 200);
  for (const id of CACHES) {
    for (let i = 0; i < 200; i++) {
      const v = h.get(id, enc(`key ${i}`));
      assert.deepEqual(
        v,
        id === 1 ? undefined : enc(`${id}/${i}`),
        `${id}/${i}`,
      );
    }
  }
  h.flush(1); // flushing an empty cache is fine
  h.close();
});

Deno.test("host: slots are stable (FNV-1a) and spread keys over every shard", async () => {
  // fixed values: the slot of an item is part of the data format
  assert.equal(slotOf(1, enc("hello")), 8264);
  assert.equal(slotOf(7, enc("user:42")), 4794);
  assert.equal(slotOf(0xffff_ffff, new Uint8Array(0)), 11431);
  const shards = 8;
  const bounds = slotRanges(shards);
  const shardOf = (cacheId: number, key: Uint8Array) =>
    bounds.findIndex((b) => slotOf(cacheId, key) < b) - 1;
  const counts = new Array<number>(shards).fill(0);
  for (let i = 0; i < 8000; i++) {
    const slot = slotOf(i % 3, enc(`user:${i}`));
    assert.ok(Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT);
    counts[shardOf(i % 3, enc(`user:${i}`))]!++;
  }
  for (const c of counts) assert.ok(c > 800 && c < 1200, `counts ${counts}`);
  // the host stores each item in the shard that hosts its slot
  const h = await host(shards);
  for (let i = 0; i < 400; i++) h.set(3, enc(`k${i}`), enc("v"), 60_000);
  const expected = new Array<number>(shards).fill(0);
  for (let i = 0; i < 400; i++) expected[shardOf(3, enc(`k${i}`))]!++;
  assert.deepEqual(h.stats().map((s) => s.items), expected);
  h.close();
});

Deno.test("host: items expire on the injected clock and the sweep reclaims them", async () => {
  let now = 1_000_000;
  const h = await host(3, () => now);
  for (let i = 0; i < 90; i++) {
    h.set(1, enc(`k${i}`), enc("v"), i < 30 ? 100 : 10_000);
  }
  now += 99;
  assert.deepEqual(h.get(1, enc("k0")), enc("v"));
  now += 1;
  assert.equal(h.get(1, enc("k0")), undefined);
  assert.equal(h.sweep(), 29);
  assert.equal(h.stats().reduce((n, s) => n + s.items, 0), 60);
  h.close();
});

Deno.test("host: getMany gives what get gives for each key, errors included", async () => {
  const h = await host(3);
  const keys = [
    enc("a"),
    enc("b"),
    enc("missing"),
    enc("list"),
    new Uint8Array(0),
    enc("k".repeat(2000)), // read alone
    enc("m".repeat(65_532)), // too long for the core with the prefix
    enc("v"), // its value is larger than the scratch region
    enc("a"), // duplicate
  ];
  for (const id of [1, 0xffff_ffff]) {
    h.set(id, enc("a"), enc(`a${id}`), 60_000);
    h.set(id, enc("b"), new Uint8Array([0xff, id & 0xff]), 60_000);
    h.set(id, new Uint8Array(0), enc("empty"), 60_000);
    h.set(id, enc("k".repeat(2000)), enc("long key"), 60_000);
    h.set(id, enc("v"), new Uint8Array(70_000).fill(7), 60_000);
    h.execute(id, "listPushBack", {
      key: enc("list"),
      value: enc("x"),
      ttlMs: 60_000,
    });
  }
  const outcome = (f: () => Uint8Array | undefined) => {
    try {
      const v = f();
      return v === undefined ? "miss" : [...v].join();
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  };
  for (const id of [1, 0xffff_ffff, 7]) {
    const many = h.getMany(id, keys).map((v) =>
      outcome(() => {
        if (v instanceof Error) throw v;
        return v;
      })
    );
    const single = keys.map((k) => outcome(() => h.get(id, k)));
    assert.deepEqual(many, single);
    if (id !== 7) {
      assert.match(many[3]!, /FAILED_PRECONDITION|holds a LIST/);
      assert.match(many[6]!, /longer than 65535/);
    }
  }
  assert.deepEqual(h.getMany(1, []), []);
  h.close();
});

Deno.test("host: getView gives get's bytes, per cache, without a copy", async () => {
  const h = await host();
  for (const id of CACHES) h.set(id, enc("k"), enc(`v${id}`), 60_000);
  for (const id of CACHES) {
    assert.deepEqual(h.getView(id, enc("k")), h.get(id, enc("k")));
  }
  assert.equal(h.getView(1, enc("missing")), undefined);
  const view = h.getView(1, enc("k"))!;
  const copy = h.get(1, enc("k"))!;
  assert.notEqual(view.buffer, copy.buffer);
  h.close();
});

Deno.test("host: each shard's memory image records its slots, also after memory grows", async () => {
  const h = await host(4);
  const bounds = slotRanges(4);
  const owned = (bits: Uint8Array) => {
    const slots: number[] = [];
    for (let s = 0; s < SLOT_COUNT; s++) {
      if (bits[s >> 3]! & (1 << (s & 7))) slots.push(s);
    }
    return slots;
  };
  // large collections grow the shards' memory (extension region)
  const before = h.stats().map((s) => s.memoryBytes);
  for (let i = 0; i < 8; i++) {
    h.execute(1, "listConcatenateBack", {
      key: enc(`list${i}`),
      values: Array.from({ length: 100 }, () => new Uint8Array(4000).fill(i)),
      ttlMs: 60_000,
    });
  }
  assert.ok(h.stats().some((s, i) => s.memoryBytes > before[i]!), "grew");
  h.shardList().forEach((shard, i) => {
    const slots = owned(shard.slots());
    assert.equal(slots.length, bounds[i + 1]! - bounds[i]!);
    assert.equal(slots[0], bounds[i]);
    assert.equal(slots.at(-1), bounds[i + 1]! - 1);
  });
  assert.throws(
    () => h.shardList()[0]!.setSlots(new Uint8Array(10)),
    RangeError,
  );
  h.close();
});

Deno.test("host: keysIn lists the live items of the slots asked, collections and every cache included", async () => {
  let now = 1_000;
  const h = await host(3, () => now);
  const want = new Set<string>();
  const name = (id: number, k: Uint8Array) =>
    `${id}/${new TextDecoder().decode(k)}`;
  for (let i = 0; i < 600; i++) {
    const id = CACHES[i % CACHES.length]!;
    const k = enc(`k${i}`);
    h.set(id, k, enc("v"), i % 10 === 0 ? 50 : 60_000);
    if (i % 10 !== 0 && slotOf(id, k) % 2 === 0) want.add(name(id, k));
  }
  const list = enc("a-list");
  h.execute(7, "listPushBack", { key: list, value: enc("x"), ttlMs: 60_000 });
  if (slotOf(7, list) % 2 === 0) want.add(name(7, list));
  now += 100; // every tenth item expired
  const got = h.keysIn((s) => s % 2 === 0);
  assert.deepEqual(new Set(got.map((k) => name(k.cacheId, k.key))), want);
  assert.equal(got.length, want.size);
  assert.equal(h.keysIn(() => false).length, 0);
});
