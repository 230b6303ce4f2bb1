/**
 * grpc-web on `serve`'s HTTP port (what Momento's browser SDK speaks): a set
 * and a get as grpc-web-text and binary requests with the SDK's headers, an
 * unknown cache as NOT_FOUND in the trailers, and a CORS preflight that allows
 * grpc-web's headers.
 */

import assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import { cache_client as pb } from "@gomomento/generated-types/dist/cacheclient.js";
import { b64, framed, parse } from "../gateway/grpc/_web_test_utils.ts";
import { serveArgs, startServer } from "./_server.ts";

Deno.test("grpc-web on the HTTP port: set and get, errors in trailers, CORS preflight", async () => {
  const data = await Deno.makeTempDir({ prefix: "kvolt-grpc-web-" });
  const server = await startServer(Deno.execPath(), serveArgs(data, "--http"));
  try {
    const created = await fetch(`${server.url}/v1/caches/web`, {
      method: "PUT",
      headers: { authorization: server.apiKey },
    });
    await created.body?.cancel();
    const call = (
      method: string,
      body: Uint8Array<ArrayBuffer>,
      text: boolean,
      cache = "web",
    ) =>
      fetch(`${server.url}/cache_client.Scs/${method}`, {
        method: "POST",
        headers: {
          "content-type": text
            ? "application/grpc-web-text"
            : "application/grpc-web+proto",
          "x-grpc-web": "1",
          authorization: server.apiKey,
          cache,
          origin: "http://localhost:3000",
        },
        body: text ? b64(body) : body,
      });
    const key = new TextEncoder().encode("k");
    const set = await call(
      "Set",
      framed(
        new pb._SetRequest({
          cache_key: key,
          cache_body: new TextEncoder().encode("v"),
          ttl_milliseconds: 60_000,
        }).serialize(),
      ),
      true,
    );
    assert.equal(
      set.headers.get("access-control-allow-origin"),
      "http://localhost:3000",
    );
    assert.equal((await parse(set, true)).trailers["grpc-status"], "0");
    const got = await parse(
      await call(
        "Get",
        framed(new pb._GetRequest({ cache_key: key }).serialize()),
        false,
      ),
    );
    assert.equal(got.trailers["grpc-status"], "0");
    const res = pb._GetResponse.deserialize(got.messages[0]!);
    assert.deepEqual([res.result, new TextDecoder().decode(res.cache_body)], [
      pb.ECacheResult.Hit,
      "v",
    ]);
    // the HTTP API sees the item written through grpc-web
    const http = await fetch(`${server.url}/cache/web?key=k`, {
      headers: { authorization: server.apiKey },
    });
    assert.equal(await http.text(), "v");
    const missing = await parse(
      await call(
        "Get",
        framed(new pb._GetRequest({ cache_key: key }).serialize()),
        false,
        "nope",
      ),
    );
    assert.equal(missing.trailers["grpc-status"], String(status.NOT_FOUND));
    const preflight = await fetch(`${server.url}/cache_client.Scs/Get`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers":
          "authorization,cache,content-type,grpc-timeout,x-grpc-web,x-user-agent",
      },
    });
    await preflight.body?.cancel();
    assert.ok(preflight.status < 300);
    const allowed =
      (preflight.headers.get("access-control-allow-headers") ?? "")
        .toLowerCase();
    for (
      const h of [
        "authorization",
        "cache",
        "content-type",
        "grpc-timeout",
        "x-grpc-web",
        "x-user-agent",
      ]
    ) {
      assert.ok(allowed.includes(h), `${h} not allowed: ${allowed}`);
    }
  } finally {
    await server.stop();
    await Deno.remove(data, { recursive: true });
  }
});
