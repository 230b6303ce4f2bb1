import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limits.ts";
import { auth, mintToken, readError, testGateway } from "./_test_utils.ts";

const READONLY = [{
  role: "readonly",
  cache: { all: true },
  item: { all: true },
}];

Deno.test("GET /healthz answers without a token and shows no data; 503 while stopping", async () => {
  let stopping = false;
  const { app } = await testGateway({
    ops: { health: () => stopping ? "stopping" : "ok" },
  });
  const res = await app.fetch(new Request("http://h/healthz"));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok" });
  stopping = true;
  const down = await app.fetch(new Request("http://h/healthz"));
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: "stopping" });
  const post = await app.fetch(
    new Request("http://h/healthz", { method: "POST" }),
  );
  assert.equal((await readError(post)).status, 405);
});

Deno.test("GET /metrics needs the super-user key", async () => {
  const { app, keys } = await testGateway();
  assert.equal(
    (await readError(await app.fetch(new Request("http://h/metrics")))).status,
    401,
  );
  const data = await mintToken(keys.privateKey, { p: READONLY as never });
  const refused = await app.fetch(
    new Request("http://h/metrics", { headers: auth(data) }),
  );
  assert.equal((await readError(refused)).status, 403);
});

Deno.test("/metrics: requests by route, op and status, latency, shards, refusals, connections", async () => {
  const limiter = new RateLimiter({
    defaults: { opsPerSecond: 1, bytesPerSecond: 1e9, opsBurst: 1 },
  });
  const { app, token } = await testGateway({
    rateLimiter: limiter,
    ops: {
      shards: () => [
        {
          items: 3,
          itemBytes: 300,
          usedBytes: 400,
          memoryBytes: 65536,
          evictions: 2,
          expired: 1,
          hits: 7,
          misses: 5,
        },
      ],
      connections: () => ({
        open: 4,
        accepted: 9,
        refused: 1,
        timedOut: { head: 2, idle: 0, body: 0 },
        acceptErrors: 0,
        inFlight: 1,
      }),
    },
  });
  const put = (key: string) =>
    app.fetch(
      new Request(`http://h/cache/orders?key=${key}&ttl_seconds=60`, {
        method: "PUT",
        headers: auth(token),
        body: "v",
      }),
    );
  assert.equal((await put("a")).status, 204);
  assert.equal((await readError(await put("b"))).status, 429);
  const miss = await app.fetch(
    new Request("http://h/cache/orders?key=zz", { headers: auth(token) }),
  );
  assert.equal(miss.status, 429); // the bucket is still empty
  await miss.body?.cancel();
  const res = await app.fetch(
    new Request("http://h/metrics", { headers: auth(token) }),
  );
  assert.equal(res.status, 200);
  assert.match(
    res.headers.get("content-type") ?? "",
    /^text\/plain; version=0\.0\.4/,
  );
  const text = await res.text();
  const has = (line: string) =>
    assert.ok(text.split("\n").includes(line), `missing: ${line}\n${text}`);
  has('kvolt_requests_total{route="cache_item",op="set",status="204"} 1');
  has('kvolt_requests_total{route="cache_item",op="set",status="429"} 1');
  has('kvolt_requests_total{route="cache_item",op="get",status="429"} 1');
  has('kvolt_request_duration_seconds_count{route="cache_item",op="set"} 2');
  has(
    'kvolt_request_duration_seconds_bucket{route="cache_item",op="set",le="+Inf"} 2',
  );
  has('kvolt_rate_limit_refusals_total{cache="orders",limit="operations"} 2');
  has('kvolt_cache_hits_total{shard="0"} 7');
  has('kvolt_cache_misses_total{shard="0"} 5');
  has('kvolt_evictions_total{shard="0"} 2');
  has('kvolt_expirations_total{shard="0"} 1');
  has('kvolt_items{shard="0"} 3');
  has('kvolt_item_bytes{shard="0"} 300');
  has('kvolt_shard_memory_bytes{shard="0"} 65536');
  has("kvolt_connections_open 4");
  has('kvolt_connection_timeouts_total{kind="head"} 2');
  assert.match(text, /^nodejs_eventloop_lag_p99_seconds /m);
  assert.match(text, /^process_resident_memory_bytes /m);
});

Deno.test("access log: one JSON line per request in mode all, 5xx only by default, never a token, key or value", async () => {
  const lines: string[] = [];
  const { app, token } = await testGateway({
    ops: { accessLog: "all", log: (l) => lines.push(l) },
  });
  await (await app.fetch(
    new Request("http://h/cache/orders?key=secret-key&ttl_seconds=60", {
      method: "PUT",
      headers: auth(token),
      body: "secret-value",
    }),
  )).body?.cancel();
  await (await app.fetch(
    new Request(`http://h/cache/orders?key=secret-key&token=${token}`),
  )).body?.cancel();
  await (await app.fetch(
    new Request("http://h/v1/cache/orders/set", {
      method: "POST",
      headers: auth(token),
      body: JSON.stringify({
        key: "secret-key",
        value: "secret-value",
        ttlMs: 1000,
      }),
    }),
  )).body?.cancel();
  assert.equal(lines.length, 3);
  for (const line of lines) {
    assert.ok(!line.includes("secret"), line);
    assert.ok(!line.includes(token), line);
  }
  const entries = lines.map((l) => JSON.parse(l));
  assert.deepEqual(entries.map((e) => [e.route, e.op, e.cache, e.status]), [
    ["cache_item", "set", "orders", 204],
    ["cache_item", "get", "orders", 200],
    ["json_api", "set", "orders", 200],
  ]);

  const quiet: string[] = [];
  const byDefault = await testGateway({ ops: { log: (l) => quiet.push(l) } });
  await (await byDefault.app.fetch(new Request("http://h/cache/orders?key=k")))
    .body?.cancel();
  assert.deepEqual(quiet, [], "a 401 is not logged by default");
});
