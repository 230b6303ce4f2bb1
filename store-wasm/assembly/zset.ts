// A sorted set in a blob (blob.ts): a skiplist with spans for O(log n) ranks
// (zset_skiplist.ts) plus a member index for O(1) lookup by value
// (zset_index.ts); layout in zset_layout.ts.
//
// `b` is the blob's address; `v, vlen` are value bytes outside the blob.
// Scores are finite f64 (callers reject NaN and infinities). Removed nodes
// and outgrown index tables are left as garbage (counted in Z_GARBAGE) that
// compaction drops. A score change reuses its node, so only adding a value
// can return NEED_ROOM, and then nothing has changed (not even the PRNG).
// Counting: header count = elements, logical = sum(vlen + 8).

import {
  B_COUNT,
  B_LOGICAL,
  blobAlloc,
  blobCap,
  blobCount,
  blobInit,
  blobUsed,
  NEED_ROOM,
} from "./blob";
import {
  compactSlots,
  indexDelete,
  indexFind,
  indexMove,
  indexNode,
  slotsForOneMore,
  tableBytes,
  tableInsert,
  valueHash,
} from "./zset_index";
import {
  HEAD,
  levelFor,
  MAX_LEVEL,
  nBack,
  nextRng,
  nFwd,
  nLevel,
  nodeSize,
  nodeWrite,
  nScore,
  nValue,
  nVlen,
  setBack,
  setLink,
  setWorkNode,
  setWorkRank,
  workNode,
  workRank,
  Z_GARBAGE,
  Z_IDX,
  Z_LEVEL,
  Z_RNG,
  Z_SLOTS,
  Z_TAIL,
  zget,
  zset32,
  ZSET_HEADER,
} from "./zset_layout";
import {
  countBelow,
  linkNode,
  nodeAt,
  rankOf,
  rescore,
  unlinkNode,
} from "./zset_skiplist";

export { ZSET_HEADER } from "./zset_layout";

/** zsetIncrement's result when the new score would not be finite. */
export const NOT_FINITE: i32 = -2;

const RNG_SEED: u32 = 0x2545f491;

/** An empty sorted set in cap bytes; cap >= ZSET_HEADER. */
export function zsetInit(b: usize, cap: u32): void {
  blobInit(b, cap, ZSET_HEADER);
  zset32(b, Z_RNG, RNG_SEED);
  zset32(b, Z_LEVEL, 1);
  zset32(b, Z_TAIL, 0);
  zset32(b, Z_IDX, 0);
  zset32(b, Z_SLOTS, 0);
  zset32(b, Z_GARBAGE, 0);
  nodeWrite(b, HEAD, 0, MAX_LEVEL, 0, 0);
  for (let i: u32 = 0; i < MAX_LEVEL; i++) setLink(b, HEAD, i, 0, 0);
}

/** Bytes of a compact copy: header, nodes, an index at most half full. */
export function zsetCompactSize(b: usize): u32 {
  const slots = zget(b, Z_SLOTS);
  return blobUsed(b) - zget(b, Z_GARBAGE) - tableBytes(slots) +
    tableBytes(compactSlots(blobCount(b)));
}

/**
 * An upper bound of the bytes that adding a value of vlen bytes takes in a
 * compact copy of b: its node at the highest level, plus the index's growth
 * when it would grow. On NEED_ROOM a caller sizes the new blob from
 * zsetCompactSize(b) + zsetRoomFor(b, vlen).
 */
export function zsetRoomFor(b: usize, vlen: u32): u32 {
  const count = blobCount(b);
  const slots = compactSlots(count);
  const grown = slotsForOneMore(count, slots);
  return nodeSize(MAX_LEVEL, vlen) + (grown != slots ? tableBytes(grown) : 0);
}

/** A compact copy of src into dst (no overlap; dstCap >= zsetCompactSize(src)). */
export function zsetCompact(src: usize, dst: usize, dstCap: u32): void {
  const count = blobCount(src);
  zsetInit(dst, dstCap);
  zset32(dst, Z_RNG, zget(src, Z_RNG));
  store<u32>(dst + B_COUNT, count);
  store<u32>(dst + B_LOGICAL, load<u32>(src + B_LOGICAL));
  const slots = compactSlots(count);
  let t: usize = 0;
  if (slots != 0) {
    const off = blobAlloc(dst, tableBytes(slots));
    memory.fill(dst + off, 0, tableBytes(slots));
    zset32(dst, Z_IDX, off);
    zset32(dst, Z_SLOTS, slots);
    t = dst + off;
  }
  // workNode(i): the last node copied with a level i; workRank(i): its rank.
  for (let i: u32 = 0; i < MAX_LEVEL; i++) {
    setWorkNode(i, HEAD);
    setWorkRank(i, 0);
  }
  let top: u32 = 1;
  let prev: u32 = 0;
  let r: u32 = 0;
  let x = nFwd(src, HEAD, 0);
  while (x != 0) {
    const l = nLevel(src, x);
    const vlen = nVlen(src, x);
    const size = nodeSize(l, vlen);
    const y = blobAlloc(dst, size);
    memory.copy(dst + y, src + x, size);
    r++;
    setBack(dst, y, prev);
    for (let i: u32 = 0; i < l; i++) {
      setLink(dst, workNode(i), i, y, r - workRank(i));
      setWorkNode(i, y);
      setWorkRank(i, r);
    }
    if (l > top) top = l;
    tableInsert(t, slots - 1, y, valueHash(nValue(dst, y), vlen));
    prev = y;
    x = nFwd(src, x, 0);
  }
  for (let i: u32 = 0; i < MAX_LEVEL; i++) {
    setLink(dst, workNode(i), i, 0, count - workRank(i));
  }
  zset32(dst, Z_LEVEL, top);
  zset32(dst, Z_TAIL, prev);
}

function addLogical(b: usize, n: i32): void {
  store<u32>(b + B_LOGICAL, <u32> (<i32> load<u32>(b + B_LOGICAL) + n));
}

/** Adds a value known to be absent; 1, or NEED_ROOM with nothing changed. */
function addNew(b: usize, v: usize, vlen: u32, h: u32, score: f64): i32 {
  const count = blobCount(b);
  const slots = zget(b, Z_SLOTS);
  const grown = slotsForOneMore(count, slots);
  const s = nextRng(zget(b, Z_RNG));
  const level = levelFor(s);
  const size = nodeSize(level, vlen);
  const need = <u64> size + <u64> (grown != slots ? tableBytes(grown) : 0);
  if (<u64> blobUsed(b) + need > <u64> blobCap(b)) return NEED_ROOM;
  zset32(b, Z_RNG, s);
  if (grown != slots) {
    const off = blobAlloc(b, tableBytes(grown));
    zset32(b, Z_GARBAGE, zget(b, Z_GARBAGE) + tableBytes(slots));
    indexMove(b, off, grown);
  }
  const x = blobAlloc(b, size);
  nodeWrite(b, x, score, level, v, vlen);
  linkNode(b, x, count);
  tableInsert(b + zget(b, Z_IDX), grown - 1, x, h);
  store<u32>(b + B_COUNT, count + 1);
  addLogical(b, <i32> vlen + 8);
  return 1;
}

/** Sets the score of v: 1 added, 0 updated (or unchanged), or NEED_ROOM. */
export function zsetPut(b: usize, v: usize, vlen: u32, score: f64): i32 {
  const h = valueHash(v, vlen);
  const slot = indexFind(b, v, vlen, h);
  if (slot < 0) return addNew(b, v, vlen, h, score);
  rescore(b, indexNode(b, slot), score, blobCount(b));
  return 0;
}

/**
 * Adds amount to the score of v (an absent value starts at 0) and stores the
 * new score as f64 at out: 1 added, 0 updated, NEED_ROOM, or NOT_FINITE
 * (nothing changed, out untouched).
 */
export function zsetIncrement(
  b: usize,
  v: usize,
  vlen: u32,
  amount: f64,
  out: usize,
): i32 {
  const h = valueHash(v, vlen);
  const slot = indexFind(b, v, vlen, h);
  const x = slot < 0 ? 0 : indexNode(b, slot);
  const score = (x == 0 ? 0 : nScore(b, x)) + amount;
  if (!isFinite(score)) return NOT_FINITE;
  let r: i32 = 0;
  if (x == 0) {
    r = addNew(b, v, vlen, h, score);
  } else {
    rescore(b, x, score, blobCount(b));
  }
  if (r >= 0) store<f64>(out, score);
  return r;
}

/** Removes v; true if it was there. */
export function zsetRemove(b: usize, v: usize, vlen: u32): bool {
  const slot = indexFind(b, v, vlen, valueHash(v, vlen));
  if (slot < 0) return false;
  const x = indexNode(b, slot);
  unlinkNode(b, x);
  indexDelete(b, slot);
  store<u32>(b + B_COUNT, blobCount(b) - 1);
  addLogical(b, -(<i32> vlen + 8));
  zset32(b, Z_GARBAGE, zget(b, Z_GARBAGE) + nodeSize(nLevel(b, x), vlen));
  return true;
}

/** Stores the score of v as f64 at out; false when v is absent. */
export function zsetScore(b: usize, v: usize, vlen: u32, out: usize): bool {
  const slot = indexFind(b, v, vlen, valueHash(v, vlen));
  if (slot < 0) return false;
  store<f64>(out, nScore(b, indexNode(b, slot)));
  return true;
}

/** 0-based rank of v (ascending, or descending when desc); -1 when absent. */
export function zsetRank(b: usize, v: usize, vlen: u32, desc: bool): i32 {
  const slot = indexFind(b, v, vlen, valueHash(v, vlen));
  if (slot < 0) return -1;
  const r = rankOf(b, indexNode(b, slot));
  return desc ? <i32> (blobCount(b) - r) : <i32> r - 1;
}

/**
 * Writes u32 lo, u32 hi at out: the ascending ranks [lo, hi) of the elements
 * with min <= score <= max (a bound is excluded when its flag is set).
 * Unbounded is -Infinity / +Infinity.
 */
export function zsetScoreRange(
  b: usize,
  min: f64,
  minEx: bool,
  max: f64,
  maxEx: bool,
  out: usize,
): void {
  const lo = countBelow(b, min, minEx);
  let hi = countBelow(b, max, !maxEx);
  if (hi < lo) hi = lo;
  store<u32>(out, lo);
  store<u32>(out + 4, hi);
}

/**
 * Writes the elements of ascending ranks [lo, hi) (hi clamped to the count),
 * from lo up, or from hi - 1 down when desc, as [f64 score][u32 vlen][value]
 * each, unaligned; returns the bytes written.
 */
export function zsetWriteRange(
  b: usize,
  lo: u32,
  hi: u32,
  desc: bool,
  out: usize,
): u32 {
  const count = blobCount(b);
  if (hi > count) hi = count;
  if (lo >= hi) return 0;
  let x = nodeAt(b, desc ? hi : lo + 1);
  let p = out;
  for (let k = lo; k < hi; k++) {
    const vlen = nVlen(b, x);
    store<f64>(p, nScore(b, x));
    store<u32>(p + 8, vlen);
    memory.copy(p + 12, nValue(b, x), vlen);
    p += 12 + <usize> vlen;
    x = desc ? nBack(b, x) : nFwd(b, x, 0);
  }
  return <u32> (p - out);
}

/** Bytes in use that a compaction would drop. */
export function zsetGarbage(b: usize): u32 {
  return zget(b, Z_GARBAGE);
}
