// Whole-index scans: the incremental expiry sweep and prefix removal (flush).
// Both walk index buckets, never the rings, so a cursor stays valid whatever
// the rings do between calls.

import { addH64, h32, H_EXPIRED, H_SWEEP, setH32 } from "./layout";
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
