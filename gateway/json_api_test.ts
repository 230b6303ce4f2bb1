import assert from "node:assert/strict";
import { OP_NAMES } from "../protocol/operations.ts";
import { jsonGateway, readError, sampleArgs } from "./_json_api_test_utils.ts";
import { CATALOGUE as OP_SCHEMAS } from "../protocol/catalogue.ts";

const TTL = 60_000;

Deno.test("every operation answers 200 with a result its documented schema accepts", async () => {
  const g = await jsonGateway();
  // Writes first, so that reads find something; then everything again.
  for (const round of [1, 2]) {
    for (const op of OP_NAMES) {
      const key = op.startsWith("list")
        ? "list"
        : op.startsWith("dictionary")
        ? "dict"
        : op.startsWith("sortedSet")
        ? "zset"
        : /^set(Add|Remove|Contains|Fetch|Sample|Pop|Length)/.test(op)
        ? "set"
        : op === "increment"
        ? "counter"
        : "k";
      const body = { ...sampleArgs(key)[op] };
      const result = await g.ok(op, body);
      const parsed = OP_SCHEMAS[op].result.safeParse(result);
      assert.ok(
        parsed.success,
        `${op} (round ${round}): ${
          JSON.stringify(result)
        } does not match its schema: ${parsed.error?.message}`,
      );
    }
  }
});

Deno.test("scalars round-trip, and share items with the Momento routes", async () => {
  const g = await jsonGateway();
  assert.deepEqual(await g.ok("set", { key: "a", value: "1", ttlMs: TTL }), {
    type: "Success",
  });
  assert.deepEqual(await g.ok("get", { key: "a" }), {
    type: "Hit",
    value: "1",
  });
  assert.deepEqual(await g.ok("get", { key: "missing" }), { type: "Miss" });
  const momento = await g.app.request("/cache/orders?key=a", {
    headers: { authorization: g.token },
  });
  assert.equal(await momento.text(), "1");
  assert.deepEqual(
    await g.ok("increment", { key: "a", amount: 41, ttlMs: TTL }),
    { type: "Success", value: 42 },
  );
  assert.deepEqual(
    await g.ok("setIfAbsent", { key: "a", value: "x", ttlMs: TTL }),
    { type: "NotStored" },
  );
  const hashed = await g.ok("getWithHash", { key: "a" }) as {
    hash: unknown;
  };
  const stored = await g.ok("setIfPresentAndHashEqual", {
    key: "a",
    value: "43",
    hashEqual: hashed.hash,
    ttlMs: TTL,
  });
  assert.equal((stored as { type: string }).type, "Stored");
  assert.deepEqual(await g.ok("getBatch", { keys: ["a", "nope"] }), {
    type: "Success",
    results: [{ type: "Hit", value: "43" }, { type: "Miss" }],
  });
  assert.deepEqual(await g.ok("itemGetType", { key: "a" }), {
    type: "Hit",
    itemType: "SCALAR",
  });
  assert.deepEqual(await g.ok("delete", { key: "a" }), { type: "Success" });
  assert.deepEqual(await g.ok("keyExists", { key: "a" }), {
    type: "Success",
    exists: false,
  });
});

Deno.test("dictionaries round-trip", async () => {
  const g = await jsonGateway();
  await g.ok("dictionarySetFields", {
    key: "d",
    fields: [{ field: "a", value: "1" }, { field: "b", value: "2" }],
    ttlMs: TTL,
  });
  assert.deepEqual(
    await g.ok("dictionaryGetFields", { key: "d", fields: ["b", "z"] }),
    {
      type: "Hit",
      results: [{ type: "Hit", value: "2" }, { type: "Miss" }],
    },
  );
  const all = await g.ok("dictionaryFetch", { key: "d" }) as {
    fields: { field: string }[];
  };
  assert.deepEqual(all.fields.map((f) => f.field).sort(), ["a", "b"]);
  assert.deepEqual(await g.ok("dictionaryLength", { key: "nope" }), {
    type: "Miss",
  });
});

Deno.test("lists, sets and sorted sets round-trip", async () => {
  const g = await jsonGateway();
  await g.ok("listConcatenateBack", {
    key: "l",
    values: ["a", "b"],
    ttlMs: TTL,
  });
  assert.deepEqual(
    await g.ok("listPushFront", { key: "l", value: "z", ttlMs: TTL }),
    { type: "Success", length: 3 },
  );
  assert.deepEqual(await g.ok("listFetch", { key: "l" }), {
    type: "Hit",
    values: ["z", "a", "b"],
  });
  await g.ok("setAddElements", { key: "s", elements: ["x", "y"], ttlMs: TTL });
  assert.deepEqual(
    await g.ok("setContainsElements", { key: "s", elements: ["y", "q"] }),
    { type: "Hit", contains: [true, false] },
  );
  await g.ok("sortedSetPutElements", {
    key: "z",
    elements: [{ value: "b", score: 2 }, { value: "a", score: 1 }],
    ttlMs: TTL,
  });
  assert.deepEqual(
    await g.ok("sortedSetFetchByRank", { key: "z", order: "DESC" }),
    {
      type: "Hit",
      elements: [{ value: "b", score: 2 }, { value: "a", score: 1 }],
    },
  );
  const wrongType = await readError(await g.call("listLength", { key: "z" }));
  assert.equal(wrongType.code, "FAILED_PRECONDITION_ERROR");
});

Deno.test("binary (non-UTF-8) bytes round-trip as base64; text as strings", async () => {
  const g = await jsonGateway();
  const cases = [
    Uint8Array.of(0xff, 0x00, 0xfe),
    Uint8Array.of(0xc3), // a truncated UTF-8 sequence
    Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), // BOM + "A": valid UTF-8, kept
    new TextEncoder().encode("héllo 🌍"),
    new Uint8Array(0),
  ];
  for (const [i, bytes] of cases.entries()) {
    const key = { base64: Uint8Array.of(0x80, i).toBase64() };
    await g.ok("set", { key, value: { base64: bytes.toBase64() }, ttlMs: TTL });
    const got = await g.ok("get", { key }) as { value: unknown };
    const back = typeof got.value === "string"
      ? new TextEncoder().encode(got.value)
      : Uint8Array.fromBase64((got.value as { base64: string }).base64);
    assert.deepEqual(back, bytes, `case ${i}`);
    const text = (() => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    })();
    assert.equal(typeof got.value === "string", text, `case ${i}`);
  }
  const momento = await g.app.request(
    `/cache/orders?key_base64=${Uint8Array.of(0x80, 0).toBase64()}`,
    { headers: { authorization: g.token } },
  );
  assert.deepEqual(new Uint8Array(await momento.arrayBuffer()), cases[0]);
});

Deno.test("ping needs a token; the token travels as on the Momento routes", async () => {
  const g = await jsonGateway();
  const ok = await g.app.request("/v1/ping", {
    headers: { authorization: `Bearer ${g.token}` },
  });
  assert.deepEqual(await ok.json(), { type: "Success" });
  const query = await g.app.request(`/v1/ping?token=${g.token}`);
  assert.equal(query.status, 200);
  await query.body?.cancel();
  assert.equal((await readError(await g.app.request("/v1/ping"))).status, 401);
  const both = await g.app.request(`/v1/ping?token=${g.token}`, {
    headers: { authorization: g.token },
  });
  assert.equal((await readError(both)).status, 400);
  const noToken = await g.call("get", { key: "k" }, { token: "" });
  assert.equal((await readError(noToken)).code, "AUTHENTICATION_ERROR");
});

Deno.test("a scoped token is checked per operation and per key", async () => {
  const g = await jsonGateway();
  const readonly = await g.tokenFor([
    {
      role: "readonly",
      cache: { name: "orders" },
      item: { keyPrefix: "pub-" },
    },
  ]);
  assert.deepEqual(await g.ok("get", { key: "pub-1" }, { token: readonly }), {
    type: "Miss",
  });
  for (
    const [op, body] of [
      ["set", { key: "pub-1", value: "v", ttlMs: TTL }],
      ["get", { key: "secret" }],
      ["getBatch", { keys: ["pub-1", "secret"] }],
    ] as const
  ) {
    const seen = await readError(await g.call(op, body, { token: readonly }));
    assert.equal(seen.status, 403, op);
    assert.equal(seen.code, "PERMISSION_ERROR");
  }
  assert.deepEqual(await g.ok("keyExists", { key: "pub-1" }), {
    type: "Success",
    exists: false,
  });
});

Deno.test("unknown operations and caches are 404 JSON; other methods 405", async () => {
  const g = await jsonGateway();
  const op = await readError(await g.call("getEverything", { key: "k" }));
  assert.deepEqual(op, {
    status: 404,
    code: "NOT_FOUND_ERROR",
    message: "Unknown operation: getEverything",
  });
  for (const name of ["constructor", "__proto__", "toString"]) {
    assert.equal((await readError(await g.call(name, {}))).status, 404, name);
  }
  const cache = await readError(
    await g.call("get", { key: "k" }, { cache: "nope" }),
  );
  assert.deepEqual(cache, {
    status: 404,
    code: "NOT_FOUND_ERROR",
    message: "Cache not found: nope",
  });
  const res = await g.app.request("/v1/cache/orders/get", {
    headers: { authorization: g.token },
  });
  assert.equal(res.headers.get("allow"), "POST");
  assert.equal((await readError(res)).status, 405);
});

Deno.test("hash-conditional sets take any hash bytes: one that cannot be ours does not match", async () => {
  const g = await jsonGateway();
  await g.ok("set", { key: "h", value: "v0", ttlMs: TTL });
  for (
    const hash of [
      "",
      "short",
      { base64: "AAAAAAAAAAAAAAAAAAAAAA==" },
      "x".repeat(300),
    ]
  ) {
    assert.deepEqual(
      await g.ok("setIfPresentAndHashEqual", {
        key: "h",
        value: "v1",
        hashEqual: hash,
        ttlMs: TTL,
      }),
      { type: "NotStored" },
    );
    assert.deepEqual(
      await g.ok("setIfAbsentOrHashEqual", {
        key: "h",
        value: "v1",
        hashEqual: hash,
        ttlMs: TTL,
      }),
      { type: "NotStored" },
    );
    assert.deepEqual(
      (await g.ok("setIfPresentAndHashNotEqual", {
        key: "h",
        value: "v2",
        hashNotEqual: hash,
        ttlMs: TTL,
      }) as { type: string }).type,
      "Stored",
    );
    assert.deepEqual(
      (await g.ok("setIfAbsentOrHashNotEqual", {
        key: "h",
        value: "v3",
        hashNotEqual: hash,
        ttlMs: TTL,
      }) as { type: string }).type,
      "Stored",
    );
  }
  assert.deepEqual(await g.ok("get", { key: "h" }), {
    type: "Hit",
    value: "v3",
  });
});
