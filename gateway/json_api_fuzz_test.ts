import assert from "node:assert/strict";
import fc from "fast-check";
import { ErrorCode } from "../protocol/errors.ts";
import { OP_NAMES } from "../protocol/operations.ts";
import type { Store } from "../protocol/store.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { jsonGateway, sampleArgs } from "./_json_api_test_utils.ts";

const SEED = 20_260_503;
const CODES = new Set<string>(Object.values(ErrorCode));

const wild = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e308, -1e308, "", "\u0000", "é"),
  fc.constantFrom("e".repeat(17), "i".repeat(70), ["e".repeat(17)]),
  fc.record({ base64: fc.oneof(fc.base64String(), fc.string()) }),
  fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), {
    maxLength: 3,
  }),
);

/** Valid arguments with one field replaced, removed or added. */
const request = fc.record({
  op: fc.constantFrom(...OP_NAMES),
  key: fc.constantFrom("k", "l", "d", "z"),
  field: fc.nat(10),
  change: fc.constantFrom("replace", "remove", "add", "none"),
  value: wild,
}).map(({ op, key, field, change, value }) => {
  const args: Record<string, unknown> = { ...sampleArgs(key)[op] };
  const names = Object.keys(args);
  const name = names[field % names.length]!;
  if (change === "replace") args[name] = value;
  if (change === "remove") delete args[name];
  if (change === "add") args[`x${field}`] = value;
  return { op, args };
});

/** Near-valid requests against a gateway over `store` (the model by default). */
async function fuzz(store?: Store): Promise<void> {
  const g = await jsonGateway({
    maxElementBytes: 16,
    maxItemBytes: 64,
    ...(store ? { store } : {}),
  });
  const logged: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  const statuses = new Set<number>();
  try {
    await fc.assert(
      fc.asyncProperty(request, async ({ op, args }) => {
        const res = await g.call(op, args);
        statuses.add(res.status);
        const body = await res.json();
        const what = `${op} ${JSON.stringify(args)} -> ${res.status}`;
        assert.ok(res.status < 500, `${what} ${JSON.stringify(body)}`);
        if (res.status >= 400) {
          assert.ok(CODES.has(body?.error?.code), what);
          assert.equal(typeof body.error.message, "string", what);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  } finally {
    console.error = error;
  }
  assert.deepEqual(logged, []);
  for (const s of [200, 400, 412, 413]) {
    assert.ok(statuses.has(s), `status ${s} never seen: ${[...statuses]}`);
  }
}

Deno.test("fuzz: near-valid JSON arguments never 5xx; errors are well-formed", async () => {
  await fuzz();
});

// The same requests reach the Wasm core: odd but valid numbers (huge counts,
// far negative indexes, 2^53) must not crash or corrupt a shard.
Deno.test("fuzz: the same over the Wasm store", async () => {
  const host = await ShardHost.create({
    shards: 2,
    bytesPerShard: 1 << 20,
    sweepEveryMs: 0,
    limits: { maxItemBytes: 64 },
  });
  try {
    await fuzz(host);
  } finally {
    host.close();
  }
});
