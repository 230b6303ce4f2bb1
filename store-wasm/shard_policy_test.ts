// The S3-FIFO policy of the Wasm core, on raw shards (every read is a hit for
// the policy). Eviction safety against the model: shard_eviction_test.ts.
import assert from "node:assert/strict";
import { WasmShard } from "./shard.ts";
import { bytes, rng } from "./_test_utils.ts";

Deno.test("policy: keys read often survive while the main ring churns (FIFO reinsertion)", async () => {
  const shard = await WasmShard.create({ budget: 128 * 1024 });
  for (let i = 0; i < 5000; i++) shard.set(bytes(12, i), bytes(100, i)); // full
  const hot = Array.from({ length: 100 }, (_, i) => bytes(12, 1_000_000 + i));
  const cold = Array.from({ length: 100 }, (_, i) => bytes(12, 2_000_000 + i));
  // interleaved, so that both cohorts have the same ages
  for (let i = 0; i < 100; i++) {
    shard.set(hot[i]!, bytes(100, i));
    shard.get(hot[i]!);
    shard.set(cold[i]!, bytes(100, i));
  }
  let hotHits = 0;
  let hotReads = 0;
  for (let i = 0; i < 20_000; i++) {
    // each new key is read once: promoted to the main ring, whose tail then
    // evicts (unread items) or reinserts (read ones)
    const key = bytes(12, 10_000 + i);
    shard.set(key, bytes(100, i));
    shard.get(key);
    if (i % 2 === 0) {
      hotReads++;
      if (shard.get(hot[(i / 2) % 100]!) !== undefined) hotHits++;
    }
  }
  const hotLeft = hot.filter((k) => shard.get(k) !== undefined).length;
  const coldLeft = cold.filter((k) => shard.get(k) !== undefined).length;
  assert.ok(shard.stats().evictions > 15_000);
  assert.ok(hotHits / hotReads > 0.9, `hot hit rate ${hotHits / hotReads}`);
  assert.ok(hotLeft >= 90, `hot keys left ${hotLeft}`);
  assert.equal(coldLeft, 0);
});

Deno.test("policy: keys read soon after insertion into a full shard are promoted from the small ring", async () => {
  const shard = await WasmShard.create({ budget: 128 * 1024 });
  for (let i = 0; i < 5000; i++) shard.set(bytes(12, i), bytes(100, i)); // full
  const late = Array.from({ length: 40 }, (_, i) => bytes(12, 3_000_000 + i));
  const never = Array.from({ length: 40 }, (_, i) => bytes(12, 4_000_000 + i));
  for (let i = 0; i < 40; i++) {
    shard.set(late[i]!, bytes(100, i));
    shard.set(never[i]!, bytes(100, i));
    shard.get(late[i]!);
  }
  for (let i = 0; i < 20_000; i++) {
    shard.set(bytes(12, 10_000 + i), bytes(100, i));
    if (i % 25 === 0) shard.get(late[(i / 25) % 40]!);
  }
  const lateLeft = late.filter((k) => shard.get(k) !== undefined).length;
  const neverLeft = never.filter((k) => shard.get(k) !== undefined).length;
  assert.ok(lateLeft >= 36, `late hot keys left ${lateLeft}`);
  assert.equal(neverLeft, 0);
});

Deno.test("policy: in a cache-aside workload, hot keys hit far more often than cold ones", async () => {
  const r = rng(99);
  const shard = await WasmShard.create({ budget: 64 * 1024 });
  const hits = { hot: 0, hotReads: 0, cold: 0, coldReads: 0 };
  for (let i = 0; i < 100_000; i++) {
    const isHot = r() < 0.5;
    const id = isHot ? Math.floor(r() * 100) : 100 + Math.floor(r() * 20_000);
    const key = bytes(10, id + 7);
    const hit = shard.get(key) !== undefined;
    if (!hit) shard.set(key, bytes(80, id));
    if (i < 10_000) continue; // warm-up
    if (isHot) {
      hits.hotReads++;
      if (hit) hits.hot++;
    } else {
      hits.coldReads++;
      if (hit) hits.cold++;
    }
  }
  const hot = hits.hot / hits.hotReads;
  const cold = hits.cold / hits.coldReads;
  assert.ok(hot > 0.9 && hot > cold + 0.5, `hot ${hot}, cold ${cold}`);
});
