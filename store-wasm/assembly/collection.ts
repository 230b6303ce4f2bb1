// The plumbing every collection operation shares: finding the collection's
// item, type checks, creation, relocation, limits, the collection TTL rule and
// the result stream.
//
// A collection is ONE ring item whose value is a blob (blob.ts) and whose type
// is in the item's flags (item.ts). Eviction, expiry, the index and flush
// treat it as any item. Mutations happen in place; when a blob lacks room the
// operation relocates it: a compact, bigger copy is first written to the
// extension region (ext.ts), then stored as a new item under the same key with
// the same expiry (which unlinks the old one), so reserving ring space may
// evict or move the old copy without harm.

import {
  h32,
  H_ARG_FLAGS,
  H_ARG_MAX_COUNT,
  H_ARG_MAX_LOGICAL,
  H_ARG_TTL,
  H_ARG_X,
  H_ARG_Y,
  H_RES_COUNT,
  H_RES_PTR,
  H_RES_TYPE,
  H_RESULT_LEN,
  hdr,
  setH32,
  ST_LIMIT_COUNT,
  ST_LIMIT_SIZE,
  ST_MISS,
  ST_NO_MEMORY,
  ST_OK,
  ST_TOO_LARGE,
  ST_WRONG_TYPE,
} from "./layout";
import {
  headerSize,
  itemExpiry,
  itemType,
  itemValue,
  setItemExpiry,
  setItemType,
  T_LIST,
  T_SORTED_SET,
  touch,
} from "./item";
import { findItem, main, unlink } from "./shard";
import { ringCapacity } from "./ring";
import { expiryFor, putAt } from "./write";
import { tmpAlloc } from "./ext";
import { blobCap, blobCount } from "./blob";
import { dictCompact, dictCompactSize, dictInit, slotsFor } from "./dict";
import { listCompact, listCompactSize, listInit, listSlotsFor } from "./list";
import { zsetCompact, zsetCompactSize, zsetInit } from "./zset";

/** Op flags (H_ARG_FLAGS). */
export const F_REFRESH: u32 = 1;

/** List: the front end. Sorted set: descending order. */
export const F_FRONT: u32 = 2;

export const F_MIN_EX: u32 = 4;

export const F_MAX_EX: u32 = 8;

export function flag(f: u32): bool {
  return (h32(H_ARG_FLAGS) & f) != 0;
}

/**
 * The live collection of type t at key k: its item address, 0 when absent,
 * or ST_WRONG_TYPE (the type found in H_RES_TYPE). Counts as an access.
 */
export function findColl(k: usize, klen: u32, h: u64, t: u32): isize {
  const p = findItem(k, klen, h);
  if (p == 0) return 0;
  if (itemType(p) != t) {
    setH32(H_RES_TYPE, itemType(p));
    return ST_WRONG_TYPE;
  }
  touch(p);
  return <isize> p;
}

/** As findColl, but ST_MISS when the collection is absent. */
export function findExisting(k: usize, klen: u32, h: u64, t: u32): isize {
  const r = findColl(k, klen, h, t);
  return r == 0 ? ST_MISS : r;
}

/** The largest blob a key of klen bytes can have in this shard now. */
export function maxBlob(klen: u32): u32 {
  const ring = <u32> ringCapacity(main());
  return ring > 12 + klen ? ring - 12 - klen : 0;
}

/** ST_OK, or the limit a collection of `count` elements and `logical` bytes passes. */
export function checkLimits(count: u64, logical: u64): i32 {
  if (count > <u64> h32(H_ARG_MAX_COUNT)) return ST_LIMIT_COUNT;
  if (logical > <u64> h32(H_ARG_MAX_LOGICAL)) return ST_LIMIT_SIZE;
  return ST_OK;
}

/** The blob capacity for `want` bytes: doubled for growth, within the shard's bounds; 0 if none fits. */
function capFor(klen: u32, want: u64): u32 {
  const max = <u64> maxBlob(klen);
  if (want > max) return 0;
  const cap = want * 2 < 256 ? <u64> 256 : want * 2;
  return <u32> (cap < max ? cap : max);
}

/** Item address of the item whose value is at v. */
function itemOf(v: usize, klen: u32, vlen: u32): usize {
  return v - klen - headerSize(klen, vlen);
}

/**
 * Creates an empty collection of type t under key k with room for `want`
 * bytes (the structure's header included) and `slots` slots (dictionaries,
 * sets, lists); its expiry from the call's TTL. Returns the item address or
 * a negative status.
 */
export function create(
  k: usize,
  klen: u32,
  h: u64,
  t: u32,
  want: u64,
  slots: u32,
): isize {
  const cap = capFor(klen, want);
  if (cap == 0) return ST_TOO_LARGE;
  const v = putAt(k, klen, cap, expiryFor(load<f64>(hdr() + H_ARG_TTL)), h);
  if (v < 0) return v;
  const p = itemOf(<usize> v, klen, cap);
  setItemType(p, t);
  const b = <usize> v;
  if (t == T_LIST) listInit(b, cap, slots);
  else if (t == T_SORTED_SET) zsetInit(b, cap);
  else dictInit(b, cap, slots);
  return <isize> p;
}

/**
 * Relocates the collection at item p into a compact copy with room for
 * `need` more bytes and `slots` slots (dictionaries, sets, lists: the new
 * table or array size). Returns the new item address or a negative status;
 * on ST_TOO_LARGE before anything was written, the old item is intact.
 */
export function relocate(
  p: usize,
  k: usize,
  klen: u32,
  h: u64,
  need: u64,
  slots: u32,
): isize {
  const t = itemType(p);
  const b = itemValue(p);
  const cap = capFor(klen, <u64> compactSize(b, t, slots) + need);
  if (cap == 0) return ST_TOO_LARGE;
  const tmp = tmpAlloc(cap);
  if (tmp == 0) return ST_NO_MEMORY;
  if (t == T_LIST) listCompact(b, tmp, cap, slots);
  else if (t == T_SORTED_SET) zsetCompact(b, tmp, cap);
  else dictCompact(b, tmp, cap, slots);
  const v = putAt(k, klen, cap, itemExpiry(p), h);
  if (v < 0) return v;
  memory.copy(<usize> v, tmp, cap);
  const q = itemOf(<usize> v, klen, cap);
  setItemType(q, t);
  return <isize> q;
}

/** Bytes of a compact copy of blob b (a collection of type t) with `slots` slots. */
function compactSize(b: usize, t: u32, slots: u32): u32 {
  if (t == T_LIST) return listCompactSize(b, slots);
  if (t == T_SORTED_SET) return zsetCompactSize(b);
  return dictCompactSize(b, slots);
}

/**
 * After removals from the collection at p: compacts its blob when a compact
 * copy would fill a quarter of it or less (best effort).
 */
export function shrink(p: usize, k: usize, klen: u32, h: u64): void {
  const b = itemValue(p);
  const cap = blobCap(b);
  const t = itemType(p);
  const slots = t == T_LIST
    ? listSlotsFor(blobCount(b))
    : t == T_SORTED_SET
    ? 0
    : slotsFor(blobCount(b));
  if (cap < 4096 || <u64> compactSize(b, t, slots) * 4 > <u64> cap) return;
  relocate(p, k, klen, h, 0, slots);
}

/** After a write to the collection at p: the TTL rule (creation set it already). */
export function wrote(p: usize, created: bool): void {
  const ttl = load<f64>(hdr() + H_ARG_TTL);
  if (!created && ttl >= 0 && flag(F_REFRESH)) {
    setItemExpiry(p, expiryFor(ttl));
  }
}

/** Removes the item at p when its collection is empty; true if removed. */
export function dropIfEmpty(p: usize): bool {
  if (blobCount(itemValue(p)) != 0) return false;
  unlink(p);
  return true;
}

/**
 * The start of the slice H_ARG_X..H_ARG_Y of n elements (a position, negative
 * from the end; NaN: from the start), clamped to [0, n].
 */
export function sliceFrom(n: u32): u32 {
  return bound(load<f64>(hdr() + H_ARG_X), n, 0);
}

/** The end of that slice (NaN: n), never before `from`. */
export function sliceTo(n: u32, from: u32): u32 {
  const to = bound(load<f64>(hdr() + H_ARG_Y), n, n);
  return to < from ? from : to;
}

function bound(x: f64, n: u32, dflt: u32): u32 {
  if (isNaN(x)) return dflt;
  let t = Math.trunc(x);
  if (t < 0) t += <f64> n;
  if (t < 0) return 0;
  return t > <f64> n ? n : <u32> t;
}

/** Allocates the result stream of n bytes; 0 when memory cannot grow. */
export function result(n: usize, count: u32): usize {
  const r = tmpAlloc(n);
  setH32(H_RES_PTR, <u32> r);
  setH32(H_RESULT_LEN, <u32> n);
  setH32(H_RES_COUNT, count);
  return r;
}
