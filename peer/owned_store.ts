/**
 * {@linkcode OwnedStore}: what a node serves to its peers. Every key of a
 * write must fall in a slot the node is primary of in its topology, every
 * key of a read in a slot it owns (primary or replica); otherwise
 * the call is answered {@linkcode MovedError} with the node's topology
 * version (the `moved` reply of the peer frames) and runs nowhere, so the
 * caller can follow the topology and retry without doing anything twice.
 *
 * @module
 */

import {
  type OpArgs,
  OPERATIONS,
  type OpName,
} from "../protocol/operations.ts";
import { slotOf } from "../protocol/slots.ts";
import type { MaybePromise, ReadResult, Store } from "../protocol/store.ts";
import type { OpResult } from "../protocol/catalogue.ts";
import { MovedError } from "../protocol/topology.ts";

/** Which slots a node owns, by its current topology. */
export interface Ownership {
  /** The topology version the answer comes from. */
  readonly version: number;
  /** Whether this node is the primary of `slot`. */
  owns(slot: number): boolean;
  /** Whether this node is an owner of `slot`: primary or replica (reads). */
  serves(slot: number): boolean;
  /** Whether this node is an owner of `slot`: its primary or a replica. */
  holds(slot: number): boolean;
}

/** A store that refuses keys of slots its node does not own. */
export class OwnedStore implements Store {
  readonly #store: Store;
  readonly #ownership: Ownership;

  readonly #asReplica: boolean;

  /**
   * @param store the node's local store
   * @param ownership the node's view of its slots
   * @param as `primary` (calls from gateways) or `replica` (a primary's
   * writes, `replicate` frames): which ownership the keys need
   */
  constructor(
    store: Store,
    ownership: Ownership,
    as: "primary" | "replica" = "primary",
  ) {
    this.#store = store;
    this.#ownership = ownership;
    this.#asReplica = as === "replica";
  }

  #check(cacheId: number, keys: readonly Uint8Array[], read: boolean): void {
    for (const key of keys) {
      const slot = slotOf(cacheId, key);
      const ok = this.#asReplica
        ? this.#ownership.holds(slot)
        : read
        ? this.#ownership.serves(slot)
        : this.#ownership.owns(slot);
      if (!ok) {
        throw new MovedError(this.#ownership.version);
      }
    }
  }

  /** Runs the operation when every key it touches is this node's. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>> {
    this.#check(
      cacheId,
      OPERATIONS[op].keys(args),
      OPERATIONS[op].access === "read",
    );
    return this.#store.execute(cacheId, op, args);
  }

  /** Reads the keys when every one is this node's. */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]> {
    this.#check(cacheId, keys, true);
    return this.#store.getMany(cacheId, keys);
  }

  /** Flushes what this node holds of the cache. */
  flush(cacheId: number): MaybePromise<void> {
    return this.#store.flush(cacheId);
  }
}
