import assert from "node:assert/strict";
import fc from "fast-check";
import { KvoltError } from "../protocol/errors.ts";
import type { CacheInfo } from "../protocol/store.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { MemoryCacheRegistry } from "./_test_utils.ts";
import { createGateway } from "./app.ts";
import { DEFAULT_RATE_LIMITS, RateLimiter } from "./rate_limits.ts";
import { TokenSigner } from "../control/token_signer.ts";
import { TokenVerifier } from "./token_verifier.ts";

function clock() {
  const c = { now: 0, fn: () => c.now };
  return c;
}

function refusal(fn: () => void): { code: string; cause?: string } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof KvoltError)) throw err;
    return { code: err.code, ...(err.limit ? { cause: err.limit } : {}) };
  }
  throw new Error("expected a refusal");
}

const OPS_REFUSED = {
  code: "LIMIT_EXCEEDED_ERROR",
  cause: "operations_rate_limit_exceeded",
};
const BYTES_REFUSED = {
  code: "LIMIT_EXCEEDED_ERROR",
  cause: "throughput_rate_limit_exceeded",
};

Deno.test("RateLimiter refuses past the burst and refills with fractional tokens", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 10, bytesPerSecond: 1e9 },
    now: c.fn,
  });
  for (let i = 0; i < 10; i++) limiter.take("a", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
  c.now += 50; // half a token
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
  c.now += 50; // the other half
  limiter.take("a", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
  c.now += 60_000; // refill stops at the burst
  for (let i = 0; i < 10; i++) limiter.take("a", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
});

Deno.test("RateLimiter keeps one pair of buckets per cache", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 1, bytesPerSecond: 1e9 },
    now: c.fn,
  });
  limiter.take("a", 1, 0);
  limiter.take("b", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
});

Deno.test("RateLimiter limits bytes, and a refusal consumes nothing", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 100, bytesPerSecond: 1000 },
    now: c.fn,
  });
  limiter.take("a", 1, 600);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 600)), BYTES_REFUSED);
  // The refused request took no operation and no byte: 400 bytes remain.
  limiter.take("a", 1, 400);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 1)), BYTES_REFUSED);
  c.now += 1000;
  limiter.take("a", 1, 1000);
});

Deno.test("RateLimiter lets a request larger than the burst pass from a full bucket, leaving debt", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 100, bytesPerSecond: 1000 },
    now: c.fn,
  });
  limiter.take("a", 1, 3000); // full bucket: passes, 2000 bytes of debt
  c.now += 1500; // -500
  assert.deepEqual(refusal(() => limiter.take("a", 1, 1)), BYTES_REFUSED);
  c.now += 600; // +100
  limiter.take("a", 1, 1);
});

Deno.test("RateLimiter honours explicit bursts", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 1, bytesPerSecond: 1e9, opsBurst: 3 },
    now: c.fn,
  });
  for (let i = 0; i < 3; i++) limiter.take("a", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("a", 1, 0)), OPS_REFUSED);
});

Deno.test("RateLimiter applies per-cache overrides from the registry, and their changes", () => {
  const c = clock();
  const entries = new Map<string, CacheInfo>([
    ["slow", {
      name: "slow",
      id: 1,
      createdAt: "",
      limits: { opsPerSecond: 2 },
    }],
    ["fast", { name: "fast", id: 2, createdAt: "" }],
  ]);
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 100, bytesPerSecond: 1e9 },
    caches: { lookup: (name) => entries.get(name) },
    now: c.fn,
  });
  limiter.take("slow", 2, 0);
  assert.deepEqual(refusal(() => limiter.take("slow", 1, 0)), OPS_REFUSED);
  limiter.take("fast", 50, 0);
  limiter.take("fast", 50, 0);
  assert.deepEqual(refusal(() => limiter.take("fast", 1, 0)), OPS_REFUSED);
  // A cache the registry does not know is not limited.
  for (let i = 0; i < 1000; i++) limiter.take("missing", 1, 0);
  // New limits (a new entry, as the registry writes them) apply at once.
  entries.set("slow", {
    name: "slow",
    id: 1,
    createdAt: "",
    limits: { opsPerSecond: 100 },
  });
  c.now += 1000;
  for (let i = 0; i < 100; i++) limiter.take("slow", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("slow", 1, 0)), OPS_REFUSED);
  // A re-created cache (new id) starts with full buckets.
  entries.set("slow", { name: "slow", id: 3, createdAt: "" });
  limiter.take("slow", 100, 0);
});

Deno.test("RateLimiter.effective merges overrides field by field", () => {
  const limiter = new RateLimiter();
  assert.deepEqual(limiter.effective(undefined), {
    ...DEFAULT_RATE_LIMITS,
    opsBurst: DEFAULT_RATE_LIMITS.opsPerSecond,
    bytesBurst: DEFAULT_RATE_LIMITS.bytesPerSecond,
  });
  assert.deepEqual(limiter.effective({ bytesPerSecond: 10 }), {
    opsPerSecond: DEFAULT_RATE_LIMITS.opsPerSecond,
    bytesPerSecond: 10,
    opsBurst: DEFAULT_RATE_LIMITS.opsPerSecond,
    bytesBurst: 10,
  });
});

Deno.test("RateLimiter refuses bad options and bad amounts", () => {
  assert.throws(
    () => new RateLimiter({ defaults: { opsPerSecond: 0, bytesPerSecond: 1 } }),
    RangeError,
  );
  assert.throws(
    () =>
      new RateLimiter({
        defaults: { opsPerSecond: 1, bytesPerSecond: 1, bytesBurst: NaN },
      }),
    RangeError,
  );
  const limiter = new RateLimiter();
  for (const [ops, bytes] of [[-1, 0], [0, NaN], [Infinity, 0]]) {
    assert.throws(() => limiter.take("a", ops!, bytes!), RangeError);
  }
});

Deno.test("RateLimiter never lets more through than burst + rate x time (property)", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          dt: fc.integer({ min: 0, max: 300 }),
          ops: fc.integer({ min: 0, max: 4 }),
        }),
        { maxLength: 200 },
      ),
      (steps) => {
        const c = clock();
        const limiter = new RateLimiter({
          defaults: { opsPerSecond: 5, bytesPerSecond: 1e9, opsBurst: 5 },
          now: c.fn,
        });
        let granted = 0;
        for (const { dt, ops } of steps) {
          c.now += dt;
          try {
            limiter.take("a", ops, 0);
            granted += ops;
          } catch (err) {
            if (!(err instanceof KvoltError)) throw err;
          }
          assert.ok(granted <= 5 + 5 * c.now / 1000 + 1e-9);
        }
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});

Deno.test("over HTTP: a per-cache override set by PUT /v1/caches answers 429 with the cause", async () => {
  const c = clock();
  const signer = await TokenSigner.generate();
  const caches = new MemoryCacheRegistry();
  await caches.create("orders");
  const app = createGateway({
    store: new MemoryStore(),
    caches,
    verifier: new TokenVerifier(signer.publicKey),
    rateLimiter: new RateLimiter({
      caches,
      defaults: { opsPerSecond: 1000, bytesPerSecond: 1e9 },
      now: c.fn,
    }),
  });
  const su = await signer.mint({ sub: "su", p: "superuser" });
  const headers = { authorization: su };
  const put = await app.request("/v1/caches/slow", {
    method: "PUT",
    headers,
    body: JSON.stringify({ limits: { opsPerSecond: 2, bytesPerSecond: 100 } }),
  });
  assert.equal(put.status, 201);
  await put.body?.cancel();
  const set = async (cache: string, value: string) => {
    const res = await app.request(`/v1/cache/${cache}/set`, {
      method: "POST",
      headers,
      body: JSON.stringify({ key: "k", value, ttlMs: 60_000 }),
    });
    return { status: res.status, body: await res.json() };
  };
  assert.equal((await set("slow", "a")).status, 200);
  assert.equal((await set("slow", "a")).status, 200);
  const refused = await set("slow", "a");
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.code, "LIMIT_EXCEEDED_ERROR");
  assert.equal(refused.body.error.cause, "operations_rate_limit_exceeded");
  assert.equal(
    (await set("orders", "a")).status,
    200,
    "other caches unaffected",
  );
  c.now += 500;
  assert.equal((await set("slow", "a")).status, 200, "refilled");
  c.now += 10_000;
  const big = await set("slow", "x".repeat(200));
  assert.equal(big.status, 200, "a full bucket lets one large request pass");
  const starved = await set("slow", "x");
  assert.equal(starved.status, 429);
  assert.equal(starved.body.error.cause, "throughput_rate_limit_exceeded");
});

Deno.test("RateLimiter: a share scales a cache's rate and burst; demand counts what was asked, refused included", () => {
  const c = clock();
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 100, bytesPerSecond: 1e9 },
    now: c.fn,
  });
  limiter.setShares(new Map([["half", 0.5], ["bad", 7]]));
  for (let i = 0; i < 50; i++) limiter.take("half", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("half", 1, 0)), OPS_REFUSED);
  c.now += 1000; // half the rate: 50 more
  for (let i = 0; i < 50; i++) limiter.take("half", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("half", 1, 0)), OPS_REFUSED);
  // a share out of (0, 1] is ignored: the whole limit
  for (let i = 0; i < 100; i++) limiter.take("bad", 1, 0);
  assert.deepEqual(
    limiter.drainDemand(),
    new Map([["half", 102], ["bad", 100]]),
  );
  assert.deepEqual(limiter.drainDemand(), new Map());
  // back to the whole limit: the bucket keeps what it has, the rate doubles
  limiter.setShares(new Map());
  c.now += 1000;
  for (let i = 0; i < 100; i++) limiter.take("half", 1, 0);
  assert.deepEqual(refusal(() => limiter.take("half", 1, 0)), OPS_REFUSED);
});
