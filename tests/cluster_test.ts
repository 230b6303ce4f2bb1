/**
 * A cluster of real processes on loopback: the control service, three nodes
 * in two AZs and a pure gateway (capacity 0), two owners a slot. Every
 * operation family of the SDK runs through the pure gateway, whose keys
 * live on the nodes; a cache made through one node is usable through
 * another. Faults under load: `cluster_faults_test.ts`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CacheGet, ReadConcern } from "../mod.ts";
import { runDataSuite } from "./_sdk_suite.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import { clusterClient, startCluster, THREE_NODES } from "./_cluster.ts";

Deno.test("cluster: control, three nodes in two AZs and a pure gateway serve every operation family", async (t) => {
  const c = await startCluster(2, THREE_NODES);
  const { dataDir } = c;
  const a = c.nodes.get("a")!;
  const gateway = c.nodes.get("g")!;
  try {
    const { apiKey } = c;
    await c.settled();
    const viaGateway = clusterClient(apiKey, gateway.url);
    try {
      await runDataSuite(t, viaGateway, "default");
      // keys spread over both nodes, all readable through the gateway
      for (let i = 0; i < 50; i++) {
        await viaGateway.set("default", `spread-${i}`, `v${i}`);
      }
      for (let i = 0; i < 50; i++) {
        const got = await viaGateway.get("default", `spread-${i}`);
        assert.ok(got instanceof CacheGet.Hit, `spread-${i}`);
        assert.equal(got.valueString(), `v${i}`);
      }
      // a cache made through the gateway is the cluster's
      assert.equal((await viaGateway.createCache("extra")).type, "Success");
      await viaGateway.set("extra", "k", "v");
      assert.equal((await viaGateway.get("extra", "k")).value(), "v");
      // a token revoked through node a is refused by the gateway too, once
      // the topology carrying the revocation reaches it
      const signer = await loadOrCreateSigner(`${dataDir}/signing-key.jwk`);
      const token = await signer.mint({
        sub: "token-doomed",
        p: [{ role: "readonly", cache: { name: "default" } }],
      });
      const read = () =>
        fetch(`${gateway.url}/cache/default?key=spread-1`, {
          headers: { authorization: token },
        });
      const before = await read();
      assert.equal(before.status, 200);
      await before.body?.cancel();
      const revoke = await fetch(`${a.url}/v1/tokens/revoke`, {
        method: "POST",
        headers: { authorization: apiKey },
        body: JSON.stringify({ id: "token-doomed" }),
      });
      assert.equal(revoke.status, 204);
      let status = 200;
      for (let i = 0; i < 100 && status !== 401; i++) {
        const res = await read();
        status = res.status;
        await res.body?.cancel();
        if (status !== 401) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 401);
      // read concern: written through a gateway in az1, read at once through
      // one in az2; CONSISTENT reads the primary, BALANCED the az2 owner
      // (replication is synchronous: both see an acknowledged write)
      const g1 = await c.start({ id: "g1", az: "az1", capacity: "0" });
      const writer = clusterClient(apiKey, g1.url);
      const strict = clusterClient(apiKey, gateway.url, ReadConcern.CONSISTENT);
      try {
        for (let i = 0; i < 100; i++) {
          const set = await writer.set("default", `rc-${i}`, `w${i}`);
          assert.equal(set.type, "Success");
          for (const reader of [strict, viaGateway]) {
            const got = await reader.get("default", `rc-${i}`);
            assert.ok(got instanceof CacheGet.Hit, `rc-${i}`);
            assert.equal(got.valueString(), `w${i}`);
          }
        }
        // a flush reaches every owner: no replica keeps a flushed item
        for (let i = 0; i < 50; i++) await writer.set("extra", `f${i}`, "v");
        assert.equal((await writer.flushCache("extra")).type, "Success");
        for (const reader of [writer, viaGateway, strict]) {
          for (let i = 0; i < 50; i++) {
            const got = await reader.get("extra", `f${i}`);
            assert.equal(got.type, "Miss", `f${i} after the flush: ${got}`);
          }
        }
      } finally {
        writer.close();
        strict.close();
      }
      // a cache's rate limit holds cluster-wide: two gateways asked at full
      // speed admit about the limit together, not twice it
      const limited = await fetch(`${gateway.url}/v1/caches/limited`, {
        method: "PUT",
        headers: { authorization: apiKey },
        body: JSON.stringify({ limits: { opsPerSecond: 100 } }),
      });
      assert.equal(limited.status, 201);
      await limited.body?.cancel();
      const admitted = await hammer(
        [gateway.url, g1.url],
        apiKey,
        1_000,
        2_000,
      );
      // one gateway alone would admit 200 in 2 s, two unshared 400
      assert.ok(
        admitted > 100 && admitted < 300,
        `${admitted} admitted in 2 s at 100 ops/s`,
      );
    } finally {
      viaGateway.close();
    }
  } finally {
    await c.stop();
  }
});

Deno.test("cluster over TLS: control, nodes and peers trust the cluster's CA; every operation family through a pure gateway", async (t) => {
  const c = await startCluster(2, THREE_NODES, undefined, true);
  try {
    await c.settled();
    const gateway = c.nodes.get("g")!;
    assert.match(gateway.url, /^https:/);
    assert.match(c.control.url, /^https:/);
    const sdk = clusterClient(
      c.apiKey,
      gateway.url,
      ReadConcern.BALANCED,
      c.caCertificate,
    );
    try {
      await runDataSuite(t, sdk, "default");
    } finally {
      sdk.close();
    }
    // a client that does not trust the cluster's CA is refused
    await assert.rejects(fetch(`${gateway.url}/cache/default?key=k`));
  } finally {
    await c.stop();
  }
});

/**
 * Four loops per gateway reading cache `limited` as fast as they can; counts
 * the requests admitted (not 429) during `windowMs` after `warmMs` (by then
 * the gateways share the limit by demand).
 */
async function hammer(
  urls: string[],
  apiKey: string,
  warmMs: number,
  windowMs: number,
): Promise<number> {
  const start = Date.now();
  let admitted = 0;
  const loop = async (url: string) => {
    while (Date.now() - start < warmMs + windowMs) {
      const res = await fetch(`${url}/cache/limited?key=k`, {
        headers: { authorization: apiKey },
      });
      await res.body?.cancel();
      const at = Date.now() - start;
      if (res.status !== 429 && at >= warmMs) admitted++;
    }
  };
  await Promise.all(urls.flatMap((url) => [0, 1, 2, 3].map(() => loop(url))));
  return admitted;
}
