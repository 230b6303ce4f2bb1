/**
 * The versioned topology: the nodes, and the owners of every slot (primary
 * first), as the control service publishes it and every gateway follows it
 * (`GET /v1/topology?after=VERSION`, a long poll). A change of membership
 * places the slots again (`placement.ts`, moving as little as possible) and
 * bumps the version; nothing else does.
 *
 * Its wire form is `protocol/topology.ts`.
 *
 * @module
 */

import { SLOT_COUNT } from "../protocol/slots.ts";
import {
  encodeSlots,
  type NodeInfo,
  type NodeState,
  sameList,
  type Topology,
} from "../protocol/topology.ts";
import { place, type Placement } from "./placement.ts";

export type { Topology };

/** What the control service persists of the topology. */
export interface TopologyState {
  version: number;
  replicas: number;
  nodes: NodeInfo[];
  owners: string[][];
  /** Revoked token ids (absent in states saved before revocations). */
  revoked?: string[];
}

interface Waiter {
  after: number;
  resolve(topology: Topology): void;
}

/**
 * Holds the current topology, recomputes it when membership changes, and
 * answers long polls.
 */
export class TopologyKeeper {
  #version: number;
  readonly #replicas: number;
  #nodes: NodeState[];
  #placement: Placement;
  #published: Topology | undefined;
  #waiters: Waiter[] = [];
  #revoked: string[];
  /** What else the published topology carries (caches, the public key). */
  #extras: () => Pick<Topology, "caches" | "publicKey" | "heartbeatMs"> =
    () => ({});

  /**
   * @param replicas owners per slot
   * @param state the persisted state, when the control service restarts
   */
  constructor(replicas: number, state?: TopologyState) {
    this.#replicas = state?.replicas ?? replicas;
    this.#version = state?.version ?? 0;
    this.#nodes = (state?.nodes ?? []).map((n) => ({ ...n, alive: true }));
    this.#revoked = [...(state?.revoked ?? [])];
    this.#placement = {
      owners: state?.owners ??
        Array.from({ length: SLOT_COUNT }, () => []),
    };
  }

  /** The version in force. */
  get version(): number {
    return this.#version;
  }

  /**
   * Places the slots over the nodes alive; bumps the version when owners or
   * nodes changed. The new version is published (to `current()` and long
   * polls) by {@linkcode publish}, once the caller has saved it.
   *
   * @param nodes every node with its liveness
   * @returns true when the topology changed
   */
  update(nodes: readonly NodeState[]): boolean {
    const alive = nodes.filter((n) => n.alive);
    const next = place(alive, this.#replicas, this.#placement);
    const changed = JSON.stringify(nodes) !== JSON.stringify(this.#nodes) ||
      next.owners.some((o, s) => !sameList(o, this.#placement.owners[s]!));
    if (!changed) return false;
    this.#nodes = nodes.map((n) => ({ ...n }));
    this.#placement = next;
    this.#version++;
    return true;
  }

  /**
   * Sets what the topology carries besides nodes and slots; read at each
   * publication.
   */
  carry(
    extras: () => Pick<Topology, "caches" | "publicKey" | "heartbeatMs">,
  ): void {
    this.#extras = extras;
  }

  /** A new version for a change outside nodes and slots (a cache). */
  bump(): void {
    this.#version++;
  }

  /** Revokes a token id: a new version (nothing when already revoked). */
  revoke(id: string): boolean {
    if (this.#revoked.includes(id)) return false;
    this.#revoked = [...this.#revoked, id];
    this.#version++;
    return true;
  }

  /** Makes the latest version the one in force, and answers the long polls. */
  publish(): void {
    if (this.#published?.version === this.#version) return;
    this.#published = {
      version: this.#version,
      replicas: this.#replicas,
      nodes: this.#nodes,
      slots: encodeSlots(this.#placement.owners, this.#nodes),
      revoked: this.#revoked,
      ...this.#extras(),
    };
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve(this.#published);
  }

  /** The topology in force (the last published). */
  current(): Topology {
    if (this.#published === undefined) this.publish();
    return this.#published!;
  }

  /** What to persist. */
  state(): TopologyState {
    return {
      version: this.#version,
      replicas: this.#replicas,
      nodes: this.#nodes.map(({ alive: _, ...info }) => info),
      owners: this.#placement.owners,
      revoked: this.#revoked,
    };
  }

  /**
   * The topology once its version is above `after`: at once when it already
   * is, else at the next change, or the current one after `timeoutMs` (the
   * long poll's answer when nothing changed).
   *
   * @param after the version the caller has
   * @param timeoutMs how long to hold the poll
   * @param signal ends the wait early (the client went away)
   */
  waitAfter(
    after: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Topology> {
    if (this.current().version > after || timeoutMs <= 0) {
      return Promise.resolve(this.current());
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        after,
        resolve: (t) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(t);
        },
      };
      const drop = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.resolve(this.current());
      };
      const onAbort = () => drop();
      const timer = setTimeout(drop, timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Ends every long poll with the current topology (shutdown). */
  release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve(this.current());
  }
}
