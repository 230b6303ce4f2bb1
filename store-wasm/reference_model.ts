/**
 * {@linkcode ModelShard}: a plain-TypeScript reference model of one shard with
 * unlimited memory (nothing is ever evicted), for the property tests of the
 * Wasm core. It mirrors the core's expiry rule exactly; see
 * `assembly/index.ts` (`put`) and `assembly/shard.ts` (`expired`).
 *
 * @module
 */

import { byteKey } from "../protocol/bytes.ts";

/** Expiry of an item that never expires (the core's `NEVER`, 2^40 - 1 ms). */
const NEVER = 0xff_ffff_ffff;

/** Options for a {@linkcode ModelShard}. */
export interface ModelShardOptions {
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * A shard without eviction. TTL rule, as in the core: times are whole ms
 * since the shard's creation (`trunc(now - epoch)`, at least 0); an item set
 * at t with a ttl d (0 <= d < 1e15) expires at t + ceil(d), capped at
 * 2^40 - 2, and is readable while now < that expiry. A ttl that is omitted,
 * negative, NaN or >= 1e15 never expires.
 *
 * @example Expiry
 * ```ts
 * import { ModelShard } from "./reference_model.ts";
 * let t = 0;
 * const m = new ModelShard({ now: () => t });
 * m.set(new Uint8Array([1]), new Uint8Array([2]), 10.5);
 * t = 10;
 * if (m.get(new Uint8Array([1])) === undefined) throw new Error("expired early");
 * t = 11;
 * if (m.get(new Uint8Array([1])) !== undefined) throw new Error("not expired");
 * ```
 */
export class ModelShard {
  #items = new Map<
    string,
    { key: Uint8Array; value: Uint8Array; expiry: number }
  >();
  #now: () => number;
  #epoch: number;

  /** @param options the clock */
  constructor(options: ModelShardOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#epoch = this.#now();
  }

  #rel(): number {
    return Math.max(0, Math.trunc(this.#now() - this.#epoch));
  }

  #live(k: string) {
    const item = this.#items.get(k);
    if (item === undefined) return undefined;
    if (item.expiry <= this.#rel()) {
      this.#items.delete(k);
      return undefined;
    }
    return item;
  }

  /** A copy of the value, or undefined when absent or expired. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.#live(byteKey(key))?.value.slice();
  }

  /** Stores a copy of the value; `ttlMs` omitted: never expires. */
  set(key: Uint8Array, value: Uint8Array, ttlMs?: number): void {
    let expiry = NEVER;
    if (ttlMs !== undefined && ttlMs >= 0 && ttlMs < 1e15) {
      expiry = Math.min(this.#rel() + Math.ceil(ttlMs), NEVER - 1);
    }
    this.#items.set(byteKey(key), {
      key: key.slice(),
      value: value.slice(),
      expiry,
    });
  }

  /** Removes the item; true when a live (unexpired) item was there. */
  delete(key: Uint8Array): boolean {
    const k = byteKey(key);
    const live = this.#live(k) !== undefined;
    this.#items.delete(k);
    return live;
  }

  /** Removes every item whose key starts with `prefix`; returns how many were live. */
  removePrefix(prefix: Uint8Array): number {
    const p = byteKey(prefix);
    let n = 0;
    for (const k of [...this.#items.keys()]) {
      if (!k.startsWith(p)) continue;
      if (this.#live(k) !== undefined) n++;
      this.#items.delete(k);
    }
    return n;
  }

  /** Keys of the live items. */
  keys(): Uint8Array[] {
    return [...this.#items.keys()].filter((k) => this.#live(k) !== undefined)
      .map((k) => this.#items.get(k)!.key);
  }
}
