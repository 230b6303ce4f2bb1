/**
 * A node's membership client against the control service's routes, in
 * process: join, follow the topology by long poll, re-register when
 * forgotten, keep the last topology while the control service is down.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  ClusterService,
  type ClusterStateStore,
} from "../control/cluster_service.ts";
import { clusterRoutes } from "../control/cluster_routes.ts";
import type { TopologyState } from "../control/topology.ts";
import { ClusterMember, JoinRefused } from "../peer/cluster_member.ts";
import type { NodeInfo, Topology } from "../protocol/topology.ts";

class Memory implements ClusterStateStore {
  state: TopologyState | undefined;
  load() {
    return Promise.resolve(this.state);
  }
  save(s: TopologyState) {
    this.state = structuredClone(s);
    return Promise.resolve();
  }
}

const node = (id: string, az: string): NodeInfo => ({
  id,
  az,
  capacity: 1,
  peer: `127.0.0.1:${id.charCodeAt(0)}`,
  url: `http://127.0.0.1:${id.charCodeAt(0)}`,
});

/** The control routes behind a fetch that can be cut. */
async function control() {
  let cluster = await ClusterService.open({ store: new Memory(), replicas: 2 });
  let app = clusterRoutes(cluster, "secret");
  const state = { down: false };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (state.down) throw new TypeError("connection refused");
    return await app.fetch(new Request(input, init));
  };
  return {
    fetch,
    state,
    get cluster() {
      return cluster;
    },
    /** A control service that lost its state (a new data dir). */
    async forget() {
      cluster.close();
      cluster = await ClusterService.open({ store: new Memory(), replicas: 2 });
      app = clusterRoutes(cluster, "secret");
    },
    close() {
      cluster.close();
    },
  };
}

function nextTopology(member: ClusterMember, above: number): Promise<Topology> {
  return new Promise((resolve) => {
    const off = member.onTopology((t) => {
      if (t.version > above) {
        off();
        resolve(t);
      }
    });
  });
}

Deno.test("member: joins, and follows the topology as others join", async () => {
  const c = await control();
  const opts = (n: NodeInfo) => ({
    control: "http://control.test",
    joinToken: "secret",
    node: n,
    fetch: c.fetch,
    heartbeatMs: 50,
    pollWaitMs: 5_000,
  });
  const a = await ClusterMember.join(opts(node("a", "az1")));
  try {
    assert.equal(a.topology.version, 1);
    const seen = nextTopology(a, 1);
    const b = await ClusterMember.join(opts(node("b", "az2")));
    try {
      const t = await seen;
      assert.equal(t.version, 2);
      assert.deepEqual(t.nodes.map((n) => n.id), ["a", "b"]);
      // b leaves: a sees it
      const gone = nextTopology(a, 2);
      await b.leave();
      assert.deepEqual((await gone).nodes.map((n) => n.id), ["a"]);
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
    c.close();
  }
});

Deno.test("member: keeps the last topology while control is down, and registers again when forgotten", async () => {
  const c = await control();
  const a = await ClusterMember.join({
    control: "http://control.test",
    joinToken: "secret",
    node: node("a", "az1"),
    fetch: c.fetch,
    heartbeatMs: 20,
    pollWaitMs: 200,
  });
  try {
    const before = a.topology;
    c.state.down = true;
    // the member goes on with what it has
    assert.equal(a.topology, before);
    // control comes back having lost its state: the heartbeat's 404 makes
    // the member register again, and the new topology names it
    await c.forget();
    c.state.down = false;
    // the forgotten control service is at version 0 until a node registers
    const registered = await c.cluster.topology(0, 10_000);
    assert.deepEqual(registered.nodes.map((n) => n.id), ["a"]);
  } finally {
    await a.stop();
    c.close();
  }
});

Deno.test("member: a wrong join token is refused at once, not retried", async () => {
  const c = await control();
  await assert.rejects(
    () =>
      ClusterMember.join({
        control: "http://control.test",
        joinToken: "wrong",
        node: node("a", "az1"),
        fetch: c.fetch,
      }),
    JoinRefused,
  );
  c.close();
});
