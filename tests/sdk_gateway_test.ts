/**
 * The SDK's mapping of every data operation, against the gateway over the
 * reference model, in process (the client's `fetch` calls `app.fetch`; no
 * socket).
 *
 * @module
 */

import assert from "node:assert/strict";
import { createGateway } from "../gateway/app.ts";
import {
  keyPair,
  MemoryCacheRegistry,
  mintToken,
} from "../gateway/_test_utils.ts";
import { TokenVerifier } from "../gateway/token_verifier.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import {
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
} from "../mod.ts";
import { runDataSuite } from "./_sdk_suite.ts";

/** The gateway over the reference model, with cache "orders". */
async function jsonGateway() {
  const keys = await keyPair();
  const caches = new MemoryCacheRegistry();
  await caches.create("orders");
  const app = createGateway({
    store: new MemoryStore({}),
    caches,
    verifier: new TokenVerifier(keys.publicKey),
  });
  const token = await mintToken(keys.privateKey);
  return {
    app,
    token,
    /** The raw JSON result of one operation on "orders". */
    async ok(op: string, args: unknown): Promise<unknown> {
      const res = await app.request(`/v1/cache/orders/${op}`, {
        method: "POST",
        headers: { authorization: token },
        body: JSON.stringify(args),
      });
      assert.equal(res.status, 200);
      return await res.json();
    },
  };
}

async function inProcessClient(throwOnErrors = false) {
  const gateway = await jsonGateway();
  const client = new CacheClient({
    credentialProvider: CredentialProvider.fromString({
      apiKey: gateway.token,
      endpointOverrides: {
        cacheEndpoint: "kvolt.test",
        controlEndpoint: "kvolt.test",
        tokenEndpoint: "kvolt.test",
        secureConnection: false,
      },
    }),
    configuration: Configurations.Laptop.v1().withThrowOnErrors(throwOnErrors),
    defaultTtlSeconds: 60,
    fetch: async (input, init) =>
      await gateway.app.fetch(new Request(input, init)),
  });
  return { gateway, client };
}

Deno.test("sdk: every data operation maps to Momento's responses", async (t) => {
  const { client } = await inProcessClient();
  assert.equal(client.endpoint, "http://kvolt.test");
  await runDataSuite(t, client, "orders");
  client.close();
});

Deno.test("sdk: compressed values are stored as zstd and read back", async () => {
  const { gateway, client } = await inProcessClient();
  const value = "compress me ".repeat(200);
  await client.set("orders", "z", value, { compress: true });
  const raw = await gateway.ok("get", { key: "z" }) as {
    value: { base64: string };
  };
  const stored = Uint8Array.from(
    atob(raw.value.base64),
    (c) => c.charCodeAt(0),
  );
  assert.deepEqual([...stored.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
  assert.ok(stored.length < value.length / 4);
  const back = await client.get("orders", "z");
  assert.ok(back instanceof CacheGet.Hit);
  assert.equal(back.valueString(), value);
  const notDecompressed = await client.get("orders", "z", {
    decompress: false,
  });
  assert.deepEqual(
    (notDecompressed as CacheGet.Hit).valueUint8Array().subarray(0, 4),
    stored.subarray(0, 4),
  );
  const batch = await client.getBatch("orders", ["z"]);
  assert.equal(batch.type === "Success" && batch.values().z, value);
  client.close();
});

Deno.test("sdk: throwOnErrors throws the SdkError instead of returning it", async () => {
  const { client } = await inProcessClient(true);
  await assert.rejects(
    () => client.get("missing-cache", "k"),
    (err: Error & { errorCode?: () => string }) =>
      err.errorCode?.() === "NOT_FOUND_ERROR",
  );
  // a Miss is not an error
  assert.equal((await client.get("orders", "nothing")).type, "Miss");
  client.close();
});

Deno.test("sdk: control operations", async () => {
  const { client } = await inProcessClient();
  assert.equal((await client.createCache("extra")).type, "Success");
  assert.equal((await client.createCache("extra")).type, "AlreadyExists");
  const list = await client.listCaches();
  assert.ok(list.type === "Success");
  assert.deepEqual(list.getCaches().map((c) => c.getName()).sort(), [
    "extra",
    "orders",
  ]);
  await client.set("extra", "k", "v");
  assert.equal((await client.flushCache("extra")).type, "Success");
  assert.equal((await client.get("extra", "k")).type, "Miss");
  assert.equal((await client.deleteCache("extra")).type, "Success");
  assert.equal((await client.deleteCache("extra")).type, "Error");
  await client.ping();
  client.close();
});

Deno.test("sdk: execute runs any catalogue operation, typed (getAndDelete)", async () => {
  const { client } = await inProcessClient();
  const enc = new TextEncoder();
  const key = enc.encode("gd");
  await client.set("orders", "gd", Uint8Array.of(0, 255));
  const got = await client.execute("orders", "getAndDelete", { key });
  assert.equal(got.type, "Hit");
  // typed by the catalogue: a Hit carries the bytes
  if (got.type === "Hit") assert.deepEqual(got.value, Uint8Array.of(0, 255));
  assert.deepEqual(
    await client.execute("orders", "getAndDelete", { key }),
    { type: "Miss" },
  );
  assert.equal((await client.get("orders", "gd")).type, "Miss");
  // a collection: the SdkError of FAILED_PRECONDITION, thrown
  await client.listPushBack("orders", "list", "x");
  await assert.rejects(
    () => client.execute("orders", "getAndDelete", { key: enc.encode("list") }),
    (err: Error & { errorCode?: () => string }) =>
      err.errorCode?.() === "FAILED_PRECONDITION_ERROR",
  );
  await assert.rejects(
    () => client.execute("missing-cache", "getAndDelete", { key }),
    (err: Error & { errorCode?: () => string }) =>
      err.errorCode?.() === "NOT_FOUND_ERROR",
  );
  client.close();
});
