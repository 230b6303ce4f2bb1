/**
 * Replication between two nodes in process over TCP: every slot has a
 * primary and a replica; a write acknowledged by the primary is on the
 * replica, random writes replicate their effect, and when the primary is
 * gone the promoted replica answers every acknowledged write.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ClusterRouting } from "../peer/cluster_routing.ts";
import { OwnedStore } from "../peer/owned_store.ts";
import { servePeer } from "../peer/peer_server.ts";
import { connectPeer, twoPeerNodes } from "./_peer_nodes.ts";
import { ReplicatingStore } from "../peer/replicating_store.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { SLOT_COUNT, slotOf } from "../protocol/slots.ts";
import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import {
  encodeSlots,
  type NodeState,
  type Topology,
} from "../protocol/topology.ts";

const enc = new TextEncoder();
const TTL = 60_000;

function topology(
  version: number,
  nodes: NodeState[],
  owners: (slot: number) => string[],
): Topology {
  const list = Array.from({ length: SLOT_COUNT }, (_, s) => owners(s));
  return { version, replicas: 2, nodes, slots: encodeSlots(list, nodes) };
}

function pair() {
  const { listeners, nodes } = twoPeerNodes();
  // a is primary of the lower half, b of the upper; each replicates the other
  const v1 = topology(
    1,
    nodes,
    (s) => s < SLOT_COUNT / 2 ? ["a", "b"] : ["b", "a"],
  );
  const made = nodes.map((n, i) => {
    const local = new MemoryStore({});
    const ref: { routing?: ClusterRouting } = {};
    const primary = new ReplicatingStore(local, () => ref.routing!);
    const routing = ref.routing = new ClusterRouting({
      self: n.id,
      local: primary,
      connect: connectPeer,
    }, v1);
    const server = servePeer(
      listeners[i]!,
      new OwnedStore(primary, routing),
      new OwnedStore(local, routing, "replica"),
    );
    return { local, routing, server, primary };
  });
  return {
    nodes,
    a: made[0]!,
    b: made[1]!,
    async close() {
      for (const m of made) {
        m.routing.close();
        await m.server.close();
      }
    },
  };
}

Deno.test("replication: an acknowledged write is on the primary and its replica", async () => {
  const c = pair();
  try {
    for (let i = 0; i < 100; i++) {
      const key = enc.encode(`k${i}`);
      await c.a.routing.execute(1, "set", {
        key,
        value: enc.encode(`v${i}`),
        ttlMs: TTL,
      });
      await c.b.routing.execute(1, "listPushBack", {
        key: enc.encode(`l${i}`),
        value: enc.encode("x"),
        ttlMs: TTL,
      });
    }
    for (let i = 0; i < 100; i++) {
      const key = enc.encode(`k${i}`);
      assert.deepEqual(c.a.local.get(1, key), enc.encode(`v${i}`));
      assert.deepEqual(c.b.local.get(1, key), enc.encode(`v${i}`));
      for (const node of [c.a, c.b]) {
        assert.deepEqual(
          node.local.execute(1, "listLength", { key: enc.encode(`l${i}`) }),
          { type: "Hit", length: 1 },
        );
      }
    }
    // a batch over both halves: each item on both nodes
    await c.a.routing.execute(1, "setBatch", {
      items: Array.from({ length: 20 }, (_, i) => ({
        key: enc.encode(`b${i}`),
        value: enc.encode("v"),
        ttlMs: TTL,
      })),
    });
    for (let i = 0; i < 20; i++) {
      assert.ok(c.a.local.get(1, enc.encode(`b${i}`)));
      assert.ok(c.b.local.get(1, enc.encode(`b${i}`)));
    }
    assert.equal(c.a.primary.missed + c.b.primary.missed, 0);
  } finally {
    await c.close();
  }
});

Deno.test("replication: random and multi-key writes replicate their effect", async () => {
  const c = pair();
  try {
    const set = enc.encode("the-set");
    await c.a.routing.execute(1, "setAddElements", {
      key: set,
      elements: Array.from({ length: 30 }, (_, i) => enc.encode(`e${i}`)),
      ttlMs: TTL,
    });
    await c.a.routing.execute(1, "setPop", { key: set, count: 7 });
    const fetch = (node: typeof c.a) => {
      const r = node.local.execute(1, "setFetch", { key: set });
      return r.type === "Hit"
        ? r.elements.map((e) => new TextDecoder().decode(e)).sort()
        : [];
    };
    assert.equal(fetch(c.a).length, 23);
    assert.deepEqual(fetch(c.a), fetch(c.b));
    // a union of sources on one primary: the replica gets the result
    const z = (k: string) => enc.encode(`union-${k}`);
    for (const k of ["s1", "s2"]) {
      await c.b.routing.execute(1, "sortedSetPutElements", {
        key: z(k),
        elements: [{ value: enc.encode(k), score: 1 }],
        ttlMs: TTL,
      });
    }
    await c.b.routing.execute(1, "sortedSetUnionStore", {
      key: z("dest"),
      sources: [{ key: z("s1"), weight: 1 }, { key: z("s2"), weight: 2 }],
      ttlMs: TTL,
    });
    const ranks = (node: typeof c.a) =>
      node.local.execute(1, "sortedSetFetchByRank", { key: z("dest") });
    assert.deepEqual(ranks(c.a), ranks(c.b));
    assert.equal((ranks(c.a) as { elements: unknown[] }).elements.length, 2);
  } finally {
    await c.close();
  }
});

Deno.test("replication: when a primary is gone, its promoted replica has every acknowledged write", async () => {
  const c = pair();
  try {
    const keys = Array.from({ length: 200 }, (_, i) => enc.encode(`f${i}`));
    for (const key of keys) {
      await c.a.routing.execute(1, "set", { key, value: key, ttlMs: TTL });
    }
    // a dies: the control service makes b the only owner of every slot
    await c.a.server.close();
    c.a.routing.close();
    c.b.routing.apply(topology(2, c.nodes, () => ["b"]));
    for (const key of keys) {
      assert.deepEqual(await c.b.routing.execute(1, "get", { key }), {
        type: "Hit",
        value: key,
      });
    }
  } finally {
    await c.close();
  }
});

Deno.test("replication: a write a replica fails is acknowledged only once the replica is reported (and fails when it cannot be)", async () => {
  const local = new MemoryStore({});
  const replica: NodeState = {
    id: "r",
    az: "az2",
    capacity: 1,
    peer: "127.0.0.1:1",
    url: "http://unused",
    alive: true,
  };
  const reported: string[] = [];
  let reachable = true;
  const down = {
    replicate: () =>
      Promise.reject(
        new KvoltError(ErrorCode.SERVER_UNAVAILABLE, "Cannot reach the store"),
      ),
  };
  const store = new ReplicatingStore(local, () => ({
    replicasOf: () => [replica],
    peer: () => down as never,
    failed: async (node, slot) => {
      await Promise.resolve();
      if (!reachable) {
        throw new KvoltError(ErrorCode.SERVER_UNAVAILABLE, "no control");
      }
      reported.push(`${node.id}/${slot}`);
    },
  }));
  const key = enc.encode("k");
  await store.execute(1, "set", { key, value: key, ttlMs: TTL });
  assert.deepEqual(reported, [`r/${slotOf(1, key)}`]);
  assert.equal(store.missed, 1);
  reachable = false;
  await assert.rejects(
    Promise.resolve(store.execute(1, "set", { key, value: key, ttlMs: TTL })),
    KvoltError,
  );
});
