/**
 * Momento parity through the SDK against `serve` with TLS and without
 * `baseUrl`: every client is built the way a Momento user builds one, from a
 * key or a token plus the dev CA.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AuthClient,
  CacheClient,
  CacheSet,
  CacheSortedSetUnionStore,
  Configurations,
  CredentialProvider,
  DisposableTokenScopes,
  ExpiresIn,
  FixedCountRetryStrategy,
  FixedTimeoutRetryStrategy,
  GenerateDisposableToken,
  type RetryStrategy,
} from "../mod.ts";
import { serveArgs, startServer } from "./_server.ts";

const TOKEN_ENV = "KVOLT_PARITY_TEST_TOKEN";

Deno.test("sdk parity: a disposable token is all a second client needs", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-parity-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const caCertificate = await Deno.readTextFile(join(dataDir, "tls", "ca.pem"));
  const credentialProvider = CredentialProvider.fromString({
    apiKey: server.apiKey,
  });
  const auth = new AuthClient({ credentialProvider, caCertificate });
  const owner = new CacheClient({
    credentialProvider,
    defaultTtlSeconds: 60,
    caCertificate,
  });
  const clients: CacheClient[] = [];
  try {
    assert.equal((await owner.set("default", "k", "v")).type, "Success");
    const minted = await auth.generateDisposableToken(
      DisposableTokenScopes.cacheReadWrite("default"),
      ExpiresIn.minutes(5),
    );
    assert.ok(minted instanceof GenerateDisposableToken.Success, `${minted}`);
    const token = minted.authToken;

    // The token from POST /v1/tokens, unwrapped, works the same way.
    const raw = await fetch(`${server.url}/v1/tokens`, {
      method: "POST",
      headers: { authorization: server.apiKey },
      body: JSON.stringify({
        expiresInSeconds: 300,
        permissions: [{ role: "readwrite", cache: { name: "default" } }],
      }),
      client: Deno.createHttpClient({ caCerts: [caCertificate] }),
    } as RequestInit);
    const answer = await raw.json() as { authToken: string; endpoint: string };
    assert.equal(raw.status, 200);
    assert.equal(`https://${answer.endpoint}`, server.url);

    Deno.env.set(TOKEN_ENV, token);
    const providers = {
      fromStringAuthToken: CredentialProvider.fromString({ authToken: token }),
      fromDisposableToken: CredentialProvider.fromDisposableToken({
        authToken: token,
      }),
      fromEnvironmentVariable: CredentialProvider.fromEnvironmentVariable(
        TOKEN_ENV,
      ),
      postV1Tokens: CredentialProvider.fromString({
        authToken: answer.authToken,
      }),
    };
    for (const [name, provider] of Object.entries(providers)) {
      const client = new CacheClient({
        credentialProvider: provider,
        defaultTtlSeconds: 60,
        caCertificate,
      });
      clients.push(client);
      assert.equal(client.endpoint, server.url, name);
      const got = await client.get("default", "k");
      assert.equal(got.type, "Hit", `${name}: ${got}`);
      const set = await client.set("default", `by-${name}`, name);
      assert.equal(set.type, "Success", `${name}: ${set}`);
    }
  } finally {
    Deno.env.delete(TOKEN_ENV);
    for (const client of clients) client.close();
    owner.close();
    auth.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("sdk parity: after a restart on another port, the printed key works", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-parity-" });
  let server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const firstKey = server.apiKey;
  const firstUrl = server.url;
  await server.stop();
  // Port 0 again: the kernel picks another port, as `--port 8445` would.
  server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const caCertificate = await Deno.readTextFile(join(dataDir, "tls", "ca.pem"));
  const client = new CacheClient({
    credentialProvider: CredentialProvider.fromString({
      apiKey: server.apiKey,
    }),
    defaultTtlSeconds: 60,
    caCertificate,
  });
  try {
    assert.notEqual(server.url, firstUrl);
    assert.notEqual(server.apiKey, firstKey, "the key is re-issued");
    assert.ok(server.banner.includes(server.apiKey), "and printed");
    assert.ok(
      server.banner.some((l) => l.includes("re-issued the API key for")),
    );
    assert.equal(
      (await Deno.readTextFile(join(dataDir, "api-key"))).trim(),
      server.apiKey,
    );
    assert.equal(client.endpoint, server.url);
    assert.equal((await client.set("default", "k", "v")).type, "Success");
    const got = await client.get("default", "k");
    assert.equal(got.type, "Hit", `${got}`);
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("sdk parity: cancellation, limits, unionStore checks and unreachable servers", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-parity-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const caCertificate = await Deno.readTextFile(join(dataDir, "tls", "ca.pem"));
  const credentialProvider = CredentialProvider.fromString({
    apiKey: server.apiKey,
  });
  const client = new CacheClient({
    credentialProvider,
    defaultTtlSeconds: 60,
    caCertificate,
  });
  try {
    await t.step("an aborted call carries Momento's message", async () => {
      const controller = new AbortController();
      controller.abort();
      const res = await client.set(
        "default",
        "k",
        "v",
        { abortSignal: controller.signal },
      );
      assert.ok(res instanceof CacheSet.Error, `${res}`);
      assert.equal(res.errorCode(), "CANCELLED_ERROR");
      assert.ok(
        res.message().includes(
          "Request cancelled by a user-provided AbortSignal",
        ),
        res.message(),
      );
      assert.ok(!res.message().includes("momentohq"), res.message());
    });

    await t.step(
      "an oversized set is Momento's item size limit error",
      async () => {
        const res = await client.set("default", "big", "x".repeat(6 << 20));
        assert.ok(res instanceof CacheSet.Error, `${res}`);
        assert.equal(res.errorCode(), "LIMIT_EXCEEDED_ERROR");
        assert.match(
          res.message(),
          /^Item size limit exceeded for this account: /,
        );
      },
    );

    await t.step(
      "sortedSetUnionStore checks sources and weights before sending",
      async () => {
        const none = await client.sortedSetUnionStore("default", "dst", []);
        assert.ok(none instanceof CacheSortedSetUnionStore.Error, `${none}`);
        assert.equal(none.errorCode(), "INVALID_ARGUMENT_ERROR");
        for (const weight of [Infinity, -Infinity, NaN]) {
          const res = await client.sortedSetUnionStore("default", "dst", [
            { sortedSetName: "a", weight },
          ]);
          assert.ok(res instanceof CacheSortedSetUnionStore.Error, `${res}`);
          assert.equal(res.errorCode(), "INVALID_ARGUMENT_ERROR");
          assert.ok(
            res.message().includes("weight must be a finite number"),
            res.message(),
          );
        }
      },
    );

    await t.step(
      "an untrusted certificate is named, with the URL",
      async () => {
        const untrusting = new CacheClient({
          credentialProvider,
          defaultTtlSeconds: 60,
          configuration: Configurations.Laptop.v1().withClientTimeoutMillis(
            10_000,
          ),
        });
        try {
          const res = await untrusting.get("default", "k");
          assert.equal(res.type, "Error", `${res}`);
          const message = (res as { message(): string }).message();
          assert.ok(message.includes(server.url), message);
          assert.match(message, /TLS certificate not trusted/);
          assert.ok(!message.includes("momentohq"), message);
        } finally {
          untrusting.close();
        }
      },
    );
  } finally {
    client.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("sdk parity: a refused connection is named, with the URL", async () => {
  // A port nobody listens on: bind one, note it, close it.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const claims = btoa(
    JSON.stringify({ c: `127.0.0.1:${port}`, cp: `127.0.0.1:${port}` }),
  );
  const client = new CacheClient({
    credentialProvider: CredentialProvider.fromString({
      apiKey: `e30.${claims}.sig`,
    }),
    defaultTtlSeconds: 60,
  });
  try {
    const res = await client.get("default", "k");
    assert.equal(res.type, "Error", `${res}`);
    const message = (res as { message(): string }).message();
    assert.equal(res.type === "Error" && res.errorCode(), "SERVER_UNAVAILABLE");
    assert.ok(message.includes(`https://127.0.0.1:${port}/`), message);
    assert.match(message, /connection refused/);
    assert.ok(!message.includes("momentohq"), message);
  } finally {
    client.close();
  }
});

Deno.test("sdk parity: an unresolvable host is named, with the URL", async () => {
  const host = "kvolt-no-such-host.invalid:8443";
  const claims = btoa(JSON.stringify({ c: host, cp: host }));
  const client = new CacheClient({
    credentialProvider: CredentialProvider.fromString({
      apiKey: `e30.${claims}.sig`,
    }),
    configuration: Configurations.Laptop.latest().withRetryStrategy(
      new FixedCountRetryStrategy({ maxAttempts: 0 }),
    ),
    defaultTtlSeconds: 60,
  });
  try {
    const res = await client.get("default", "k");
    assert.equal(res.type, "Error", `${res}`);
    const message = (res as { message(): string }).message();
    assert.ok(message.includes(`https://${host}/`), message);
    assert.match(message, /host name not resolved \(DNS\)/);
  } finally {
    client.close();
  }
});

Deno.test("sdk parity: Momento's retry strategies decide how often a call is sent", async () => {
  const claims = btoa(JSON.stringify({ c: "h:1", cp: "h:1" }));
  const credentialProvider = CredentialProvider.fromString({
    apiKey: `e30.${claims}.sig`,
  });
  const attempts = async (strategy: RetryStrategy) => {
    let calls = 0;
    const client = new CacheClient({
      credentialProvider,
      configuration: Configurations.Laptop.latest()
        .withRetryStrategy(strategy)
        .withClientTimeoutMillis(2000),
      defaultTtlSeconds: 60,
      fetch: () => {
        calls++;
        return Promise.reject(new TypeError("connection refused"));
      },
    });
    try {
      const res = await client.get("default", "k");
      assert.equal(res.type, "Error");
      return calls;
    } finally {
      client.close();
    }
  };
  assert.equal(
    await attempts(new FixedCountRetryStrategy({ maxAttempts: 0 })),
    1,
  );
  assert.equal(
    await attempts(new FixedCountRetryStrategy({ maxAttempts: 4 })),
    4,
  );
  // Retries every ~10 ms until the 2 s client timeout: more than a few.
  const fixedTimeout = await attempts(
    new FixedTimeoutRetryStrategy({ retryDelayIntervalMillis: 10 }),
  );
  assert.ok(fixedTimeout > 4, `${fixedTimeout} attempts`);
});

Deno.test("sdk parity: any hash bytes in conditional sets, increment's ttl, unionStore refused by the server", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-parity-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const caCertificate = await Deno.readTextFile(join(dataDir, "tls", "ca.pem"));
  const client = new CacheClient({
    credentialProvider: CredentialProvider.fromString({
      apiKey: server.apiKey,
    }),
    defaultTtlSeconds: 60,
    caCertificate,
  });
  try {
    await client.set("default", "h", "v0");
    for (
      const hash of [new Uint8Array(0), new Uint8Array(3), new Uint8Array(32)]
    ) {
      assert.equal(
        (await client.setIfPresentAndHashEqual("default", "h", "v1", hash))
          .type,
        "NotStored",
      );
      assert.equal(
        (await client.setIfAbsentOrHashEqual("default", "h", "v1", hash)).type,
        "NotStored",
      );
      assert.equal(
        (await client.setIfPresentAndHashNotEqual("default", "h", "v2", hash))
          .type,
        "Stored",
      );
      assert.equal(
        (await client.setIfAbsentOrHashNotEqual("default", "h", "v3", hash))
          .type,
        "Stored",
      );
    }
    // increment with a ttl on an item set with a long one: the ttl given
    // applies (no sleep: the remaining TTL says it).
    await client.set("default", "n", "1", { ttl: 3600 });
    const inc = await client.increment("default", "n", 1, { ttl: 1 });
    assert.equal(inc.type, "Success");
    const ttl = await client.itemGetTtl("default", "n");
    assert.equal(ttl.type, "Hit");
    assert.ok(
      (ttl as { remainingTtlMillis(): number }).remainingTtlMillis() <= 1000,
      `${ttl}`,
    );
  } finally {
    client.close();
    await server.stop();
    await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  }
});
