/**
 * {@linkcode ClusterRouting}: a node's view of where every slot lives, from
 * the topology it follows. A {@linkcode Router} maps each slot to its
 * primary's store: the node's own store for its slots, a
 * {@linkcode PeerStore} (one persistent, pipelined connection per node) for
 * the others, an unavailable store for a slot nobody owns.
 *
 * When a peer answers {@linkcode MovedError} (its topology is newer), the
 * call waits until this node's topology reaches that version (the member's
 * long poll brings it; at most `movedWaitMs`) and runs again on the new
 * owner: the client never sees a topology change. A moved call ran nowhere,
 * so running it again does nothing twice; a multi-key call split over nodes
 * is run again whole, which only the idempotent ones (getBatch, keysExist,
 * setBatch) and sortedSetUnionStore (its write comes last) can be.
 *
 * When a node cannot be reached (refused or lost connection), a call that is
 * safe to run again (a read, or an idempotent write of the catalogue) waits
 * for the next topology version (the control service replaces a dead node
 * after its failure timeout; at most `unreachableWaitMs`) and runs again, on
 * the promoted replica: a client sees no error for a node that died. Other
 * writes fail with SERVER_UNAVAILABLE (their outcome is unknown).
 *
 * @module
 */

import { ErrorCode, KvoltError } from "../protocol/errors.ts";
import type { OpArgs, OpName, OpResult } from "../protocol/catalogue.ts";
import { Router } from "../protocol/router.ts";
import type { MaybePromise, ReadResult, Store } from "../protocol/store.ts";
import {
  MovedError,
  type NodeState,
  type Topology,
} from "../protocol/topology.ts";
import { OPERATIONS } from "../protocol/operations.ts";
import { UnreachableError } from "./frame_store.ts";
import type { Ownership } from "./owned_store.ts";

/** How many times a call follows a move before it gives up. */
const MAX_MOVES = 3;

/** A store of nobody: every call fails with SERVER_UNAVAILABLE. */
function ownerless(): Store {
  const fail = (): never => {
    throw new KvoltError(
      ErrorCode.SERVER_UNAVAILABLE,
      "No node owns this slot: the cluster has no node with capacity alive",
    );
  };
  return { execute: fail, getMany: fail, flush: fail };
}

/** Options of {@linkcode ClusterRouting}. */
export interface RoutingOptions {
  /** This node's id. */
  self: string;
  /** This node's store (its slots). */
  local: Store;
  /** The store of another node (e.g. a PeerStore to its peer address). */
  connect(node: NodeState): Store & { close?(): unknown };
  /** Longest wait for the topology a moved answer names, ms (default 5 s). */
  movedWaitMs?: number;
  /** Longest wait for a topology without an unreachable node, ms (default 10 s). */
  unreachableWaitMs?: number;
  /** This node's AZ: {@linkcode ClusterRouting.nearest} reads from an owner in it. */
  az?: string;
}

/** Routes by topology; see the module doc. */
export class ClusterRouting implements Store, Ownership {
  /** Slot to store; its write hook is the node's. */
  readonly router: Router;
  /** Slot to the store of its nearest owner (reads of `nearest()`). */
  readonly #near: Router;
  readonly #options: RoutingOptions;
  readonly #peers = new Map<string, Store & { close?(): unknown }>();
  readonly #nobody = ownerless();
  #primaries: string[] = [];
  /** Owners of every slot, primary first. */
  #owners: NodeState[][] = [];
  /** Nodes receiving each slot (a move in progress). */
  #pending: NodeState[][] = [];
  /** Nodes that own or receive a slot: what a flush reaches. */
  #holders: NodeState[] = [];
  #version = -1;
  #waiters: { version: number; wake(): void }[] = [];
  #moves = 0;

  /**
   * @param options this node and how to reach the others
   * @param topology the topology to start from
   */
  constructor(options: RoutingOptions, topology: Topology) {
    this.#options = options;
    this.router = new Router(() => this.#nobody);
    this.#near = new Router(() => this.#nobody);
    this.apply(topology);
  }

  /** The topology version in force. */
  get version(): number {
    return this.#version;
  }

  /** Calls that followed a move (for metrics and tests). */
  get moves(): number {
    return this.#moves;
  }

  /** Whether this node is the primary of `slot`. */
  owns(slot: number): boolean {
    return this.#primaries[slot] === this.#options.self;
  }

  /** Whether this node is an owner of `slot`: its primary or a replica. */
  serves(slot: number): boolean {
    return this.#owners[slot]?.some((n) => n.id === this.#options.self) ??
      false;
  }

  /**
   * Whether this node is the primary or a replica of `slot`, or receiving
   * it: what a primary's writes need.
   */
  holds(slot: number): boolean {
    return this.serves(slot) || this.pending(slot);
  }

  /** Whether this node is receiving `slot` (pending for it). */
  pending(slot: number): boolean {
    return this.#pending[slot]?.some((n) => n.id === this.#options.self) ??
      false;
  }

  /** The nodes receiving `slot`. */
  pendingOf(slot: number): readonly NodeState[] {
    return this.#pending[slot] ?? [];
  }

  /** The other owners of `slot` (its replicas, when this node is its primary). */
  replicasOf(slot: number): NodeState[] {
    return (this.#owners[slot] ?? []).filter((n) =>
      n.id !== this.#options.self
    );
  }

  /** The store of another node (one connection per node). */
  peer(node: NodeState): Store {
    return this.#peer(node);
  }

  /** Routes by a newer topology (an older one is ignored). */
  apply(topology: Topology): void {
    if (topology.version <= this.#version) return;
    const primaries: string[] = [];
    const ownersOf: NodeState[][] = [];
    const used = new Set<string>();
    for (const [first, last, owners] of topology.slots) {
      const nodes = owners.map((i) => topology.nodes[i]!);
      for (const n of nodes) used.add(n.peer);
      const primary = owners[0] === undefined
        ? undefined
        : topology.nodes[owners[0]];
      const store = primary === undefined
        ? this.#nobody
        : primary.id === this.#options.self
        ? this.#options.local
        : this.#peer(primary);
      if (primary !== undefined) used.add(primary.peer);
      this.router.assign(first, last + 1, store);
      // reads of nearest(): this node when it owns the slot, else an owner
      // in its AZ, else the primary
      const self = nodes.find((n) => n.id === this.#options.self);
      const near = self ??
        nodes.find((n) =>
          this.#options.az !== undefined && n.az === this.#options.az
        );
      this.#near.assign(
        first,
        last + 1,
        near === undefined
          ? store
          : near.id === this.#options.self
          ? this.#options.local
          : this.#peer(near),
      );
      for (let s = first; s <= last; s++) {
        primaries[s] = primary?.id ?? "";
        ownersOf[s] = nodes;
      }
    }
    const pending: NodeState[][] = [];
    for (const [first, last, ids] of topology.pending ?? []) {
      if (ids.length === 0) continue;
      const nodes = ids.map((i) => topology.nodes[i]!);
      for (const n of nodes) used.add(n.peer);
      for (let s = first; s <= last; s++) pending[s] = nodes;
    }
    this.#primaries = primaries;
    this.#owners = ownersOf;
    this.#pending = pending;
    this.#holders = topology.nodes.filter((n) =>
      n.alive && n.capacity > 0 && used.has(n.peer)
    );
    this.#version = topology.version;
    for (const [peer, store] of this.#peers) {
      if (!used.has(peer)) {
        this.#peers.delete(peer);
        store.close?.();
      }
    }
    const ready = this.#waiters.filter((w) => w.version <= topology.version);
    this.#waiters = this.#waiters.filter((w) => w.version > topology.version);
    for (const w of ready) w.wake();
  }

  #peer(node: NodeState): Store {
    let store = this.#peers.get(node.peer);
    if (store === undefined) {
      store = this.#options.connect(node);
      this.#peers.set(node.peer, store);
    }
    return store;
  }

  /** Closes the connections to the other nodes. */
  close(): void {
    for (const store of this.#peers.values()) store.close?.();
    this.#peers.clear();
    for (const w of this.#waiters) w.wake();
    this.#waiters = [];
  }

  /** Resolves once the topology reaches `version`, or after `waitMs`. */
  reach(version: number, waitMs: number): Promise<void> {
    if (this.#version >= version) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(wake, waitMs);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push({ version, wake });
    });
  }

  /**
   * Runs `call`, following moves, and unreachable nodes when `safe` (see the
   * module doc).
   */
  #follow<T>(call: () => MaybePromise<T>, safe: boolean): MaybePromise<T> {
    // the version the call was routed by: an unreachable node waits for a
    // newer one (which may already be here when the error comes)
    const at = this.#version;
    let first: MaybePromise<T>;
    try {
      first = call();
    } catch (err) {
      return this.#retry(call, err, safe, at);
    }
    if (!(first instanceof Promise)) return first;
    return first.catch((err) => this.#retry(call, err, safe, at));
  }

  /** The version to wait for before running again, or undefined: give up. */
  #awaited(err: unknown, safe: boolean, at: number): number | undefined {
    if (err instanceof MovedError) return err.version;
    if (safe && err instanceof UnreachableError) return at + 1;
    return undefined;
  }

  async #retry<T>(
    call: () => MaybePromise<T>,
    first: unknown,
    safe: boolean,
    routedAt: number,
  ): Promise<T> {
    let err = first;
    let at = routedAt;
    for (let n = 1; n <= MAX_MOVES; n++) {
      const version = this.#awaited(err, safe, at);
      if (version === undefined) throw err;
      this.#moves++;
      await this.reach(
        version,
        err instanceof MovedError
          ? this.#options.movedWaitMs ?? 5_000
          : this.#options.unreachableWaitMs ?? 10_000,
      );
      at = this.#version;
      try {
        return await call();
      } catch (e) {
        err = e;
      }
    }
    throw err;
  }

  /** Runs an operation on the owners of its keys. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>> {
    const info = OPERATIONS[op];
    return this.#follow(
      () => this.router.execute(cacheId, op, args),
      info.access === "read" || info.idempotent,
    );
  }

  /** Reads keys from their owners. */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]> {
    return this.#follow(() => this.router.getMany(cacheId, keys), true);
  }

  /**
   * The same routing with reads served by the slot's nearest owner (this
   * node, else one in its AZ, else the primary): Momento's BALANCED read
   * concern. A replica has every write acknowledged before it (replication
   * is synchronous), so it misses only writes in flight, or one it failed
   * to apply (see `replicating_store.ts`). Writes still go to the primary.
   */
  nearest(): Store {
    return {
      execute: (cacheId, op, args) =>
        OPERATIONS[op].access === "read"
          ? this.#follow(() => this.#near.execute(cacheId, op, args), true)
          : this.execute(cacheId, op, args),
      getMany: (cacheId, keys) =>
        this.#follow(() => this.#near.getMany(cacheId, keys), true),
      flush: (cacheId) => this.flush(cacheId),
    };
  }

  /**
   * Flushes the cache on every node that holds items (owners, replicas and
   * nodes receiving a slot alike), through the router's hooks.
   */
  flush(cacheId: number): MaybePromise<void> {
    // the router flushes the primaries (and reports to the hooks); the
    // others are flushed here
    const primaries = new Set<Store>(this.router.stores());
    const others = this.#holders.filter((n) =>
      n.id !== this.#options.self && !primaries.has(this.#peer(n))
    ).map((n) => this.#peer(n).flush(cacheId));
    const mine = this.router.flush(cacheId);
    if (others.length === 0) return mine;
    return Promise.all([mine, ...others]).then(() => undefined);
  }
}
