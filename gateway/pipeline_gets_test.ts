// The batched pipeline (runs of gets, summed rate limits, JSON written as
// bytes) against its definition: every entry through runOp, one by one,
// answered with JSON.stringify. Both sides get a fresh store and limiter built
// the same way, with a fixed clock, so they must agree byte for byte.
import assert from "node:assert/strict";
import fc from "fast-check";
import type { CachePermission, TokenClaims } from "../protocol/claims.ts";
import { errorBody, KvoltError } from "../protocol/errors.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";
import { type OpRunContext, runOp } from "./json_api_run.ts";
import { DEFAULT_OP_LIMITS } from "../protocol/op_limits.ts";
import { pipelineEntry, runPipeline } from "./pipeline.ts";
import { RateLimiter } from "./rate_limits.ts";

const CACHES = [
  { name: "a", id: 1, createdAt: "" },
  // tight limits: the run's sum does not fit, entries are refused one by one
  { name: "b", id: 2, createdAt: "", limits: { opsBurst: 5, opsPerSecond: 1 } },
  { name: "c", id: 0xffff_ffff, createdAt: "" },
];

type StoreKind = "wasm" | "memory";

async function context(
  kind: StoreKind,
): Promise<OpRunContext & { close(): void }> {
  const store: (MemoryStore | ShardHost) & { close?(): void } = kind === "wasm"
    ? await ShardHost.create({
      shards: 3,
      bytesPerShard: 1 << 20,
      sweepEveryMs: 0,
      now: () => 1_000_000,
    })
    : new MemoryStore({ now: () => 1_000_000 });
  const caches = { lookup: (n: string) => CACHES.find((c) => c.name === n) };
  const limiter = new RateLimiter({
    caches,
    defaults: {
      opsPerSecond: 1,
      opsBurst: 40,
      bytesPerSecond: 1,
      bytesBurst: 20_000,
    },
    now: () => 0,
  });
  // Every key of "a" and "c" holds a value (most gets hit), "list" a list.
  const enc = (v: unknown) =>
    typeof v === "string"
      ? new TextEncoder().encode(v)
      : Uint8Array.fromBase64((v as { base64: string }).base64);
  for (const id of [1, 0xffff_ffff]) {
    KEYS.forEach((k, i) => {
      const key = new TextEncoder().encode(k);
      const value = enc(VALUES[(i + id) % VALUES.length]);
      if (k === "list") {
        store.execute(id, "listPushBack", { key, value, ttlMs: 60_000 });
      } else if (k !== "") {
        store.execute(id, "set", { key, value, ttlMs: 60_000 });
      }
    });
  }
  return {
    store,
    caches,
    limits: { ...DEFAULT_OP_LIMITS, maxKeyBytes: 2000 },
    limiter,
    close: () => store.close?.(),
  };
}

/** The definition: each entry through runOp, answered with JSON.stringify. */
function oneByOne(
  ctx: OpRunContext,
  claims: TokenClaims,
  ops: unknown[],
  bytes: number,
): string {
  const share = ops.length === 0 ? 0 : Math.ceil(bytes / ops.length);
  const results = ops.map((value, i) => {
    try {
      const e = pipelineEntry(value, i);
      return runOp(ctx, claims, e.cache, e.op, e.args, share);
    } catch (err) {
      if (err instanceof KvoltError) return errorBody(err);
      throw err;
    }
  });
  return JSON.stringify({ results });
}

async function pipelineText(
  ctx: OpRunContext,
  claims: TokenClaims,
  ops: unknown[],
  bytes: number,
): Promise<string> {
  const res = await runPipeline(ctx, claims, { ops }, bytes);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  return await res.text();
}

const KEYS = [
  "k",
  "k2",
  "p:1",
  "p:2",
  "list",
  "é",
  "x".repeat(300),
  "y".repeat(1500),
  "",
];
const VALUES: unknown[] = [
  "plain",
  'quote " and \\ backslash',
  'only "quotes"',
  "back\\slash",
  "ctl\u0001",
  "del\u007f",
  "~ and space",
  "tab\tnew\nline\u0000nul\u001f\u007f",
  "héllo wörld ☃ 😀",
  "\uFEFFbom",
  { base64: "/w==" }, // invalid UTF-8
  { base64: "wMA=" }, // overlong encoding
  { base64: "7aCA" }, // an encoded surrogate
  "v".repeat(70_000), // larger than the shard's scratch: read alone
  "",
];

const anyKey = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.constantFrom<unknown>({ base64: "cDox" }, { base64: "!!" }, 7, null),
);
const entry = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      cache: fc.constantFrom("a", "b", "c", "nope"),
      op: fc.constant("get"),
      args: fc.record({ key: anyKey }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      cache: fc.constantFrom("a", "b", "c"),
      op: fc.constant("set"),
      args: fc.record({
        key: fc.constantFrom(...KEYS),
        value: fc.constantFrom(...VALUES),
        ttlMs: fc.constantFrom(60_000, 0),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      cache: fc.constantFrom("a", "c"),
      op: fc.constant("listPushBack"),
      args: fc.record({
        key: fc.constantFrom("list", "k"),
        value: fc.constant("x"),
        ttlMs: fc.constant(60_000),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      cache: fc.constantFrom("a", "c"),
      op: fc.constant("delete"),
      args: fc.record({ key: fc.constantFrom("k", "list", "p:1") }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      { cache: "a", op: "get", args: { key: "k", extra: 1 } },
      { cache: "a", op: "get" },
      { cache: "a", op: "get", args: ["k"] },
      { cache: "a", op: "fly", args: {} },
      { cache: "", op: "get", args: { key: "k" } },
      "not an entry",
      { cache: "a", op: "get", args: { key: "k" }, more: true },
    ),
  },
);

const READ_P: CachePermission[] = [
  { role: "readwrite", cache: { all: true }, item: { keyPrefix: "p:" } },
  { role: "readonly", cache: { name: "a" } },
];
const CLAIMS: TokenClaims[] = [
  { sub: "admin", p: "superuser" },
  { sub: "t", p: READ_P },
];

for (const kind of ["wasm", "memory"] as const) {
  Deno.test(`pipeline (${kind} store): batched runs answer byte for byte as one-by-one runOp`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 60 }),
        fc.constantFrom(...CLAIMS),
        fc.integer({ min: 0, max: 4000 }),
        async (ops, claims, bytes) => {
          const batched = await context(kind);
          const single = await context(kind);
          try {
            const want = oneByOne(single, claims, ops, bytes);
            assert.equal(await pipelineText(batched, claims, ops, bytes), want);
          } finally {
            batched.close();
            single.close();
          }
        },
      ),
      { seed: 20260517, numRuns: kind === "wasm" ? 150 : 100 },
    );
  });
}

Deno.test("pipeline: a get after a set of the same key sees it; duplicates and misses keep their places", async () => {
  const ctx = await context("wasm");
  const super_ = CLAIMS[0]!;
  const text = await pipelineText(ctx, super_, [
    { cache: "a", op: "get", args: { key: "fresh" } },
    {
      cache: "a",
      op: "set",
      args: { key: "fresh", value: "1", ttlMs: 60_000 },
    },
    { cache: "a", op: "get", args: { key: "fresh" } },
    { cache: "c", op: "get", args: { key: "fresh" } },
    { cache: "a", op: "get", args: { key: "fresh" } },
    { cache: "a", op: "delete", args: { key: "fresh" } },
    { cache: "a", op: "get", args: { key: "fresh" } },
  ], 0);
  assert.deepEqual(JSON.parse(text).results, [
    { type: "Miss" },
    { type: "Success" },
    { type: "Hit", value: "1" },
    { type: "Miss" },
    { type: "Hit", value: "1" },
    { type: "Success" },
    { type: "Miss" },
  ]);
  ctx.close();
});

Deno.test("pipeline: a get of a collection is its own error, as a single get's", async () => {
  const ctx = await context("wasm");
  const claims = CLAIMS[0]!;
  ctx.store.execute(1, "listPushBack", {
    key: new TextEncoder().encode("list"),
    value: new Uint8Array([1]),
    ttlMs: 60_000,
  });
  const ops = [
    { cache: "a", op: "get", args: { key: "list" } },
    { cache: "a", op: "get", args: { key: "fresh" } },
  ];
  const results = JSON.parse(await pipelineText(ctx, claims, ops, 0)).results;
  assert.equal(results[0].error.code, "FAILED_PRECONDITION_ERROR");
  assert.deepEqual(results[1], { type: "Miss" });
  ctx.close();
});

Deno.test("pipeline: rate limits refuse the same entries as one by one; takeAll takes all or nothing", async () => {
  const ctx = await context("wasm");
  const limiter = ctx.limiter as RateLimiter;
  // cache "b" allows a burst of 5: the 6th and later gets are refused
  const ops = Array.from(
    { length: 8 },
    () => ({ cache: "b", op: "get", args: { key: "k" } }),
  );
  const results =
    JSON.parse(await pipelineText(ctx, CLAIMS[0]!, ops, 0)).results;
  assert.deepEqual(
    results.map((r: { type?: string; error?: { cause?: string } }) =>
      r.type ?? r.error?.cause
    ),
    [
      "Miss",
      "Miss",
      "Miss",
      "Miss",
      "Miss",
      "operations_rate_limit_exceeded",
      "operations_rate_limit_exceeded",
      "operations_rate_limit_exceeded",
    ],
  );
  assert.equal(limiter.takeAll("a", 41, 0), false, "more than the burst");
  assert.equal(limiter.takeAll("a", 40, 20_000), true);
  assert.equal(limiter.takeAll("a", 1, 0), false, "nothing left");
  assert.equal(limiter.takeAll("a", 0, 0), true);
  assert.equal(limiter.takeAll("nope", 1e9, 0), true, "no cache, no limit");
  ctx.close();
});
