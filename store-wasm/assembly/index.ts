// The exports of one shard instance: the whole Wasm boundary. The host writes
// keys (and batches) into the scratch region, calls, and reads results from
// the scratch region or the header. `now` is the host's clock in ms.

import {
  addH64,
  h32,
  H_ARENA_END,
  H_ARENA_START,
  H_BUDGET,
  H_EPOCH,
  H_EXT,
  H_HITS,
  H_MAGIC,
  H_MISSES,
  H_RES_TYPE,
  H_RESULT_LEN,
  H_SCRATCH,
  H_TOUCHED,
  hdr,
  HDR_SIZE,
  MAGIC,
  SCRATCH_SIZE,
  setH32,
  ST_BAD_ARG,
  ST_NO_MEMORY,
  ST_OK,
} from "./layout";
import { hashKey } from "./hash";
import { idxBucket, idxFind, idxPeek } from "./index_table";
import { itemType, itemValue, itemVlen, T_SCALAR, touch } from "./item";
import {
  expired,
  findItem,
  idxBase,
  idxBits,
  main,
  shardInit,
  unlinkAt,
  usedBytes as used,
} from "./shard";
import {
  nextKey as nextIndexKey,
  removePrefix as removeKeys,
  sweep as sweepIndex,
} from "./scan";
import { ringCapacity } from "./ring";
import { put, tick } from "./write";

export { coll, extBuf, itemInfo, itemTtl } from "./collection_exports";

/** `find`'s answer for an item that is not a scalar (type in H_RES_TYPE). */
const WRONG_TYPE: usize = 2;

/** Lays out a shard of `budget` bytes, growing memory to fit. */
export function init(budget: u32, epoch: f64): i32 {
  if (budget < 4096) return ST_BAD_ARG;
  const h = hdr();
  const scratch = h + HDR_SIZE;
  const start = scratch + SCRATCH_SIZE;
  const end = start + <usize> budget;
  if (end < start) return ST_BAD_ARG;
  const pages = <i32> ((end + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return ST_NO_MEMORY;
  memory.fill(h, 0, HDR_SIZE);
  setH32(H_MAGIC, MAGIC);
  setH32(H_SCRATCH, <u32> scratch);
  setH32(H_ARENA_START, <u32> start);
  setH32(H_ARENA_END, <u32> end);
  setH32(H_BUDGET, budget);
  setH32(H_EXT, <u32> ((end + 15) & ~(<usize> 15)));
  store<f64>(h + H_EPOCH, epoch);
  shardInit(start, end);
  return ST_OK;
}

/** Empties the shard, keeping its budget and epoch. */
export function clear(): void {
  shardInit(<usize> h32(H_ARENA_START), <usize> h32(H_ARENA_END));
}

/** Value address of the item whose key is the `klen` scratch bytes, or 0; length in the header. */
export function get(klen: u32, now: f64): usize {
  tick(now);
  const k = <usize> h32(H_SCRATCH);
  return find(k, klen, hashKey(k, klen));
}

/**
 * Value address of the live item with this key, or 0; its length in the
 * header. A hit whose value is longer than `room` returns 1 and is neither
 * counted nor touched: the host gets it alone later (getBatch's DEFERRED).
 */
function find(
  k: usize,
  klen: u32,
  h: u64,
  room: usize = usize.MAX_VALUE,
): usize {
  const p = findItem(k, klen, h);
  if (p == 0) {
    addH64(H_MISSES, 1);
    return 0;
  }
  if (itemType(p) != T_SCALAR) {
    setH32(H_RES_TYPE, itemType(p));
    return WRONG_TYPE;
  }
  if (<usize> itemVlen(p) > room) {
    setH32(H_RESULT_LEN, itemVlen(p));
    return 1;
  }
  touch(p);
  setH32(H_RESULT_LEN, itemVlen(p));
  addH64(H_HITS, 1);
  return itemValue(p);
}

/**
 * Stores an item whose key is the `klen` scratch bytes and returns the address
 * where the host must now write its `vlen` value bytes, or a negative status.
 * `ttl` in ms; negative or infinite: never expires.
 */
export function set(klen: u32, vlen: u32, ttl: f64, now: f64): isize {
  tick(now);
  const k = <usize> h32(H_SCRATCH);
  return put(k, klen, vlen, ttl, hashKey(k, klen));
}

/** Deletes the item whose key is the `klen` scratch bytes; 1 if it was there. */
export function del(klen: u32, now: f64): i32 {
  tick(now);
  const k = <usize> h32(H_SCRATCH);
  const h = hashKey(k, klen);
  const slot = idxFind(idxBase(), idxBits(), k, klen, h);
  if (slot == 0) return 0;
  const p = <usize> load<u32>(slot);
  const live = !expired(p);
  unlinkAt(slot, p, h);
  return live ? 1 : 0;
}

/**
 * The first pass of a batch: hashes each key in the scratch records (get
 * records [klen u16][key], set records [klen u16][vlen u32][key][value]),
 * leaves the hash in the key's 8-byte output slot at scratch + `out`, and
 * loads a word of its home bucket so that the misses of the batch overlap.
 * Returns the sum of the loaded words (stored by the caller so the loads stay).
 */
function hashAndTouch(count: u32, out: u32, withValues: bool): u32 {
  const base = idxBase();
  const bits = idxBits();
  const head: usize = withValues ? 6 : 2;
  let touched: u32 = 0;
  let k = <usize> h32(H_SCRATCH);
  let o = k + <usize> out;
  for (let i: u32 = 0; i < count; i++) {
    const klen = <u32> load<u16>(k);
    const h = hashKey(k + head, klen);
    store<u64>(o, h);
    touched += load<u32>(idxBucket(base, bits, h), 16);
    k += head + <usize> klen + (withValues ? <usize> load<u32>(k, 2) : 0);
    o += 8;
  }
  return touched;
}

/**
 * `count` gets in one call. Input at scratch: [klen u16][key] repeated.
 * Results at scratch + `out`: [offset u32][length u32] per get. Values are
 * copied back to back into scratch + `data` .. scratch + `out`; offset is
 * relative to `data`. Offset MISS: not found; offset DEFERRED: a hit that did
 * not fit the region (the host gets it alone); offset NOT_SCALAR: the key holds
 * a collection, whose item type is in the length word.
 */
export function getBatch(count: u32, data: u32, out: u32, now: f64): void {
  tick(now);
  const scratch = <usize> h32(H_SCRATCH);
  const base = idxBase();
  const bits = idxBits();
  // Three passes so that the cache misses of a batch overlap instead of
  // queueing one after the other: (1) hash every key and touch its bucket,
  // (2) touch the first tag-matching item of each, (3) the real lookups, now
  // from cache, copying values out.
  let touched = hashAndTouch(count, out, false);
  let o = scratch + <usize> out;
  for (let i: u32 = 0; i < count; i++) {
    const p = idxPeek(base, bits, load<u64>(o));
    if (p != 0) touched += <u32> load<u8>(p);
    o += 8;
  }
  setH32(H_TOUCHED, touched);
  let k = scratch;
  o = scratch + <usize> out;
  const d0 = scratch + <usize> data;
  let d = d0;
  const dEnd = scratch + <usize> out;
  for (let i: u32 = 0; i < count; i++) {
    const klen = <u32> load<u16>(k);
    const v = find(k + 2, klen, load<u64>(o), dEnd - d);
    if (v == 0) {
      store<u32>(o, MISS);
      store<u32>(o, 0, 4);
    } else if (v == WRONG_TYPE) {
      store<u32>(o, NOT_SCALAR);
      store<u32>(o, h32(H_RES_TYPE), 4);
    } else {
      const n = <usize> h32(H_RESULT_LEN);
      if (v != 1) {
        memory.copy(d, v, n);
        store<u32>(o, <u32> (d - d0));
        d += n;
      } else {
        store<u32>(o, DEFERRED);
      }
      store<u32>(o, <u32> n, 4);
    }
    k += 2 + <usize> klen;
    o += 8;
  }
}

const MISS: u32 = 0xffffffff;

const DEFERRED: u32 = 0xfffffffe;

/** The key holds a collection; the slot's second word is its item type. */
const NOT_SCALAR: u32 = 0xfffffffd;

/**
 * `count` sets in one call, all with the same `ttl`. Input at scratch:
 * [klen u16][vlen u32][key][value] repeated. Output: one i32 status per set
 * (0 stored) in 8-byte slots at scratch + `out`.
 */
export function setBatch(count: u32, out: u32, ttl: f64, now: f64): void {
  tick(now);
  const scratch = <usize> h32(H_SCRATCH);
  // First hash every key and touch its bucket so the misses overlap (see
  // getBatch); the hash waits in the key's output slot.
  setH32(H_TOUCHED, hashAndTouch(count, out, true));
  let k = scratch;
  let o = scratch + <usize> out;
  for (let i: u32 = 0; i < count; i++) {
    const klen = <u32> load<u16>(k);
    const vlen = load<u32>(k, 2);
    const key = k + 6;
    const r = put(key, klen, vlen, ttl, load<u64>(o));
    if (r > 0) memory.copy(<usize> r, key + klen, vlen);
    store<i32>(o, r > 0 ? ST_OK : <i32> r);
    k = key + klen + vlen;
    o += 8;
  }
}

/**
 * Removes every item whose key starts with the `plen` scratch bytes; returns
 * how many were live (not expired at `now`).
 */
export function removePrefix(plen: u32, now: f64): u32 {
  tick(now);
  return removeKeys(<usize> h32(H_SCRATCH), plen);
}

/**
 * The next live item's stored key at or after index position `from`, copied
 * to scratch (length in H_RESULT_LEN); returns the next position, or -1.
 */
export function nextKey(from: u32, now: f64): i32 {
  tick(now);
  return nextIndexKey(from, <usize> h32(H_SCRATCH));
}

/** Unlinks expired items in the next `buckets` index buckets. */
export function sweep(buckets: u32, now: f64): u32 {
  tick(now);
  return sweepIndex(buckets);
}

/** The largest item (header + key + value) a set can store now. */
export function maxItemBytes(): u32 {
  return <u32> ringCapacity(main());
}

/** Bytes used for items: ring occupancy + index + ghost. */
export function usedBytes(): u32 {
  return <u32> used();
}

/** Address of the header (fields in layout.ts / _abi.ts). */
export function header(): usize {
  return hdr();
}

// The slots of the keyspace this shard hosts (protocol/slots.ts): one bit a
// slot, slot s at byte s >> 3, bit s & 7. It lives in the static data of the
// linear memory, so a memory image records which slots the shard holds.
const SLOT_MAP: usize = memory.data(2048);

/** Address of the 2048-byte slot bitmap (all zero in a fresh shard). */
export function slotMap(): usize {
  return SLOT_MAP;
}
