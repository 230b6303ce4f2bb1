// Index growth and rebuilds (the index itself is index_table.ts; its place
// in the arena, next to the ghost at the end of the main ring, is shard.ts's
// layout). The index doubles at 7/8 load by taking bytes from the end of the
// main ring, or is rebuilt in place when overflow counts have piled up.

import {
  addH64,
  h32,
  H_ARENA_END,
  H_EVICTIONS,
  H_IDX_COUNT,
  H_LIVE_BYTES,
  H_LIVE_ITEMS,
  H_LONG_INSERTS,
  H_REBUILDS,
  H_REBUILT_AT,
  H_WRITES,
  hdr,
  setH32,
} from "./layout";
import { hashKey } from "./hash";
import { idxInsert } from "./index_table";
import { isDead, itemKey, itemKlen, itemSize } from "./item";
import {
  R_END,
  R_HEAD,
  R_START,
  R_TAIL,
  R_WRAP,
  R_WRAPPED,
  rget,
  ringCapacity,
  rset,
} from "./ring";
import {
  evictAny,
  idxBase,
  idxBits,
  main,
  maxLoad,
  PER_BUCKET,
  placeIndex,
  small,
  unlink,
} from "./shard";

/**
 * Makes room in the index for one more item of n bytes: grows it, or evicts.
 * While the main ring has never wrapped (the first fill), the index also
 * grows before the ring's head reaches the bytes the doubled index would
 * take: growing later evicts the items written last, which at the start of a
 * working set are the ones in use (a burst of misses).
 */
export function indexRoom(n: usize): void {
  while (h32(H_IDX_COUNT) >= maxLoad(idxBits())) {
    if (!grow()) evictAny();
  }
  // once anything was evicted (every write after the first fill) this is
  // one load
  if (load<u64>(hdr() + H_EVICTIONS) != 0) return;
  const m = main();
  const bits = idxBits();
  if (
    rget(m, R_WRAPPED) == 0 && h32(H_IDX_COUNT) * 2 >= maxLoad(bits) &&
    rget(m, R_HEAD) + n + ((<usize> 1 << bits) * PER_BUCKET) > rget(m, R_END)
  ) grow();
}

/**
 * Doubles the index. The new index takes the end of the main ring next to the
 * old one, whose bytes it reuses (the new index is built from the rings, not
 * from the old buckets); the main ring keeps what is left. Items in the taken
 * space are evicted.
 */
function grow(): bool {
  const bits = idxBits();
  const oldBytes = (<usize> 1 << bits) * PER_BUCKET;
  const newBytes = oldBytes << 1;
  const end = <usize> h32(H_ARENA_END);
  const m = main();
  const base = end - newBytes;
  const arena = end - rget(small(), R_START);
  // The index never takes more than a third of the arena.
  if (newBytes * 3 > arena || base < rget(m, R_START) + ringCapacity(small())) {
    return false;
  }
  // Doubling pays only when the items the bytes left could hold outnumber
  // what the current index already allows.
  const items = <u64> h32(H_LIVE_ITEMS);
  const live = load<u64>(hdr() + H_LIVE_BYTES);
  if (
    items > 0 &&
    <u64> (arena - newBytes) * items <= <u64> maxLoad(bits) * live
  ) return false;
  // Evictions unlink through the old index: truncate (which also ends the
  // main ring at base) before clearing it.
  truncate(m, base);
  placeIndex(base, bits + 1);
  // Rehash by walking the rings, not the old buckets: items are read in
  // address order (sequential, cache-friendly) instead of one miss per slot.
  rehashRing(small(), base, bits + 1);
  rehashRing(m, base, bits + 1);
  setH32(H_LONG_INSERTS, 0);
  return true;
}

/**
 * Rebuilds the index in place from the rings, at the same size. Overflow
 * counts only fall when the items that overflowed leave, so under steady
 * churn at high load displaced items can keep long runs of buckets marked
 * and make misses probe far; reinserting every item in log order places each
 * as close to home as the load allows. Paced by the caller (see `put`).
 */
export function rebuildIndex(): void {
  const base = idxBase();
  const bits = idxBits();
  memory.fill(base, 0, (<usize> 1 << bits) << 6);
  rehashRing(small(), base, bits);
  rehashRing(main(), base, bits);
  setH32(H_LONG_INSERTS, 0);
  setH32(H_REBUILT_AT, h32(H_WRITES));
  setH32(H_REBUILDS, h32(H_REBUILDS) + 1);
}

function rehashRing(r: usize, base: usize, bits: u32): void {
  if (rget(r, R_WRAPPED) != 0) {
    rehashRange(rget(r, R_TAIL), rget(r, R_WRAP), base, bits);
    rehashRange(rget(r, R_START), rget(r, R_HEAD), base, bits);
  } else {
    rehashRange(rget(r, R_TAIL), rget(r, R_HEAD), base, bits);
  }
}

function rehashRange(from: usize, to: usize, base: usize, bits: u32): void {
  let p = from;
  while (p < to) {
    if (!isDead(p)) idxInsert(base, bits, p, hashKey(itemKey(p), itemKlen(p)));
    p += <usize> itemSize(p);
  }
}

/** Shrinks ring r to end at e, evicting the items that reach past e. */
function truncate(r: usize, e: usize): void {
  if (rget(r, R_WRAPPED) != 0) {
    if (rget(r, R_WRAP) > e) {
      const cut = cutAt(rget(r, R_TAIL), rget(r, R_WRAP), e);
      rset(r, R_WRAP, cut);
      if (cut == rget(r, R_TAIL)) {
        rset(r, R_TAIL, rget(r, R_START));
        rset(r, R_WRAPPED, 0);
      }
    }
  }
  if (rget(r, R_WRAPPED) == 0) {
    rset(r, R_WRAP, e);
    if (rget(r, R_HEAD) > e) {
      const cut = cutAt(rget(r, R_TAIL), rget(r, R_HEAD), e);
      rset(r, R_HEAD, cut);
      if (cut == rget(r, R_TAIL)) {
        rset(r, R_HEAD, rget(r, R_START));
        rset(r, R_TAIL, rget(r, R_START));
      }
    }
  }
  rset(r, R_END, e);
}

/** Walks items in [from, to); unlinks those ending past e; returns where they start. */
function cutAt(from: usize, to: usize, e: usize): usize {
  let p = from;
  while (p < to && p + <usize> itemSize(p) <= e) p += <usize> itemSize(p);
  const cut = p;
  while (p < to) {
    const n = <usize> itemSize(p);
    if (!isDead(p)) {
      unlink(p);
      addH64(H_EVICTIONS, 1);
    }
    p += n;
  }
  return cut;
}
