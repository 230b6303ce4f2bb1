// A list in a blob (blob.ts): a circular array of entry offsets, so pushes
// and pops at both ends and reads by index are O(1).
//
//   [0..16)  common blob header: cap, used, count, logical
//   [16] u32 array offset   [20] u32 slots (a power of two)
//   [24] u32 head: slot of element 0   [28] u32 garbage: bytes of dead entries
//   [32 ..)  array: slots x u32 entry offset; element i is in slot (head + i) & (slots - 1)
//   then     entries, bump-allocated: [u32 len][bytes]
//
// The array never grows in place: a push that lacks a slot or bytes makes the
// caller relocate the blob into a compact copy with more slots (collection.ts).

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

export const LIST_HEADER: u32 = 32;

const L_ARRAY: usize = 16;

const L_SLOTS: usize = 20;

const L_HEAD: usize = 24;

const L_GARBAGE: usize = 28;

export function listSlots(b: usize): u32 {
  return load<u32>(b, L_SLOTS);
}

/** Slots for `count` elements: a power of two with room to double. */
export function listSlotsFor(count: u32): u32 {
  let s: u32 = 4;
  while (s < count * 2) s <<= 1;
  return s;
}

export function listInit(b: usize, cap: u32, slots: u32): void {
  blobInit(b, cap, LIST_HEADER + slots * 4);
  store<u32>(b, LIST_HEADER, L_ARRAY);
  store<u32>(b, slots, L_SLOTS);
  store<u32>(b, 0, L_HEAD);
  store<u32>(b, 0, L_GARBAGE);
}

function slotAddr(b: usize, i: u32): usize {
  const s = (load<u32>(b, L_HEAD) + i) & (listSlots(b) - 1);
  return b + <usize> load<u32>(b, L_ARRAY) + (<usize> s << 2);
}

/** Entry offset of element i (0 <= i < count). */
export function listAt(b: usize, i: u32): u32 {
  return load<u32>(slotAddr(b, i));
}

export function itemLen(b: usize, e: u32): u32 {
  return load<u32>(b + e);
}

export function itemBytes(b: usize, e: u32): usize {
  return b + e + 4;
}

export function listLiveBytes(b: usize): u32 {
  return blobUsed(b) - LIST_HEADER - listSlots(b) * 4 -
    load<u32>(b, L_GARBAGE);
}

/** True when `add` more elements of `bytes` bytes in all (4 per element included) fit. */
export function listHasRoom(b: usize, add: u32, bytes: u32): bool {
  return <u64> blobCount(b) + <u64> add <= <u64> listSlots(b) &&
    <u64> blobCap(b) - <u64> blobUsed(b) >= <u64> bytes;
}

function newEntry(b: usize, v: usize, vlen: u32): u32 {
  const e = blobAlloc(b, 4 + vlen);
  store<u32>(b + e, vlen);
  memory.copy(b + e + 4, v, vlen);
  store<u32>(b, blobCount(b) + 1, B_COUNT);
  store<u32>(b, blobLogical(b) + vlen, B_LOGICAL);
  return e;
}

/** Appends (room made by the caller). */
export function listPushBack(b: usize, v: usize, vlen: u32): void {
  const e = newEntry(b, v, vlen);
  store<u32>(slotAddr(b, blobCount(b) - 1), e);
}

/** Prepends (room made by the caller). */
export function listPushFront(b: usize, v: usize, vlen: u32): void {
  const e = newEntry(b, v, vlen);
  store<u32>(b, (load<u32>(b, L_HEAD) - 1) & (listSlots(b) - 1), L_HEAD);
  store<u32>(slotAddr(b, 0), e);
}

function dropped(b: usize, e: u32): void {
  const len = itemLen(b, e);
  store<u32>(b, load<u32>(b, L_GARBAGE) + 4 + len, L_GARBAGE);
  store<u32>(b, blobCount(b) - 1, B_COUNT);
  store<u32>(b, blobLogical(b) - len, B_LOGICAL);
}

/** Removes element 0 (the list is not empty); returns its entry (still readable). */
export function listPopFront(b: usize): u32 {
  const e = listAt(b, 0);
  store<u32>(b, (load<u32>(b, L_HEAD) + 1) & (listSlots(b) - 1), L_HEAD);
  dropped(b, e);
  return e;
}

/** Removes the last element (the list is not empty); returns its entry. */
export function listPopBack(b: usize): u32 {
  const e = listAt(b, blobCount(b) - 1);
  dropped(b, e);
  return e;
}

/** Keeps elements [from, to) only. */
export function listRetain(b: usize, from: u32, to: u32): void {
  const n = blobCount(b);
  for (let i = to; i < n; i++) listPopBack(b);
  for (let i: u32 = 0; i < from; i++) listPopFront(b);
}

/** Removes every element equal to the vlen bytes at v; returns how many. */
export function listRemoveValue(b: usize, v: usize, vlen: u32): u32 {
  const n = blobCount(b);
  let kept: u32 = 0;
  let removed: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const e = listAt(b, i);
    const len = itemLen(b, e);
    if (len == vlen && memory.compare(itemBytes(b, e), v, vlen) == 0) {
      store<u32>(b, load<u32>(b, L_GARBAGE) + 4 + len, L_GARBAGE);
      store<u32>(b, blobLogical(b) - len, B_LOGICAL);
      removed++;
    } else {
      store<u32>(slotAddr(b, kept), e);
      kept++;
    }
  }
  store<u32>(b, kept, B_COUNT);
  return removed;
}

/** Bytes of a compact copy with `slots` slots. */
export function listCompactSize(b: usize, slots: u32): u32 {
  return LIST_HEADER + slots * 4 + listLiveBytes(b);
}

/** A compact copy of src in dst (dstCap >= listCompactSize(src, slots)). */
export function listCompact(
  src: usize,
  dst: usize,
  dstCap: u32,
  slots: u32,
): void {
  listInit(dst, dstCap, slots);
  const n = blobCount(src);
  let used = blobUsed(dst);
  const arr = dst + LIST_HEADER;
  for (let i: u32 = 0; i < n; i++) {
    const e = listAt(src, i);
    const size = 4 + itemLen(src, e);
    memory.copy(dst + used, src + e, size);
    store<u32>(arr + (<usize> i << 2), used);
    used += size;
  }
  store<u32>(dst, used, B_USED);
  store<u32>(dst, n, B_COUNT);
  store<u32>(dst, blobLogical(src), B_LOGICAL);
}
