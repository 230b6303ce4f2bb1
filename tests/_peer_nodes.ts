/**
 * Test helper: nodes `a` and `b` (AZs az0 and az1) for in-process cluster
 * tests, each with a peer listener on loopback, and the PeerStore that
 * reaches a node by its address.
 *
 * @module
 */

import { PeerStore } from "../peer/peer_store.ts";
import type { NodeState } from "../protocol/topology.ts";

/** Two listeners and the nodes they stand for. */
export function twoPeerNodes(): {
  listeners: Deno.Listener[];
  nodes: NodeState[];
} {
  const listeners = [0, 1].map(() =>
    Deno.listen({ hostname: "127.0.0.1", port: 0 })
  );
  const nodes: NodeState[] = ["a", "b"].map((id, i) => ({
    id,
    az: `az${i}`,
    capacity: 1,
    peer: `127.0.0.1:${(listeners[i]!.addr as Deno.NetAddr).port}`,
    url: "http://unused",
    alive: true,
  }));
  return { listeners, nodes };
}

/** A PeerStore to a node's peer address. */
export function connectPeer(node: NodeState): PeerStore {
  const [hostname, port] = node.peer.split(":");
  return new PeerStore({ hostname: hostname!, port: Number(port) });
}
