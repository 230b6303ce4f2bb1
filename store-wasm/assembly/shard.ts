// The shard: S3-FIFO over two rings, a hash index and a ghost table, all inside
// a fixed arena of `budget` bytes, with one adaptive switch (ARC-style).
//
// - New items go to the small ring (10% of the arena), or straight to the main
//   ring when the ghost remembers their key (evicted recently from either
//   ring) or when they are larger than the small ring.
// - A hit only bumps a 2-bit counter in the item's header.
// - Leaving the small ring: counter > 0 -> copied to the main ring's head;
//   else, in recency mode (below), copied there too; else evicted and its
//   fingerprint written to the ghost, tagged "small".
// - Leaving the main ring: counter > 0 -> decremented (in recency mode: reset
//   to 0) and copied to the head (FIFO reinsertion), else evicted and its
//   fingerprint written to the ghost, tagged "main".
// - Dead (deleted, replaced) and expired items are dropped when the tail
//   reaches them; expired items also leave the index lazily (on access) and by
//   an incremental sweep of the index.
//
// Recency mode. Plain S3-FIFO is slow when the working set moves to new keys:
// a new key not hit again before ~small-ring-size inserts leaves as a ghost
// and misses a second time, while the main ring stays full of the old set
// (whose counters need up to three passes to run down). A ghost hit tells
// which ring was wrong, as ARC's two ghost lists do: a "small" ghost hit means
// the filter turned away a key that came back; a "main" ghost hit means the
// main ring dropped a key still in use. One saturating score in the header
// (H_ADAPT, in [-ADAPT_LIMIT, ADAPT_LIMIT]) adds 1 per small ghost hit and
// subtracts ADAPT_MAIN_WEIGHT per main ghost hit; while it is at least
// ADAPT_ON the shard is in recency mode: unhit items leaving the small ring
// get one pass of the main ring instead of being evicted, and main
// reinsertion forgets the counter, so the whole cache acts as a CLOCK (close
// to LRU) and an old set leaves within two passes. Scans and one-hit keys never come back through the
// ghost, stationary skewed loads drop main keys that come back, so both keep
// (or fall back to) the S3-FIFO filter. O(1) per event, no per-item state.

import {
  addH64,
  h32,
  H_ADAPT,
  H_EVICTIONS,
  H_EXPIRED,
  H_GHOST,
  H_IDX,
  H_IDX_BITS,
  H_IDX_COUNT,
  H_LIVE_BYTES,
  H_LIVE_ITEMS,
  H_MAIN,
  H_NOW,
  H_SMALL,
  H_SWEEP,
  hdr,
  setH32,
} from "./layout";
import { hashKey } from "./hash";
import { idxClear, idxFind, idxSlotOf, SLOTS } from "./index_table";
import {
  freq,
  isDead,
  itemExpiry,
  itemKey,
  itemKlen,
  itemSize,
  markDead,
  setFreq,
} from "./item";
import {
  R_TAIL,
  rget,
  ringAdvance,
  ringCapacity,
  ringEmpty,
  ringInit,
  ringOccupied,
  ringTryReserve,
} from "./ring";

/** Index + ghost bytes per bucket: 64 of index, 8 u16 ghost fingerprints. */
export const PER_BUCKET: usize = 80;

export const MIN_BITS: u32 = 4;

export function small(): usize {
  return hdr() + H_SMALL;
}

export function main(): usize {
  return hdr() + H_MAIN;
}

export function idxBase(): usize {
  return <usize> h32(H_IDX);
}

export function idxBits(): u32 {
  return h32(H_IDX_BITS);
}

export function nowRel(): u64 {
  return <u64> load<f64>(hdr() + H_NOW);
}

export function expired(p: usize): bool {
  return itemExpiry(p) <= nowRel();
}

/** Items the index may hold at 2^bits buckets (7/8 of its slots). */
export function maxLoad(bits: u32): u32 {
  return ((<u32> 1 << bits) * SLOTS * 7) >> 3;
}

/** Lays out an empty shard in [start, end). */
export function shardInit(start: usize, end: usize): void {
  const size = end - start;
  const smallEnd = start + size / 10;
  const idx = end - (<usize> 1 << MIN_BITS) * PER_BUCKET;
  ringInit(small(), start, smallEnd);
  ringInit(main(), smallEnd, idx);
  placeIndex(idx, MIN_BITS);
  setH32(H_IDX_COUNT, 0);
  setH32(H_LIVE_ITEMS, 0);
  store<u64>(hdr() + H_LIVE_BYTES, 0);
  store<i32>(hdr() + H_ADAPT, 0);
}

/**
 * Puts an empty index of 2^bits buckets, and the ghost after it, at base
 * (the arena's end minus their bytes); the sweep starts over.
 */
export function placeIndex(base: usize, bits: u32): void {
  const buckets = <usize> 1 << bits;
  memory.fill(base, 0, buckets * PER_BUCKET);
  setH32(H_IDX, <u32> base);
  setH32(H_IDX_BITS, bits);
  setH32(H_GHOST, <u32> (base + (buckets << 6)));
  setH32(H_SWEEP, 0);
}

// ---- ghost: a direct-mapped table of 16-bit key fingerprints ----

function ghostSlot(h: u64): usize {
  const n = (<usize> 1 << idxBits()) << 3;
  return <usize> h32(H_GHOST) + ((<usize> (h >> 8) & (n - 1)) << 1);
}

// An entry: 14 bits of the hash, bit 1 the ring the key left (0 small,
// 1 main), bit 0 set (0 is an empty slot).

/** ghostTake's results. */
export const G_NONE: u32 = 0;

export const G_SMALL: u32 = 1;

export const G_MAIN: u32 = 3;

function fingerprint(h: u64): u16 {
  return (<u16> (h >> 40) & ~3) | 1;
}
function ghostRemember(h: u64, ring: u32): void {
  store<u16>(ghostSlot(h), fingerprint(h) | <u16> (ring & 2));
}
/** The ring the key was evicted from lately (G_SMALL, G_MAIN), or G_NONE; forgets it. */
export function ghostTake(h: u64): u32 {
  const s = ghostSlot(h);
  const g = load<u16>(s);
  if ((g & ~2) != fingerprint(h)) return G_NONE;
  store<u16>(s, 0);
  return (g & 2) != 0 ? G_MAIN : G_SMALL;
}

// ---- recency mode (see the top of this file) ----

export const ADAPT_LIMIT: i32 = 64;

export const ADAPT_MAIN_WEIGHT: i32 = 2;

/** Score from which recency mode is on: a stray ghost hit (a fingerprint collision) does not flip it. */
export const ADAPT_ON: i32 = 16;

/** Counts a ghost hit (G_SMALL or G_MAIN) into the score. */
export function ghostHit(g: u32): void {
  let v = load<i32>(hdr() + H_ADAPT) +
    (g == G_SMALL ? 1 : -ADAPT_MAIN_WEIGHT);
  if (v > ADAPT_LIMIT) v = ADAPT_LIMIT;
  if (v < -ADAPT_LIMIT) v = -ADAPT_LIMIT;
  store<i32>(hdr() + H_ADAPT, v);
}

/** True while the ghost hits say the small ring turns away keys in use. */
export function recencyMode(): bool {
  return load<i32>(hdr() + H_ADAPT) >= ADAPT_ON;
}

// ---- removing items ----

/** Takes a live item (hash h) out of the index (slot known) and marks it dead. */
export function unlinkAt(slot: usize, p: usize, h: u64): void {
  idxClear(idxBase(), idxBits(), slot, h);
  markDead(p);
  setH32(H_IDX_COUNT, h32(H_IDX_COUNT) - 1);
  setH32(H_LIVE_ITEMS, h32(H_LIVE_ITEMS) - 1);
  addH64(H_LIVE_BYTES, -(<u64> itemSize(p)));
}

/** Takes a live item out of the index and marks it dead. */
export function unlink(p: usize): void {
  if (isDead(p)) return;
  const h = hashKey(itemKey(p), itemKlen(p));
  const slot = idxSlotOf(idxBase(), idxBits(), p, h);
  if (slot != 0) unlinkAt(slot, p, h);
  else markDead(p);
}

/** The live item with key k (hash h), or 0; an expired one is unlinked. */
export function findItem(k: usize, klen: u32, h: u64): usize {
  const slot = idxFind(idxBase(), idxBits(), k, klen, h);
  if (slot == 0) return 0;
  const p = <usize> load<u32>(slot);
  if (!expired(p)) return p;
  unlinkAt(slot, p, h);
  addH64(H_EXPIRED, 1);
  return 0;
}

// ---- eviction ----

/** Processes the tail item of ring r: drop, promote, reinsert or evict it. */
function evictOne(r: usize): void {
  const p = rget(r, R_TAIL);
  const n = <usize> itemSize(p);
  if (isDead(p)) {
    ringAdvance(r, n);
    return;
  }
  if (expired(p)) {
    unlink(p);
    addH64(H_EXPIRED, 1);
    ringAdvance(r, n);
    return;
  }
  const f = freq(p);
  if (r == small()) {
    // Promote when accessed; also, while the main ring still has free room
    // (warm-up), move items there rather than evict them, as S3-FIFO lets the
    // small queue grow while the cache is not full.
    const room = f == 0 ? ringTryReserve(main(), n) : 0;
    if (room != 0 || (f > 0 && n <= ringCapacity(main()))) {
      setFreq(p, 0);
      const q = room != 0 ? room : reserve(main(), n);
      memory.copy(q, p, n);
      moved(p, q);
      ringAdvance(r, n);
      return;
    }
    // Recency mode: one pass of the main ring for the unhit item too.
    if (recencyMode() && n <= ringCapacity(main())) {
      const q = reserve(main(), n);
      memory.copy(q, p, n);
      moved(p, q);
      ringAdvance(r, n);
      return;
    }
    ghostRemember(hashKey(itemKey(p), itemKlen(p)), G_SMALL);
  } else if (f > 0) {
    // FIFO reinsertion. Freeing the tail first always leaves n contiguous
    // bytes at the head (see ring.ts), possibly overlapping p: memory.copy is
    // a memmove. In recency mode the counter is forgotten (CLOCK), so a set
    // no longer in use leaves within two passes.
    setFreq(p, recencyMode() ? 0 : f - 1);
    ringAdvance(r, n);
    const q = ringTryReserve(r, n);
    memory.copy(q, p, n);
    moved(p, q);
    return;
  } else {
    ghostRemember(hashKey(itemKey(p), itemKlen(p)), G_MAIN);
  }
  unlink(p);
  addH64(H_EVICTIONS, 1);
  ringAdvance(r, n);
}

/** Points the index at an item's new address. */
function moved(p: usize, q: usize): void {
  if (p == q) return;
  const slot = idxSlotOf(
    idxBase(),
    idxBits(),
    p,
    hashKey(itemKey(q), itemKlen(q)),
  );
  store<u32>(slot, <u32> q);
}

/** n contiguous bytes at the head of ring r, evicting from its tail as needed. */
export function reserve(r: usize, n: usize): usize {
  while (true) {
    const p = ringTryReserve(r, n);
    if (p != 0) return p;
    evictOne(r);
  }
}

/** Evicts one item by policy: from the small ring while it holds anything. */
export function evictAny(): void {
  if (!ringEmpty(small())) evictOne(small());
  else if (!ringEmpty(main())) evictOne(main());
}

/** Bytes the shard uses for items: both rings' occupancy (dead included) + index + ghost. */
export function usedBytes(): usize {
  return ringOccupied(small()) + ringOccupied(main()) +
    (<usize> 1 << idxBits()) * PER_BUCKET;
}
