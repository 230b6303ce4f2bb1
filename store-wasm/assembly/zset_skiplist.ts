// The skiplist algorithms of a sorted set (layout in zset_layout.ts), after
// Redis's t_zset.c: insert and unlink with span upkeep, rank of a node, rank
// of a score bound, node at a rank. Order: ascending score, ties by value
// bytes (compareBytes); -0 and +0 compare equal. All O(log n) expected.

import { compareBytes } from "./blob";
import {
  HEAD,
  nBack,
  nFwd,
  nLevel,
  nScore,
  nSpan,
  nValue,
  nVlen,
  setBack,
  setLink,
  setSpan,
  setWorkNode,
  setWorkRank,
  workNode,
  workRank,
  Z_LEVEL,
  Z_TAIL,
  zget,
  zset32,
} from "./zset_layout";

/** True when node x sorts before the element (score, v). */
export function before(
  b: usize,
  x: u32,
  score: f64,
  v: usize,
  vlen: u32,
): bool {
  const s = nScore(b, x);
  if (s != score) return s < score;
  return compareBytes(nValue(b, x), nVlen(b, x), v, vlen) < 0;
}

/**
 * Links node x (score, level and value already written) where it belongs.
 * `linked` is the number of elements currently linked.
 */
export function linkNode(b: usize, x: u32, linked: u32): void {
  const score = nScore(b, x);
  const v = nValue(b, x);
  const vlen = nVlen(b, x);
  let level = zget(b, Z_LEVEL);
  let cur = HEAD;
  for (let i = <i32> level - 1; i >= 0; i--) {
    const li = <u32> i;
    let r: u32 = li == level - 1 ? 0 : workRank(li + 1);
    let f = nFwd(b, cur, li);
    while (f != 0 && before(b, f, score, v, vlen)) {
      r += nSpan(b, cur, li);
      cur = f;
      f = nFwd(b, cur, li);
    }
    setWorkRank(li, r);
    setWorkNode(li, cur);
  }
  const l = nLevel(b, x);
  if (l > level) {
    for (let i = level; i < l; i++) {
      setWorkRank(i, 0);
      setWorkNode(i, HEAD);
      setSpan(b, HEAD, i, linked);
    }
    level = l;
    zset32(b, Z_LEVEL, l);
  }
  const r0 = workRank(0);
  for (let i: u32 = 0; i < l; i++) {
    const u = workNode(i);
    const d = r0 - workRank(i);
    setLink(b, x, i, nFwd(b, u, i), nSpan(b, u, i) - d);
    setLink(b, u, i, x, d + 1);
  }
  for (let i = l; i < level; i++) {
    const u = workNode(i);
    setSpan(b, u, i, nSpan(b, u, i) + 1);
  }
  const u0 = workNode(0);
  setBack(b, x, u0 == HEAD ? 0 : u0);
  const f0 = nFwd(b, x, 0);
  if (f0 != 0) setBack(b, f0, x);
  else zset32(b, Z_TAIL, x);
}

/** Unlinks node x from every level; the node's bytes stay as they are. */
export function unlinkNode(b: usize, x: u32): void {
  const score = nScore(b, x);
  const v = nValue(b, x);
  const vlen = nVlen(b, x);
  let level = zget(b, Z_LEVEL);
  let cur = HEAD;
  for (let i = <i32> level - 1; i >= 0; i--) {
    const li = <u32> i;
    let f = nFwd(b, cur, li);
    while (f != 0 && f != x && before(b, f, score, v, vlen)) {
      cur = f;
      f = nFwd(b, cur, li);
    }
    setWorkNode(li, cur);
  }
  for (let i: u32 = 0; i < level; i++) {
    const u = workNode(i);
    if (nFwd(b, u, i) == x) {
      setLink(b, u, i, nFwd(b, x, i), nSpan(b, u, i) + nSpan(b, x, i) - 1);
    } else {
      setSpan(b, u, i, nSpan(b, u, i) - 1);
    }
  }
  const f0 = nFwd(b, x, 0);
  if (f0 != 0) setBack(b, f0, nBack(b, x));
  else zset32(b, Z_TAIL, nBack(b, x));
  while (level > 1 && nFwd(b, HEAD, level - 1) == 0) level--;
  zset32(b, Z_LEVEL, level);
}

/**
 * Changes the score of linked node x. In place when the order is kept,
 * else unlinked and relinked (the node is reused: no allocation).
 */
export function rescore(b: usize, x: u32, score: f64, count: u32): void {
  const v = nValue(b, x);
  const vlen = nVlen(b, x);
  const back = nBack(b, x);
  const next = nFwd(b, x, 0);
  if (
    (back == 0 || before(b, back, score, v, vlen)) &&
    (next == 0 || !before(b, next, score, v, vlen))
  ) {
    store<f64>(b + x, score);
    return;
  }
  unlinkNode(b, x);
  store<f64>(b + x, score);
  linkNode(b, x, count - 1);
}

/** 1-based rank of linked node x. */
export function rankOf(b: usize, x: u32): u32 {
  const score = nScore(b, x);
  const v = nValue(b, x);
  const vlen = nVlen(b, x);
  let cur = HEAD;
  let r: u32 = 0;
  for (let i = <i32> zget(b, Z_LEVEL) - 1; i >= 0; i--) {
    const li = <u32> i;
    let f = nFwd(b, cur, li);
    while (f != 0 && (f == x || before(b, f, score, v, vlen))) {
      r += nSpan(b, cur, li);
      cur = f;
      if (cur == x) return r;
      f = nFwd(b, cur, li);
    }
  }
  return r;
}

/** Elements whose score is below s (or at most s when `orEqual`). */
export function countBelow(b: usize, s: f64, orEqual: bool): u32 {
  let cur = HEAD;
  let r: u32 = 0;
  for (let i = <i32> zget(b, Z_LEVEL) - 1; i >= 0; i--) {
    const li = <u32> i;
    let f = nFwd(b, cur, li);
    while (f != 0) {
      const fs = nScore(b, f);
      if (!(fs < s || (orEqual && fs == s))) break;
      r += nSpan(b, cur, li);
      cur = f;
      f = nFwd(b, cur, li);
    }
  }
  return r;
}

/** The node of 1-based rank r (1 <= r <= count). */
export function nodeAt(b: usize, r: u32): u32 {
  let cur = HEAD;
  let t: u32 = 0;
  for (let i = <i32> zget(b, Z_LEVEL) - 1; i >= 0; i--) {
    const li = <u32> i;
    let f = nFwd(b, cur, li);
    while (f != 0 && t + nSpan(b, cur, li) <= r) {
      t += nSpan(b, cur, li);
      cur = f;
      f = nFwd(b, cur, li);
    }
    if (t == r) return cur;
  }
  return 0;
}
