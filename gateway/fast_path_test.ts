import assert from "node:assert/strict";
import fc from "fast-check";
import { Hono } from "hono";
import { addDataRoutes } from "./data_routes.ts";
import { fastCacheName } from "./fast_path.ts";
import { composeFetch, type FetchParts } from "./fetch.ts";
import { RequestStats } from "./request_stats.ts";
import { responseForThrown } from "./http_errors.ts";
import {
  CountingStore,
  keyPair,
  MemoryCacheRegistry,
  mintToken,
} from "./_test_utils.ts";
import { TokenVerifier } from "./token_verifier.ts";

/** The gateway's composed fetch over `route` and the data handlers. */
function withFastPath(
  route: FetchParts["route"],
  data: FetchParts["data"],
) {
  return composeFetch({
    route,
    data,
    drainLimit: 1024,
    corsOrigins: [],
    observation: { stats: new RequestStats(), accessLog: "off" },
  });
}

/** Hono's data routes alone, and the same behind the pre-router. */
async function twoGateways() {
  const keys = await keyPair();
  const store = await CountingStore.create();
  const caches = new MemoryCacheRegistry();
  const orders = await caches.create("orders");
  await caches.create("a.b-c_d");
  const verifier = new TokenVerifier(keys.publicKey);
  const app = new Hono();
  const handlers = addDataRoutes(app, {
    store,
    caches,
    verifier,
    maxItemBytes: 1024,
    maxTtlSeconds: 60,
  });
  app.onError((err) => responseForThrown(err));
  const routed = (req: Request) => app.fetch(req);
  let reachedApp = 0;
  const fast = withFastPath((req: Request) => {
    reachedApp++;
    return app.fetch(req);
  }, handlers);
  const token = await mintToken(keys.privateKey);
  // Read-only on "orders": its DELETEs are 403, its GETs pass.
  const readOnly = await mintToken(keys.privateKey, {
    p: [{ role: "readonly", cache: { name: "orders" } }],
  });
  await store.execute(orders.id, "set", {
    key: new TextEncoder().encode("k"),
    value: new Uint8Array([1, 2]),
    ttlMs: 60_000,
  });
  return { routed, fast, token, readOnly, reached: () => reachedApp };
}

async function snapshot(res: Response) {
  return {
    status: res.status,
    headers: [...res.headers].filter(([name]) => name !== "date"),
    body: [...new Uint8Array(await res.arrayBuffer())],
  };
}

Deno.test("fastCacheName takes only an exact /cache/{name} path with no percent-encoding", () => {
  const cases: [string, string | undefined][] = [
    ["http://127.0.0.1:8080/cache/orders?key=k", "orders"],
    ["https://[::1]:8443/cache/a.b-c_d", "a.b-c_d"],
    ["http://h/cache/orders?key=a/b&token=x", "orders"],
    ["http://h/cache/?key=k", undefined],
    ["http://h/cache/orders/?key=k", undefined],
    ["http://h/cache/orders/x", undefined],
    ["http://h/cache/a%2Fb?key=k", undefined],
    ["http://h/caches/orders", undefined],
    ["http://h/v1/caches/orders", undefined],
    ["http://h/cache", undefined],
    ["http://h/Cache/orders", undefined],
  ];
  for (const [url, name] of cases) assert.equal(fastCacheName(url), name, url);
});

Deno.test("fastCacheName agrees with the path Hono routes for generated URLs", () => {
  const segment = fc.stringMatching(/^[A-Za-z0-9_.%\/?=&-]{0,12}$/);
  fc.assert(
    fc.property(fc.oneof(fc.constant("cache"), segment), segment, (a, b) => {
      const url = `http://h:1/${a}/${b}`;
      const name = fastCacheName(url);
      const path = url.slice(url.indexOf("/", 7)).split("?")[0]!;
      const hono = /^\/cache\/([^/%]+)$/.exec(path)?.[1];
      assert.equal(name, hono, url);
    }),
    { seed: 20260503, numRuns: 2000 },
  );
});

Deno.test("the pre-router answers GET and DELETE /cache/{name} exactly as the Hono route", async () => {
  const g = await twoGateways();
  const paths = [
    "/cache/orders?key=k",
    "/cache/orders?key=missing",
    "/cache/orders?key_base64=aw==",
    "/cache/orders?key_base64=!!",
    "/cache/orders?key=k&key_base64=aw==",
    "/cache/orders",
    "/cache/orders?key=",
    "/cache/orders?key=%ZZ",
    "/cache/nope?key=k",
    "/cache/a.b-c_d?key=k",
    "/cache/orders?key=k&key=k",
  ];
  const auths: (string | null)[] = [g.token, g.readOnly, "not-a-jwt", null];
  for (const method of ["GET", "DELETE"]) {
    for (const path of paths) {
      for (const token of auths) {
        for (const inQuery of [false, true]) {
          const url = inQuery && token !== null
            ? `http://h${path}${path.includes("?") ? "&" : "?"}token=${token}`
            : `http://h${path}`;
          const headers: Record<string, string> = {};
          if (token !== null && !inQuery) headers.authorization = token;
          const make = () => new Request(url, { method, headers });
          const label = `${method} ${url} ${token ? "token" : "none"}`;
          // DELETE changes state: compare GETs only before any DELETE of "k".
          if (method === "DELETE" && path === "/cache/orders?key=k") continue;
          assert.deepEqual(
            await snapshot(await g.fast(make())),
            await snapshot(await g.routed(make())),
            label,
          );
        }
      }
    }
  }
  assert.equal(g.reached(), 0, "a data request went through Hono");
});

Deno.test("the pre-router passes every other request to the app", async () => {
  const g = await twoGateways();
  const others = [
    new Request("http://h/cache/orders?key=k&ttl_seconds=5", {
      method: "PUT",
      headers: { authorization: g.token },
      body: "v",
    }),
    new Request("http://h/cache/orders/?key=k", {
      headers: { authorization: g.token },
    }),
    new Request("http://h/cache/ord%65rs?key=k", {
      headers: { authorization: g.token },
    }),
    new Request("http://h/v1/caches", { headers: { authorization: g.token } }),
    new Request("http://h/cache/orders?key=k", { method: "HEAD" }),
  ];
  for (const req of others) await (await g.fast(req)).body?.cancel();
  assert.equal(g.reached(), others.length);
});

Deno.test("a thrown non-KvoltError on the pre-router is a 500 JSON error", async () => {
  const fast = withFastPath((_req: Request) => new Response("app"), {
    get: () => {
      throw new Error("boom");
    },
    delete: () => Promise.reject(new Error("boom")),
  });
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    for (const method of ["GET", "DELETE"]) {
      const res = await fast(new Request("http://h/cache/c?key=k", { method }));
      assert.equal(res.status, 500);
      assert.equal((await res.json()).error.code, "INTERNAL_SERVER_ERROR");
    }
  } finally {
    console.error = original;
  }
  assert.equal(errors.length, 2);
});
