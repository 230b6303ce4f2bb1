// Whole-index scans: the incremental expiry sweep and prefix removal (flush).
// Both walk index buckets, never the rings, so a cursor stays valid whatever
// the rings do between calls.

import {
  addH64,
  h32,
  H_EXPIRED,
  H_RESULT_LEN,
  H_SWEEP,
  setH32,
} from "./layout";
import { hashKey } from "./hash";
import { BUCKET, SLOTS } from "./index_table";
import { itemKey, itemKlen } from "./item";
import { expired, idxBase, idxBits, unlinkAt } from "./shard";

/** Visits `buckets` index buckets from the sweep cursor, unlinking expired items. */
export function sweep(buckets: u32): u32 {
  const nb: u32 = <u32> 1 << idxBits();
  const base = idxBase();
  let b = h32(H_SWEEP);
  let found: u32 = 0;
  for (let k: u32 = 0; k < buckets; k++) {
    const bp = base + (<usize> b << 6);
    for (let i: usize = 0; i < SLOTS; i++) {
      const slot = bp + 16 + (i << 2);
      const p = <usize> load<u32>(slot);
      if (p != 0 && expired(p)) {
        unlinkAt(slot, p, hashKey(itemKey(p), itemKlen(p)));
        addH64(H_EXPIRED, 1);
        found++;
      }
    }
    b = (b + 1) & (nb - 1);
  }
  setH32(H_SWEEP, b);
  return found;
}

/**
 * Unlinks every item whose key starts with the `plen` bytes at `prefix`;
 * returns how many were live (expired ones are unlinked but not counted, as
 * in `del`).
 */
export function removePrefix(prefix: usize, plen: u32): u32 {
  const nb: usize = <usize> 1 << idxBits();
  const base = idxBase();
  let n: u32 = 0;
  for (let b: usize = 0; b < nb; b++) {
    for (let i: usize = 0; i < SLOTS; i++) {
      const slot = base + b * BUCKET + 16 + (i << 2);
      const p = <usize> load<u32>(slot);
      if (p == 0 || itemKlen(p) < plen) continue;
      if (memory.compare(itemKey(p), prefix, plen) == 0) {
        if (expired(p)) addH64(H_EXPIRED, 1);
        else n++;
        unlinkAt(slot, p, hashKey(itemKey(p), itemKlen(p)));
      }
    }
  }
  return n;
}

/**
 * The next live item at or after index position `from` (bucket * SLOTS +
 * entry): copies its stored key to `out` (room for any key), sets
 * `H_RESULT_LEN` to its length and returns the position after it, or -1 when
 * no live item is left. The host calls it in a loop without writing between
 * calls (a write may grow the index and reorder positions): a slot move
 * lists the keys of its slots this way.
 */
export function nextKey(from: u32, out: usize): i32 {
  // positions fit an i32: the index of a 4 GiB memory has far fewer entries
  const total: u32 = (<u32> 1 << idxBits()) * SLOTS;
  const base = idxBase();
  for (let pos: u32 = from; pos < total; pos++) {
    const b = <usize> (pos / SLOTS);
    const i = <usize> (pos % SLOTS);
    const p = <usize> load<u32>(base + b * BUCKET + 16 + (i << 2));
    if (p == 0 || expired(p)) continue;
    const klen = itemKlen(p);
    memory.copy(out, itemKey(p), klen);
    setH32(H_RESULT_LEN, klen);
    return <i32> (pos + 1);
  }
  return -1;
}
