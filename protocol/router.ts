/**
 * {@linkcode Router}: the store the gateway talks to. It maps each slot of the
 * keyspace (`slots.ts`) to the store that hosts it, and is itself a
 * {@linkcode Store}, so the gateway never knows whether an item is in a local
 * shard, a Worker or another node.
 *
 * Two invariants live here and nowhere else:
 * - **One read path.** Every read of an item's value (the `get` operation,
 *   `getBatch`, `getMany`, whatever route it came by) goes through
 *   {@linkcode Router.getMany}'s one function.
 * - **One write hook.** Every operation that may change an item (access
 *   `write` or `readWrite` in the catalogue), and every flush, is reported
 *   to the hooks of {@linkcode Router.onChange} once the store has done it.
 *   The hot-key cache, replication and metrics attach there.
 *
 * Multi-key operations whose keys fall in slots of different stores are
 * split and gathered:
 * - `getBatch`, `keysExist`: each store reads its keys; results in order.
 * - `setBatch`: each store writes its items as one batch; atomic per store,
 *   not across stores (the gateway checks every item's size first, so a
 *   store refuses only what it alone knows).
 * - `sortedSetUnionStore` (`sorted_set_union.ts`): the sources are read from
 *   their stores, the union is computed here and the destination replaced on
 *   its store in two steps (delete, then put): readers may see it missing in
 *   between, and a union over the store's limits leaves it deleted. On one
 *   store it is one atomic operation.
 *
 * @module
 */

import { ErrorCode, KvoltError } from "./errors.ts";
import {
  type OpArgs,
  OPERATIONS,
  type OpName,
  type OpResult,
  type ValueLookup,
} from "./operations.ts";
import { SLOT_COUNT, slotOf } from "./slots.ts";
import { unionAcrossStores } from "./sorted_set_union.ts";
import type { MaybePromise, ReadResult, Store } from "./store.ts";

/** What the write hook is told. */
export interface Change {
  /** The cache. */
  cacheId: number;
  /** The operation done, or `flush` (every item of the cache). */
  op: OpName | "flush";
  /** Keys it touched (empty for a flush). Copy them to keep them. */
  keys: readonly Uint8Array[];
  /** What the store answered (a conditional set may have stored nothing). */
  result: unknown;
}

/** A write hook. */
export type ChangeHook = (change: Change) => void;

const MISS = { type: "Miss" } as const;

/**
 * Routes every call to the store of its key's slot.
 *
 * @example All slots on one store, and a hook
 * ```ts
 * import { MemoryStore } from "./memory_store.ts";
 * import { Router } from "./router.ts";
 * const router = Router.single(new MemoryStore());
 * const seen: string[] = [];
 * router.onChange((c) => seen.push(c.op));
 * const key = new TextEncoder().encode("k");
 * router.execute(1, "set", { key, value: Uint8Array.of(1), ttlMs: 1000 });
 * const got = router.execute(1, "get", { key });
 * if (!("type" in got) || got.type !== "Hit" || seen.join() !== "set") throw new Error();
 * ```
 */
export class Router implements Store {
  readonly #table: Store[];
  /** The one store when every slot maps to it (no hashing needed). */
  #only: Store | undefined;
  #hooks: ChangeHook[] = [];

  /**
   * @param storeOfSlot the store hosting each slot, asked once per slot
   */
  constructor(storeOfSlot: (slot: number) => Store) {
    this.#table = new Array(SLOT_COUNT);
    for (let s = 0; s < SLOT_COUNT; s++) this.#table[s] = storeOfSlot(s);
    this.#only = this.#single();
  }

  /** A router with every slot on `store` (`kvolt serve`). */
  static single(store: Store): Router {
    return new Router(() => store);
  }

  /**
   * Moves slots `[from, to)` to `store`.
   *
   * @param from first slot
   * @param to end (exclusive)
   * @param store their new store
   */
  assign(from: number, to: number, store: Store): void {
    if (!(0 <= from && from <= to && to <= SLOT_COUNT)) {
      throw new RangeError(
        `Cannot assign slots: expected 0 <= from <= to <= ${SLOT_COUNT}: received ${from}..${to}`,
      );
    }
    for (let s = from; s < to; s++) this.#table[s] = store;
    this.#only = this.#single();
  }

  /** The distinct stores, in slot order. */
  stores(): Store[] {
    return [...new Set(this.#table)];
  }

  /** The store hosting (cacheId, key). */
  storeOf(cacheId: number, key: Uint8Array): Store {
    return this.#only ?? this.#table[slotOf(cacheId, key)]!;
  }

  /**
   * Adds a write hook (see the module doc); returns its removal.
   *
   * @param hook called after every change, synchronously with the answer
   */
  onChange(hook: ChangeHook): () => void {
    this.#hooks.push(hook);
    return () => {
      this.#hooks = this.#hooks.filter((h) => h !== hook);
    };
  }

  /** Runs one operation on the store(s) of its keys. */
  execute<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<OpResult<K>> {
    let answer: MaybePromise<unknown>;
    switch (op) {
      case "get":
        answer = this.#get(cacheId, (args as OpArgs<"get">).key);
        break;
      case "getBatch":
        answer = this.#getBatch(cacheId, args as OpArgs<"getBatch">);
        break;
      case "keysExist":
      case "setBatch":
      case "sortedSetUnionStore":
        answer = this.#multi(cacheId, op, args);
        break;
      default: {
        const key = (args as { key: Uint8Array }).key;
        answer = this.storeOf(cacheId, key).execute(cacheId, op, args);
      }
    }
    if (this.#hooks.length === 0 || OPERATIONS[op].access === "read") {
      return answer as MaybePromise<OpResult<K>>;
    }
    return this.#reported(cacheId, op, args, answer) as MaybePromise<
      OpResult<K>
    >;
  }

  /** The one read path: every read of an item's value comes here. */
  getMany(
    cacheId: number,
    keys: readonly Uint8Array[],
  ): MaybePromise<readonly ReadResult[]> {
    const only = this.#only;
    if (only !== undefined) return only.getMany(cacheId, keys);
    return this.#split(
      cacheId,
      keys.length,
      (i) => keys[i]!,
      (store, picked) =>
        then(
          store.getMany(cacheId, picked.map((i) => keys[i]!)),
          // views of a synchronous store are copied before the next call
          (values) =>
            values.map((v) => v instanceof Uint8Array ? v.slice() : v),
        ),
    );
  }

  /** Removes every item of the cache from every store. */
  flush(cacheId: number): MaybePromise<void> {
    const answers = this.stores().map((s) => s.flush(cacheId));
    const done = answers.some((a) => a instanceof Promise)
      ? Promise.all(answers).then(() => undefined)
      : undefined;
    const report = () =>
      this.#notify({ cacheId, op: "flush", keys: [], result: undefined });
    if (done === undefined) return report();
    return done.then(report);
  }

  #get(cacheId: number, key: Uint8Array): MaybePromise<ValueLookup> {
    return then(this.getMany(cacheId, [key]), (values) => {
      const value = values[0];
      if (value instanceof KvoltError) throw value;
      return value === undefined ? MISS : { type: "Hit", value };
    });
  }

  #getBatch(
    cacheId: number,
    { keys }: OpArgs<"getBatch">,
  ): MaybePromise<OpResult<"getBatch">> {
    return then(this.getMany(cacheId, keys), (values) => ({
      type: "Success",
      // getBatch answers Miss for a key holding a collection
      results: values.map((value): ValueLookup => {
        if (value instanceof Uint8Array) return { type: "Hit", value };
        if (
          value === undefined || value.code === ErrorCode.FAILED_PRECONDITION
        ) {
          return MISS;
        }
        throw value;
      }),
    }));
  }

  #multi<K extends OpName>(
    cacheId: number,
    op: K,
    args: OpArgs<K>,
  ): MaybePromise<unknown> {
    const only = this.#only;
    if (only !== undefined) return only.execute(cacheId, op, args);
    if (op === "keysExist") {
      const { keys } = args as OpArgs<"keysExist">;
      return then(
        this.#split(
          cacheId,
          keys.length,
          (i) => keys[i]!,
          (store, picked) =>
            then(
              store.execute(cacheId, "keysExist", {
                keys: picked.map((i) => keys[i]!),
              }),
              (r) => r.exists,
            ),
        ),
        (exists) => ({ type: "Success", exists }),
      );
    }
    if (op === "setBatch") {
      const { items } = args as OpArgs<"setBatch">;
      return then(
        this.#split(
          cacheId,
          items.length,
          (i) => items[i]!.key,
          (store, picked) =>
            then(
              store.execute(cacheId, "setBatch", {
                items: picked.map((i) => items[i]!),
              }),
              () => picked.map(() => true),
            ),
        ),
        () => ({ type: "Success" }),
      );
    }
    return unionAcrossStores(
      (key) => this.storeOf(cacheId, key),
      cacheId,
      args as OpArgs<"sortedSetUnionStore">,
    );
  }

  /**
   * Calls `run` once per store with the indices of the keys it hosts, and
   * gathers each store's per-key answers back into key order.
   */
  #split<T>(
    cacheId: number,
    count: number,
    keyAt: (i: number) => Uint8Array,
    run: (store: Store, picked: number[]) => MaybePromise<readonly T[]>,
  ): MaybePromise<T[]> {
    const groups = new Map<Store, number[]>();
    for (let i = 0; i < count; i++) {
      const store = this.#table[slotOf(cacheId, keyAt(i))]!;
      const group = groups.get(store);
      if (group === undefined) groups.set(store, [i]);
      else group.push(i);
    }
    const out: T[] = new Array(count);
    const pending: Promise<void>[] = [];
    for (const [store, picked] of groups) {
      const put = (values: readonly T[]) => {
        for (let j = 0; j < picked.length; j++) out[picked[j]!] = values[j]!;
      };
      const answer = run(store, picked);
      if (answer instanceof Promise) pending.push(answer.then(put));
      else put(answer);
    }
    if (pending.length === 0) return out;
    return Promise.all(pending).then(() => out);
  }

  #reported(
    cacheId: number,
    op: OpName,
    args: unknown,
    answer: MaybePromise<unknown>,
  ): MaybePromise<unknown> {
    const keys = OPERATIONS[op].keys(args as Record<string, unknown>);
    if (!(answer instanceof Promise)) {
      this.#notify({ cacheId, op, keys, result: answer });
      return answer;
    }
    // the caller may reuse its key buffers once this call returns
    const kept = keys.map((k) => k.slice());
    return answer.then((result) => {
      this.#notify({ cacheId, op, keys: kept, result });
      return result;
    });
  }

  #notify(change: Change): void {
    for (const hook of this.#hooks) hook(change);
  }

  #single(): Store | undefined {
    const first = this.#table[0]!;
    for (let s = 1; s < SLOT_COUNT; s++) {
      if (this.#table[s] !== first) return undefined;
    }
    return first;
  }
}

/** `f(value)`, now when `value` is not a Promise, else once it settles. */
function then<T, R>(value: MaybePromise<T>, f: (v: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
