/**
 * The versioned topology: the nodes, and the owners of every slot (primary
 * first), as the control service publishes it and every gateway follows it
 * (`GET /v1/topology?after=VERSION`, a long poll).
 *
 * Placement is two-phase, so that a slot never gets an owner without its
 * items. A change of membership places the slots again (`placement.ts`,
 * moving as little as possible): that is the target. A slot's owners lose a
 * dead node at once (the next owner is promoted), and take the target at
 * once when it only drops or reorders owners, or when no owner is left to
 * copy from. A node the target adds is pending: the slot's primary copies
 * the items to it and forwards its writes (`peer/slot_mover.ts`), then
 * reports ({@linkcode TopologyKeeper.moved}); only then does the node become
 * an owner. A node that registers again (it restarted: its memory is empty)
 * stops owning anything until it has been copied to again.
 *
 * A report is fenced by the version the copy started from: it is refused
 * when the slot's primary, or the node's pending state, changed since (the
 * copy may have missed writes); the primary then copies again.
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
  /** Owners in force (serving), primary first. */
  owners: string[][];
  /** Where placement is taking every slot (absent in older states). */
  target?: string[][];
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
  /** Owners in force, primary first. */
  #placement: Placement;
  /** Where every slot goes (placement's answer). */
  #target: Placement;
  /** Per slot: pending node id -> the version it became pending at. */
  #pendingSince: Map<string, number>[];
  /** Per slot: the version its primary last changed at. */
  #primarySince: number[];
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
    this.#target = {
      owners: (state?.target ?? this.#placement.owners).map((o) => [...o]),
    };
    // after a restart, copies in flight report against versions before
    // this one: refused once, they start again
    this.#primarySince = new Array<number>(SLOT_COUNT).fill(this.#version);
    this.#pendingSince = this.#target.owners.map((t, s) =>
      new Map(
        t.filter((id) => !this.#placement.owners[s]!.includes(id)).map((
          id,
        ) => [id, this.#version]),
      )
    );
  }

  /** The version in force. */
  get version(): number {
    return this.#version;
  }

  /**
   * Places the slots over the nodes alive (the target) and applies what can
   * be applied at once (see the module doc); bumps the version when owners,
   * pending nodes or nodes changed. The new version is published (to
   * `current()` and long polls) by {@linkcode publish}, once the caller has
   * saved it.
   *
   * @param nodes every node with its liveness
   * @param fresh nodes that registered again since the last update: they
   * hold nothing until copied to
   * @returns true when the topology changed
   */
  update(nodes: readonly NodeState[], fresh: readonly string[] = []): boolean {
    const alive = nodes.filter((n) => n.alive);
    const serving = new Set(
      alive.filter((n) => !fresh.includes(n.id)).map((n) => n.id),
    );
    const target = place(alive, this.#replicas, this.#target);
    const next = this.#version + 1;
    let changed = JSON.stringify(nodes) !== JSON.stringify(this.#nodes);
    for (let s = 0; s < SLOT_COUNT; s++) {
      const was = this.#placement.owners[s]!;
      let owners = was.filter((id) => serving.has(id));
      const want = target.owners[s]!;
      if (owners.length === 0 || want.every((id) => owners.includes(id))) {
        // nothing to copy from, or nothing to copy
        owners = [...want];
      }
      const since = this.#pendingSince[s]!;
      const pending = want.filter((id) => !owners.includes(id));
      for (const id of [...since.keys()]) {
        if (!pending.includes(id) || fresh.includes(id)) {
          since.delete(id);
          changed = true;
        }
      }
      for (const id of pending) {
        if (!since.has(id)) {
          since.set(id, next);
          changed = true;
        }
      }
      if (owners[0] !== was[0]) this.#primarySince[s] = next;
      if (!sameList(owners, was)) {
        this.#placement.owners[s] = owners;
        changed = true;
      }
      if (!sameList(want, this.#target.owners[s]!)) changed = true;
    }
    this.#target = target;
    if (!changed) return false;
    this.#nodes = nodes.map((n) => ({ ...n }));
    this.#version = next;
    return true;
  }

  /**
   * A slot's primary reports that `node` has its items: copied, and every
   * write since forwarded. The node becomes an owner of each slot where the
   * report holds (the reporter is the primary, the node is pending, and
   * neither changed since `from`, the version the copy started from); the
   * slot takes its target once every pending node is in.
   *
   * @returns the slots accepted (the version is bumped when any was)
   */
  moved(
    source: string,
    node: string,
    slots: readonly number[],
    from: number,
  ): number[] {
    const accepted: number[] = [];
    for (const s of slots) {
      const owners = this.#placement.owners[s];
      const since = this.#pendingSince[s]?.get(node);
      if (
        owners === undefined || owners[0] !== source || since === undefined ||
        since > from || this.#primarySince[s]! > from
      ) continue;
      this.#pendingSince[s]!.delete(node);
      const want = this.#target.owners[s]!;
      const next = [...owners, node];
      this.#placement.owners[s] = want.every((id) => next.includes(id))
        ? [...want]
        : next;
      if (this.#placement.owners[s]![0] !== source) {
        this.#primarySince[s] = this.#version + 1;
      }
      accepted.push(s);
    }
    if (accepted.length > 0) this.#version++;
    return accepted;
  }

  /**
   * A slot's primary reports that `node`, a replica of `slots`, failed to
   * apply a write: it stops owning them (it may miss that write) and is
   * pending again where the target still places it, so the primary copies
   * the slot to it anew.
   *
   * @returns how many slots changed (the version is bumped when any did)
   */
  stale(source: string, node: string, slots: readonly number[]): number {
    let n = 0;
    for (const s of slots) {
      const owners = this.#placement.owners[s];
      if (
        owners === undefined || owners[0] !== source || node === source ||
        !owners.includes(node)
      ) continue;
      this.#placement.owners[s] = owners.filter((id) => id !== node);
      if (this.#target.owners[s]!.includes(node)) {
        this.#pendingSince[s]!.set(node, this.#version + 1);
      }
      n++;
    }
    if (n > 0) this.#version++;
    return n;
  }

  /** How many (slot, node) copies are pending (0: the cluster is settled). */
  get pendingCount(): number {
    let n = 0;
    for (const since of this.#pendingSince) n += since.size;
    return n;
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
      ...(this.pendingCount > 0
        ? {
          pending: encodeSlots(
            this.#pendingSince.map((since) => [...since.keys()]),
            this.#nodes,
          ),
        }
        : {}),
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
      target: this.#target.owners,
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
