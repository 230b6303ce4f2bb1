/**
 * A cluster of real processes on loopback: the control service, two nodes in
 * two AZs and a pure gateway (capacity 0). Every operation family of the SDK
 * runs through the pure gateway, whose keys live on the two nodes; a cache
 * made through one node is usable through another.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  CacheClient,
  CacheGet,
  Configurations,
  CredentialProvider,
} from "../mod.ts";
import { runDataSuite } from "./_sdk_suite.ts";
import { loadOrCreateSigner } from "../control/signing_key.ts";
import { MAIN, type RunningServer, startServer } from "./_server.ts";

const run = (args: string[]) =>
  startServer(Deno.execPath(), ["run", "-A", MAIN, ...args]);

function node(
  id: string,
  az: string,
  capacity: string,
  control: string,
  dataDir: string,
) {
  return run([
    "node",
    "--http",
    "--id",
    id,
    "--az",
    az,
    "--capacity",
    capacity,
    "--control",
    control,
    "--join-token",
    `${dataDir}/join-token`,
    "--port",
    "0",
    "--peer-port",
    "0",
  ]);
}

function client(apiKey: string, baseUrl: string) {
  return new CacheClient({
    credentialProvider: CredentialProvider.fromString({ apiKey }),
    configuration: Configurations.Laptop.v1(),
    defaultTtlSeconds: 60,
    baseUrl,
  });
}

/** Control (replicas, failure timeout), nodes a (az1) and b (az2), pure gateway g. */
async function cluster(replicas: number, failureTimeout?: number) {
  const dataDir = await Deno.makeTempDir();
  const running: RunningServer[] = [];
  const stop = async () => {
    for (const server of running.reverse()) await server.kill();
    await Deno.remove(dataDir, { recursive: true });
  };
  try {
    const control = await run([
      "control",
      "--http",
      "--port",
      "0",
      "--replicas",
      String(replicas),
      ...(failureTimeout ? ["--failure-timeout", String(failureTimeout)] : []),
      "--data",
      dataDir,
    ]);
    running.push(control);
    const a = await node("a", "az1", "32MiB", control.url, dataDir);
    running.push(a);
    const b = await node("b", "az2", "32MiB", control.url, dataDir);
    running.push(b);
    const gateway = await node("g", "az1", "0", control.url, dataDir);
    running.push(gateway);
    const read = async (file: string) =>
      (await Deno.readTextFile(`${dataDir}/${file}`)).trim();
    return {
      dataDir,
      control,
      a,
      b,
      gateway,
      apiKey: await read("api-key"),
      joinToken: await read("join-token"),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

Deno.test("cluster: control, two nodes and a pure gateway serve every operation family", async (t) => {
  const c = await cluster(1);
  const { dataDir, a, gateway } = c;
  try {
    const { apiKey } = c;
    const viaGateway = client(apiKey, gateway.url);
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
    } finally {
      viaGateway.close();
    }
  } finally {
    await c.stop();
  }
});

Deno.test("cluster: kill -9 a primary; its replica is promoted and every acknowledged write is still read", async () => {
  const c = await cluster(2, 2);
  const { control, a, gateway } = c;
  try {
    const { apiKey } = c;
    const { joinToken } = c;
    const topology = async (after: number) =>
      await (await fetch(`${control.url}/v1/topology?after=${after}`, {
        headers: { authorization: joinToken },
      })).json() as {
        version: number;
        nodes: { id: string; alive: boolean }[];
      };
    const viaGateway = client(apiKey, gateway.url);
    try {
      for (let i = 0; i < 100; i++) {
        const set = await viaGateway.set("default", `acked-${i}`, `v${i}`);
        assert.equal(set.type, "Success");
      }
      const before = await topology(-1);
      await a.kill();
      // the control service declares a dead after the failure timeout
      let after = await topology(before.version);
      while (after.nodes.find((n) => n.id === "a")?.alive !== false) {
        after = await topology(after.version);
      }
      for (let i = 0; i < 100; i++) {
        const got = await viaGateway.get("default", `acked-${i}`);
        assert.ok(got instanceof CacheGet.Hit, `acked-${i}: ${got}`);
        assert.equal(got.valueString(), `v${i}`);
      }
    } finally {
      viaGateway.close();
    }
  } finally {
    await c.stop();
  }
});

Deno.test("cluster under steady SDK load: kill -9 a node; 0 failed calls, 0 acknowledged keys lost", async () => {
  const c = await cluster(2, 2);
  const { a, gateway } = c;
  try {
    const { apiKey } = c;
    const sdk = client(apiKey, gateway.url);
    const acked: string[] = [];
    const failures: string[] = [];
    let done = 0;
    let killed = false;
    // four clients, each writing new keys and reading back the one before
    const worker = async (w: number) => {
      for (let i = 0; i < 250; i++) {
        const key = `load-${w}-${i}`;
        const set = await sdk.set("default", key, key);
        if (set.type === "Success") acked.push(key);
        else failures.push(`set ${key}: ${set}`);
        if (i > 0) {
          const got = await sdk.get("default", `load-${w}-${i - 1}`);
          if (got.type !== "Hit") {
            failures.push(`get load-${w}-${i - 1}: ${got}`);
          }
        }
        if (++done === 200 && !killed) {
          killed = true;
          await a.kill(); // SIGKILL
        }
      }
    };
    try {
      await Promise.all([0, 1, 2, 3].map(worker));
      assert.ok(killed);
      const lost: string[] = [];
      for (const key of acked) {
        const got = await sdk.get("default", key);
        if (!(got instanceof CacheGet.Hit) || got.valueString() !== key) {
          lost.push(key);
        }
      }
      assert.equal(
        failures.length + lost.length,
        0,
        `failed: ${failures.slice(0, 5).join("; ")}; lost: ${
          lost.slice(0, 5).join(", ")
        }`,
      );
      assert.equal(acked.length, 1000);
    } finally {
      sdk.close();
    }
  } finally {
    await c.stop();
  }
});
