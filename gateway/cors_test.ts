import assert from "node:assert/strict";
import { jsonGateway, readError } from "./_json_api_test_utils.ts";
import { isAllowedOrigin } from "./cors.ts";

function preflight(origin: string, path = "/v1/cache/orders/get") {
  return new Request(`http://kvolt${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
}

Deno.test("localhost origins: any port on localhost, 127.0.0.1 and [::1]", () => {
  for (
    const origin of [
      "http://localhost:5173",
      "https://localhost",
      "http://127.0.0.1:8080",
      "http://[::1]:3000",
    ]
  ) {
    assert.ok(isAllowedOrigin(origin, "localhost"), origin);
  }
  for (
    const origin of [
      "http://localhost.evil.example",
      "http://evil.example",
      "http://127.0.0.2",
      "file://localhost",
      "null",
      "http://localhost:5173/",
    ]
  ) {
    assert.ok(!isAllowedOrigin(origin, "localhost"), origin);
  }
  assert.ok(isAllowedOrigin("https://app.example", ["https://app.example"]));
  assert.ok(
    !isAllowedOrigin("https://app.example.evil", ["https://app.example"]),
  );
});

Deno.test("a preflight from an allowed origin is answered 204 with methods and headers", async () => {
  const g = await jsonGateway({ corsOrigins: "localhost" });
  const res = await g.app.fetch(preflight("http://localhost:5173"));
  assert.equal(res.status, 204);
  assert.equal(
    res.headers.get("access-control-allow-origin"),
    "http://localhost:5173",
  );
  assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(
    res.headers.get("access-control-allow-headers") ?? "",
    /Authorization, Content-Type, Read-Concern/,
  );
  assert.equal(res.headers.get("access-control-allow-credentials"), null);
  assert.equal(res.headers.get("vary"), "Origin");
});

Deno.test("a preflight allows every header Momento's browser SDK sends (grpc-web)", async () => {
  const g = await jsonGateway({ corsOrigins: "localhost" });
  const res = await g.app.fetch(preflight("http://localhost:5173"));
  const allowed = (res.headers.get("access-control-allow-headers") ?? "")
    .toLowerCase().split(/,\s*/);
  // what @gomomento/sdk-web 1.118 asks for in Chromium's preflight
  for (
    const h of [
      "agent",
      "authorization",
      "cache",
      "content-type",
      "grpc-timeout",
      "read-concern",
      "runtime-version",
      "x-grpc-web",
      "x-user-agent",
    ]
  ) {
    assert.ok(allowed.includes(h), `${h} not allowed: ${allowed}`);
  }
});

Deno.test("a preflight from another origin is 403 without CORS headers", async () => {
  const g = await jsonGateway({ corsOrigins: ["https://app.example"] });
  const res = await g.app.fetch(preflight("https://evil.example"));
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  const seen = await readError(res);
  assert.equal(seen.status, 403);
  assert.equal(seen.message, "Origin not allowed: https://evil.example");
});

Deno.test("without corsOrigins, no origin is allowed", async () => {
  const g = await jsonGateway();
  const res = await g.app.fetch(preflight("http://localhost:5173"));
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  assert.notEqual(res.status, 204);
  await res.body?.cancel();
});

Deno.test("answers to an allowed origin carry Allow-Origin; others and origin-less ones do not", async () => {
  const g = await jsonGateway({ corsOrigins: ["https://app.example"] });
  const call = (origin?: string, path = "/v1/cache/orders/get") =>
    g.app.fetch(
      new Request(`http://kvolt${path}`, {
        method: "POST",
        headers: { authorization: g.token, ...(origin ? { origin } : {}) },
        body: JSON.stringify({ key: "k" }),
      }),
    );
  const allowed = await call("https://app.example");
  assert.equal(allowed.status, 200);
  assert.equal(
    allowed.headers.get("access-control-allow-origin"),
    "https://app.example",
  );
  assert.equal(allowed.headers.get("vary"), "Origin");
  assert.equal(allowed.headers.get("access-control-expose-headers"), null);
  await allowed.body?.cancel();
  const error = await call("https://app.example", "/v1/cache/nope/get");
  assert.equal(error.status, 404);
  assert.equal(
    error.headers.get("access-control-allow-origin"),
    "https://app.example",
  );
  await error.body?.cancel();
  for (const origin of ["https://evil.example", undefined]) {
    const res = await call(origin);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
    await res.body?.cancel();
  }
  const momento = await g.app.fetch(
    new Request("http://kvolt/cache/orders?key=k", {
      headers: { authorization: g.token, origin: "https://app.example" },
    }),
  );
  assert.equal(
    momento.headers.get("access-control-allow-origin"),
    "https://app.example",
  );
  await momento.body?.cancel();
});
