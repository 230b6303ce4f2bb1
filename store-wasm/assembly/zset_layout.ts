// The memory layout of a sorted set inside its blob (see blob.ts): a skiplist
// with span counts per level (Redis zskiplist style) for O(log n) ranks, plus
// a member index (zset_index.ts) from a value to its node.
//
//   0    common blob header [cap][used][count][logical]         16 bytes
//   16   u32 rng        xorshift32 state for node levels (never 0)
//   20   u32 level      levels in use (1..MAX_LEVEL)
//   24   u32 tail       last node, 0 when empty
//   28   u32 idx        member index table, 0 when it has no slots
//   32   u32 slots      member index capacity (0 or a power of two)
//   36   u32 garbage    bytes of unlinked nodes and old tables (compaction drops them)
//   40   head node      a node of MAX_LEVEL levels, no value
//   185  nodes and index tables, bump-allocated
//
//   node: [f64 score][u32 backward][u32 vlen][u8 level]
//         [u32 forward, u32 span] x level   [value bytes]
//
// Every reference is a u32 offset from the blob start; 0 is "none" (the head
// is never a backward target). The span of a level's link is the rank
// distance it jumps; a last link's span is the distance to the end. Nothing
// is aligned: blobs are packed byte-tight in the rings.

import { BLOB_HEADER } from "./blob";

export const Z_RNG: usize = BLOB_HEADER;

export const Z_LEVEL: usize = BLOB_HEADER + 4;

export const Z_TAIL: usize = BLOB_HEADER + 8;

export const Z_IDX: usize = BLOB_HEADER + 12;

export const Z_SLOTS: usize = BLOB_HEADER + 16;

export const Z_GARBAGE: usize = BLOB_HEADER + 20;

/** Offset of the head node. */
export const HEAD: u32 = BLOB_HEADER + 24;

/** 4^16 elements before the top level gets crowded: far above any item size limit. */
export const MAX_LEVEL: u32 = 16;

const N_BACK: usize = 8;

const N_VLEN: usize = 12;

const N_LEVEL: usize = 16;

const N_LINKS: usize = 17;

/** Bytes of a node of `level` levels holding `vlen` value bytes. */
export function nodeSize(level: u32, vlen: u32): u32 {
  return <u32> N_LINKS + (level << 3) + vlen;
}

/** Blob header plus head node: the smallest sorted set. */
export const ZSET_HEADER: u32 = HEAD + <u32> N_LINKS + (MAX_LEVEL << 3);

export function zget(b: usize, field: usize): u32 {
  return load<u32>(b + field);
}

export function zset32(b: usize, field: usize, v: u32): void {
  store<u32>(b + field, v);
}

export function nScore(b: usize, x: u32): f64 {
  return load<f64>(b + x);
}

export function nBack(b: usize, x: u32): u32 {
  return load<u32>(b + x + N_BACK);
}

export function setBack(b: usize, x: u32, y: u32): void {
  store<u32>(b + x + N_BACK, y);
}

export function nVlen(b: usize, x: u32): u32 {
  return load<u32>(b + x + N_VLEN);
}

export function nLevel(b: usize, x: u32): u32 {
  return <u32> load<u8>(b + x + N_LEVEL);
}

/** Address of the value bytes of node x. */
export function nValue(b: usize, x: u32): usize {
  return b + x + N_LINKS + (<usize> nLevel(b, x) << 3);
}

export function nFwd(b: usize, x: u32, i: u32): u32 {
  return load<u32>(b + x + N_LINKS + (<usize> i << 3));
}

export function nSpan(b: usize, x: u32, i: u32): u32 {
  return load<u32>(b + x + N_LINKS + (<usize> i << 3) + 4);
}

export function setLink(b: usize, x: u32, i: u32, fwd: u32, span: u32): void {
  const p = b + x + N_LINKS + (<usize> i << 3);
  store<u32>(p, fwd);
  store<u32>(p + 4, span);
}

export function setSpan(b: usize, x: u32, i: u32, span: u32): void {
  store<u32>(b + x + N_LINKS + (<usize> i << 3) + 4, span);
}

/** Writes a node's fixed fields and value; its links are set by the caller. */
export function nodeWrite(
  b: usize,
  x: u32,
  score: f64,
  level: u32,
  v: usize,
  vlen: u32,
): void {
  store<f64>(b + x, score);
  store<u32>(b + x + N_BACK, 0);
  store<u32>(b + x + N_VLEN, vlen);
  store<u8>(b + x + N_LEVEL, <u8> level);
  memory.copy(b + x + N_LINKS + (<usize> level << 3), v, vlen);
}

/**
 * Per-level work arrays of the skiplist algorithms (update[] and rank[] in
 * Redis): transient, never state, so static memory is fine.
 */
export const WORK_NODE: usize = memory.data(<i32> MAX_LEVEL << 2);

export const WORK_RANK: usize = memory.data(<i32> MAX_LEVEL << 2);

export function workNode(i: u32): u32 {
  return load<u32>(WORK_NODE + (<usize> i << 2));
}

export function setWorkNode(i: u32, x: u32): void {
  store<u32>(WORK_NODE + (<usize> i << 2), x);
}

export function workRank(i: u32): u32 {
  return load<u32>(WORK_RANK + (<usize> i << 2));
}

export function setWorkRank(i: u32, r: u32): void {
  store<u32>(WORK_RANK + (<usize> i << 2), r);
}

/** xorshift32 step. */
export function nextRng(s: u32): u32 {
  s ^= s << 13;
  s ^= s >> 17;
  s ^= s << 5;
  return s;
}

/** The level a node gets from PRNG state s: P(level > k) = 4^-k. */
export function levelFor(s: u32): u32 {
  const l: u32 = 1 + (ctz<u32>(s) >> 1);
  return l < MAX_LEVEL ? l : MAX_LEVEL;
}
