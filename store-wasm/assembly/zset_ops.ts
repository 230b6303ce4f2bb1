// Sorted-set operations over zset.ts. `k, klen, h`: the item's key and hash;
// the payload is [pay, end).
//
// Payloads: puts  n x [f64 score][u32 vlen][value]
//           values to read or remove  n x [u32 vlen][value]
// Results (stream): ranges  n x [f64 score][u32 vlen][value] (zsetWriteRange)
//                   scores  n x [u8 found][f64 score]

import {
  h32,
  H_ARG_A,
  H_ARG_B,
  H_ARG_X,
  H_ARG_Y,
  H_RES_COUNT,
  H_RES_F64,
  H_RESULT_LEN,
  hdr,
  setH32,
  ST_MISS,
  ST_NO_MEMORY,
  ST_NOT_FINITE,
  ST_OK,
} from "./layout";
import { blobCount, blobLogical, NEED_ROOM } from "./blob";
import {
  checkLimits,
  create,
  dropIfEmpty,
  F_FRONT,
  F_MAX_EX,
  F_MIN_EX,
  findColl,
  findExisting,
  flag,
  relocate,
  result,
  shrink,
  sliceFrom,
  sliceTo,
  wrote,
} from "./collection";
import { itemValue, T_SORTED_SET } from "./item";
import {
  NOT_FINITE,
  ZSET_HEADER,
  zsetIncrement,
  zsetPut,
  zsetRank,
  zsetRemove,
  zsetRoomFor,
  zsetScore,
  zsetScoreRange,
  zsetWriteRange,
} from "./zset";

/** Where scores and ranges are written during a call. */
function scratchF64(): usize {
  return hdr() + H_RES_F64;
}

/** A blob estimate for n new values of `bytes` value bytes. */
function estimate(n: u64, bytes: u64): u64 {
  return <u64> ZSET_HEADER + bytes + n * 48;
}

/** Sets scores (distinct values: the host dedupes), checking limits first. */
export function zsetPutAll(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findColl(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  let p = <usize> r;
  const b = p != 0 ? itemValue(p) : 0;
  let add: u64 = 0;
  let bytes: u64 = 0;
  let logical: u64 = b != 0 ? <u64> blobLogical(b) : 0;
  for (let q = pay; q < end;) {
    const vlen = load<u32>(q, 8);
    if (b == 0 || !zsetScore(b, q + 12, vlen, scratchF64())) {
      add++;
      logical += <u64> vlen + 8;
      bytes += <u64> vlen;
    }
    q += 12 + <usize> vlen;
  }
  const st = checkLimits((b != 0 ? <u64> blobCount(b) : 0) + add, logical);
  if (st != ST_OK) return st;
  let created = false;
  if (p == 0) {
    if (add == 0) return ST_OK; // nothing is created empty
    const c = create(k, klen, h, T_SORTED_SET, estimate(add, bytes), 0);
    if (c < 0) return <i32> c;
    p = <usize> c;
    created = true;
  }
  for (let q = pay; q < end;) {
    const vlen = load<u32>(q, 8);
    while (zsetPut(itemValue(p), q + 12, vlen, load<f64>(q)) == NEED_ROOM) {
      const b = itemValue(p);
      const need = <u64> zsetRoomFor(b, vlen) + estimate(add, bytes);
      const c = relocate(p, k, klen, h, need, 0);
      if (c < 0) return <i32> c;
      p = <usize> c;
    }
    q += 12 + <usize> vlen;
  }
  wrote(p, created);
  return ST_OK;
}

/** Adds H_ARG_X to the payload value's score (new: from 0); the score in H_RES_F64. */
export function zsetAdd(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findColl(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  let p = <usize> r;
  const vlen = <u32> (end - pay);
  const amount = load<f64>(hdr() + H_ARG_X);
  let created = false;
  const b = p != 0 ? itemValue(p) : 0;
  if (b == 0 || !zsetScore(b, pay, vlen, scratchF64())) {
    const count = b != 0 ? <u64> blobCount(b) : 0;
    const logical = b != 0 ? <u64> blobLogical(b) : 0;
    const st = checkLimits(count + 1, logical + vlen + 8);
    if (st != ST_OK) return st;
    if (!isFinite(amount)) return ST_NOT_FINITE;
  }
  if (p == 0) {
    const c = create(k, klen, h, T_SORTED_SET, estimate(1, vlen), 0);
    if (c < 0) return <i32> c;
    p = <usize> c;
    created = true;
  }
  while (true) {
    const res = zsetIncrement(itemValue(p), pay, vlen, amount, scratchF64());
    if (res == NOT_FINITE) return ST_NOT_FINITE;
    if (res != NEED_ROOM) break;
    const need = <u64> zsetRoomFor(itemValue(p), vlen);
    const c = relocate(p, k, klen, h, need, 0);
    if (c < 0) return <i32> c;
    p = <usize> c;
  }
  wrote(p, created);
  return ST_OK;
}

/** Removes values; the last one removes the item. ST_MISS when absent. */
export function zsetDelete(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  const b = itemValue(p);
  for (let q = pay; q < end;) {
    const vlen = load<u32>(q);
    zsetRemove(b, q + 4, vlen);
    q += 4 + <usize> vlen;
  }
  if (!dropIfEmpty(p)) shrink(p, k, klen, h);
  return ST_OK;
}

/** Scores of the payload's values, in order; ST_MISS when absent. */
export function zsetScores(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  let n: u32 = 0;
  for (let q = pay; q < end; q += 4 + <usize> load<u32>(q)) n++;
  let o = result(<usize> n * 9, n);
  if (o == 0) return ST_NO_MEMORY;
  for (let q = pay; q < end;) {
    const vlen = load<u32>(q);
    const found = zsetScore(b, q + 4, vlen, o + 1);
    store<u8>(o, found ? 1 : 0);
    if (!found) store<f64>(o + 1, 0);
    o += 9;
    q += 4 + <usize> vlen;
  }
  return ST_OK;
}

/** Rank of the payload value (F_FRONT: descending) in H_RES_COUNT; ST_MISS when absent. */
export function zsetRankOf(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  const rank = zsetRank(
    itemValue(<usize> r),
    pay,
    <u32> (end - pay),
    flag(F_FRONT),
  );
  if (rank < 0) return ST_MISS;
  setH32(H_RES_COUNT, <u32> rank);
  return ST_OK;
}

/** Writes ascending ranks [lo, hi) in the call's order to the result. */
function writeRange(b: usize, lo: u32, hi: u32): i32 {
  const n = hi > lo ? hi - lo : 0;
  const o = result(<usize> blobLogical(b) + <usize> blobCount(b) * 4, n);
  if (o == 0) return ST_NO_MEMORY;
  const len = n == 0 ? 0 : zsetWriteRange(b, lo, hi, flag(F_FRONT), o);
  setH32(H_RESULT_LEN, len);
  return ST_OK;
}

/** Elements of the rank slice H_ARG_X..H_ARG_Y (NaN: default) in order; ST_MISS when absent. */
export function zsetByRank(k: usize, klen: u32, h: u64): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  const n = blobCount(b);
  const from = sliceFrom(n);
  const to = sliceTo(n, from);
  // a descending slice [from, to) is ascending [n - to, n - from)
  return flag(F_FRONT)
    ? writeRange(b, n - to, n - from)
    : writeRange(b, from, to);
}

/** Ascending ranks [lo, hi) of the score range at scratchF64 (two u32). */
function scoreRange(b: usize): void {
  const hd = hdr();
  zsetScoreRange(
    b,
    load<f64>(hd + H_ARG_X),
    flag(F_MIN_EX),
    load<f64>(hd + H_ARG_Y),
    flag(F_MAX_EX),
    scratchF64(),
  );
}

/** Elements in the score range, in order, after H_ARG_A skipped, at most H_ARG_B (negative: all). */
export function zsetByScore(k: usize, klen: u32, h: u64): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  scoreRange(b);
  const lo = load<u32>(scratchF64());
  const hi = load<u32>(scratchF64(), 4);
  const offset = <u64> h32(H_ARG_A);
  const limit = <i32> h32(H_ARG_B);
  const span = <u64> (hi > lo ? hi - lo : 0);
  const skip = offset < span ? offset : span;
  let take = span - skip;
  if (limit >= 0 && <u64> limit < take) take = <u64> limit;
  if (flag(F_FRONT)) {
    const e = hi - <u32> skip;
    return writeRange(b, e - <u32> take, e);
  }
  const s = lo + <u32> skip;
  return writeRange(b, s, s + <u32> take);
}

/** How many elements are in the score range, in H_RES_COUNT; ST_MISS when absent. */
export function zsetCountByScore(k: usize, klen: u32, h: u64): i32 {
  const r = findExisting(k, klen, h, T_SORTED_SET);
  if (r < 0) return <i32> r;
  scoreRange(itemValue(<usize> r));
  const lo = load<u32>(scratchF64());
  const hi = load<u32>(scratchF64(), 4);
  setH32(H_RES_COUNT, hi > lo ? hi - lo : 0);
  return ST_OK;
}
