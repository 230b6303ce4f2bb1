import assert from "node:assert/strict";
import { auth, readError, testGateway } from "./_test_utils.ts";

Deno.test("GET /v1/caches lists caches by name with their creation time", async () => {
  const { app, token, caches } = await testGateway();
  await caches.create("alpha");
  const res = await app.request("/v1/caches", { headers: auth(token) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.deepEqual(body.caches.map((c: { name: string }) => c.name), [
    "alpha",
    "orders",
  ]);
  assert.deepEqual(Object.keys(body.caches[0]).sort(), ["createdAt", "name"]);
  assert.ok(!Number.isNaN(Date.parse(body.caches[0].createdAt)));
});

Deno.test("PUT /v1/caches/:name creates a cache (201), then 409 when it exists", async () => {
  const { app, token } = await testGateway();
  const created = await app.request("/v1/caches/fresh", {
    method: "PUT",
    headers: auth(token),
  });
  assert.equal(created.status, 201);
  const body = await created.json();
  assert.equal(body.name, "fresh");
  assert.equal(typeof body.createdAt, "string");
  const put = await app.request("/cache/fresh?key=k&ttl_seconds=5", {
    method: "PUT",
    headers: auth(token),
    body: "v",
  });
  assert.equal(put.status, 204);
  const again = await readError(
    await app.request("/v1/caches/fresh", {
      method: "PUT",
      headers: auth(token),
    }),
  );
  assert.equal(again.status, 409);
  assert.equal(again.code, "ALREADY_EXISTS_ERROR");
});

Deno.test("PUT /v1/caches/:name maps the registry's bad-name error to 400", async () => {
  const { app, token } = await testGateway();
  const seen = await readError(
    await app.request("/v1/caches/bad%20name!", {
      method: "PUT",
      headers: auth(token),
    }),
  );
  assert.equal(seen.status, 400);
  assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
  assert.match(seen.message, /bad name!/);
});

Deno.test("DELETE /v1/caches/:name removes the cache and flushes its items", async () => {
  const { app, token, store, caches } = await testGateway();
  const id = caches.lookup("orders")?.id as number;
  await app.request("/cache/orders?key=k&ttl_seconds=5", {
    method: "PUT",
    headers: auth(token),
    body: "v",
  });
  assert.equal(await store.count(id), 1);
  const res = await app.request("/v1/caches/orders", {
    method: "DELETE",
    headers: auth(token),
  });
  assert.equal(res.status, 204);
  assert.equal(caches.lookup("orders"), undefined);
  assert.equal(await store.count(id), 0);
  const seen = await readError(
    await app.request("/cache/orders?key=k", { headers: auth(token) }),
  );
  assert.equal(seen.message, "Cache not found: orders");
});

Deno.test("DELETE and flush of a missing cache are 404", async () => {
  const { app, token, store } = await testGateway();
  for (
    const [method, path] of [["DELETE", "/v1/caches/ghost"], [
      "POST",
      "/v1/caches/ghost/flush",
    ]]
  ) {
    const seen = await readError(
      await app.request(path as string, { method, headers: auth(token) }),
    );
    assert.equal(seen.status, 404, path);
    assert.equal(seen.code, "NOT_FOUND_ERROR");
    assert.equal(seen.message, "Cache not found: ghost");
  }
  assert.equal(store.calls.flush, 0);
});

Deno.test("flush empties a cache but keeps it, and leaves other caches alone", async () => {
  const { app, token, caches } = await testGateway();
  await caches.create("other");
  const put = (cache: string, key: string) =>
    app.request(`/cache/${cache}?key=${key}&ttl_seconds=60`, {
      method: "PUT",
      headers: auth(token),
      body: key,
    });
  await put("orders", "a");
  await put("orders", "b");
  await put("other", "a");
  const res = await app.request("/v1/caches/orders/flush", {
    method: "POST",
    headers: auth(token),
  });
  assert.equal(res.status, 204);
  for (const key of ["a", "b"]) {
    const seen = await readError(
      await app.request(`/cache/orders?key=${key}`, { headers: auth(token) }),
    );
    assert.equal(seen.message, "Key not found in cache: orders");
  }
  const kept = await app.request("/cache/other?key=a", {
    headers: auth(token),
  });
  assert.equal(await kept.text(), "a");
  assert.equal((await put("orders", "c")).status, 204);
});

Deno.test("PUT /v1/caches/:name with limits creates (201) or updates (200) them; GET shows them", async () => {
  const { app, token } = await testGateway();
  const put = (name: string, body: string) =>
    app.request(`/v1/caches/${name}`, {
      method: "PUT",
      headers: auth(token),
      body,
    });
  const created = await put(
    "slow",
    JSON.stringify({ limits: { opsPerSecond: 5, bytesPerSecond: 1000 } }),
  );
  assert.equal(created.status, 201);
  assert.deepEqual((await created.json()).limits, {
    opsPerSecond: 5,
    bytesPerSecond: 1000,
  });
  const updated = await put("orders", '{"limits":{"opsPerSecond":7}}');
  assert.equal(updated.status, 200);
  assert.deepEqual((await updated.json()).limits, { opsPerSecond: 7 });
  const list = await (await app.request("/v1/caches", { headers: auth(token) }))
    .json();
  assert.deepEqual(
    list.caches.map((c: { name: string; limits?: unknown }) => [
      c.name,
      c.limits,
    ]),
    [["orders", { opsPerSecond: 7 }], [
      "slow",
      { opsPerSecond: 5, bytesPerSecond: 1000 },
    ]],
  );
  const cleared = await put("orders", '{"limits":{}}');
  assert.equal(cleared.status, 200);
  assert.equal("limits" in await cleared.json(), false);
  const again = await readError(await put("slow", ""));
  assert.equal(again.status, 409, "no body: an existing cache is a conflict");
});

Deno.test("PUT /v1/caches/:name refuses bad settings with 400 and changes nothing", async () => {
  const { app, token, caches } = await testGateway();
  for (
    const [body, message] of [
      ["{", /not JSON/],
      ["[]", /expected a JSON object/],
      ['{"limit":{}}', /unknown field: limit/],
      ['{"limits":{"opsPerSecond":0}}', /opsPerSecond must be a number/],
      ['{"limits":{"bytesPerSecond":"1"}}', /bytesPerSecond must be a number/],
      ['{"limits":{"rps":1}}', /unknown field: rps/],
    ] as const
  ) {
    const seen = await readError(
      await app.request("/v1/caches/fresh", {
        method: "PUT",
        headers: auth(token),
        body,
      }),
    );
    assert.equal(seen.status, 400, body);
    assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
    assert.match(seen.message, message);
  }
  assert.equal(caches.lookup("fresh"), undefined);
});
