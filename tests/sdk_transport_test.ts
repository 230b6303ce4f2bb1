/**
 * The SDK's transport against tiny servers that misbehave on purpose: one
 * that never answers (timeout, AbortSignal) and one that fails once (retries
 * only for idempotent operations).
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  CacheClient,
  Configurations,
  CredentialProvider,
  ExponentialBackoffRetryStrategy,
  MomentoErrorCode,
} from "../mod.ts";

const apiKey = `e30.${btoa(JSON.stringify({ c: "x:1", cp: "x:1" }))}.sig`;

/** Serves `handler` on a free loopback port until `close()`. */
function serve(handler: (req: Request) => Response | Promise<Response>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    handler,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

function clientFor(url: string, timeoutMillis = 5000) {
  return new CacheClient({
    credentialProvider: CredentialProvider.fromString({ apiKey }),
    configuration: Configurations.Laptop.v1()
      .withClientTimeoutMillis(timeoutMillis)
      .withRetryStrategy(
        new ExponentialBackoffRetryStrategy({ initialDelayMillis: 1 }),
      ),
    defaultTtlSeconds: 60,
    baseUrl: url,
  });
}

/** A server that holds every request until the client goes away. */
function hangingServer() {
  let arrived!: () => void;
  const firstRequest = new Promise<void>((resolve) => arrived = resolve);
  const server = serve((req) =>
    new Promise((resolve) => {
      arrived();
      req.signal.addEventListener("abort", () => resolve(new Response(null)));
    })
  );
  return { ...server, firstRequest };
}

Deno.test("sdk: a call with no answer within the timeout is a TIMEOUT_ERROR", async () => {
  const server = hangingServer();
  const client = clientFor(server.url, 200);
  const response = await client.get("c", "k");
  assert.equal(response.type, "Error");
  assert.equal(
    response.type === "Error" && response.errorCode(),
    MomentoErrorCode.TIMEOUT_ERROR,
  );
  client.close();
  await server.close();
});

Deno.test("sdk: an aborted call is a CANCELLED_ERROR", async () => {
  const server = hangingServer();
  const client = clientFor(server.url);
  const controller = new AbortController();
  const pending = client.get("c", "k", { abortSignal: controller.signal });
  await server.firstRequest;
  controller.abort();
  const response = await pending;
  assert.equal(
    response.type === "Error" && response.errorCode(),
    MomentoErrorCode.CANCELLED_ERROR,
  );
  const already = await client.set("c", "k", "v", {
    abortSignal: AbortSignal.abort(),
  });
  assert.equal(
    already.type === "Error" && already.errorCode(),
    MomentoErrorCode.CANCELLED_ERROR,
  );
  client.close();
  await server.close();
});

/** A server that fails the first request to each path with `status`. */
function flakyServer(status: number, code: string) {
  const seen = new Map<string, number>();
  const server = serve(async (req) => {
    const path = new URL(req.url).pathname;
    await req.text();
    const count = (seen.get(path) ?? 0) + 1;
    seen.set(path, count);
    if (count === 1) {
      return Response.json({ error: { code, message: "Try again" } }, {
        status,
      });
    }
    const op = path.split("/").at(-1);
    return Response.json(
      op === "get"
        ? { type: "Hit", value: "v" }
        : { type: "Success", value: 1 },
    );
  });
  return { ...server, seen };
}

Deno.test("sdk: idempotent calls are retried after a 503, others are not", async () => {
  const server = flakyServer(503, "SERVER_UNAVAILABLE");
  const client = clientFor(server.url);
  const get = await client.get("c", "k");
  assert.equal(get.type === "Hit" && get.valueString(), "v");
  assert.equal(server.seen.get("/v1/cache/c/get"), 2);
  const increment = await client.increment("c", "n", 1);
  assert.equal(
    increment.type === "Error" && increment.errorCode(),
    MomentoErrorCode.SERVER_UNAVAILABLE,
  );
  assert.equal(server.seen.get("/v1/cache/c/increment"), 1);
  client.close();
  await server.close();
});

Deno.test("sdk: a 429 is not retried", async () => {
  const server = flakyServer(429, "LIMIT_EXCEEDED_ERROR");
  const client = clientFor(server.url);
  const get = await client.get("c", "k");
  assert.equal(
    get.type === "Error" && get.errorCode(),
    MomentoErrorCode.LIMIT_EXCEEDED_ERROR,
  );
  assert.equal(server.seen.get("/v1/cache/c/get"), 1);
  client.close();
  await server.close();
});

Deno.test("sdk: an unreachable server is SERVER_UNAVAILABLE after the retries", async () => {
  const server = serve(() => new Response(null));
  const url = server.url;
  await server.close(); // nothing listens there any more
  const client = clientFor(url);
  const response = await client.get("c", "k");
  assert.equal(
    response.type === "Error" && response.errorCode(),
    MomentoErrorCode.SERVER_UNAVAILABLE,
  );
  client.close();
});
