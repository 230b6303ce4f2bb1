// Recency mode (see the top of assembly/shard.ts): when the working set moves
// to new keys, ghost hits from the small ring switch the shard to a CLOCK, so
// new keys stop missing again after leaving the small ring as ghosts; a scan
// never switches it.
import assert from "node:assert/strict";
import { WasmShard } from "./shard.ts";
import { bytes } from "./_test_utils.ts";

/** Cache-aside over `keys` round-robin `rounds` times; returns the misses. */
function replay(shard: WasmShard, keys: Uint8Array[], rounds: number): number {
  let misses = 0;
  for (let r = 0; r < rounds; r++) {
    for (const [i, key] of keys.entries()) {
      if (shard.get(key) === undefined) {
        misses++;
        shard.set(key, bytes(100, i));
      }
    }
  }
  return misses;
}

Deno.test("recency: a working set that moves to new keys stops missing each key again and again", async () => {
  const shard = await WasmShard.create({ budget: 128 * 1024 });
  const set = (base: number) =>
    Array.from({ length: 600 }, (_, i) => bytes(12, base + i));
  // each key comes back after 600 others: longer than the small ring holds
  replay(shard, set(1_000_000), 20);
  for (let phase = 1; phase <= 3; phase++) {
    const misses = replay(shard, set(1_000_000 + phase * 10_000), 10);
    // recency mode: ~1350 misses a phase; plain S3-FIFO: ~2300 from phase 2 on
    assert.ok(misses < 600 * 2.5, `phase ${phase}: ${misses} misses`);
  }
});

Deno.test("recency: a scan of one-time keys keeps the S3-FIFO filter", async () => {
  const shard = await WasmShard.create({ budget: 128 * 1024 });
  const hot = Array.from({ length: 300 }, (_, i) => bytes(12, 5_000_000 + i));
  replay(shard, hot, 5);
  let hotMisses = 0;
  for (let i = 0; i < 30_000; i++) {
    shard.set(bytes(12, 10_000_000 + i), bytes(100, i)); // never read again
    if (i % 3 === 0) hotMisses += replay(shard, [hot[(i / 3) % 300]!], 1);
  }
  assert.ok(hotMisses < 100, `hot misses ${hotMisses}`);
});
