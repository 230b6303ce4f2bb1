// Test-only entry: thin exports over the sorted set (zset.ts) plus an
// invariant checker, compiled to build/zset_test.wasm by ../zset_test.ts.
// Not part of the core module.

import { blobCount, blobLogical, blobUsed, compareBytes } from "./blob";
import {
  NOT_FINITE,
  zsetCompact,
  zsetCompactSize,
  zsetGarbage,
  zsetIncrement,
  zsetInit,
  zsetPut,
  zsetRank,
  zsetRemove,
  zsetRoomFor,
  zsetScore,
  zsetScoreRange,
  zsetWriteRange,
} from "./zset";
import { indexFind, indexNode, tableBytes, valueHash } from "./zset_index";
import {
  HEAD,
  MAX_LEVEL,
  nBack,
  nFwd,
  nLevel,
  nodeSize,
  nScore,
  nSpan,
  nValue,
  nVlen,
  Z_IDX,
  Z_LEVEL,
  Z_SLOTS,
  Z_TAIL,
  zget,
  ZSET_HEADER,
} from "./zset_layout";

export function heapBase(): usize {
  return __heap_base;
}

export function headerSize(): u32 {
  return ZSET_HEADER;
}

export function notFinite(): i32 {
  return NOT_FINITE;
}

export function init(b: usize, cap: u32): void {
  zsetInit(b, cap);
}

export function compactSize(b: usize): u32 {
  return zsetCompactSize(b);
}

export function compact(src: usize, dst: usize, cap: u32): void {
  zsetCompact(src, dst, cap);
}

export function roomFor(b: usize, vlen: u32): u32 {
  return zsetRoomFor(b, vlen);
}

export function garbage(b: usize): u32 {
  return zsetGarbage(b);
}

export function used(b: usize): u32 {
  return blobUsed(b);
}

export function count(b: usize): u32 {
  return blobCount(b);
}

export function logical(b: usize): u32 {
  return blobLogical(b);
}

export function put(b: usize, v: usize, vlen: u32, score: f64): i32 {
  return zsetPut(b, v, vlen, score);
}

export function increment(
  b: usize,
  v: usize,
  vlen: u32,
  amount: f64,
  out: usize,
): i32 {
  return zsetIncrement(b, v, vlen, amount, out);
}

export function remove(b: usize, v: usize, vlen: u32): bool {
  return zsetRemove(b, v, vlen);
}

export function score(b: usize, v: usize, vlen: u32, out: usize): bool {
  return zsetScore(b, v, vlen, out);
}

export function rank(b: usize, v: usize, vlen: u32, desc: bool): i32 {
  return zsetRank(b, v, vlen, desc);
}

export function scoreRange(
  b: usize,
  min: f64,
  minEx: bool,
  max: f64,
  maxEx: bool,
  out: usize,
): void {
  zsetScoreRange(b, min, minEx, max, maxEx, out);
}

export function writeRange(
  b: usize,
  lo: u32,
  hi: u32,
  desc: bool,
  out: usize,
): u32 {
  return zsetWriteRange(b, lo, hi, desc, out);
}

/** Levels in use. */
export function levels(b: usize): u32 {
  return zget(b, Z_LEVEL);
}

/** Nodes linked at level i. */
export function levelCount(b: usize, i: u32): u32 {
  let n: u32 = 0;
  for (let x = nFwd(b, HEAD, i); x != 0; x = nFwd(b, x, i)) n++;
  return n;
}

/**
 * Checks every invariant of the structure; 0 when sound, else the number of
 * the first broken rule.
 */
export function check(b: usize): i32 {
  // Level 0: order, back links, tail, count, logical, bytes in use.
  const n = blobCount(b);
  let x = nFwd(b, HEAD, 0);
  let prev: u32 = 0;
  let seen: u32 = 0;
  let sumLogical: u32 = 0;
  let live: u32 = ZSET_HEADER + tableBytes(zget(b, Z_SLOTS));
  while (x != 0) {
    if (nBack(b, x) != prev) return 1;
    if (prev != 0) {
      const ps = nScore(b, prev);
      const xs = nScore(b, x);
      if (ps > xs) return 2;
      if (
        ps == xs &&
        compareBytes(
            nValue(b, prev),
            nVlen(b, prev),
            nValue(b, x),
            nVlen(b, x),
          ) >=
          0
      ) return 3;
    }
    const l = nLevel(b, x);
    if (l < 1 || l > MAX_LEVEL) return 4;
    seen++;
    sumLogical += nVlen(b, x) + 8;
    live += nodeSize(l, nVlen(b, x));
    const v = nValue(b, x);
    const slot = indexFind(b, v, nVlen(b, x), valueHash(v, nVlen(b, x)));
    if (slot < 0 || indexNode(b, slot) != x) return 5;
    prev = x;
    x = nFwd(b, x, 0);
  }
  if (seen != n) return 6;
  if (sumLogical != blobLogical(b)) return 7;
  if (zget(b, Z_TAIL) != prev) return 8;
  if (live + zsetGarbage(b) != blobUsed(b)) return 9;
  // The index holds exactly the live nodes, at most 3/4 full.
  const slots = zget(b, Z_SLOTS);
  let filled: u32 = 0;
  const t = b + zget(b, Z_IDX);
  for (let i: u32 = 0; i < slots; i++) {
    if (load<u32>(t + (<usize> i << 3)) != 0) filled++;
  }
  if (filled != n) return 10;
  if (<u64> filled * 4 > <u64> slots * 3) return 11;
  // Every level: links skip exactly `span` level-0 nodes, all lower.
  const level = zget(b, Z_LEVEL);
  if (level < 1 || level > MAX_LEVEL) return 12;
  for (let i = level; i < MAX_LEVEL; i++) {
    if (nFwd(b, HEAD, i) != 0) return 13;
  }
  if (level > 1 && nFwd(b, HEAD, level - 1) == 0) return 14;
  for (let i: u32 = 0; i < level; i++) {
    let cur = HEAD;
    let r: u32 = 0;
    let z = HEAD;
    while (true) {
      const f = nFwd(b, cur, i);
      const span = nSpan(b, cur, i);
      if (f == 0) {
        if (span != n - r) return 15;
        // no node after cur may reach level i
        z = nFwd(b, z, 0);
        while (z != 0) {
          if (nLevel(b, z) > i) return 16;
          z = nFwd(b, z, 0);
        }
        break;
      }
      if (span == 0) return 17;
      for (let k: u32 = 0; k < span; k++) {
        z = nFwd(b, z, 0);
        if (z == 0) return 18;
        if (k + 1 < span && nLevel(b, z) > i) return 19;
      }
      if (z != f) return 20;
      r += span;
      cur = f;
    }
  }
  return 0;
}
