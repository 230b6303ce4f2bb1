/**
 * A slot move between two nodes in process over TCP (`peer/slot_mover.ts`):
 * node a is the primary of every slot; b is pending for the lower half. While
 * writes of every item type keep coming to a, a copies the slots to b and
 * reports; afterwards b holds exactly what a holds of those slots (values,
 * collections, TTLs), and nothing stale from before.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ClusterRouting } from "../peer/cluster_routing.ts";
import { OwnedStore } from "../peer/owned_store.ts";
import { servePeer } from "../peer/peer_server.ts";
import { PeerStore } from "../peer/peer_store.ts";
import { connectPeer, twoPeerNodes } from "./_peer_nodes.ts";
import { ReplicatingStore } from "../peer/replicating_store.ts";
import { SlotMover, SlotReceiver } from "../peer/slot_mover.ts";
import { SLOT_COUNT, slotOf } from "../protocol/slots.ts";
import type { ItemKey } from "../protocol/store.ts";
import {
  encodeSlots,
  MovedError,
  type NodeState,
  type Topology,
} from "../protocol/topology.ts";
import { ShardHost } from "../store-wasm/shard_host.ts";

const enc = new TextEncoder();
const TTL = 60_000;
const HALF = SLOT_COUNT / 2;
const moving = (s: number) => s < HALF;

function topology(
  version: number,
  nodes: NodeState[],
  owners: (slot: number) => string[],
  pending: (slot: number) => string[],
): Topology {
  const list = (f: (s: number) => string[]) =>
    encodeSlots(Array.from({ length: SLOT_COUNT }, (_, s) => f(s)), nodes);
  return {
    version,
    replicas: 2,
    nodes,
    slots: list(owners),
    pending: list(pending),
  };
}

async function pair() {
  const { listeners, nodes } = twoPeerNodes();
  const v1 = topology(1, nodes, () => ["a"], (s) => moving(s) ? ["b"] : []);
  const v2 = topology(
    2,
    nodes,
    (s) => moving(s) ? ["a", "b"] : ["a"],
    () => [],
  );
  const reports: { node: string; slots: readonly number[]; from: number }[] =
    [];
  const made = await Promise.all(nodes.map(async (n, i) => {
    const host = await ShardHost.create({
      shards: 2,
      bytesPerShard: 4 << 20,
      sweepEveryMs: 0,
    });
    const ref: { routing?: ClusterRouting; mover?: SlotMover } = {};
    const primary = new ReplicatingStore(
      host,
      () => ref.mover!.replicaRouting(ref.routing!),
    );
    const routing = ref.routing = new ClusterRouting({
      self: n.id,
      local: primary,
      connect: connectPeer,
    }, v1);
    const mover = ref.mover = new SlotMover({
      local: host,
      routing,
      chunk: 8,
      report: (node, slots, from) => {
        reports.push({ node, slots, from });
        // the control service makes b an owner
        setTimeout(() => {
          for (const m of made) m.routing.apply(v2);
          for (const m of made) m.mover.refresh();
        }, 0);
        return Promise.resolve({ accepted: [...slots], version: 2 });
      },
    });
    const server = servePeer(
      listeners[i]!,
      new OwnedStore(primary, routing),
      new OwnedStore(host, routing, "replica"),
      new SlotReceiver(host, routing),
    );
    return { host, routing, server, mover };
  }));
  return {
    a: made[0]!,
    b: made[1]!,
    reports,
    async close() {
      for (const m of made) {
        m.mover.close();
        m.routing.close();
        await m.server.close();
        m.host.close();
      }
    },
  };
}

/** One item's whole state, as comparable JSON (TTL to the second). */
function stateOf(host: ShardHost, { cacheId, key }: ItemKey): string {
  const type = host.execute(cacheId, "itemGetType", { key });
  if (type.type !== "Hit") return "missing";
  const ttl = host.execute(cacheId, "itemGetTtl", { key });
  const seconds = ttl.type === "Hit"
    ? Math.round(ttl.remainingTtlMs / 1000)
    : -1;
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  let content: unknown;
  switch (type.itemType) {
    case "SCALAR": {
      const r = host.execute(cacheId, "get", { key });
      content = r.type === "Hit" ? text(r.value) : null;
      break;
    }
    case "LIST": {
      const r = host.execute(cacheId, "listFetch", { key });
      content = r.type === "Hit" ? r.values.map(text) : null;
      break;
    }
    case "SET": {
      const r = host.execute(cacheId, "setFetch", { key });
      content = r.type === "Hit" ? r.elements.map(text).sort() : null;
      break;
    }
    case "DICTIONARY": {
      const r = host.execute(cacheId, "dictionaryFetch", { key });
      content = r.type === "Hit"
        ? r.fields.map((f) => `${text(f.field)}=${text(f.value)}`).sort()
        : null;
      break;
    }
    case "SORTED_SET": {
      const r = host.execute(cacheId, "sortedSetFetchByRank", { key });
      content = r.type === "Hit"
        ? r.elements.map((e) => `${text(e.value)}:${e.score}`)
        : null;
      break;
    }
  }
  return JSON.stringify([type.itemType, seconds, content]);
}

/** Writes of every type, as a client would send them to the primary. */
async function write(
  routing: ClusterRouting,
  i: number,
): Promise<void> {
  const key = enc.encode(`k${i % 300}`);
  const value = enc.encode(`v${i}`);
  switch (i % 7) {
    case 0:
      await routing.execute(1, "set", { key, value, ttlMs: TTL });
      break;
    case 1:
      await routing.execute(2, "listPushBack", {
        key,
        value,
        ttlMs: TTL,
        refreshTtl: true,
      });
      break;
    case 2:
      await routing.execute(2, "setAddElements", {
        key: enc.encode(`s${i % 50}`),
        elements: [value],
        ttlMs: TTL,
        refreshTtl: true,
      });
      break;
    case 3:
      await routing.execute(1, "dictionarySetField", {
        key: enc.encode(`d${i % 40}`),
        field: enc.encode(`f${i % 5}`),
        value,
        ttlMs: TTL,
        refreshTtl: true,
      });
      break;
    case 4:
      await routing.execute(1, "sortedSetIncrementScore", {
        key: enc.encode(`z${i % 30}`),
        value: enc.encode(`m${i % 4}`),
        amount: 1,
        ttlMs: TTL,
        refreshTtl: true,
      });
      break;
    case 5:
      await routing.execute(1, "delete", { key });
      break;
    default:
      await routing.execute(1, "increment", {
        key: enc.encode(`n${i % 20}`),
        amount: 2,
        ttlMs: TTL,
      });
  }
}

Deno.test("slot move: the receiver ends with exactly the primary's items of the slots, under concurrent writes", async () => {
  const c = await pair();
  try {
    // b holds a stale copy of some keys from an earlier ownership
    for (let i = 0; i < 200; i++) {
      c.b.host.set(1, enc.encode(`stale${i}`), enc.encode("old"), TTL);
    }
    for (let i = 0; i < 3000; i++) await write(c.a.routing, i);
    // the move starts while four writers keep going
    c.a.mover.refresh();
    await Promise.all([0, 1, 2, 3].map(async (w) => {
      for (let i = 0; i < 1500; i++) await write(c.a.routing, 3000 + i * 4 + w);
    }));
    // settle: the move is reported and the writes after it are on b
    for (let i = 0; i < 200 && c.b.routing.version < 2; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(c.b.routing.version, 2, "the move was reported");
    assert.equal(c.reports.length, 1);
    assert.equal(c.reports[0]!.node, "b");
    assert.equal(c.reports[0]!.slots.length, HALF);
    for (let i = 0; i < 400; i++) await write(c.a.routing, 9000 + i);
    const onA = c.a.host.keysIn(moving);
    const onB = c.b.host.keysIn(moving);
    const name = (k: ItemKey) =>
      `${k.cacheId}/${new TextDecoder().decode(k.key)}`;
    assert.deepEqual(onB.map(name).sort(), onA.map(name).sort());
    assert.ok(onA.length > 100, `${onA.length} items moved`);
    for (const item of onA) {
      assert.equal(
        stateOf(c.b.host, item),
        stateOf(c.a.host, item),
        name(item),
      );
    }
    // the stale keys of the moved slots are gone; the others stay
    for (let i = 0; i < 200; i++) {
      const key = enc.encode(`stale${i}`);
      const got = c.b.host.get(1, key);
      if (moving(slotOf(1, key))) assert.equal(got, undefined);
      else assert.deepEqual(got, enc.encode("old"));
    }
    assert.ok(c.a.mover.stats.items >= onA.length / 2);
  } finally {
    await c.close();
  }
});

Deno.test("slot move: a node refuses to begin receiving slots it is not pending for", async () => {
  const c = await pair();
  try {
    const b = new PeerStore({
      hostname: "127.0.0.1",
      port: c.b.server.addr.port,
    });
    try {
      // slot HALF is not moving: b would lose what it holds there
      await assert.rejects(b.beginMove([0, HALF], 1), MovedError);
      // slots it is pending for: begins (and drops them)
      await b.beginMove([0, 1], 1);
    } finally {
      await b.close();
    }
  } finally {
    await c.close();
  }
});
