/**
 * Typical Momento Node configuration code, with only the import changed to
 * kvolt's `mod.ts`: it must type-check (`deno test` checks this file) and
 * build working clients. The CONSISTENT read concern reaches the server as
 * the `read-concern` header; retries can be disabled as Momento's tests do.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
  DefaultMomentoLoggerFactory,
  DefaultMomentoLoggerLevel,
  FixedCountRetryStrategy,
  FixedTimeoutRetryStrategy,
  type MomentoLoggerFactory,
  ReadConcern,
} from "../mod.ts";
import { serveArgs, startServer } from "./_server.ts";

// As in Momento's docs and examples (only the import differs).
function momentoStyleConfigurations(loggerFactory: MomentoLoggerFactory) {
  return {
    laptop: Configurations.Laptop.v1(loggerFactory),
    consistent: Configurations.InRegion.Default.latest()
      .withReadConcern(ReadConcern.CONSISTENT)
      .withClientTimeoutMillis(3000),
    noRetries: Configurations.Laptop.latest().withRetryStrategy(
      new FixedCountRetryStrategy({ loggerFactory, maxAttempts: 0 }),
    ),
    fixedCount: Configurations.Lambda.latest().withRetryStrategy(
      new FixedCountRetryStrategy({ loggerFactory, maxAttempts: 3 }),
    ),
    fixedTimeout: Configurations.InRegion.LowLatency.latest()
      .withRetryStrategy(
        new FixedTimeoutRetryStrategy({
          loggerFactory,
          retryDelayIntervalMillis: 100,
          responseDataReceivedTimeoutMillis: 1000,
        }),
      )
      .withClientTimeoutMillis(5000)
      .withThrowOnErrors(false),
    balanced: Configurations.Browser.latest().withReadConcern(
      ReadConcern.BALANCED,
    ),
  };
}

Deno.test("sdk config: Momento configuration code builds working clients", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "kvolt-config-" });
  const server = await startServer(Deno.execPath(), serveArgs(dataDir));
  const caCertificate = await Deno.readTextFile(join(dataDir, "tls", "ca.pem"));
  const configs = momentoStyleConfigurations(
    new DefaultMomentoLoggerFactory(DefaultMomentoLoggerLevel.ERROR),
  );
  assert.equal(configs.consistent.getReadConcern(), ReadConcern.CONSISTENT);
  assert.equal(configs.laptop.getReadConcern(), ReadConcern.BALANCED);
  assert.equal(configs.consistent.getClientTimeoutMillis(), 3000);
  assert.equal(configs.noRetries.getRetryStrategy().delayBeforeRetry(1), null);
  assert.equal(configs.fixedCount.getRetryStrategy().delayBeforeRetry(2), 0);
  assert.equal(configs.fixedCount.getRetryStrategy().delayBeforeRetry(3), null);

  // What the server is sent, seen through the client's own fetch.
  const seen: (string | null)[] = [];
  const http = Deno.createHttpClient({ caCerts: [caCertificate] });
  const spying = (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Headers(init?.headers).get("read-concern"));
    return fetch(input, { ...init, client: http } as RequestInit);
  };
  const clients = Object.entries(configs).map(([name, configuration]) => ({
    name,
    client: new CacheClient({
      credentialProvider: CredentialProvider.fromString({
        apiKey: server.apiKey,
      }),
      configuration,
      defaultTtlSeconds: 60,
      fetch: spying,
    }),
  }));
  try {
    for (const { name, client } of clients) {
      seen.length = 0;
      assert.equal((await client.set("default", name, name)).type, "Success");
      const got = await client.get("default", name);
      assert.ok(got instanceof CacheGet.Hit, `${name}: ${got}`);
      assert.equal(got.valueString(), name);
      const expected = name === "consistent" ? "consistent" : null;
      assert.deepEqual(seen, [expected, expected], name);
    }
  } finally {
    for (const { client } of clients) client.close();
    http.close();
    await server.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
