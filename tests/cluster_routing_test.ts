/**
 * Two nodes in process over real TCP: each routes by its topology (its own
 * slots to its store, the other's through the peer protocol) and serves its
 * slots to the other, refusing a slot it does not own with "moved"; a node
 * with an old topology follows the move and the call succeeds, run once.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ClusterRouting } from "../peer/cluster_routing.ts";
import { OwnedStore } from "../peer/owned_store.ts";
import { servePeer } from "../peer/peer_server.ts";
import { connectPeer, twoPeerNodes } from "./_peer_nodes.ts";
import { MemoryStore } from "../protocol/memory_store.ts";
import { SLOT_COUNT, slotOf } from "../protocol/slots.ts";
import {
  encodeSlots,
  MovedError,
  type NodeState,
  type Topology,
} from "../protocol/topology.ts";

const enc = new TextEncoder();
const TTL = 60_000;

/** A topology: slots in [from, to) on a, the rest on b. */
function topology(
  version: number,
  nodes: NodeState[],
  from: number,
  to: number,
): Topology {
  const owners = Array.from(
    { length: SLOT_COUNT },
    (_, s) => s >= from && s < to ? ["a"] : ["b"],
  );
  return { version, replicas: 1, nodes, slots: encodeSlots(owners, nodes) };
}

function twoNodes() {
  const { listeners, nodes } = twoPeerNodes();
  const v1 = topology(1, nodes, 0, SLOT_COUNT / 2);
  const made = nodes.map((n, i) => {
    const local = new MemoryStore({});
    const routing = new ClusterRouting({
      self: n.id,
      local,
      connect: connectPeer,
      movedWaitMs: 5_000,
    }, v1);
    const server = servePeer(listeners[i]!, new OwnedStore(local, routing));
    return { local, routing, server };
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

/** A key whose slot satisfies `want`. */
function keyIn(want: (slot: number) => boolean, tag: string): Uint8Array {
  for (let i = 0;; i++) {
    const key = enc.encode(`${tag}-${i}`);
    if (want(slotOf(1, key))) return key;
  }
}

Deno.test("cluster routing: every key is stored once, on its slot's primary, and read from any node", async () => {
  const c = twoNodes();
  try {
    const keys = Array.from({ length: 200 }, (_, i) => enc.encode(`k${i}`));
    for (const [i, key] of keys.entries()) {
      const via = i % 2 === 0 ? c.a.routing : c.b.routing;
      await via.execute(1, "set", {
        key,
        value: enc.encode(`v${i}`),
        ttlMs: TTL,
      });
    }
    for (const [i, key] of keys.entries()) {
      const onA = slotOf(1, key) < SLOT_COUNT / 2;
      const home = onA ? c.a.local : c.b.local;
      const other = onA ? c.b.local : c.a.local;
      assert.equal(home.get(1, key)?.length, `v${i}`.length);
      assert.equal(other.get(1, key), undefined);
      const read = await c.b.routing.execute(1, "get", { key });
      assert.deepEqual(read, { type: "Hit", value: enc.encode(`v${i}`) });
    }
    // a batch split over both nodes, gathered in order
    const got = await c.a.routing.getMany(1, keys.slice(0, 10));
    assert.deepEqual(
      got.map((v) => new TextDecoder().decode(v as Uint8Array)),
      [
        "v0",
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
        "v6",
        "v7",
        "v8",
        "v9",
      ],
    );
  } finally {
    await c.close();
  }
});

Deno.test("cluster routing: a node asked for a slot it no longer owns answers moved; the caller follows and runs the call once", async () => {
  const c = twoNodes();
  try {
    // v2 gives b the slots below 4096; a learns it first
    const v2 = topology(2, c.nodes, SLOT_COUNT / 4, SLOT_COUNT / 2);
    c.a.routing.apply(v2);
    const key = keyIn((s) => s < SLOT_COUNT / 4, "moved");
    // b still thinks a owns the slot: a refuses (moved, version 2), b waits
    // for version 2 (its member's long poll would bring it), then runs it
    // on its own store
    const pending = c.b.routing.execute(1, "increment", {
      key,
      amount: 5,
      ttlMs: TTL,
    });
    queueMicrotask(() => c.b.routing.apply(v2));
    assert.deepEqual(await pending, { type: "Success", value: 5 });
    assert.equal(c.b.routing.moves, 1);
    assert.equal(c.a.local.get(1, key), undefined);
    assert.deepEqual(c.b.local.get(1, key), enc.encode("5"));
    // the serving side refuses a key it does not own with the version
    const owned = new OwnedStore(c.a.local, c.a.routing);
    assert.throws(
      () => owned.execute(1, "get", { key }),
      (err: unknown) => err instanceof MovedError && err.version === 2,
    );
  } finally {
    await c.close();
  }
});

Deno.test("cluster routing: BALANCED reads go to an owner in the reader's AZ, CONSISTENT ones to the primary", async () => {
  const listeners = [0, 1].map(() =>
    Deno.listen({ hostname: "127.0.0.1", port: 0 })
  );
  const nodes: NodeState[] = ["a", "b", "g"].map((id, i) => ({
    id,
    az: i === 0 ? "az1" : "az2",
    capacity: i === 2 ? 0 : 1,
    peer: i === 2
      ? "127.0.0.1:1"
      : `127.0.0.1:${(listeners[i]!.addr as Deno.NetAddr).port}`,
    url: "http://unused",
    alive: true,
  }));
  // a is every slot's primary (az1), b its replica (az2)
  const t: Topology = {
    version: 1,
    replicas: 2,
    nodes,
    slots: encodeSlots(
      Array.from({ length: SLOT_COUNT }, () => ["a", "b"]),
      nodes,
    ),
  };
  const connect = connectPeer;
  const made = [0, 1].map((i) => {
    const local = new MemoryStore({});
    const routing = new ClusterRouting({
      self: nodes[i]!.id,
      az: nodes[i]!.az,
      local,
      connect,
    }, t);
    const server = servePeer(listeners[i]!, new OwnedStore(local, routing));
    return { local, routing, server };
  });
  // a pure gateway in az2
  const g = new ClusterRouting({
    self: "g",
    az: "az2",
    local: new MemoryStore({}),
    connect,
  }, t);
  try {
    const key = enc.encode("k");
    // different values on the two owners show who answered
    made[0]!.local.set(1, key, enc.encode("primary"), TTL);
    made[1]!.local.set(1, key, enc.encode("replica"), TTL);
    const value = (r: unknown) =>
      new TextDecoder().decode((r as { value: Uint8Array }).value);
    assert.equal(
      value(await g.nearest().execute(1, "get", { key })),
      "replica",
    );
    assert.equal(value(await g.execute(1, "get", { key })), "primary");
    const many = await g.nearest().getMany(1, [key]);
    assert.equal(new TextDecoder().decode(many[0] as Uint8Array), "replica");
    // a writes through nearest() still go to the primary
    await g.nearest().execute(1, "set", {
      key: enc.encode("w"),
      value: enc.encode("x"),
      ttlMs: TTL,
    });
    assert.ok(made[0]!.local.get(1, enc.encode("w")));
    assert.equal(made[1]!.local.get(1, enc.encode("w")), undefined);
    // the primary's own AZ reads locally; the replica refuses writes
    assert.equal(
      value(await made[0]!.routing.nearest().execute(1, "get", { key })),
      "primary",
    );
    const b = connect(nodes[1]!);
    try {
      await assert.rejects(
        b.execute(1, "set", { key, value: key, ttlMs: TTL }),
        MovedError,
      );
    } finally {
      await b.close();
    }
  } finally {
    g.close();
    for (const m of made) {
      m.routing.close();
      await m.server.close();
    }
  }
});
