import assert from "node:assert/strict";
import { ClusterService, FileClusterStateStore } from "./cluster_service.ts";
import { clusterRoutes } from "./cluster_routes.ts";
import { SLOT_COUNT } from "../protocol/slots.ts";
import { decodeSlots, sameList, type Topology } from "../protocol/topology.ts";
import { clock, MemoryStateStore, node } from "./_cluster_test_utils.ts";

Deno.test("cluster: joins place slots across AZs; a dead node's slots fail over to its replicas", async () => {
  const c = clock();
  const store = new MemoryStateStore();
  const cluster = await ClusterService.open({
    store,
    replicas: 2,
    failureTimeoutMs: 3_000,
    now: c.now,
  });
  await cluster.register(node("a", "az1"));
  await cluster.register(node("b", "az2"));
  await cluster.register(node("c", "az1"));
  const t = await settle(cluster);
  assert.equal(t.pending, undefined);
  const owners = decodeSlots(t.slots, t.nodes);
  const az = (id: string) => t.nodes.find((n) => n.id === id)!.az;
  for (const o of owners) {
    assert.equal(o.length, 2);
    assert.notEqual(az(o[0]!), az(o[1]!)); // replicas in different AZs
  }
  // b stops heartbeating; a and c keep going
  c.t += 2_000;
  await cluster.heartbeat("a");
  await cluster.heartbeat("c");
  c.t += 1_500;
  await cluster.sweep();
  const after = await cluster.topology(t.version, 0);
  assert.equal(after.version, t.version + 1);
  assert.equal(after.nodes.find((n) => n.id === "b")!.alive, false);
  const next = decodeSlots(after.slots, after.nodes);
  for (let s = 0; s < SLOT_COUNT; s++) {
    assert.ok(!next[s]!.includes("b"));
    // a surviving owner keeps the slot, first: the replica is promoted
    const survivor = owners[s]!.find((id) => id !== "b")!;
    assert.equal(next[s]![0], survivor);
  }
  assert.equal(store.saves, t.version + 1);
});

/**
 * Plays every slot's primary: reports each pending node as copied, until no
 * slot is pending; the settled topology.
 */
async function settle(cluster: ClusterService): Promise<Topology> {
  for (let round = 0; round < 10; round++) {
    const t = await cluster.topology(-1, 0);
    if (t.pending === undefined) return t;
    const owners = decodeSlots(t.slots, t.nodes);
    const pending = decodeSlots(t.pending, t.nodes);
    const reports = new Map<string, number[]>();
    pending.forEach((ids, s) => {
      for (const id of ids) {
        const k = `${owners[s]![0]} ${id}`;
        reports.set(k, [...reports.get(k) ?? [], s]);
      }
    });
    for (const [k, slots] of reports) {
      const [source, to] = k.split(" ") as [string, string];
      assert.deepEqual(
        await cluster.moved(source, to, slots, t.version),
        slots,
      );
    }
  }
  throw new Error("the cluster does not settle");
}

Deno.test("cluster: a joining node owns a slot only once its primary reported the copy; stale or foreign reports are refused", async () => {
  const cluster = await ClusterService.open({
    store: new MemoryStateStore(),
    replicas: 2,
    now: clock().now, // no node times out however slowly the test runs
  });
  const first = await cluster.register(node("a", "az1"));
  // nothing to copy from: a takes every slot at once
  assert.equal(first.pending, undefined);
  assert.ok(
    decodeSlots(first.slots, first.nodes).every((o) => sameList(o, ["a"])),
  );
  const joined = await cluster.register(node("b", "az2"));
  assert.ok(
    decodeSlots(joined.slots, joined.nodes).every((o) => sameList(o, ["a"])),
    "b owns nothing yet",
  );
  const pending = decodeSlots(joined.pending!, joined.nodes);
  assert.ok(pending.every((p) => sameList(p, ["b"])));
  // a report from a node that is not the primary, or about a node not
  // pending, changes nothing
  assert.deepEqual(await cluster.moved("b", "b", [0, 1], joined.version), []);
  assert.deepEqual(await cluster.moved("a", "zz", [0], joined.version), []);
  // a copy started before b was pending may have missed writes
  assert.deepEqual(await cluster.moved("a", "b", [0], joined.version - 1), []);
  const half = Array.from({ length: SLOT_COUNT / 2 }, (_, i) => i);
  assert.deepEqual(await cluster.moved("a", "b", half, joined.version), half);
  const now = await cluster.topology(joined.version, 0);
  assert.equal(now.version, joined.version + 1);
  const owners = decodeSlots(now.slots, now.nodes);
  assert.ok(owners.every((o, s) => o.length === (s < SLOT_COUNT / 2 ? 2 : 1)));
  // b restarts: it registers again with an empty memory and owns nothing
  // until copied to again; a report from before is refused
  const back = await cluster.register(node("b", "az2"));
  assert.ok(
    decodeSlots(back.slots, back.nodes).every((o) => !o.includes("b")),
  );
  assert.deepEqual(await cluster.moved("a", "b", [0], now.version), []);
  assert.deepEqual(await cluster.moved("a", "b", [0], back.version), [0]);
});

Deno.test("cluster: a replica its primary reports stale owns the slots no more and is copied to again", async () => {
  const cluster = await ClusterService.open({
    store: new MemoryStateStore(),
    replicas: 2,
    now: clock().now, // no node times out however slowly the test runs
  });
  await cluster.register(node("a", "az1"));
  await cluster.register(node("b", "az2"));
  const t = await settle(cluster);
  const owners = decodeSlots(t.slots, t.nodes);
  const [primary, replica] = owners[7]!;
  // only the slot's primary may report, and only an owner
  await cluster.stale(replica!, primary!, [7]);
  await cluster.stale(primary!, "zz", [7]);
  assert.equal((await cluster.topology(-1, 0)).version, t.version);
  await cluster.stale(primary!, replica!, [7]);
  const after = await cluster.topology(-1, 0);
  assert.equal(after.version, t.version + 1);
  assert.deepEqual(decodeSlots(after.slots, after.nodes)[7], [primary]);
  assert.deepEqual(decodeSlots(after.pending!, after.nodes)[7], [replica]);
  // the other slots keep both owners
  assert.deepEqual(decodeSlots(after.slots, after.nodes)[8], owners[8]);
  const back = await settle(cluster);
  assert.deepEqual(decodeSlots(back.slots, back.nodes)[7], owners[7]);
});

Deno.test("cluster: a long poll answers at the next version, or the current one at its timeout", async () => {
  const cluster = await ClusterService.open({
    store: new MemoryStateStore(),
    replicas: 1,
    now: clock().now, // no node times out however slowly the test runs
  });
  const first = await cluster.register(node("a", "az1"));
  const held = cluster.topology(first.version, 10_000);
  let answered = false;
  held.then(() => answered = true);
  await Promise.resolve();
  assert.equal(answered, false);
  await cluster.register(node("b", "az1"));
  assert.equal((await held).version, first.version + 1);
  // nothing changes: the current topology when the wait ends
  const controller = new AbortController();
  const idle = cluster.topology(first.version + 1, 10_000, controller.signal);
  controller.abort();
  assert.equal((await idle).version, first.version + 1);
  cluster.close();
});

Deno.test("cluster: a restarted control service resumes the same topology; a failed save is not published", async () => {
  const store = new MemoryStateStore();
  const c = clock();
  const one = await ClusterService.open({ store, replicas: 2, now: c.now });
  await one.register(node("a", "az1"));
  const t = await one.register(node("b", "az2"));
  one.close();
  c.t += 60_000; // long after the last heartbeat: restart grants a grace
  const two = await ClusterService.open({ store, replicas: 2, now: c.now });
  const resumed = await two.topology(-1, 0);
  assert.equal(resumed.version, t.version);
  assert.deepEqual(resumed.slots, t.slots);
  assert.ok(resumed.nodes.every((n) => n.alive));
  // a save that fails leaves the old version in force, and is retried
  store.failing = true;
  const error = console.error;
  console.error = () => {};
  try {
    await two.register(node("c", "az1"));
  } finally {
    console.error = error;
  }
  assert.equal((await two.topology(-1, 0)).version, t.version);
  store.failing = false;
  await two.sweep();
  assert.equal((await two.topology(-1, 0)).version, t.version + 1);
  assert.equal(store.state!.version, t.version + 1);
});

Deno.test("cluster: the state file is written atomically and read back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = new FileClusterStateStore(`${dir}/cluster.json`);
    assert.equal(await store.load(), undefined);
    const cluster = await ClusterService.open({ store, replicas: 1 });
    const t = await cluster.register(node("a", "az1", 5));
    const again = await ClusterService.open({ store, replicas: 1 });
    assert.deepEqual((await again.topology(-1, 0)).slots, t.slots);
    await Deno.writeTextFile(`${dir}/cluster.json`, "{}");
    await assert.rejects(() => store.load(), /not a cluster state/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cluster: a revocation is published with the topology and survives a restart", async () => {
  const store = new MemoryStateStore();
  const one = await ClusterService.open({ store, replicas: 1 });
  const t = await one.register(node("a", "az1"));
  const held = one.topology(t.version, 10_000);
  await one.revoke("token-x");
  const published = await held;
  assert.equal(published.version, t.version + 1);
  assert.deepEqual(published.revoked, ["token-x"]);
  await one.revoke("token-x"); // already: no new version
  assert.equal((await one.topology(-1, 0)).version, t.version + 1);
  one.close();
  const two = await ClusterService.open({ store, replicas: 1 });
  assert.deepEqual((await two.topology(-1, 0)).revoked, ["token-x"]);
  const app = clusterRoutes(two, "s");
  const res = await app.request("/v1/cluster/revocations", {
    method: "POST",
    headers: { authorization: "s" },
    body: JSON.stringify({ id: "token-y" }),
  });
  assert.equal(res.status, 204);
  assert.deepEqual((await two.topology(-1, 0)).revoked, ["token-x", "token-y"]);
  two.close();
});
