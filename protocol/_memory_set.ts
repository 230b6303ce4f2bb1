/**
 * The reference model's set operations. Private to `memory_store.ts`.
 *
 * @module
 */
import type { SetOp } from "./operations.ts";
import {
  type Handlers,
  MISS,
  type SetEntry,
  SUCCESS,
} from "./_memory_items.ts";
import { byteKey } from "./bytes.ts";
import { logicalSize } from "./data_store.ts";

/**
 * Up to `count` distinct elements chosen uniformly with `random` (a partial
 * Fisher-Yates shuffle); a count below 1 (or NaN) chooses none.
 */
function choose(
  set: SetEntry,
  count: number,
  random: () => number,
): Uint8Array[] {
  const all = [...set.elements.values()];
  const n = Math.min(all.length, Math.max(0, Math.trunc(count) || 0));
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (all.length - i));
    const picked = all[j]!;
    all[j] = all[i]!;
    all[i] = picked;
  }
  return all.slice(0, n);
}

/** The set operations. */
export const SET_OPS: Handlers<SetOp> = {
  setAddElements(items, cacheId, args) {
    const { key, elements } = args;
    const existing = items.collection(cacheId, key, "SET", "setAddElements");
    const added = new Map<string, Uint8Array>();
    for (const e of elements) {
      const id = byteKey(e);
      if (existing?.elements.has(id) !== true) added.set(id, e);
    }
    let size = existing?.size ?? 0;
    for (const e of added.values()) size += logicalSize.set(e);
    const length = (existing?.elements.size ?? 0) + added.size;
    items.checkCollection("setAddElements", key, size, length);
    if (length === 0) return SUCCESS;
    const entry: SetEntry = existing ??
      { type: "SET", elements: new Map(), size: 0, expiresAt: 0 };
    for (const [id, e] of added) entry.elements.set(id, e.slice());
    entry.size = size;
    entry.expiresAt = items.expiry(existing, args);
    if (existing === undefined) items.put(cacheId, key, entry);
    return SUCCESS;
  },
  setRemoveElements(items, cacheId, { key, elements }) {
    const set = items.collection(cacheId, key, "SET", "setRemoveElements");
    if (set === undefined) return SUCCESS;
    for (const e of elements) {
      if (set.elements.delete(byteKey(e))) set.size -= logicalSize.set(e);
    }
    if (set.elements.size === 0) items.remove(cacheId, key);
    return SUCCESS;
  },
  setContainsElements(items, cacheId, { key, elements }) {
    const set = items.collection(cacheId, key, "SET", "setContainsElements");
    if (set === undefined) return MISS;
    return {
      type: "Hit",
      contains: elements.map((e) => set.elements.has(byteKey(e))),
    };
  },
  setFetch(items, cacheId, { key }) {
    const set = items.collection(cacheId, key, "SET", "setFetch");
    if (set === undefined) return MISS;
    return {
      type: "Hit",
      elements: [...set.elements.values()].map((e) => e.slice()),
    };
  },
  setSample(items, cacheId, { key, limit }) {
    const set = items.collection(cacheId, key, "SET", "setSample");
    if (set === undefined) return MISS;
    return {
      type: "Hit",
      elements: choose(set, limit, items.random).map((e) => e.slice()),
    };
  },
  setPop(items, cacheId, { key, count }) {
    const set = items.collection(cacheId, key, "SET", "setPop");
    if (set === undefined) return MISS;
    const popped = choose(set, count, items.random);
    for (const e of popped) {
      set.elements.delete(byteKey(e));
      set.size -= logicalSize.set(e);
    }
    if (set.elements.size === 0) items.remove(cacheId, key);
    return { type: "Hit", elements: popped };
  },
  setLength(items, cacheId, { key }) {
    const set = items.collection(cacheId, key, "SET", "setLength");
    return set === undefined
      ? MISS
      : { type: "Hit", length: set.elements.size };
  },
};
