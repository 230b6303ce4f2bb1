/**
 * Membership of the cluster: which nodes have joined, where they answer, and
 * which are alive. A node registers (again after any restart, keeping its
 * id), then heartbeats; one whose last heartbeat is older than the failure
 * timeout is dead until it heartbeats or registers again. A dead node stays
 * in the list (gateways still need to know it existed) but owns no slots.
 *
 * The clock is given to every call, so failure detection is tested without
 * waiting. A restarted control service sees every known node as alive from
 * its start (a grace of one timeout), so its own restart never fails a node
 * over.
 *
 * @module
 */

import type { NodeInfo, NodeState } from "../protocol/topology.ts";

export type { NodeInfo, NodeState };

/** Default failure timeout: 3 missed heartbeats of 1 s each. */
export const DEFAULT_FAILURE_TIMEOUT_MS = 3_000;
/** How often nodes heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 1_000;

const ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Checks a node's registration.
 *
 * @param value the parsed JSON body
 * @returns the node
 * @throws TypeError naming the bad field
 */
export function parseNodeInfo(value: unknown): NodeInfo {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== "object" || v === null) {
    throw new TypeError("a node is a JSON object");
  }
  const text = (field: string) => {
    const x = v[field];
    if (typeof x !== "string" || x.length === 0 || x.length > 256) {
      throw new TypeError(`${field}: expected a string of 1 to 256 characters`);
    }
    return x;
  };
  const id = text("id");
  if (!ID.test(id)) {
    throw new TypeError("id: letters, digits, '.', '_' and '-', at most 64");
  }
  const capacity = v.capacity;
  if (!Number.isSafeInteger(capacity) || (capacity as number) < 0) {
    throw new TypeError("capacity: expected a non-negative integer of bytes");
  }
  return {
    id,
    az: text("az"),
    capacity: capacity as number,
    peer: text("peer"),
    url: text("url"),
  };
}

/** The members, their addresses and liveness. */
export class Membership {
  readonly #timeoutMs: number;
  readonly #nodes = new Map<string, NodeInfo>();
  readonly #lastSeen = new Map<string, number>();

  /**
   * @param timeoutMs a node is dead when it has not heartbeaten for longer
   * @param known nodes from the persisted state, alive from `now`
   * @param now the clock, ms
   */
  constructor(
    timeoutMs = DEFAULT_FAILURE_TIMEOUT_MS,
    known: readonly NodeInfo[] = [],
    now = 0,
  ) {
    this.#timeoutMs = timeoutMs;
    for (const node of known) {
      this.#nodes.set(node.id, node);
      this.#lastSeen.set(node.id, now);
    }
  }

  /**
   * Adds a node or updates one that registers again (a restart).
   *
   * @returns true when membership or addresses changed
   */
  register(node: NodeInfo, now: number): boolean {
    const before = this.#nodes.get(node.id);
    const wasAlive = this.#alive(node.id, now);
    this.#nodes.set(node.id, { ...node });
    this.#lastSeen.set(node.id, now);
    return before === undefined || !wasAlive ||
      JSON.stringify(before) !== JSON.stringify(node);
  }

  /**
   * Records a heartbeat.
   *
   * @returns undefined for an unknown node (it must register), else whether
   * the node came back from dead
   */
  heartbeat(id: string, now: number): boolean | undefined {
    if (!this.#nodes.has(id)) return undefined;
    const wasAlive = this.#alive(id, now);
    this.#lastSeen.set(id, now);
    return !wasAlive;
  }

  /**
   * Removes a node that leaves for good.
   *
   * @returns whether it was a member
   */
  leave(id: string): boolean {
    this.#lastSeen.delete(id);
    return this.#nodes.delete(id);
  }

  #alive(id: string, now: number): boolean {
    const seen = this.#lastSeen.get(id);
    return seen !== undefined && now - seen <= this.#timeoutMs;
  }

  /** Every node, alive or not, sorted by id. */
  nodes(now: number): NodeState[] {
    return [...this.#nodes.values()]
      .sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      .map((n) => ({ ...n, alive: this.#alive(n.id, now) }));
  }

  /** The ids alive at `now`, as a key to notice changes. */
  aliveKey(now: number): string {
    return this.nodes(now).filter((n) => n.alive).map((n) => n.id).join(",");
  }
}
