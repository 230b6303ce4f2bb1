// The hash index: buckets of one cache line each, probed linearly.
//
//   bucket (64 bytes):
//   [tag x12 u8][overflow u16][pad x2][item address x12 u32]
//
// A lookup compares the 12 one-byte tags of a bucket with one SIMD compare and
// dereferences only tag matches. `overflow` counts the items that live past
// this bucket because it was full when they were inserted (F14's scheme): a
// miss stops at the first bucket whose count is 0, or after every bucket, and
// removing an item decrements the counts along its probe path, so no
// tombstones pile up.
// 5.3 bytes a slot; grown by doubling at 7/8 load (see shard.ts), so 6-12
// bytes per item. Address 0 marks an empty slot (the arena never starts at 0).
//
// The bucket number is the top `bits` of the hash, the tag its low byte.

import { bytesEqual } from "./hash";
import { itemKey, itemKlen } from "./item";

export const SLOTS: u32 = 12;

export const BUCKET: usize = 64;

function home(h: u64, bits: u32): u32 {
  return <u32> (h >> (64 - <u64> bits));
}

/** Address of the slot holding the item with this key, or 0. */
export function idxFind(
  base: usize,
  bits: u32,
  key: usize,
  klen: u32,
  h: u64,
): usize {
  const mask = (<u32> 1 << bits) - 1;
  const tags = i8x16.splat(<i8> h);
  let b = home(h, bits);
  // Every bucket at most: every overflow count can be nonzero at once (all
  // buckets were full once; items were removed since), mostly in small indexes.
  for (let n: u32 = 0; n <= mask; n++) {
    const bp = base + (<usize> b << 6);
    let m = i8x16.bitmask(i8x16.eq(v128.load(bp), tags)) & 0xfff;
    while (m != 0) {
      const slot = bp + 16 + (<usize> ctz(m) << 2);
      const p = <usize> load<u32>(slot);
      if (p != 0 && itemKlen(p) == klen && bytesEqual(itemKey(p), key, klen)) {
        return slot;
      }
      m &= m - 1;
    }
    if (load<u16>(bp, 12) == 0) return 0;
    b = (b + 1) & mask;
  }
  return 0;
}

/**
 * Puts an item address in the first free slot from the key's home bucket;
 * returns how many full buckets it passed.
 */
export function idxInsert(base: usize, bits: u32, p: usize, h: u64): u32 {
  const mask = (<u32> 1 << bits) - 1;
  let b = home(h, bits);
  let passed: u32 = 0;
  while (true) {
    const bp = base + (<usize> b << 6);
    for (let i: usize = 0; i < SLOTS; i++) {
      const slot = bp + 16 + (i << 2);
      if (load<u32>(slot) == 0) {
        store<u32>(slot, <u32> p);
        store<u8>(bp + i, <u8> h);
        return passed;
      }
    }
    const o = load<u16>(bp, 12);
    if (o != 0xffff) store<u16>(bp, o + 1, 12); // saturated counts stay
    passed++;
    b = (b + 1) & mask;
  }
}

/** Address of the slot that holds exactly item address p (whose hash is h), or 0. */
export function idxSlotOf(base: usize, bits: u32, p: usize, h: u64): usize {
  const mask = (<u32> 1 << bits) - 1;
  let b = home(h, bits);
  for (let n: u32 = 0; n <= mask; n++) { // every bucket at most (see idxFind)
    const bp = base + (<usize> b << 6);
    for (let i: usize = 0; i < SLOTS; i++) {
      const slot = bp + 16 + (i << 2);
      if (<usize> load<u32>(slot) == p) return slot;
    }
    if (load<u16>(bp, 12) == 0) return 0;
    b = (b + 1) & mask;
  }
  return 0;
}

/** Empties a slot whose item has hash h, and undoes its overflow counts. */
export function idxClear(base: usize, bits: u32, slot: usize, h: u64): void {
  store<u32>(slot, 0);
  const mask = (<u32> 1 << bits) - 1;
  const last = <u32> ((slot - base) >> 6);
  let b = home(h, bits);
  while (b != last) {
    const bp = base + (<usize> b << 6);
    const o = load<u16>(bp, 12);
    if (o != 0xffff) store<u16>(bp, o - 1, 12);
    b = (b + 1) & mask;
  }
}

/** Address of the key's home bucket. */
export function idxBucket(base: usize, bits: u32, h: u64): usize {
  return base + (<usize> home(h, bits) << 6);
}

/** The first item in the home bucket whose tag matches, or 0 (a hint, for warming caches). */
export function idxPeek(base: usize, bits: u32, h: u64): usize {
  const bp = idxBucket(base, bits, h);
  const m = i8x16.bitmask(i8x16.eq(v128.load(bp), i8x16.splat(<i8> h))) & 0xfff;
  return m == 0 ? 0 : <usize> load<u32>(bp + 16 + (<usize> ctz(m) << 2));
}
