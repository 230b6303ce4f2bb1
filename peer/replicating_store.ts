/**
 * {@linkcode ReplicatingStore}: a primary's store. A write runs on the
 * node's own store, then goes to every other owner of its keys' slots (the
 * `replicate` frame), and is acknowledged once each of them applied it or
 * could not be reached.
 *
 * The guarantee: an acknowledged write is on the primary and on every
 * other owner of its slot, or that owner was removed from the slot's owners
 * before the acknowledgement: a replica that fails to apply a write
 * (unreachable, or its topology differs) is reported to the control service
 * (`failed`), which makes it stop owning the slot and copies the slot to it
 * anew; when that report cannot be made, the write fails (SERVER_UNAVAILABLE)
 * instead of being acknowledged. A reader of the primary sees an
 * acknowledged write at once, and so does a reader of a replica that owns
 * the slot. Writes to one key reach a replica in the order the primary ran
 * them (one connection per node, frames in order).
 *
 * What is sent is the write's effect where running it again could differ:
 * `setPop` (random) as the removal of the elements it popped,
 * `sortedSetUnionStore` as the destination's new content, `setBatch` as the
 * items each replica owns; every other write as it came (deterministic on
 * equal state).
 *
 * @module
 */

import type { OpArgs, OpName, OpResult } from "../protocol/catalogue.ts";
import { KvoltError } from "../protocol/errors.ts";
import { OPERATIONS } from "../protocol/operations.ts";
import { slotOf } from "../protocol/slots.ts";
import type { MaybePromise, ReadResult, Store } from "../protocol/store.ts";
import type { NodeState } from "../protocol/topology.ts";

/** What the replicating store needs of the node's routing. */
export interface ReplicaRouting {
  /** The other owners of a slot. */
  replicasOf(slot: number): NodeState[];
  /** The store of another node, with its `replicate` call. */
  peer(node: NodeState): Store;
  /**
   * A write to `node` for `slot` failed. Resolves once that cannot hide a
   * lost write (the node no longer owns the slot; a move toward it fails);
   * rejects when it cannot make sure, and the write then fails too.
   */
  failed?(node: NodeState, slot: number): void | Promise<void>;
}

interface Replicator extends Store {
  replicate<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): Promise<OpResult<K>>;
}

/** One write to send: an operation and its arguments. */
interface Effect {
  op: OpName;
  args: object;
}

/** A copy of every byte string in a result (a local answer may be a view). */
export function ownedCopy<T>(value: T): T {
  if (value instanceof Uint8Array) return value.slice() as T;
  if (Array.isArray(value)) return value.map(ownedCopy) as T;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = ownedCopy(v);
  return out as T;
}

/** The primary's side of replication; see the module doc. */
export class ReplicatingStore implements Store {
  readonly #local: Store;
  readonly #routing: () => ReplicaRouting;
  #missed = 0;
  #flushes = 0;

  /**
   * @param local the node's own store
   * @param routing the node's routing (a getter: it is built after this)
   */
  constructor(local: Store, routing: () => ReplicaRouting) {
    this.#local = local;
    this.#routing = routing;
  }

  /** Replica writes that failed (unreachable or refused), for metrics. */
  get missed(): number {
    return this.#missed;
  }

  /** Runs the operation here, then on the replicas of a write. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>> {
    const result = this.#local.execute(cacheId, op, args);
    if (OPERATIONS[op].access === "read") return result;
    if (result instanceof Promise) {
      return result.then((r) => this.#replicate(cacheId, op, args, r));
    }
    return this.#replicate(cacheId, op, args, ownedCopy(result));
  }

  async #replicate<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
    result: OpResult<K>,
  ): Promise<OpResult<K>> {
    const routing = this.#routing();
    const sends: Promise<unknown>[] = [];
    for (
      const { op: effectOp, args: effectArgs } of this.#effects(
        cacheId,
        op,
        args,
        result,
      )
    ) {
      // every key of one effect is in slots with the same replicas, except
      // a setBatch's, which is split per replica first
      const key = OPERATIONS[effectOp].keys(effectArgs)[0];
      if (key === undefined) continue;
      const slot = slotOf(cacheId, key);
      for (const node of routing.replicasOf(slot)) {
        const peer = routing.peer(node) as Replicator;
        sends.push(
          peer.replicate(cacheId, effectOp, effectArgs as never).catch(
            async (err) => {
              if (!(err instanceof KvoltError)) throw err;
              this.#missed++;
              await routing.failed?.(node, slot);
            },
          ),
        );
      }
    }
    await Promise.all(sends);
    return result;
  }

  #effects<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
    result: OpResult<K>,
  ): Effect[] {
    switch (op) {
      case "setPop": {
        const r = result as OpResult<"setPop">;
        if (r.type !== "Hit" || r.elements.length === 0) return [];
        const key = (args as OpArgs<"setPop">).key;
        return [{
          op: "setRemoveElements",
          args: { key, elements: r.elements },
        }];
      }
      case "sortedSetUnionStore": {
        const a = args as OpArgs<"sortedSetUnionStore">;
        const now = this.#local.execute(cacheId, "sortedSetFetchByRank", {
          key: a.key,
        });
        if (now instanceof Promise) {
          throw new Error("replication needs a synchronous local store");
        }
        const effects: Effect[] = [{ op: "delete", args: { key: a.key } }];
        if (now.type === "Hit" && now.elements.length > 0) {
          effects.push({
            op: "sortedSetPutElements",
            args: {
              key: a.key,
              elements: ownedCopy(now.elements),
              ttlMs: a.ttlMs,
              refreshTtl: true,
            },
          });
        }
        return effects;
      }
      case "setBatch": {
        // one setBatch per item: each item's slot has its own replicas
        const a = args as OpArgs<"setBatch">;
        return a.items.map((item) => ({
          op: "setBatch",
          args: { items: [item] },
        }));
      }
      default:
        return [{ op, args }];
    }
  }

  /** Reads here (the primary). */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]> {
    return this.#local.getMany(cacheId, keys);
  }

  /** Flushes done here (a slot move copying meanwhile starts again). */
  get flushes(): number {
    return this.#flushes;
  }

  /** Flushes here; every node is flushed by the routing's flush. */
  flush(cacheId: number): MaybePromise<void> {
    this.#flushes++;
    return this.#local.flush(cacheId);
  }
}
