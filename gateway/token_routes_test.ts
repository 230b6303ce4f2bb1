import assert from "node:assert/strict";
import { TokenSigner } from "../control/token_signer.ts";
import type { TokenClaims } from "../protocol/claims.ts";
import type { GatewayOptions } from "./app.ts";
import { auth, readError, testGateway } from "./_test_utils.ts";
import { Hono } from "hono";
import { responseForThrown } from "./http_errors.ts";
import { addTokenRoutes, parseTokenRequest } from "./token_routes.ts";
import { TokenVerifier } from "./token_verifier.ts";

/** A gateway whose verifier and minter share one signer. */
async function tokenGateway(options: Partial<GatewayOptions> = {}) {
  const signer = await TokenSigner.generate();
  const verifier = new TokenVerifier(signer.publicKey);
  const gw = await testGateway({ verifier, minter: signer, ...options });
  const su = await signer.mint({
    sub: "su",
    p: "superuser",
    c: "kv.example:8443",
    cp: "cp.example:9443",
  });
  return { ...gw, signer, verifier, su };
}

function post(token: string, body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { ...auth(token), "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

const READ_ORDERS = {
  expiresInSeconds: 600,
  permissions: [{ role: "readonly", cache: { name: "orders" } }],
};

Deno.test("POST /v1/tokens mints a token that verifies and carries its claims", async () => {
  const { app, verifier, su } = await tokenGateway();
  const before = Math.floor(Date.now() / 1000);
  // The caller's key names kv.example / cp.example (an address the server
  // had before a restart); the token names the server as this request
  // reached it.
  const res = await app.request(
    "http://127.0.0.1:7777/v1/tokens",
    post(su, { ...READ_ORDERS, tokenId: "my-id" }),
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), [
    "authToken",
    "endpoint",
    "expiresAt",
    "id",
  ]);
  assert.equal(body.endpoint, "127.0.0.1:7777");
  assert.ok(body.expiresAt >= before + 600 && body.expiresAt <= before + 602);
  const claims: TokenClaims = await verifier.verify(body.authToken);
  assert.deepEqual(claims.p, READ_ORDERS.permissions);
  assert.equal(claims.t, "my-id");
  assert.equal(claims.c, "127.0.0.1:7777");
  assert.equal(claims.cp, "127.0.0.1:7777");
  assert.equal(claims.exp, body.expiresAt);
  assert.match(claims.sub, /^token-/);
});

Deno.test("a minted token is scoped: it reads its cache, not others, and no control route", async () => {
  const { app, caches, su } = await tokenGateway();
  await caches.create("other");
  for (const cache of ["orders", "other"]) {
    const put = await app.request(`/cache/${cache}?key=k&ttl_seconds=60`, {
      method: "PUT",
      headers: auth(su),
      body: "v",
    });
    assert.equal(put.status, 204);
  }
  const { authToken } = await (await app.request(
    "/v1/tokens",
    post(su, READ_ORDERS),
  )).json();
  const read = await app.request("/cache/orders?key=k", {
    headers: auth(authToken),
  });
  assert.equal(read.status, 200);
  assert.equal(await read.text(), "v");
  const denied = [
    await app.request("/cache/other?key=k", { headers: auth(authToken) }),
    await app.request("/cache/orders?key=k", {
      method: "DELETE",
      headers: auth(authToken),
    }),
    await app.request("/v1/caches", { headers: auth(authToken) }),
    await app.request("/v1/caches/x", {
      method: "PUT",
      headers: auth(authToken),
    }),
    await app.request("/v1/caches/orders/flush", {
      method: "POST",
      headers: auth(authToken),
    }),
    await app.request("/v1/tokens", post(authToken, READ_ORDERS)),
  ];
  for (const res of denied) {
    const seen = await readError(res);
    assert.equal(seen.status, 403);
    assert.equal(seen.code, "PERMISSION_ERROR");
  }
});

Deno.test("POST /v1/tokens: the endpoint is the request's host when the key names none", async () => {
  const { app, signer, verifier } = await tokenGateway();
  const bare = await signer.mint({ sub: "su2", p: "superuser" });
  const res = await app.request(
    "http://127.0.0.1:9999/v1/tokens",
    post(bare, READ_ORDERS),
  );
  const body = await res.json();
  assert.equal(body.endpoint, "127.0.0.1:9999");
  const claims = await verifier.verify(body.authToken);
  assert.equal(claims.c, "127.0.0.1:9999");
  assert.equal(claims.cp, "127.0.0.1:9999");
  assert.equal(claims.t, undefined);
});

Deno.test("POST /v1/tokens: with a gRPC listener, c/cp name it on the request's host and h the HTTP API", async () => {
  const { app, signer, verifier } = await tokenGateway({
    grpcPort: () => 9444,
  });
  const su = await signer.mint({ sub: "su3", p: "superuser" });
  const res = await app.request(
    "http://localhost:9443/v1/tokens",
    post(su, READ_ORDERS),
  );
  const body = await res.json();
  assert.equal(body.endpoint, "localhost:9443");
  const claims = await verifier.verify(body.authToken);
  assert.deepEqual([claims.c, claims.cp, claims.h], [
    "localhost:9444",
    "localhost:9444",
    "localhost:9443",
  ]);
});

Deno.test("POST /v1/tokens: expiry bounds are 1 to 86400 seconds", async () => {
  const { app, su } = await tokenGateway();
  for (const expiresInSeconds of [1, 86_400]) {
    const res = await app.request(
      "/v1/tokens",
      post(su, { ...READ_ORDERS, expiresInSeconds }),
    );
    assert.equal(res.status, 200, `expiresInSeconds ${expiresInSeconds}`);
    await res.body?.cancel();
  }
  for (const expiresInSeconds of [0, -5, 86_401, 1.5, "60", null]) {
    const seen = await readError(
      await app.request(
        "/v1/tokens",
        post(su, { ...READ_ORDERS, expiresInSeconds }),
      ),
    );
    assert.equal(seen.status, 400);
    assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
    assert.match(seen.message, /expiresInSeconds must be an integer from 1/);
  }
});

Deno.test("a minted token expires (the route's clock set 2 hours back)", async () => {
  const { signer, verifier, su } = await tokenGateway();
  const app = new Hono();
  addTokenRoutes(app, {
    verifier,
    minter: signer,
    now: () => Date.now() - 2 * 3600_000,
  });
  app.onError(responseForThrown);
  const { authToken, expiresAt } = await (await app.request(
    "/v1/tokens",
    post(su, { ...READ_ORDERS, expiresInSeconds: 3600 }),
  )).json();
  assert.ok(expiresAt < Date.now() / 1000);
  await assert.rejects(() => verifier.verify(authToken), {
    code: "AUTHENTICATION_ERROR",
    message: "Token expired",
  });
});

const BAD_BODIES: [unknown, RegExp][] = [
  ["not json", /not JSON/],
  ["", /not JSON/],
  [[], /expected a JSON object/],
  [{ ...READ_ORDERS, extra: 1 }, /unknown field: extra/],
  [{ permissions: READ_ORDERS.permissions }, /expiresInSeconds/],
  [{ expiresInSeconds: 60 }, /permissions must be an array of 1 to 20/],
  [{ expiresInSeconds: 60, permissions: [] }, /received 0/],
  [
    {
      expiresInSeconds: 60,
      permissions: Array(21).fill(READ_ORDERS.permissions[0]),
    },
    /received 21/,
  ],
  [{ ...READ_ORDERS, permissions: ["x"] }, /permissions\[0\]: expected an/],
  [
    { ...READ_ORDERS, permissions: [{ role: "admin", cache: { all: true } }] },
    /permissions\[0\]\.role: expected "readwrite"/,
  ],
  [
    { ...READ_ORDERS, permissions: [{ role: "readonly" }] },
    /permissions\[0\]\.cache: expected an object/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{ role: "readonly", cache: { all: false } }],
    },
    /all must be true/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{ role: "readonly", cache: { all: true, name: "a" } }],
    },
    /permissions\[0\]\.cache: expected \{"all":true\} or \{"name":"\.\.\."\}/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{ role: "readonly", cache: { name: "" } }],
    },
    /name must be a non-empty string/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{ role: "readonly", cache: { all: true }, item: {} }],
    },
    /permissions\[0\]\.item: expected/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{
        role: "readonly",
        cache: { all: true },
        item: { keyPrefix: 5 },
      }],
    },
    /keyPrefix must be a non-empty string/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{
        role: "readonly",
        cache: { all: true },
        item: { prefix: "a" },
      }],
    },
    /item: unknown field: prefix/,
  ],
  [
    {
      ...READ_ORDERS,
      permissions: [{ role: "readonly", cache: { all: true }, ttl: 1 }],
    },
    /permissions\[0\]: unknown field: ttl/,
  ],
  [{ ...READ_ORDERS, tokenId: "x".repeat(65) }, /tokenId must be a string/],
  [{ ...READ_ORDERS, tokenId: 7 }, /tokenId must be a string/],
];

Deno.test("POST /v1/tokens: bad bodies are 400 naming the problem", async () => {
  const { app, su } = await tokenGateway();
  for (const [body, message] of BAD_BODIES) {
    const seen = await readError(
      await app.request("/v1/tokens", post(su, body)),
    );
    assert.equal(seen.status, 400, JSON.stringify(body));
    assert.equal(seen.code, "INVALID_ARGUMENT_ERROR");
    assert.match(seen.message, message);
  }
  const ok = parseTokenRequest({ ...READ_ORDERS, tokenId: "x".repeat(64) });
  assert.equal(ok.tokenId?.length, 64);
});

Deno.test("POST /v1/tokens: 401 without a token, 403 for a data token, 413 for a huge body", async () => {
  const { app, signer, su } = await tokenGateway();
  const none = await readError(
    await app.request("/v1/tokens", { method: "POST", body: "{}" }),
  );
  assert.equal(none.status, 401);
  const data = await signer.mint({
    sub: "d",
    p: [{ role: "readwrite", cache: { all: true } }],
  });
  const denied = await readError(
    await app.request("/v1/tokens", post(data, READ_ORDERS)),
  );
  assert.equal(denied.status, 403);
  assert.equal(denied.code, "PERMISSION_ERROR");
  const huge = await readError(
    await app.request("/v1/tokens", post(su, "x".repeat(300_000))),
  );
  assert.equal(huge.status, 413);
  assert.equal(huge.cause, "request_size_limit_exceeded");
});

Deno.test("POST /v1/tokens without a minter is 503; other methods are 405", async () => {
  const { app, token } = await testGateway();
  const seen = await readError(
    await app.request("/v1/tokens", post(token, READ_ORDERS)),
  );
  assert.equal(seen.status, 503);
  assert.equal(seen.code, "SERVER_UNAVAILABLE");
  const res = await app.request("/v1/tokens", { headers: auth(token) });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "POST");
  await res.body?.cancel();
});

Deno.test("POST /v1/tokens/revoke: a revoked token is refused at once, also where it was verified before", async () => {
  const revoked: string[] = [];
  const { app, su } = await tokenGateway({
    revocations: {
      revoke: (id) => {
        revoked.push(id);
        return Promise.resolve();
      },
    },
  });
  const minted = await (await app.request("/v1/tokens", post(su, READ_ORDERS)))
    .json();
  assert.match(minted.id, /^token-/);
  const read = () =>
    app.request("/cache/orders?key=k", { headers: auth(minted.authToken) });
  const before = await read();
  assert.notEqual(before.status, 401);
  await before.body?.cancel();
  // only a super-user may revoke
  const denied = await app.request(
    "/v1/tokens/revoke",
    post(minted.authToken, { id: minted.id }),
  );
  assert.equal((await readError(denied)).status, 403);
  const bad = await app.request("/v1/tokens/revoke", post(su, { nope: 1 }));
  assert.equal((await readError(bad)).status, 400);
  const ok = await app.request(
    "/v1/tokens/revoke",
    post(su, { id: minted.id }),
  );
  assert.equal(ok.status, 204);
  assert.deepEqual(revoked, [minted.id]);
  const after = await readError(await read());
  assert.equal(after.status, 401);
  assert.equal(after.code, "AUTHENTICATION_ERROR");
  assert.match(after.message, /revoked/);
});

Deno.test("POST /v1/tokens/revoke without a place to keep revocations is 503", async () => {
  const { app, su } = await tokenGateway();
  const res = await app.request("/v1/tokens/revoke", post(su, { id: "x" }));
  assert.equal((await readError(res)).status, 503);
});
