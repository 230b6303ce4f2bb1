// The hash table of dictionaries and sets (a set is a dictionary whose values
// are empty), laid out in a blob (blob.ts):
//
//   [0..16)  common blob header: cap, used, count, logical
//   [16] u32 table offset   [20] u32 slots (a power of two)
//   [24] u32 tombstones     [28] u32 garbage: bytes of dead entries
//   [32 ..)  table: slots x [u32 hash][u32 entry offset]  (0 empty, 1 tombstone)
//   then     entries, bump-allocated: [u32 flen][u32 vlen][field][value]
//
// Open addressing with linear probing; at most 3/4 of the slots are used or
// tombstones. Removing an entry leaves a tombstone and garbage; the table
// never grows in place: an insert that lacks a slot or bytes makes the caller
// relocate the blob into a compact copy with a bigger table (collection.ts),
// which drops tombstones and garbage.

import { hashKey } from "./hash";
import {
  B_COUNT,
  B_LOGICAL,
  B_USED,
  blobAlloc,
  blobCap,
  blobCount,
  blobInit,
  blobLogical,
  blobUsed,
} from "./blob";

export const DICT_HEADER: u32 = 32;

const D_TABLE: usize = 16;

const D_SLOTS: usize = 20;

const D_TOMBS: usize = 24;

const D_GARBAGE: usize = 28;

const EMPTY: u32 = 0;

const TOMB: u32 = 1;

export function dictSlots(b: usize): u32 {
  return load<u32>(b, D_SLOTS);
}

export function dictGarbage(b: usize): u32 {
  return load<u32>(b, D_GARBAGE);
}

function table(b: usize): usize {
  return b + <usize> load<u32>(b, D_TABLE);
}

/** Slots for `count` entries: a power of two at most half full. */
export function slotsFor(count: u32): u32 {
  let s: u32 = 8;
  while (s < count * 2) s <<= 1;
  return s;
}

export function fieldHash(f: usize, flen: u32): u32 {
  return <u32> hashKey(f, flen);
}

export function dictInit(b: usize, cap: u32, slots: u32): void {
  blobInit(b, cap, DICT_HEADER + slots * 8);
  store<u32>(b, DICT_HEADER, D_TABLE);
  store<u32>(b, slots, D_SLOTS);
  store<u32>(b, 0, D_TOMBS);
  store<u32>(b, 0, D_GARBAGE);
  memory.fill(b + DICT_HEADER, 0, <usize> slots * 8);
}

/** Bytes of the live entries. */
export function dictLiveBytes(b: usize): u32 {
  return blobUsed(b) - DICT_HEADER - dictSlots(b) * 8 - dictGarbage(b);
}

/** True when `add` more entries of `bytes` bytes in all fit without relocation. */
export function dictHasRoom(b: usize, add: u32, bytes: u32): bool {
  const slots = dictSlots(b);
  const taken = <u64> blobCount(b) + <u64> load<u32>(b, D_TOMBS) + <u64> add;
  return taken * 4 <= <u64> slots * 3 &&
    <u64> blobCap(b) - <u64> blobUsed(b) >= <u64> bytes;
}

/** Slot address of the entry with this field, or 0. */
export function dictFind(b: usize, f: usize, flen: u32, h: u32): usize {
  const t = table(b);
  const mask = dictSlots(b) - 1;
  let i = h & mask;
  while (true) {
    const s = t + (<usize> i << 3);
    const e = load<u32>(s, 4);
    if (e == EMPTY) return 0;
    if (e != TOMB && load<u32>(s) == h && load<u32>(b + e) == flen) {
      if (memory.compare(b + e + 8, f, flen) == 0) return s;
    }
    i = (i + 1) & mask;
  }
}

/** Entry offset of the field, or 0. */
export function dictEntry(b: usize, f: usize, flen: u32): u32 {
  const s = dictFind(b, f, flen, fieldHash(f, flen));
  return s == 0 ? 0 : load<u32>(s, 4);
}

export function entryFlen(b: usize, e: u32): u32 {
  return load<u32>(b + e);
}

export function entryVlen(b: usize, e: u32): u32 {
  return load<u32>(b + e, 4);
}

export function entrySize(b: usize, e: u32): u32 {
  return 8 + entryFlen(b, e) + entryVlen(b, e);
}

export function entryField(b: usize, e: u32): usize {
  return b + e + 8;
}

export function entryValue(b: usize, e: u32): usize {
  return b + e + 8 + entryFlen(b, e);
}

function newEntry(b: usize, f: usize, flen: u32, v: usize, vlen: u32): u32 {
  const e = blobAlloc(b, 8 + flen + vlen);
  store<u32>(b + e, flen);
  store<u32>(b + e, vlen, 4);
  memory.copy(b + e + 8, f, flen);
  memory.copy(b + e + 8 + flen, v, vlen);
  return e;
}

/**
 * Sets a field (the caller made room: dictHasRoom(b, 1, 8 + flen + vlen)).
 * Returns 1 when the field was added, 0 when its value was replaced.
 */
export function dictSet(
  b: usize,
  f: usize,
  flen: u32,
  v: usize,
  vlen: u32,
): i32 {
  const h = fieldHash(f, flen);
  const s = dictFind(b, f, flen, h);
  if (s != 0) {
    const e = load<u32>(s, 4);
    const old = entryVlen(b, e);
    if (old == vlen) {
      memory.copy(entryValue(b, e), v, vlen);
      return 0;
    }
    store<u32>(b, load<u32>(b, D_GARBAGE) + 8 + flen + old, D_GARBAGE);
    store<u32>(s, newEntry(b, f, flen, v, vlen), 4);
    store<u32>(b, blobLogical(b) - old + vlen, B_LOGICAL);
    return 0;
  }
  const t = table(b);
  const mask = dictSlots(b) - 1;
  let i = h & mask;
  while (load<u32>(t + (<usize> i << 3), 4) > TOMB) i = (i + 1) & mask;
  const slot = t + (<usize> i << 3);
  if (load<u32>(slot, 4) == TOMB) {
    store<u32>(b, load<u32>(b, D_TOMBS) - 1, D_TOMBS);
  }
  store<u32>(slot, h);
  store<u32>(slot, newEntry(b, f, flen, v, vlen), 4);
  store<u32>(b, blobCount(b) + 1, B_COUNT);
  store<u32>(b, blobLogical(b) + flen + vlen, B_LOGICAL);
  return 1;
}

/** Removes a field; true when it was there. */
export function dictRemove(b: usize, f: usize, flen: u32): bool {
  const s = dictFind(b, f, flen, fieldHash(f, flen));
  if (s == 0) return false;
  removeSlot(b, s);
  return true;
}

function removeSlot(b: usize, s: usize): void {
  const e = load<u32>(s, 4);
  const size = entrySize(b, e);
  store<u32>(s, TOMB, 4);
  store<u32>(b, load<u32>(b, D_TOMBS) + 1, D_TOMBS);
  store<u32>(b, load<u32>(b, D_GARBAGE) + size, D_GARBAGE);
  store<u32>(b, blobCount(b) - 1, B_COUNT);
  store<u32>(b, blobLogical(b) - (size - 8), B_LOGICAL);
}

/** Bytes of a compact copy whose table has `slots` slots. */
export function dictCompactSize(b: usize, slots: u32): u32 {
  return DICT_HEADER + slots * 8 + dictLiveBytes(b);
}

/** A compact copy of src in dst (dstCap >= dictCompactSize(src, slots)). */
export function dictCompact(
  src: usize,
  dst: usize,
  dstCap: u32,
  slots: u32,
): void {
  dictInit(dst, dstCap, slots);
  const t = table(src);
  const n = dictSlots(src);
  const dt = table(dst);
  const mask = slots - 1;
  let used = blobUsed(dst);
  for (let i: u32 = 0; i < n; i++) {
    const s = t + (<usize> i << 3);
    const e = load<u32>(s, 4);
    if (e <= TOMB) continue;
    const size = entrySize(src, e);
    memory.copy(dst + used, src + e, size);
    const h = load<u32>(s);
    let j = h & mask;
    while (load<u32>(dt + (<usize> j << 3), 4) != EMPTY) j = (j + 1) & mask;
    store<u32>(dt + (<usize> j << 3), h);
    store<u32>(dt + (<usize> j << 3), used, 4);
    used += size;
  }
  store<u32>(dst, used, B_USED);
  store<u32>(dst, blobCount(src), B_COUNT);
  store<u32>(dst, blobLogical(src), B_LOGICAL);
}

/** Entry offset in slot i, or 0 when the slot holds none. */
export function dictSlotEntry(b: usize, i: u32): u32 {
  const e = load<u32>(table(b) + (<usize> i << 3), 4);
  return e <= TOMB ? 0 : e;
}

/** Removes the entry in slot i (which holds one). */
export function dictRemoveSlot(b: usize, i: u32): void {
  removeSlot(b, table(b) + (<usize> i << 3));
}

/**
 * Picks up to `limit` distinct slots holding entries, chosen at random (a
 * random start and a random odd stride over the power-of-two table, so each
 * slot is visited at most once), and writes their indexes as u32 at out.
 * Returns how many.
 */
export function dictSample(
  b: usize,
  limit: u32,
  seed: u32,
  out: usize,
): u32 {
  const slots = dictSlots(b);
  const mask = slots - 1;
  const count = blobCount(b);
  const want = limit < count ? limit : count;
  let x = seed | 1;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  let i = x & mask;
  const stride = ((x >> 7) | 1) & mask | 1;
  let n: u32 = 0;
  for (let k: u32 = 0; k < slots && n < want; k++) {
    if (dictSlotEntry(b, i) != 0) {
      store<u32>(out + (<usize> n << 2), i);
      n++;
    }
    i = (i + stride) & mask;
  }
  return n;
}
