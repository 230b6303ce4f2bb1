/**
 * Faults under a steady SDK load, on a cluster of real processes on
 * loopback: the control service, three nodes in two AZs and a pure gateway
 * the clients go through, two owners a slot. Each test asserts 0 failed SDK
 * calls (the SDK's retries allowed) and 0 acknowledged keys lost.
 *
 * @module
 */

import assert from "node:assert/strict";
import { decodeSlots } from "../protocol/topology.ts";
import {
  clusterClient,
  type LoadResult,
  startCluster,
  steadyLoad,
  type TestCluster,
  THREE_NODES,
} from "./_cluster.ts";

/** Runs `fault` under load through the pure gateway; asserts 0 and 0. */
async function underLoad(
  c: TestCluster,
  fault: () => Promise<void>,
): Promise<LoadResult> {
  await c.settled();
  const sdk = clusterClient(c.apiKey, c.nodes.get("g")!.url);
  try {
    const r = await steadyLoad(sdk, fault);
    assert.equal(
      r.failures.length + r.lost.length,
      0,
      `${r.failures.length} failed: ${
        r.failures.slice(0, 5).join("; ")
      }; ${r.lost.length} lost: ${r.lost.slice(0, 5).join(", ")}`,
    );
    assert.ok(r.acked.length >= 300, `${r.acked.length} keys acknowledged`);
    return r;
  } finally {
    sdk.close();
  }
}

Deno.test("cluster under load: kill -9 a node; its replicas take over", async () => {
  const c = await startCluster(2, THREE_NODES, 2);
  try {
    await underLoad(c, async () => {
      await c.nodes.get("a")!.kill(); // SIGKILL
      c.nodes.delete("a");
      // the control service declares it dead after the failure timeout
      let t = await c.topology();
      while (t.nodes.find((n) => n.id === "a")?.alive !== false) {
        t = await c.topology(t.version);
      }
    });
  } finally {
    await c.stop();
  }
});

Deno.test("cluster under load: add a node; it receives its slots before it owns them", async () => {
  const c = await startCluster(2, THREE_NODES, 2);
  try {
    const { acked } = await underLoad(c, async () => {
      await c.start({ id: "d", az: "az2", capacity: "32MiB" });
      await c.settled();
    });
    // d holds full copies: with the primary of the slots d took gone, d
    // answers them, and every key is still read (a replica placed on d
    // without the slots' items would have lost the keys written before)
    const settled = await c.topology();
    const owners = decodeSlots(settled.slots, settled.nodes);
    const took = new Map<string, number>();
    for (const o of owners) {
      if (o[1] === "d") took.set(o[0]!, (took.get(o[0]!) ?? 0) + 1);
    }
    const victim = [...took].sort((x, y) => y[1] - x[1])[0]![0];
    await c.nodes.get(victim)!.kill();
    c.nodes.delete(victim);
    let t = settled;
    while (t.nodes.find((n) => n.id === victim)?.alive !== false) {
      t = await c.topology(t.version);
    }
    const sdk = clusterClient(c.apiKey, c.nodes.get("g")!.url);
    try {
      const lost: string[] = [];
      for (const key of acked) {
        const got = await sdk.get("default", key);
        if (got.type !== "Hit") lost.push(`${key}: ${got}`);
      }
      assert.deepEqual(lost.slice(0, 5), []);
    } finally {
      sdk.close();
    }
  } finally {
    await c.stop();
  }
});

Deno.test("cluster under load: restart every node one by one", async () => {
  const c = await startCluster(2, THREE_NODES, 2);
  try {
    await underLoad(c, async () => {
      for (const spec of THREE_NODES.filter((n) => n.capacity !== "0")) {
        await c.stopNode(spec.id); // SIGTERM: it leaves first
        await c.start(spec);
        // the next one only once this one holds its slots again
        await c.settled();
      }
    });
  } finally {
    await c.stop();
  }
});

Deno.test("cluster under load: restart the control service; the data plane keeps serving", async () => {
  const c = await startCluster(2, THREE_NODES, 2);
  try {
    let before = 0;
    await underLoad(c, async () => {
      before = (await c.topology()).version;
      await c.restartControl();
    });
    // it resumed with the same topology
    assert.ok((await c.topology()).version >= before);
  } finally {
    await c.stop();
  }
});
