import assert from "node:assert/strict";
import { planShards } from "./shard_plan.ts";

Deno.test("planShards splits into 4 shards when there is room, else fewer", () => {
  assert.deepEqual(planShards(256 * 2 ** 20), {
    shards: 4,
    bytesPerShard: 64 * 2 ** 20,
  });
  assert.deepEqual(planShards(8 * 2 ** 20), {
    shards: 2,
    bytesPerShard: 4 * 2 ** 20,
  });
  assert.deepEqual(planShards(2 ** 20), { shards: 1, bytesPerShard: 2 ** 20 });
});

Deno.test("planShards keeps every shard within 1 GiB for large capacities", () => {
  assert.deepEqual(planShards(4 * 2 ** 30), {
    shards: 4,
    bytesPerShard: 2 ** 30,
  });
  assert.deepEqual(planShards(64 * 2 ** 30), {
    shards: 64,
    bytesPerShard: 2 ** 30,
  });
  const odd = planShards(5 * 2 ** 30 + 1);
  assert.equal(odd.shards, 6);
  assert.ok(odd.bytesPerShard <= 2 ** 30);
});
