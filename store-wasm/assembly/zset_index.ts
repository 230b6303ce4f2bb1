// The member index of a sorted set: value -> node in O(1). An open-addressing
// table, probed linearly, of 8-byte slots [u32 node][u32 hash], where hash is
// the low 32 bits of hashKey(value) and the home slot is hash & (slots - 1).
// Node 0 marks an empty slot. Removal shifts the following run back (no
// tombstones). The table lives in the blob (Z_IDX, Z_SLOTS, zset_layout.ts);
// it grows by doubling into a new allocation at 3/4 load, the old table
// becoming garbage.

import { bytesEqual, hashKey } from "./hash";
import { nValue, nVlen, Z_IDX, Z_SLOTS, zget } from "./zset_layout";

/** Bytes of a table of `slots` slots. */
export function tableBytes(slots: u32): u32 {
  return slots << 3;
}

/** The 32 bits of a value's hash that the index keeps. */
export function valueHash(v: usize, vlen: u32): u32 {
  return <u32> hashKey(v, vlen);
}

/** Slots a table needs to hold `count` members at most half full (0 for none). */
export function compactSlots(count: u32): u32 {
  if (count == 0) return 0;
  let s: u32 = 4;
  while (s < count << 1) s <<= 1;
  return s;
}

/** Slots the table needs before one more member is added (== current when it fits). */
export function slotsForOneMore(count: u32, slots: u32): u32 {
  if (slots == 0) return 4;
  if (<u64> (count + 1) << 2 > <u64> slots * 3) return slots << 1;
  return slots;
}

/** The slot index holding value v, or -1. */
export function indexFind(b: usize, v: usize, vlen: u32, h: u32): i32 {
  const slots = zget(b, Z_SLOTS);
  if (slots == 0) return -1;
  const t = b + zget(b, Z_IDX);
  const mask = slots - 1;
  let i = h & mask;
  while (true) {
    const p = t + (<usize> i << 3);
    const x = load<u32>(p);
    if (x == 0) return -1;
    if (
      load<u32>(p + 4) == h && nVlen(b, x) == vlen &&
      bytesEqual(nValue(b, x), v, vlen)
    ) {
      return <i32> i;
    }
    i = (i + 1) & mask;
  }
}

/** The node held by slot i. */
export function indexNode(b: usize, i: i32): u32 {
  return load<u32>(b + zget(b, Z_IDX) + (<usize> i << 3));
}

/** Puts node x (value hash h) in the first free slot of table t. */
export function tableInsert(t: usize, mask: u32, x: u32, h: u32): void {
  let i = h & mask;
  while (load<u32>(t + (<usize> i << 3)) != 0) i = (i + 1) & mask;
  const p = t + (<usize> i << 3);
  store<u32>(p, x);
  store<u32>(p + 4, h);
}

/** Empties slot i, shifting back the entries whose probe path crosses it. */
export function indexDelete(b: usize, i: i32): void {
  const t = b + zget(b, Z_IDX);
  const mask = zget(b, Z_SLOTS) - 1;
  let hole = <u32> i;
  let j = hole;
  while (true) {
    j = (j + 1) & mask;
    const p = t + (<usize> j << 3);
    if (load<u32>(p) == 0) break;
    const home = load<u32>(p + 4) & mask;
    // The entry at j may stay when its home lies cyclically in (hole, j].
    const stays = hole <= j
      ? hole < home && home <= j
      : hole < home || home <= j;
    if (stays) continue;
    store<u64>(t + (<usize> hole << 3), load<u64>(p));
    hole = j;
  }
  store<u64>(t + (<usize> hole << 3), 0);
}

/**
 * Rehashes the current table into a zeroed table of `slots` slots at offset
 * `off` (already allocated) and makes it current.
 */
export function indexMove(b: usize, off: u32, slots: u32): void {
  const t = b + off;
  memory.fill(t, 0, tableBytes(slots));
  const old = zget(b, Z_SLOTS);
  const ot = b + zget(b, Z_IDX);
  for (let i: u32 = 0; i < old; i++) {
    const p = ot + (<usize> i << 3);
    const x = load<u32>(p);
    if (x != 0) tableInsert(t, slots - 1, x, load<u32>(p + 4));
  }
  store<u32>(b + Z_IDX, off);
  store<u32>(b + Z_SLOTS, slots);
}
