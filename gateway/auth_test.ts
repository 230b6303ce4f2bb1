import assert from "node:assert/strict";
import { TokenVerifier } from "./token_verifier.ts";
import { requestToken } from "./auth.ts";
import { KvoltError } from "../protocol/errors.ts";
import {
  auth,
  keyPair,
  mintToken,
  readError,
  testGateway,
} from "./_test_utils.ts";

const ROUTES: Array<[string, string]> = [
  ["GET", "/cache/orders?key=k"],
  ["PUT", "/cache/orders?key=k&ttl_seconds=60"],
  ["DELETE", "/cache/orders?key=k"],
  ["GET", "/v1/caches"],
  ["PUT", "/v1/caches/new-cache"],
  ["DELETE", "/v1/caches/orders"],
  ["POST", "/v1/caches/orders/flush"],
];

function withQuery(path: string, extra: string): string {
  return path + (path.includes("?") ? "&" : "?") + extra;
}

Deno.test("requestToken takes the header or the query parameter", () => {
  assert.equal(requestToken("abc", undefined), "abc");
  assert.equal(requestToken(null, "abc"), "abc");
  assert.equal(requestToken("Bearer abc", undefined), "abc");
  assert.equal(requestToken("bearer   abc", undefined), "abc");
  assert.equal(requestToken("", "abc"), "abc");
  assert.throws(
    () => requestToken("a", "b"),
    (e) => e instanceof KvoltError && e.code === "INVALID_ARGUMENT_ERROR",
  );
  assert.throws(
    () => requestToken(null, undefined),
    (e) => e instanceof KvoltError && e.code === "AUTHENTICATION_ERROR",
  );
  assert.throws(
    () => requestToken("Bearer ", ""),
    (e) => e instanceof KvoltError && e.code === "AUTHENTICATION_ERROR",
  );
});

Deno.test("the token works in the header, with Bearer, or as token=", async () => {
  const { app, token } = await testGateway();
  const forms: Array<[string, HeadersInit]> = [
    ["/v1/caches", { authorization: token }],
    ["/v1/caches", { authorization: `Bearer ${token}` }],
    [`/v1/caches?token=${token}`, {}],
    ["/cache/orders?key=x", { authorization: token }],
    [`/cache/orders?key=x&token=${encodeURIComponent(token)}`, {}],
  ];
  for (const [path, headers] of forms) {
    const res = await app.request(path, { headers });
    assert.ok(
      res.status === 200 || res.status === 404,
      `${path}: ${res.status}`,
    );
    if (res.status === 404) {
      assert.equal(
        (await readError(res)).message,
        "Key not found in cache: orders",
      );
    } else await res.body?.cancel();
  }
});

Deno.test("every route answers 401 without a token", async () => {
  const { app } = await testGateway();
  for (const [method, path] of ROUTES) {
    const seen = await readError(await app.request(path, { method }));
    assert.equal(seen.status, 401, `${method} ${path}`);
    assert.equal(seen.code, "AUTHENTICATION_ERROR");
    assert.match(seen.message, /^Missing token/);
  }
});

Deno.test("every route answers 400 to a token in both places", async () => {
  const { app, token } = await testGateway();
  for (const [method, path] of ROUTES) {
    const seen = await readError(
      await app.request(withQuery(path, `token=${token}`), {
        method,
        headers: auth(token),
      }),
    );
    assert.equal(seen.status, 400, `${method} ${path}`);
    assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
  }
});

Deno.test("every route answers 401 to bad, forged, expired and foreign tokens", async () => {
  const { app, keys } = await testGateway();
  const other = await keyPair();
  const tokens: Array<[string, string, RegExp]> = [
    ["garbage", "garbage", /^Invalid token/],
    ["forged", await mintToken(other.privateKey), /^Invalid token: signature/],
    [
      "expired",
      await mintToken(keys.privateKey, {
        exp: Math.floor(Date.now() / 1000) - 1,
      }),
      /^Token expired$/,
    ],
    [
      "wrong issuer",
      await mintToken(keys.privateKey, { issuer: "someone-else" }),
      /iss/,
    ],
  ];
  for (const [label, token, message] of tokens) {
    for (const [method, path] of ROUTES) {
      for (const viaQuery of [false, true]) {
        const res = await app.request(
          viaQuery ? withQuery(path, `token=${token}`) : path,
          { method, headers: viaQuery ? {} : auth(token) },
        );
        const seen = await readError(res);
        assert.equal(seen.status, 401, `${label} ${method} ${path}`);
        assert.equal(seen.code, "AUTHENTICATION_ERROR");
        assert.match(seen.message, message, label);
      }
    }
  }
});

Deno.test("a token cached while valid is refused once it expires", async () => {
  const keys = await keyPair();
  let now = Date.now();
  const verifier = new TokenVerifier(keys.publicKey, { now: () => now });
  const { app } = await testGateway({ verifier });
  const exp = Math.floor(now / 1000) + 60;
  const token = await mintToken(keys.privateKey, { exp });
  const before = await app.request("/cache/orders?key=k", {
    headers: auth(token),
  });
  assert.equal(before.status, 404); // authenticated: a key miss
  await before.body?.cancel();
  assert.ok(verifier.cached(token) !== undefined);
  now = exp * 1000 + 1;
  const seen = await readError(
    await app.request("/cache/orders?key=k", { headers: auth(token) }),
  );
  assert.equal(seen.status, 401);
  assert.equal(seen.message, "Token expired");
  assert.equal(verifier.size, 0);
});

Deno.test("a data token gets 403 on control routes", async () => {
  const { app, keys } = await testGateway();
  const token = await mintToken(keys.privateKey, {
    p: [{ role: "readwrite", cache: { all: true } }],
  });
  for (const [method, path] of ROUTES.filter(([, p]) => p.startsWith("/v1"))) {
    const seen = await readError(
      await app.request(path, { method, headers: auth(token) }),
    );
    assert.equal(seen.status, 403, `${method} ${path}`);
    assert.equal(seen.code, "PERMISSION_ERROR");
  }
});

Deno.test("a token without the cache gets 403 on data routes, before the cache is looked up", async () => {
  const { app, keys, store } = await testGateway();
  const token = await mintToken(keys.privateKey, {
    p: [{ role: "readwrite", cache: { name: "other" } }],
  });
  for (const path of ["/cache/orders", "/cache/ghost"]) {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const seen = await readError(
        await app.request(`${path}?key=k&ttl_seconds=5`, {
          method,
          headers: auth(token),
          body: method === "PUT" ? "v" : undefined,
        }),
      );
      assert.equal(seen.status, 403, `${method} ${path}`);
      assert.equal(seen.code, "PERMISSION_ERROR");
    }
  }
  assert.deepEqual(store.calls, { get: 0, set: 0, delete: 0, flush: 0 });
});

Deno.test("scoped tokens follow their role and item selector", async () => {
  const { app, keys } = await testGateway();
  const readonly = await mintToken(keys.privateKey, {
    p: [{
      role: "readonly",
      cache: { name: "orders" },
      item: { keyPrefix: "pub:" },
    }],
  });
  const writeonly = await mintToken(keys.privateKey, {
    p: [{ role: "writeonly", cache: { all: true }, item: { key: "pub:1" } }],
  });
  const put = (token: string, key: string) =>
    app.request(`/cache/orders?key=${key}&ttl_seconds=5`, {
      method: "PUT",
      headers: auth(token),
      body: "v",
    });
  const get = (token: string, key: string) =>
    app.request(`/cache/orders?key=${key}`, { headers: auth(token) });
  assert.equal((await put(writeonly, "pub:1")).status, 204);
  assert.equal((await readError(await put(writeonly, "pub:2"))).status, 403);
  assert.equal((await readError(await get(writeonly, "pub:1"))).status, 403);
  assert.equal((await readError(await put(readonly, "pub:1"))).status, 403);
  const hit = await get(readonly, "pub:1");
  assert.equal(hit.status, 200);
  assert.equal(await hit.text(), "v");
  assert.equal((await readError(await get(readonly, "priv:1"))).status, 403);
});
