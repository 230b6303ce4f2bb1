import assert from "node:assert/strict";
import { jsonGateway, readError } from "./_json_api_test_utils.ts";
import { MAX_PIPELINE_OPS } from "./pipeline.ts";
import { RateLimiter } from "./rate_limits.ts";

const TTL = 60_000;

async function results(res: Response): Promise<unknown[]> {
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body), ["results"]);
  return body.results;
}

Deno.test("a pipeline runs every entry in order, one result each", async () => {
  const g = await jsonGateway();
  await g.caches.create("other");
  const seen = await results(
    await g.pipeline({
      ops: [
        {
          cache: "orders",
          op: "set",
          args: { key: "a", value: "1", ttlMs: TTL },
        },
        { cache: "orders", op: "get", args: { key: "a" } },
        { cache: "other", op: "get", args: { key: "a" } },
        {
          cache: "orders",
          op: "listPushBack",
          args: { key: "l", value: { base64: "/w==" }, ttlMs: TTL },
        },
        { cache: "orders", op: "listPopFront", args: { key: "l" } },
        { cache: "orders", op: "delete", args: { key: "a" } },
        { cache: "orders", op: "get", args: { key: "a" } },
      ],
    }),
  );
  assert.deepEqual(seen, [
    { type: "Success" },
    { type: "Hit", value: "1" },
    { type: "Miss" },
    { type: "Success", length: 1 },
    { type: "Hit", value: { base64: "/w==" } },
    { type: "Success" },
    { type: "Miss" },
  ]);
  assert.deepEqual(await results(await g.pipeline({ ops: [] })), []);
});

Deno.test("bad entries fail alone; the good ones around them run", async () => {
  const g = await jsonGateway({ maxElementBytes: 4 });
  const seen = await results(
    await g.pipeline({
      ops: [
        {
          cache: "orders",
          op: "set",
          args: { key: "a", value: "1", ttlMs: TTL },
        },
        {
          cache: "orders",
          op: "set",
          args: { key: "b", value: 1, ttlMs: TTL },
        },
        { cache: "orders", op: "fly", args: {} },
        { cache: "nope", op: "get", args: { key: "a" } },
        {
          cache: "orders",
          op: "setAddElements",
          args: { key: "s", elements: ["12345"], ttlMs: TTL },
        },
        { cache: "orders", op: "listLength", args: { key: "a" } },
        "not an entry",
        { cache: "orders", op: "get" },
        { cache: "orders", op: "get", args: { key: "a" }, extra: true },
        { cache: "", op: "get", args: { key: "a" } },
        { cache: "orders", op: 7, args: { key: "a" } },
        {
          cache: "orders",
          op: "set",
          args: { key: "c", value: "3", ttlMs: TTL },
        },
      ],
    }),
  );
  const codes = seen.map((r) => {
    const e = (r as { error?: { code: string; cause?: string } }).error;
    return e === undefined ? "ok" : e.cause ?? e.code;
  });
  assert.deepEqual(codes, [
    "ok",
    "INVALID_ARGUMENT_ERROR",
    "NOT_FOUND_ERROR",
    "NOT_FOUND_ERROR",
    "element_size_limit_exceeded",
    "FAILED_PRECONDITION_ERROR",
    "INVALID_ARGUMENT_ERROR",
    "INVALID_ARGUMENT_ERROR",
    "INVALID_ARGUMENT_ERROR",
    "INVALID_ARGUMENT_ERROR",
    "INVALID_ARGUMENT_ERROR",
    "ok",
  ]);
  assert.deepEqual(seen[1], {
    error: {
      code: "INVALID_ARGUMENT_ERROR",
      message:
        'Invalid argument: value: expected a string or {"base64": "..."}',
    },
  });
  assert.match(JSON.stringify(seen[8]), /ops\.8\.extra: unknown field/);
  assert.deepEqual(await g.ok("getBatch", { keys: ["a", "b", "c", "s"] }), {
    type: "Success",
    results: [
      { type: "Hit", value: "1" },
      { type: "Miss" },
      { type: "Hit", value: "3" },
      { type: "Miss" },
    ],
  });
});

Deno.test("each entry is authorized and rate-limited on its own", async () => {
  let now = 0;
  const g = await jsonGateway({
    rateLimiter: new RateLimiter({
      defaults: { opsPerSecond: 2, bytesPerSecond: 1e9 },
      now: () => now,
    }),
  });
  const readonly = await g.tokenFor([
    { role: "readonly", cache: { all: true } },
  ]);
  const get = { cache: "orders", op: "get", args: { key: "a" } };
  const set = {
    cache: "orders",
    op: "set",
    args: { key: "a", value: "1", ttlMs: TTL },
  };
  const seen = await results(
    await g.pipeline({ ops: [get, set, get, get] }, { token: readonly }),
  );
  assert.deepEqual(seen[0], { type: "Miss" });
  assert.equal(
    (seen[1] as { error: { code: string } }).error.code,
    "PERMISSION_ERROR",
  );
  assert.deepEqual(seen[2], { type: "Miss" });
  assert.deepEqual((seen[3] as { error: unknown }).error, {
    code: "LIMIT_EXCEEDED_ERROR",
    message: (seen[3] as { error: { message: string } }).error.message,
    cause: "operations_rate_limit_exceeded",
  });
  now += 1000;
  assert.deepEqual(await g.ok("get", { key: "a" }), { type: "Miss" });
});

Deno.test("request-level problems are ordinary error responses", async () => {
  const g = await jsonGateway();
  const entry = {
    cache: "orders",
    op: "set",
    args: { key: "a", value: "1", ttlMs: TTL },
  };
  const tooMany = await readError(
    await g.pipeline({ ops: Array(MAX_PIPELINE_OPS + 1).fill(entry) }),
  );
  assert.deepEqual(tooMany, {
    status: 400,
    code: "INVALID_ARGUMENT_ERROR",
    message:
      "Invalid argument: ops: at most 1000 operations in a pipeline: received 1001",
  });
  const full = await results(
    await g.pipeline({ ops: Array(MAX_PIPELINE_OPS).fill(entry) }),
  );
  assert.equal(full.length, MAX_PIPELINE_OPS);
  await g.ok("delete", { key: "a" });
  for (
    const [body, message] of [
      ["{", /^Invalid request body: not JSON/],
      [[], /^Invalid argument: body: /],
      [{}, /^Invalid argument: ops: expected an array/],
      [{ ops: {} }, /^Invalid argument: ops: expected an array/],
      [{ ops: [entry], more: 1 }, /^Invalid argument: more: unknown field$/],
    ] as const
  ) {
    const seen = await readError(await g.pipeline(body));
    assert.equal(seen.status, 400, JSON.stringify(body));
    assert.match(seen.message, message);
  }
  assert.equal(
    (await readError(await g.pipeline({ ops: [entry] }, { token: "" }))).status,
    401,
  );
  assert.deepEqual(await g.ok("keyExists", { key: "a" }), {
    type: "Success",
    exists: false,
  });
});

Deno.test("a pipeline of gets reads what the Momento routes wrote, over a socket", async () => {
  const g = await jsonGateway();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    g.app.fetch,
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    for (let i = 0; i < 3; i++) {
      const put = await fetch(`${base}/cache/orders?key=k${i}&ttl_seconds=60`, {
        method: "PUT",
        headers: { authorization: g.token },
        body: `v${i}`,
      });
      assert.equal(put.status, 204);
      await put.body?.cancel();
    }
    const res = await fetch(`${base}/v1/pipeline`, {
      method: "POST",
      headers: { authorization: g.token, "content-type": "application/json" },
      body: JSON.stringify({
        ops: [0, 1, 2, 3].map((i) => ({
          cache: "orders",
          op: "get",
          args: { key: `k${i}` },
        })),
      }),
    });
    assert.deepEqual(await res.json(), {
      results: [
        { type: "Hit", value: "v0" },
        { type: "Hit", value: "v1" },
        { type: "Hit", value: "v2" },
        { type: "Miss" },
      ],
    });
  } finally {
    await server.shutdown();
  }
});
