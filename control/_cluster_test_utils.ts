/**
 * Helpers of the control service's tests: nodes, a state store in memory,
 * a clock the test moves.
 *
 * @module
 */

import type { ClusterStateStore } from "./cluster_service.ts";
import type { NodeInfo } from "./membership.ts";
import type { TopologyState } from "./topology.ts";

/** A node on loopback, its ports derived from its id. */
export const node = (id: string, az: string, capacity = 1): NodeInfo => ({
  id,
  az,
  capacity,
  peer: `127.0.0.1:${7000 + id.charCodeAt(0)}`,
  url: `https://127.0.0.1:${8000 + id.charCodeAt(0)}`,
});

/** A store in memory that counts saves and can be made to fail. */
export class MemoryStateStore implements ClusterStateStore {
  state: TopologyState | undefined;
  saves = 0;
  failing = false;
  load() {
    return Promise.resolve(this.state && structuredClone(this.state));
  }
  save(state: TopologyState) {
    if (this.failing) return Promise.reject(new Error("disk full"));
    this.saves++;
    this.state = structuredClone(state);
    return Promise.resolve();
  }
}

/** A clock that moves only when a test sets `t`. */
export function clock(start = 1_000) {
  const c = { t: start, now: () => c.t };
  return c;
}
