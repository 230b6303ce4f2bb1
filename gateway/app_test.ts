import assert from "node:assert/strict";
import { auth, readError, testGateway } from "./_test_utils.ts";

Deno.test("unknown routes are 404 JSON", async () => {
  const { app, token } = await testGateway();
  for (
    const path of [
      "/",
      "/nope",
      "/cache",
      "/cache/",
      "/cache/orders/extra",
      "/v1/caches/a/b/c",
    ]
  ) {
    const seen = await readError(
      await app.request(path, { headers: auth(token) }),
    );
    assert.equal(seen.status, 404, path);
    assert.equal(seen.code, "NOT_FOUND_ERROR");
    assert.match(seen.message, /^Route not found: GET /);
  }
});

Deno.test("a known path with another method is 405 JSON with Allow", async () => {
  const { app, token } = await testGateway();
  const cases: Array<[string, string, string]> = [
    ["POST", "/cache/orders?key=k", "GET, PUT, DELETE"],
    ["PATCH", "/cache/orders?key=k", "GET, PUT, DELETE"],
    ["POST", "/v1/caches", "GET"],
    ["GET", "/v1/caches/orders", "PUT, DELETE"],
    ["GET", "/v1/caches/orders/flush", "POST"],
  ];
  for (const [method, path, allow] of cases) {
    const res = await app.request(path, { method, headers: auth(token) });
    assert.equal(res.headers.get("allow"), allow, `${method} ${path}`);
    const seen = await readError(res);
    assert.equal(seen.status, 405, `${method} ${path}`);
    assert.equal(seen.code, "BAD_REQUEST_ERROR");
  }
});

Deno.test("an unexpected exception is a logged 500 INTERNAL_SERVER_ERROR", async () => {
  const { app, token, store } = await testGateway();
  const logged: unknown[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    store.getMany = () => {
      throw new Error("disk on fire");
    };
    store.execute = () => {
      throw "not even an Error";
    };
    for (const method of ["GET", "DELETE"]) {
      const seen = await readError(
        await app.request("/cache/orders?key=k", {
          method,
          headers: auth(token),
        }),
      );
      assert.deepEqual(seen, {
        status: 500,
        code: "INTERNAL_SERVER_ERROR",
        message: "Internal server error",
      });
    }
    assert.equal(logged.length, 2);
    assert.match(String(logged[0]), /disk on fire/);
  } finally {
    console.error = error;
  }
});

Deno.test("malformed percent-encoding anywhere we read is 400, not 500", async () => {
  const { app, token } = await testGateway();
  for (
    const query of [
      "key=%",
      "key=%zz",
      "token=%E0%A4%A",
      "key_base64=%",
      "ttl_seconds=%GG&key=k",
    ]
  ) {
    const res = await app.request(`/cache/orders?${query}`, {
      method: "PUT",
      headers: query.startsWith("token") ? {} : auth(token),
    });
    const seen = await readError(res);
    assert.equal(seen.status, 400, query);
    assert.match(seen.message, /malformed percent-encoding/);
  }
  const path = await app.request("/cache/%E0%A4%A?key=k", {
    headers: auth(token),
  });
  assert.equal((await readError(path)).status, 404);
});

Deno.test("the app serves through fetch over a real socket", async () => {
  const { app, token } = await testGateway();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    app.fetch,
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const put = await fetch(`${base}/cache/orders?key=s&ttl_seconds=5`, {
      method: "PUT",
      headers: auth(token),
      body: "over the wire",
    });
    assert.equal(put.status, 204);
    await put.body?.cancel();
    const get = await fetch(`${base}/cache/orders?key=s`, {
      headers: auth(token),
    });
    assert.equal(await get.text(), "over the wire");
  } finally {
    await server.shutdown();
  }
});
