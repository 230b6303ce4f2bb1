// Writing an item: the one path every store of a key takes (scalar set,
// batch set, a collection's creation and relocation).

import {
  addH64,
  h32,
  H_EPOCH,
  H_IDX_COUNT,
  H_LIVE_BYTES,
  H_LIVE_ITEMS,
  H_LONG_INSERTS,
  H_NOW,
  H_REBUILT_AT,
  H_WRITES,
  hdr,
  setH32,
  ST_BAD_ARG,
  ST_TOO_LARGE,
} from "./layout";
import { idxFind, idxInsert } from "./index_table";
import {
  freq,
  headerSize,
  itemValue,
  itemWrite,
  MAX_KEY,
  NEVER,
  setFreq,
} from "./item";
import {
  G_NONE,
  ghostHit,
  ghostTake,
  idxBase,
  idxBits,
  main,
  reserve,
  small,
  unlinkAt,
} from "./shard";
import { indexRoom, rebuildIndex } from "./index_growth";
import { sweep as sweepIndex } from "./scan";
import { ringCapacity, ringTryReserve } from "./ring";

/** Sets the clock for the call in progress (`now` in absolute ms). */
export function tick(now: f64): void {
  store<f64>(hdr() + H_NOW, now - load<f64>(hdr() + H_EPOCH));
}

/** The expiry of an item written now with `ttl` ms; negative or infinite: never. */
export function expiryFor(ttl: f64): u64 {
  let expiry: u64 = NEVER;
  if (ttl >= 0 && ttl < 1e15) {
    expiry = <u64> load<f64>(hdr() + H_NOW) + <u64> Math.ceil(ttl);
    if (expiry >= NEVER) expiry = NEVER - 1;
  }
  return expiry;
}

/** Stores key k (hash h) and returns where its value goes, or a status. */
export function put(k: usize, klen: u32, vlen: u32, ttl: f64, h: u64): isize {
  return putAt(k, klen, vlen, expiryFor(ttl), h);
}

/**
 * Stores key k (hash h) expiring at `expiry` (ms from the epoch), replacing
 * the key's item of any type, and returns where its value goes, or a status.
 */
export function putAt(
  k: usize,
  klen: u32,
  vlen: u32,
  expiry: u64,
  h: u64,
): isize {
  if (klen > MAX_KEY) return ST_BAD_ARG;
  const n = <usize> headerSize(klen, vlen) + klen + vlen;
  if (n > ringCapacity(main())) return ST_TOO_LARGE;
  // The incremental sweep: one index bucket every 32 writes (it reads the
  // headers of up to 12 items at random addresses, so not on every write;
  // ShardHost also sweeps on a timer).
  const w = h32(H_WRITES) + 1;
  setH32(H_WRITES, w);
  if ((w & 31) == 0) sweepIndex(1);
  indexRoom(n);
  if (n > ringCapacity(main())) return ST_TOO_LARGE;
  const slot = idxFind(idxBase(), idxBits(), k, klen, h);
  let f: u32 = 0;
  if (slot != 0) {
    const old = <usize> load<u32>(slot);
    f = freq(old);
    unlinkAt(slot, old, h);
  }
  // While the main ring has free room (warm-up) new items go straight there:
  // S3-FIFO lets its small queue grow until the cache is full. Such an item
  // starts with a counter of 1, as if it had earned it in the small ring:
  // with 0, the last items of the fill were the first the main ring evicted
  // once full, ahead of items whose hits are a whole fill old.
  let p = ringTryReserve(main(), n);
  if (p != 0 && f == 0) f = 1;
  if (p == 0) {
    // A key the ghost remembers goes to the main ring, and the ring it left
    // steers recency mode (see shard.ts).
    const ghost = ghostTake(h);
    if (ghost != G_NONE) ghostHit(ghost);
    const toMain = ghost != G_NONE || n > ringCapacity(small());
    p = reserve(toMain ? main() : small(), n);
  }
  itemWrite(p, klen, vlen, expiry);
  if (f > 0) setFreq(p, f);
  memory.copy(p + headerSize(klen, vlen), k, klen);
  if (idxInsert(idxBase(), idxBits(), p, h) >= 2) paceRebuild(w);
  setH32(H_IDX_COUNT, h32(H_IDX_COUNT) + 1);
  setH32(H_LIVE_ITEMS, h32(H_LIVE_ITEMS) + 1);
  addH64(H_LIVE_BYTES, <u64> n);
  return <isize> itemValue(p);
}

/**
 * Counts an insert that passed two or more full buckets, and rebuilds the
 * index in place once they are many (an eighth of the buckets) and at least
 * as many writes as there are items have passed since the last rebuild, so
 * rebuilding costs O(1) a write on average.
 */
function paceRebuild(w: u32): void {
  const long = h32(H_LONG_INSERTS) + 1;
  setH32(H_LONG_INSERTS, long);
  if (
    long > (<u32> 1 << idxBits()) >> 3 &&
    w - h32(H_REBUILT_AT) >= h32(H_LIVE_ITEMS)
  ) rebuildIndex();
}
