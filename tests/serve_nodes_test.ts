/**
 * `kvolt serve --nodes 2`: two node processes behind one public port (and
 * the control service in the serve process). A cache is created and keys set
 * through many connections are read back through others; both nodes own
 * slots; a token minted through the port works; SIGTERM stops every process,
 * and so does SIGKILL of serve (the nodes watch their stdin); a restart on
 * the same data dir keeps the caches.
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
import { type RunningServer, startNodes } from "./_server.ts";
import type { SlotRun } from "../protocol/topology.ts";

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // a signal that does nothing to a live process
    return true;
  } catch {
    return false;
  }
}

/** Polls until no pid is alive or `ms` passed; true when none is. */
async function gone(pids: number[], ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** The node pids and the control service's URL, from the banner. */
function bannerFacts(server: RunningServer) {
  const text = server.banner.join("\n");
  const pids = text.match(/pids (\d+), (\d+)/);
  const control = text.match(/control service on (\S+)/);
  assert.ok(pids && control, text);
  return { pids: [Number(pids[1]), Number(pids[2])], control: control[1]! };
}

/** Stops what a test started, whatever state it is in. */
async function cleanUp(server: RunningServer | undefined, pids: number[]) {
  await server?.kill();
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
}

Deno.test("serve --nodes 2: one port, two node processes, a new cache, keys through many connections, minted tokens; SIGTERM leaves no process", async () => {
  const dataDir = await Deno.makeTempDir();
  let server: RunningServer | undefined;
  const pids: number[] = [];
  const httpClient: { c?: Deno.HttpClient } = {};
  try {
    server = await startNodes(dataDir, false);
    const facts = bannerFacts(server);
    pids.push(...facts.pids);
    assert.ok(pids.every(alive));
    const ca = await Deno.readTextFile(`${dataDir}/tls/ca.pem`);
    httpClient.c = Deno.createHttpClient({ caCerts: [ca] });
    const client = httpClient.c;
    // clients of their own each (own connections): the kernel spreads them
    // over both nodes
    const sdk = (apiKey: string) =>
      new CacheClient({
        credentialProvider: CredentialProvider.fromString({ apiKey }),
        configuration: Configurations.Laptop.v1(),
        defaultTtlSeconds: 60,
        baseUrl: server!.url,
        caCertificate: ca,
      });
    const clients = Array.from({ length: 8 }, () => sdk(server!.apiKey));
    try {
      assert.equal((await clients[0]!.createCache("orders")).type, "Success");
      for (let i = 0; i < 80; i++) {
        const set = await clients[i % 8]!.set("orders", `k${i}`, `v${i}`);
        assert.equal(set.type, "Success", `set k${i}`);
      }
      for (let i = 0; i < 80; i++) {
        const got = await clients[(i + 3) % 8]!.get("orders", `k${i}`);
        assert.ok(got instanceof CacheGet.Hit, `k${i}`);
        assert.equal(got.valueString(), `v${i}`);
      }
    } finally {
      for (const c of clients) c.close();
    }
    // both nodes own slots, so the 80 keys were served by both
    const joinToken = (await Deno.readTextFile(`${dataDir}/join-token`))
      .trim();
    const topology = await (await fetch(
      `${facts.control}/v1/topology?after=-1&waitMs=0`,
      { headers: { authorization: joinToken }, client },
    )).json() as { nodes: { id: string }[]; slots: SlotRun[] };
    const owners = new Set(
      topology.slots.flatMap(([, , owners]) =>
        owners.map((i) => topology.nodes[i]!.id)
      ),
    );
    assert.deepEqual([...owners].sort(), ["node-0", "node-1"]);
    // a token minted through the port (the nodes hold the signing key)
    const minted = await fetch(`${server.url}/v1/tokens`, {
      method: "POST",
      headers: { authorization: server.apiKey },
      body: JSON.stringify({
        expiresInSeconds: 60,
        permissions: [{
          role: "readonly",
          cache: { name: "orders" },
          item: { all: true },
        }],
      }),
      client,
    });
    assert.equal(minted.status, 200);
    const { authToken } = await minted.json() as { authToken: string };
    const reader = sdk(authToken);
    try {
      const got = await reader.get("orders", "k7");
      assert.ok(got instanceof CacheGet.Hit);
      assert.equal(got.valueString(), "v7");
    } finally {
      reader.close();
    }
    const { code, stdout } = await server.stop();
    assert.equal(code, 0);
    assert.match(stdout, /every node stopped/);
    assert.ok(!pids.some(alive), "a node process outlived serve");
  } finally {
    httpClient.c?.close();
    await cleanUp(server, pids);
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve --nodes 2 --replicas 2: SIGKILL of serve stops its nodes too; a restart on the same data dir keeps the caches", async () => {
  const dataDir = await Deno.makeTempDir();
  let server: RunningServer | undefined;
  const pids: number[] = [];
  try {
    server = await startNodes(dataDir, true, ["--replicas", "2"]);
    pids.push(...bannerFacts(server).pids);
    const put = await fetch(`${server.url}/v1/caches/kept`, {
      method: "PUT",
      headers: { authorization: server.apiKey },
    });
    assert.equal(put.status, 201);
    await put.body?.cancel();
    Deno.kill(server.pid, "SIGKILL");
    await server.kill();
    assert.ok(await gone(pids, 20_000), "a node outlived serve's SIGKILL");
    server = await startNodes(dataDir, true, ["--replicas", "2"]);
    pids.push(...bannerFacts(server).pids);
    const list = await fetch(`${server.url}/v1/caches`, {
      headers: { authorization: server.apiKey },
    });
    const { caches } = await list.json() as { caches: { name: string }[] };
    assert.deepEqual(caches.map((c) => c.name).sort(), ["default", "kept"]);
    const set = await fetch(
      `${server.url}/cache/kept?key=a&ttl_seconds=60`,
      { method: "PUT", headers: { authorization: server.apiKey }, body: "1" },
    );
    assert.equal(set.status, 204);
    await set.body?.cancel();
    assert.equal((await server.stop()).code, 0);
    assert.ok(await gone(pids, 5_000), "a node outlived serve");
  } finally {
    await cleanUp(server, pids);
    await Deno.remove(dataDir, { recursive: true });
  }
});
