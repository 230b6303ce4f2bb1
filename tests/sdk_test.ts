/**
 * End to end: the SDK against `main.ts serve` as a separate process, over
 * real sockets: every data operation (plaintext loopback), compression seen
 * through the Momento GET route, a disposable token from `AuthClient` used by
 * a second client, and a TLS session that trusts the data dir's dev CA.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AuthClient,
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
  DisposableTokenScopes,
  ExpiresIn,
  GenerateDisposableToken,
  MomentoErrorCode,
  TokenScopes,
} from "../mod.ts";
import { runDataSuite } from "./_sdk_suite.ts";
import { grpcEndpoint, serveArgs, startServer } from "./_server.ts";
import { tokenEndpoints } from "../client/connection.ts";

Deno.test("sdk: a session against serve --http", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-sdk-" });
  const server = await startServer(
    Deno.execPath(),
    serveArgs(dataDir, "--http"),
  );
  const credentialProvider = CredentialProvider.fromString({
    apiKey: server.apiKey,
  });
  // The key names the server: `h` its HTTP API, which kvolt's SDK dials, and
  // `c` its gRPC port, for Momento's SDKs; only the scheme needs the override
  // (plaintext).
  assert.equal(`http://${tokenEndpoints(server.apiKey).h}`, server.url);
  assert.equal(credentialProvider.getCacheEndpoint(), grpcEndpoint(server));
  const client = new CacheClient({
    credentialProvider,
    configuration: Configurations.Laptop.latest(),
    defaultTtlSeconds: 60,
    baseUrl: server.url,
  });
  try {
    await client.ping();
    await runDataSuite(t, client, "default");

    await t.step("compressed values are zstd on the server", async () => {
      const value = "kvolt ".repeat(500);
      await client.set("default", "zipped", value, { compress: true });
      const raw = await fetch(`${server.url}/cache/default?key=zipped`, {
        headers: { authorization: server.apiKey },
      });
      assert.equal(raw.status, 200);
      const stored = new Uint8Array(await raw.arrayBuffer());
      assert.deepEqual([...stored.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
      const back = await client.get("default", "zipped");
      assert.ok(back instanceof CacheGet.Hit);
      assert.equal(back.valueString(), value);
    });

    await t.step("a disposable token works in a second client", async () => {
      const auth = new AuthClient({ credentialProvider, baseUrl: server.url });
      const minted = await auth.generateDisposableToken(
        DisposableTokenScopes.cacheKeyPrefixReadWrite("default", "user-"),
        ExpiresIn.minutes(5),
        { tokenId: "sdk-test" },
      );
      assert.ok(minted instanceof GenerateDisposableToken.Success);
      assert.ok(minted.expiresAt.epoch() > Date.now() / 1000);
      const scoped = new CacheClient({
        credentialProvider: CredentialProvider.fromDisposableToken({
          authToken: minted.authToken,
        }),
        defaultTtlSeconds: 60,
        baseUrl: server.url,
      });
      assert.equal(
        (await scoped.set("default", "user-1", "a")).type,
        "Success",
      );
      const got = await scoped.get("default", "user-1");
      assert.equal(got.type === "Hit" && got.valueString(), "a");
      const denied = await scoped.get("default", "other");
      assert.equal(
        denied.type === "Error" && denied.errorCode(),
        MomentoErrorCode.PERMISSION_ERROR,
      );
      const control = await scoped.createCache("nope");
      assert.equal(
        control.type === "Error" && control.errorCode(),
        MomentoErrorCode.PERMISSION_ERROR,
      );
      const topics = await auth.generateDisposableToken(
        TokenScopes.topicPublishSubscribe("default", "t"),
        ExpiresIn.minutes(5),
      );
      assert.equal(
        topics.type === "Error" && topics.errorCode(),
        MomentoErrorCode.INVALID_ARGUMENT_ERROR,
      );
      scoped.close();
      auth.close();
    });
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("sdk: a TLS session trusting the dev CA", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-sdk-tls-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const client = new CacheClient({
    // No override: the endpoint comes from the key, https by default.
    credentialProvider: CredentialProvider.fromString({
      apiKey: server.apiKey,
    }),
    defaultTtlSeconds: 60,
    caCertificate: await Deno.readTextFile(join(dataDir, "tls", "ca.pem")),
  });
  try {
    assert.equal(client.endpoint, server.url);
    assert.ok(client.endpoint.startsWith("https://"));
    await client.ping();
    const list = await client.listCaches();
    assert.ok(
      list.type === "Success" &&
        list.getCaches().some((c) => c.getName() === "default"),
    );
    assert.equal((await client.set("default", "k", "v")).type, "Success");
    const got = await client.get("default", "k");
    assert.equal(got.type === "Hit" && got.valueString(), "v");
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
