import assert from "node:assert/strict";
import { auth, readError, testGateway } from "./_test_utils.ts";

const enc = new TextEncoder();

Deno.test("PUT then GET round-trips a value, DELETE removes it", async () => {
  const { app, token } = await testGateway();
  const put = await app.request("/cache/orders?key=k1&ttl_seconds=60", {
    method: "PUT",
    headers: auth(token),
    body: "hello",
  });
  assert.equal(put.status, 204);
  assert.equal(await put.text(), "");
  const get = await app.request("/cache/orders?key=k1", {
    headers: auth(token),
  });
  assert.equal(get.status, 200);
  assert.equal(get.headers.get("content-type"), "application/octet-stream");
  assert.equal(await get.text(), "hello");
  const del = await app.request("/cache/orders?key=k1", {
    method: "DELETE",
    headers: auth(token),
  });
  assert.equal(del.status, 204);
  const miss = await readError(
    await app.request("/cache/orders?key=k1", { headers: auth(token) }),
  );
  assert.equal(miss.status, 404);
});

Deno.test("GET of a missing key is 404 NOT_FOUND_ERROR saying the key was not found", async () => {
  const { app, token } = await testGateway();
  const seen = await readError(
    await app.request("/cache/orders?key=nope", { headers: auth(token) }),
  );
  assert.deepEqual(seen, {
    status: 404,
    code: "NOT_FOUND_ERROR",
    message: "Key not found in cache: orders",
  });
});

Deno.test("DELETE of a missing key is 204", async () => {
  const { app, token } = await testGateway();
  const res = await app.request("/cache/orders?key=never", {
    method: "DELETE",
    headers: auth(token),
  });
  assert.equal(res.status, 204);
});

Deno.test("every data route answers 404 Cache not found for a missing cache", async () => {
  const { app, token } = await testGateway();
  for (const method of ["GET", "PUT", "DELETE"]) {
    const seen = await readError(
      await app.request("/cache/ghost?key=k&ttl_seconds=5", {
        method,
        headers: auth(token),
        body: method === "PUT" ? "v" : undefined,
      }),
    );
    assert.deepEqual(seen, {
      status: 404,
      code: "NOT_FOUND_ERROR",
      message: "Cache not found: ghost",
    }, method);
  }
});

Deno.test("binary values round-trip byte-exact", async () => {
  const { app, token } = await testGateway();
  const value = new Uint8Array(70_000);
  for (let i = 0; i < value.length; i++) value[i] = (i * 131 + 7) & 0xff;
  value.set([0, 0xff, 0xfe, 0xc3, 0x28, 0x80], 0); // NUL and invalid UTF-8
  const put = await app.request("/cache/orders?key=bin&ttl_seconds=60", {
    method: "PUT",
    headers: { ...auth(token), "content-type": "application/octet-stream" },
    body: value,
  });
  assert.equal(put.status, 204);
  const get = await app.request("/cache/orders?key=bin", {
    headers: auth(token),
  });
  assert.deepEqual(new Uint8Array(await get.arrayBuffer()), value);
});

Deno.test("an empty value is stored and read back", async () => {
  const { app, token } = await testGateway();
  const put = await app.request("/cache/orders?key=empty&ttl_seconds=1", {
    method: "PUT",
    headers: auth(token),
  });
  assert.equal(put.status, 204);
  const get = await app.request("/cache/orders?key=empty", {
    headers: auth(token),
  });
  assert.equal(get.status, 200);
  assert.equal((await get.arrayBuffer()).byteLength, 0);
});

Deno.test("key_base64 addresses non-UTF-8 keys in both alphabets, padded or not", async () => {
  const { app, token, store } = await testGateway();
  // bytes fb ff fe: URL-safe "-__-", standard "+//+"
  const put = await app.request(
    "/cache/orders?key_base64=-__-&ttl_seconds=60",
    {
      method: "PUT",
      headers: auth(token),
      body: "binary key",
    },
  );
  assert.equal(put.status, 204);
  for (const form of ["-__-", "%2B%2F%2F%2B", "+//+", "-__-"]) {
    const res = await app.request(`/cache/orders?key_base64=${form}`, {
      headers: auth(token),
    });
    assert.equal(res.status, 200, form);
    assert.equal(await res.text(), "binary key");
  }
  // "AQ" and "AQ==" are the same single byte 0x01
  await app.request("/cache/orders?key_base64=AQ&ttl_seconds=60", {
    method: "PUT",
    headers: auth(token),
    body: "one",
  });
  const padded = await app.request("/cache/orders?key_base64=AQ%3D%3D", {
    headers: auth(token),
  });
  assert.equal(await padded.text(), "one");
  assert.equal(store.calls.set, 2);
});

Deno.test("key and key_base64 name the same item for the same bytes", async () => {
  const { app, token } = await testGateway();
  await app.request("/cache/orders?key=caf%C3%A9&ttl_seconds=60", {
    method: "PUT",
    headers: auth(token),
    body: "latte",
  });
  const b64 = btoa(String.fromCharCode(...enc.encode("café")));
  const res = await app.request(
    `/cache/orders?key_base64=${encodeURIComponent(b64)}`,
    { headers: auth(token) },
  );
  assert.equal(await res.text(), "latte");
});

Deno.test("key errors are 400 INVALID_ARGUMENT_ERROR", async () => {
  const { app, token } = await testGateway();
  const cases: Array<[string, RegExp]> = [
    ["", /^Missing key/],
    ["key=a&key_base64=YQ", /not both/],
    ["key=", /must not be empty/],
    ["key_base64=", /must not be empty/],
    ["key_base64=a$b", /^Invalid key_base64/],
    ["key_base64=abcde", /^Invalid key_base64/],
    ["key_base64=a-b/", /^Invalid key_base64/],
    ["key_base64=YQ=", /^Invalid key_base64/],
    ["key=a&key=b", /more than once/],
    ["key=%E0%A4%A", /malformed percent-encoding/],
    ["key=%FF", /malformed percent-encoding/],
  ];
  for (const method of ["GET", "PUT", "DELETE"]) {
    for (const [query, message] of cases) {
      const seen = await readError(
        await app.request(`/cache/orders?${query}&ttl_seconds=9`, {
          method,
          headers: auth(token),
          body: method === "PUT" ? "v" : undefined,
        }),
      );
      assert.equal(seen.status, 400, `${method} ${query}`);
      assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
      assert.match(seen.message, message, `${method} ${query}`);
    }
  }
});

Deno.test("PUT needs ttl_seconds, a positive integer within maxTtlSeconds", async () => {
  const { app, token, store } = await testGateway({ maxTtlSeconds: 100 });
  const bad = [
    "",
    "ttl_seconds=",
    "ttl_seconds=0",
    "ttl_seconds=-5",
    "ttl_seconds=1.5",
    "ttl_seconds=1e3",
    "ttl_seconds=abc",
    "ttl_seconds=101",
    "ttl_seconds=%2B5",
    "ttl_seconds=99999999999999999999999",
    "ttl_seconds=%20",
  ];
  for (const query of bad) {
    const seen = await readError(
      await app.request(`/cache/orders?key=k&${query}`, {
        method: "PUT",
        headers: auth(token),
        body: "v",
      }),
    );
    assert.equal(seen.status, 400, query);
    assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
    assert.match(seen.message, /ttl_seconds/, query);
  }
  assert.equal(store.calls.set, 0);
  const ok = await app.request("/cache/orders?key=k&ttl_seconds=100", {
    method: "PUT",
    headers: auth(token),
    body: "v",
  });
  assert.equal(ok.status, 204);
});

Deno.test("the default TTL limit is 24 hours", async () => {
  const { app, token } = await testGateway();
  const put = (ttl: number) =>
    app.request(`/cache/orders?key=k&ttl_seconds=${ttl}`, {
      method: "PUT",
      headers: auth(token),
      body: "v",
    });
  assert.equal((await put(86_400)).status, 204);
  assert.equal((await put(86_401)).status, 400);
});

Deno.test("HEAD answers like GET without a body", async () => {
  const { app, token } = await testGateway();
  await app.request("/cache/orders?key=h&ttl_seconds=60", {
    method: "PUT",
    headers: auth(token),
    body: "abc",
  });
  const res = await app.request("/cache/orders?key=h", {
    method: "HEAD",
    headers: auth(token),
  });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
});

Deno.test("cache names in the path are percent-decoded", async () => {
  const { app, token, caches } = await testGateway();
  await caches.create("a.b-c_d");
  const put = await app.request("/cache/a%2Eb-c_d?key=k&ttl_seconds=5", {
    method: "PUT",
    headers: auth(token),
    body: "v",
  });
  assert.equal(put.status, 204);
});
