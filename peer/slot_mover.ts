/**
 * {@linkcode SlotMover}: a primary's side of a slot move. When the topology
 * names a node pending for slots this node is primary of (the control
 * service placed them there, `control/topology.ts`), the mover:
 *
 * 1. sends `begin` (the peer frame): the receiver waits for that topology,
 *    checks it is pending for every slot, and drops what it held of them (a
 *    stale copy from an earlier ownership must not come back);
 * 2. in one synchronous step, starts forwarding every write to those slots
 *    to the receiver (through the replicating store, as to a replica) and
 *    lists the slots' keys;
 * 3. copies each listed item as writes that replace it whole (`set`, or
 *    `delete` then the collection's put with its remaining TTL), in chunks,
 *    each read and sent in one synchronous step;
 * 4. reports the copy to the control service, which makes the receiver an
 *    owner; forwarding goes on until this node's topology says so.
 *
 * Why no write is lost: every frame to the receiver goes over one
 * connection in the order this node ran it. A write that ran before step 2
 * is in the listing; one after it is forwarded; a copy of an item carries
 * its state when it was read and replaces whatever forwarded writes built
 * before it, and every later write follows it. A forward that fails fails
 * the move; the control service refuses a report when the slot's primary or
 * the receiver's pending state changed since the copy began (it may have
 * missed writes). A failed or refused move starts again while the slot is
 * still pending.
 *
 * @module
 */

import type { OpArgs, OpName } from "../protocol/catalogue.ts";
import { KvoltError } from "../protocol/errors.ts";
import type { ItemKey, SlotListing, Store } from "../protocol/store.ts";
import { MovedError, type NodeState } from "../protocol/topology.ts";
import type { MoveReceiver } from "./peer_server.ts";
import { ownedCopy, type ReplicaRouting } from "./replicating_store.ts";

/** What the mover needs of the node's routing. */
export interface MoveRouting {
  /** The topology version in force. */
  readonly version: number;
  /** Whether this node is the primary of `slot`. */
  owns(slot: number): boolean;
  /** The nodes pending for `slot` (receiving it). */
  pendingOf(slot: number): readonly NodeState[];
  /** The store of another node: its `begin` and `replicate` calls. */
  peer(node: NodeState): Store;
}

/** A peer store as the mover uses it. */
export interface MoveTarget extends Store {
  beginMove(slots: readonly number[], version: number): Promise<void>;
  replicate<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): Promise<unknown>;
}

/** Options of {@linkcode SlotMover}. */
export interface MoverOptions {
  /** The node's own store: synchronous, and able to list slots. */
  local: Store & SlotListing;
  routing: MoveRouting;
  /**
   * Tells the control service `node` has `slots` (copy begun at topology
   * `from`); resolves with the slots accepted and the topology version
   * that makes it their owner.
   */
  report(
    node: string,
    slots: readonly number[],
    from: number,
  ): Promise<{ accepted: number[]; version: number }>;
  /**
   * Tells the control service `node`, a replica of `slots`, failed to apply
   * a write (see `replicating_store.ts`); resolves once published.
   */
  reportStale?(node: string, slots: readonly number[]): Promise<void>;
  /** Flushes run on this node so far: one during a copy fails the move. */
  flushes?(): number;
  /** Items per copy round (default 256). */
  chunk?: number;
  /** Wait before a failed move starts again, ms (default 200). */
  retryMs?: number;
}

interface Job {
  node: NodeState;
  slots: Set<number>;
  failed: boolean;
}

/** A forward: the receiver, and the version from which it owns the slot. */
interface Forward {
  node: NodeState;
  job: Job;
  /** Set once accepted: forwarding ends when the topology reaches it. */
  until?: number;
}

/** Moves slots out of this node; see the module doc. */
export class SlotMover {
  readonly #o: MoverOptions;
  /** Slot -> forwards to receivers. */
  readonly #forwards = new Map<number, Forward[]>();
  /** Receiver id -> slots in a running move. */
  readonly #moving = new Map<string, Set<number>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Replicas to report stale, per node, sent together. */
  readonly #staleBatches = new Map<
    string,
    { slots: Set<number>; sent: Promise<void> }
  >();
  #closed = false;
  /** Items copied, moves done and moves failed (for tests and metrics). */
  readonly stats = { items: 0, done: 0, failed: 0 };

  /** @param options the node's store, routing and control service */
  constructor(options: MoverOptions) {
    this.#o = options;
  }

  /** The receivers a write to `slot` must also reach (besides its owners). */
  forwardsOf(slot: number): NodeState[] {
    const list = this.#forwards.get(slot);
    return list === undefined ? [] : list.map((f) => f.node);
  }

  /**
   * The replicating store's view of the routing with this mover's forwards:
   * a write reaches the slot's owners and the nodes receiving it.
   */
  replicaRouting(routing: ReplicaRouting): ReplicaRouting {
    return {
      replicasOf: (slot) => {
        const owners = routing.replicasOf(slot);
        const more = this.#forwards.get(slot);
        if (more === undefined) return owners;
        const ids = new Set(owners.map((n) => n.id));
        return [
          ...owners,
          ...more.map((f) => f.node).filter((n) => !ids.has(n.id)),
        ];
      },
      peer: (node) => routing.peer(node),
      failed: (node, slot) => {
        this.failed(node, slot);
        if (routing.replicasOf(slot).some((n) => n.id === node.id)) {
          return this.#stale(node.id, slot);
        }
      },
    };
  }

  /**
   * Reports a replica that failed a write, with the others failed in the
   * same turn (one request per node).
   */
  #stale(node: string, slot: number): Promise<void> {
    const report = this.#o.reportStale;
    if (report === undefined) return Promise.resolve();
    let batch = this.#staleBatches.get(node);
    if (batch === undefined) {
      const slots = new Set<number>();
      const sent = new Promise<void>((resolve) => setTimeout(resolve, 0))
        .then(() => {
          this.#staleBatches.delete(node);
          return report(node, [...slots]);
        });
      batch = { slots, sent };
      this.#staleBatches.set(node, batch);
    }
    batch.slots.add(slot);
    return batch.sent;
  }

  /** A write forwarded to `node` for `slot` failed: its move fails. */
  failed(node: NodeState, slot: number): void {
    for (const f of this.#forwards.get(slot) ?? []) {
      if (f.node.id === node.id) f.job.failed = true;
    }
  }

  /**
   * Follows the topology in force: ends forwards it made owners, starts
   * moves for slots pending on this node's side. Call after each change.
   */
  refresh(): void {
    if (this.#closed) return;
    const { routing } = this.#o;
    for (const [slot, list] of this.#forwards) {
      const kept = list.filter((f) =>
        f.until === undefined || routing.version < f.until
      );
      if (kept.length === 0) this.#forwards.delete(slot);
      else this.#forwards.set(slot, kept);
    }
    const start = new Map<string, { node: NodeState; slots: number[] }>();
    for (let s = 0; s < 16384; s++) {
      const pending = routing.pendingOf(s);
      if (pending.length === 0 || !routing.owns(s)) continue;
      for (const node of pending) {
        if (this.#moving.get(node.id)?.has(s)) continue;
        const entry = start.get(node.id) ?? { node, slots: [] };
        entry.slots.push(s);
        start.set(node.id, entry);
      }
    }
    for (const { node, slots } of start.values()) {
      void this.#move(node, slots);
    }
  }

  /** Stops starting moves (running ones end at their next step). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #move(node: NodeState, slots: number[]): Promise<void> {
    const { routing, local } = this.#o;
    const job: Job = { node, slots: new Set(slots), failed: false };
    // a flush during the copy may leave copied items behind on the
    // receiver (it comes over another connection): copy again
    const flushes = this.#o.flushes ?? (() => 0);
    const flushed = flushes();
    const stale = () => job.failed || flushes() !== flushed;
    const moving = this.#moving.get(node.id) ?? new Set<number>();
    this.#moving.set(node.id, moving);
    for (const s of slots) moving.add(s);
    const from = routing.version;
    const peer = routing.peer(node) as MoveTarget;
    const forwards: [number, Forward][] = [];
    let ok = false;
    try {
      await peer.beginMove(slots, from);
      if (this.#closed || !this.#still(job)) return;
      // one synchronous step: forwarding starts where the listing is taken
      for (const s of slots) {
        const f: Forward = { node, job };
        forwards.push([s, f]);
        this.#forwards.set(s, [...this.#forwards.get(s) ?? [], f]);
      }
      const keys = local.keysIn((s) => job.slots.has(s));
      const chunk = this.#o.chunk ?? 256;
      for (let i = 0; i < keys.length; i += chunk) {
        if (stale() || this.#closed || !this.#still(job)) return;
        const sends: Promise<unknown>[] = [];
        for (const item of keys.slice(i, i + chunk)) {
          for (const [op, args] of copyOf(local, item)) {
            sends.push(peer.replicate(item.cacheId, op, args as never));
          }
        }
        await Promise.all(sends);
        this.stats.items += Math.min(chunk, keys.length - i);
      }
      if (stale() || !this.#still(job)) return;
      const { accepted, version } = await this.#o.report(node.id, slots, from);
      const took = new Set(accepted);
      for (const [s, f] of forwards) if (took.has(s)) f.until = version;
      ok = accepted.length === slots.length;
    } catch (err) {
      if (!(err instanceof KvoltError)) throw err;
    } finally {
      for (const s of slots) moving.delete(s);
      // forwards of slots not taken end now; taken ones when the topology
      // names the receiver an owner
      for (const [s, f] of forwards) {
        if (f.until !== undefined) continue;
        const kept = (this.#forwards.get(s) ?? []).filter((x) => x !== f);
        if (kept.length === 0) this.#forwards.delete(s);
        else this.#forwards.set(s, kept);
      }
      if (ok) this.stats.done++;
      else {
        this.stats.failed++;
        this.#retryLater();
      }
    }
  }

  /** Whether this node is still the primary of every slot of the job. */
  #still(job: Job): boolean {
    for (const s of job.slots) if (!this.#o.routing.owns(s)) return false;
    return true;
  }

  #retryLater(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.refresh();
    }, this.#o.retryMs ?? 200);
  }
}

/**
 * The writes that rebuild one item elsewhere, read now: its whole state
 * replaces whatever the receiver has at the key; a missing item is a delete.
 */
function copyOf(local: Store, { cacheId, key }: ItemKey): [OpName, object][] {
  const run = <K extends OpName>(op: K, args: OpArgs<K>) => {
    const r = local.execute(cacheId, op, args);
    if (r instanceof Promise) {
      throw new Error("a slot move needs a synchronous local store");
    }
    return ownedCopy(r);
  };
  const type = run("itemGetType", { key });
  const ttl = run("itemGetTtl", { key });
  if (type.type !== "Hit" || ttl.type !== "Hit") {
    return [["delete", { key }]];
  }
  // a negative remaining TTL: the item never expires
  const ttlMs = ttl.remainingTtlMs < 0
    ? undefined
    : Math.max(1, ttl.remainingTtlMs);
  const put = { key, ttlMs, refreshTtl: true };
  const replace = (op: OpName, args: object): [OpName, object][] => [
    ["delete", { key }],
    [op, { ...put, ...args }],
  ];
  switch (type.itemType) {
    case "SCALAR": {
      const v = run("get", { key });
      return v.type === "Hit"
        ? [["set", { key, value: v.value, ttlMs }]]
        : [["delete", { key }]];
    }
    case "LIST": {
      const v = run("listFetch", { key });
      return v.type === "Hit"
        ? replace("listConcatenateBack", { values: v.values })
        : [["delete", { key }]];
    }
    case "SET": {
      const v = run("setFetch", { key });
      return v.type === "Hit"
        ? replace("setAddElements", { elements: v.elements })
        : [["delete", { key }]];
    }
    case "DICTIONARY": {
      const v = run("dictionaryFetch", { key });
      return v.type === "Hit"
        ? replace("dictionarySetFields", { fields: v.fields })
        : [["delete", { key }]];
    }
    case "SORTED_SET": {
      const v = run("sortedSetFetchByRank", { key });
      return v.type === "Hit"
        ? replace("sortedSetPutElements", { elements: v.elements })
        : [["delete", { key }]];
    }
  }
}

/** What the receiving side needs of the node's routing. */
export interface ReceiveRouting {
  /** The topology version in force. */
  readonly version: number;
  /** Whether this node is receiving `slot`. */
  pending(slot: number): boolean;
  /** Resolves once the topology reaches `version`, or after `waitMs`. */
  reach(version: number, waitMs: number): Promise<void>;
}

/**
 * The receiving side of a move: `begin` waits for the topology the primary
 * moves by, checks this node is pending for every slot (a node that already
 * owns one must not lose it), and drops what it holds of them.
 */
export class SlotReceiver implements MoveReceiver {
  readonly #local: Store & SlotListing;
  readonly #routing: ReceiveRouting;

  /**
   * @param local the node's own store (synchronous)
   * @param routing the node's routing
   */
  constructor(local: Store & SlotListing, routing: ReceiveRouting) {
    this.#local = local;
    this.#routing = routing;
  }

  /** See {@linkcode MoveReceiver.begin}. */
  async begin(slots: readonly number[], version: number): Promise<void> {
    await this.#routing.reach(version, 5_000);
    const routing = this.#routing;
    if (routing.version < version || !slots.every((s) => routing.pending(s))) {
      throw new MovedError(routing.version);
    }
    const set = new Set(slots);
    for (const { cacheId, key } of this.#local.keysIn((s) => set.has(s))) {
      this.#local.execute(cacheId, "delete", { key });
    }
  }
}
