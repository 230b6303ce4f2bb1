/**
 * The versioned topology: the nodes, and the owners of every slot (primary
 * first), as the control service publishes it and every gateway follows it
 * (`GET /v1/topology?after=VERSION`, a long poll). A change of membership
 * places the slots again (`placement.ts`, moving as little as possible) and
 * bumps the version; nothing else does.
 *
 * On the wire, slots are runs of equal owners, `[first, last, [i, j]]` with
 * `i`, `j` indexes into `nodes`: placement keeps runs long, so a topology of
 * 16384 slots is a few KiB, not 16384 lists.
 *
 * @module
 */

import { SLOT_COUNT } from "../protocol/slots.ts";
import type { NodeInfo, NodeState } from "./membership.ts";
import { place, type Placement } from "./placement.ts";

/** A run of slots with the same owners: first, last (inclusive), owner indexes. */
export type SlotRun = [number, number, number[]];

/** The topology as published. */
export interface Topology {
  /** Bumped at every change; 0 before the first placement. */
  version: number;
  /** Owners wanted per slot. */
  replicas: number;
  nodes: NodeState[];
  slots: SlotRun[];
}

/** What the control service persists of the topology. */
export interface TopologyState {
  version: number;
  replicas: number;
  nodes: NodeInfo[];
  owners: string[][];
}

/**
 * Slot owners as runs of node indexes.
 *
 * @param owners owner ids per slot, primary first
 * @param nodes the nodes the indexes point into
 */
export function encodeSlots(
  owners: readonly (readonly string[])[],
  nodes: readonly NodeInfo[],
): SlotRun[] {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const runs: SlotRun[] = [];
  for (let s = 0; s < owners.length; s++) {
    const ids = owners[s]!.map((id) => index.get(id)!);
    const last = runs[runs.length - 1];
    if (last !== undefined && sameList(last[2], ids)) last[1] = s;
    else runs.push([s, s, ids]);
  }
  return runs;
}

/**
 * Owner ids per slot from runs.
 *
 * @throws RangeError when the runs do not cover every slot once, or name a
 * node that is not in `nodes`
 */
export function decodeSlots(
  runs: readonly SlotRun[],
  nodes: readonly { id: string }[],
): string[][] {
  const owners: string[][] = [];
  for (const [first, last, ids] of runs) {
    if (first !== owners.length || last < first || last >= SLOT_COUNT) {
      throw new RangeError(`bad slot run [${first}, ${last}]`);
    }
    const names = ids.map((i) => {
      const node = nodes[i];
      if (node === undefined) throw new RangeError(`no node ${i}`);
      return node.id;
    });
    for (let s = first; s <= last; s++) owners.push(names);
  }
  if (owners.length !== SLOT_COUNT) {
    throw new RangeError(`slot runs cover ${owners.length} slots`);
  }
  return owners;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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

  /**
   * @param replicas owners per slot
   * @param state the persisted state, when the control service restarts
   */
  constructor(replicas: number, state?: TopologyState) {
    this.#replicas = state?.replicas ?? replicas;
    this.#version = state?.version ?? 0;
    this.#nodes = (state?.nodes ?? []).map((n) => ({ ...n, alive: true }));
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
      next.owners.some((o, s) => !sameIds(o, this.#placement.owners[s]!));
    if (!changed) return false;
    this.#nodes = nodes.map((n) => ({ ...n }));
    this.#placement = next;
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

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
