/**
 * End to end: `main.ts serve` as a separate process, over real sockets.
 */

import assert from "node:assert/strict";
import { decodeJwt } from "jose";
import { join } from "node:path";
import {
  grpcEndpoint,
  type RunningServer,
  serveArgs,
  startServer,
} from "./_server.ts";

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

/** Runs the two curl lines of the banner through a shell, as a user would paste them. */
async function runBannerCurls(
  server: RunningServer,
): Promise<string | undefined> {
  const curls = server.banner.filter((l) => l.trimStart().startsWith("curl "));
  assert.equal(curls.length, 2);
  try {
    await new Deno.Command("curl", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
  } catch {
    console.log(
      "skipped: running the printed curl lines: curl is not installed",
    );
    return undefined;
  }
  const out = await new Deno.Command("sh", {
    args: [
      "-c",
      `set -e\n${curls[0]} --fail-with-body -sS\n${
        curls[1]
      } --fail-with-body -sS`,
    ],
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return new TextDecoder().decode(out.stdout);
}

Deno.test("serve: HTTPS with a dev CA, API key, data and control routes, restart reuses state", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-serve-" });
  let server: RunningServer | undefined;
  let client: Deno.HttpClient | undefined;
  try {
    server = await startServer(Deno.execPath(), serveArgs(dataDir));
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.url, "https://127.0.0.1:0");

    // The data dir holds everything, secrets at 0600.
    const tls = join(dataDir, "tls");
    const caPem = await Deno.readTextFile(join(tls, "ca.pem"));
    const serverPem = await Deno.readTextFile(join(tls, "server.pem"));
    assert.equal(
      (await Deno.readTextFile(join(dataDir, "api-key"))).trim(),
      server.apiKey,
    );
    if (Deno.build.os !== "windows") {
      for (
        const secret of [
          "tls/ca-key.pem",
          "tls/server-key.pem",
          "signing-key.jwk",
          "api-key",
        ]
      ) {
        assert.equal(await mode(join(dataDir, secret)), 0o600, secret);
      }
    }
    assert.ok(
      server.banner.some((l) => l.includes(`--cacert ${join(tls, "ca.pem")}`)),
    );

    // The printed curl lines work as pasted.
    const pasted = await runBannerCurls(server);
    if (pasted !== undefined) assert.equal(pasted, "hello");

    client = Deno.createHttpClient({ caCerts: [caPem] });
    const auth = { authorization: server.apiKey };
    const call = (method: string, path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}${path}`, {
        method,
        client,
        ...init,
        headers: { ...auth, ...init.headers },
      });

    // Data routes on the default cache.
    let res = await call("PUT", "/cache/default?key=k1&ttl_seconds=60", {
      body: "v1",
    });
    assert.equal(res.status, 204, await res.text());
    res = await call("GET", "/cache/default?key=k1");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "v1");
    res = await call("DELETE", "/cache/default?key=k1");
    assert.equal(res.status, 204);
    await res.body?.cancel();
    res = await call("GET", "/cache/default?key=k1");
    assert.equal(res.status, 404);
    await res.body?.cancel();

    // No key: 401 AUTHENTICATION_ERROR. Key as token= works too.
    res = await fetch(`${server.url}/cache/default?key=k1`, { client });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "AUTHENTICATION_ERROR");
    res = await fetch(
      `${server.url}/cache/default?key=k1&token=${server.apiKey}`,
      { client },
    );
    assert.equal(res.status, 404);
    await res.body?.cancel();

    // Control routes: create, list, flush, delete.
    res = await call("PUT", "/v1/caches/orders");
    assert.equal(res.status, 201, await res.text());
    res = await call("PUT", "/v1/caches/orders");
    assert.equal(res.status, 409);
    assert.equal((await res.json()).error.code, "ALREADY_EXISTS_ERROR");
    res = await call("PUT", "/v1/caches/bad%20name");
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "INVALID_ARGUMENT_ERROR");
    res = await call("GET", "/v1/caches");
    assert.deepEqual(
      (await res.json()).caches.map((c: { name: string }) => c.name),
      ["default", "orders"],
    );
    res = await call("PUT", "/cache/orders?key=o1&ttl_seconds=60", {
      body: "x",
    });
    assert.equal(res.status, 204);
    res = await call("POST", "/v1/caches/orders/flush");
    assert.equal(res.status, 204);
    res = await call("GET", "/cache/orders?key=o1");
    assert.equal(res.status, 404);
    await res.body?.cancel();
    res = await call("PUT", "/v1/caches/kept");
    assert.equal(res.status, 201);
    await res.body?.cancel();
    res = await call("DELETE", "/v1/caches/orders");
    assert.equal(res.status, 204);
    res = await call("DELETE", "/v1/caches/orders");
    assert.equal(res.status, 404);
    await res.body?.cancel();
    res = await call("GET", "/cache/orders?key=o1");
    assert.equal(res.status, 404);
    await res.body?.cancel();

    // Clean shutdown on SIGTERM.
    const first = await server.stop();
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /kvolt: stopped/);

    // Restart on the same port: same key (not printed again), same
    // certificate, cache list persisted.
    const port = new URL(server.url).port;
    const grpcPort = grpcEndpoint(server).split(":")[1]!;
    server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--port", port, "--grpc-port", grpcPort),
    );
    assert.ok(
      server.banner.includes(
        `kvolt: super-user API key in ${
          join(dataDir, "api-key")
        } (printed only when issued)`,
      ),
      server.banner.join("\n"),
    );
    assert.ok(!server.banner.some((l) => l.includes(auth.authorization)));
    assert.equal(await Deno.readTextFile(join(tls, "ca.pem")), caPem);
    assert.equal(await Deno.readTextFile(join(tls, "server.pem")), serverPem);
    assert.ok(
      !server.banner.some((l) =>
        /created a dev CA|issued a server certificate|minted/.test(l)
      ),
    );
    res = await call("GET", "/v1/caches");
    assert.equal(res.status, 200, "the old key still works");
    assert.deepEqual(
      (await res.json()).caches.map((c: { name: string }) => c.name),
      ["default", "kept"],
    );
    assert.equal(server.apiKey, auth.authorization);
    const second = await server.stop();
    assert.equal(second.code, 0, second.stderr);
  } finally {
    client?.close();
    await server?.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve on another port re-issues the key for it; the old key still authenticates", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-moved-" });
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--http"),
    );
    const oldKey = server.apiKey;
    const oldPort = new URL(server.url).port;
    const oldGrpc = grpcEndpoint(server);
    await server.stop();
    server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--http"),
    );
    const newPort = new URL(server.url).port;
    const newGrpc = grpcEndpoint(server);
    assert.notEqual(newPort, oldPort);
    assert.ok(
      server.banner.includes(
        `kvolt: re-issued the API key for 127.0.0.1:${newPort} and gRPC ${newGrpc} (the old one named 127.0.0.1:${oldPort} and gRPC ${oldGrpc})`,
      ),
      server.banner.join("\n"),
    );
    assert.ok(server.banner.includes(server.apiKey), "the new key is printed");
    const claims = decodeJwt(server.apiKey);
    assert.equal(claims.h, `127.0.0.1:${newPort}`);
    assert.equal(claims.c, newGrpc);
    for (const key of [server.apiKey, oldKey]) {
      const res: Response = await fetch(`${server.url}/v1/caches`, {
        headers: { authorization: key },
      });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
  } finally {
    await server?.stop();
    await server?.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve --http on 127.0.0.1 serves plaintext", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-http-" });
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      Deno.execPath(),
      serveArgs(dataDir, "--http", "--host", "127.0.0.1"),
    );
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.banner.every((l) => !l.includes("--cacert")));
    const headers = { authorization: server.apiKey };
    let res = await fetch(`${server.url}/cache/default?key=a&ttl_seconds=5`, {
      method: "PUT",
      body: "b",
      headers,
    });
    assert.equal(res.status, 204);
    res = await fetch(`${server.url}/cache/default?key=a`, { headers });
    assert.equal(await res.text(), "b");
    const pasted = await runBannerCurls(server);
    if (pasted !== undefined) assert.equal(pasted, "hello");
    const { code } = await server.stop();
    assert.equal(code, 0);
  } finally {
    await server?.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve --max-collection-length and --cors-origins reach the gateway and the store", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-limits-" });
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      Deno.execPath(),
      serveArgs(
        dataDir,
        "--http",
        "--max-collection-length",
        "2",
        "--cors-origins",
        "https://app.example.com",
      ),
    );
    const headers = { authorization: server.apiKey };
    const push = (value: string) =>
      fetch(`${server!.url}/v1/cache/default/listPushBack`, {
        method: "POST",
        headers,
        body: JSON.stringify({ key: "l", value, ttlMs: 60_000 }),
      });
    assert.deepEqual(await (await push("a")).json(), {
      type: "Success",
      length: 1,
    });
    assert.equal((await push("b")).status, 200);
    const third = await push("c");
    assert.equal(third.status, 413);
    assert.equal((await third.json()).error.cause, "item_size_limit_exceeded");
    const preflight = (origin: string) =>
      fetch(`${server!.url}/v1/cache/default/get`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization",
        },
      });
    const allowed = await preflight("https://app.example.com");
    await allowed.body?.cancel();
    assert.equal(
      allowed.headers.get("access-control-allow-origin"),
      "https://app.example.com",
    );
    const denied = await preflight("http://localhost:3000");
    await denied.body?.cancel();
    assert.equal(denied.headers.get("access-control-allow-origin"), null);
    assert.equal((await server.stop()).code, 0);
  } finally {
    await server?.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});
