// Dictionary and set operations (a set is a dictionary with empty values).
// `k, klen, h`: the item's key and hash; the payload is [pay, end).
//
// Payloads: fields to set  n x [u32 flen][u32 vlen][field][value]
//           fields to read or remove  n x [u32 flen][field]
// Results (stream): reads   n x [u32 vlen or MISS][value]
//                   fetch   count x [u32 flen][u32 vlen][field][value]
//                   sample  n x [u32 len][element]

import { ST_NO_MEMORY, ST_OK } from "./layout";
import { blobCount, blobLogical } from "./blob";
import {
  checkLimits,
  create,
  dropIfEmpty,
  findColl,
  findExisting,
  relocate,
  result,
  shrink,
  wrote,
} from "./collection";
import { itemValue } from "./item";
import {
  DICT_HEADER,
  dictEntry,
  dictHasRoom,
  dictRemove,
  dictRemoveSlot,
  dictSample,
  dictSet,
  dictSlotEntry,
  dictSlots,
  entryField,
  entryFlen,
  entrySize,
  entryValue,
  entryVlen,
  slotsFor,
} from "./dict";
import { tmpAlloc } from "./ext";

const MISS: u32 = 0xffffffff;

/** Sets fields (distinct: the host dedupes), checking limits first; all or nothing. */
export function dictPut(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
  t: u32,
): i32 {
  const r = findColl(k, klen, h, t);
  if (r < 0) return <i32> r;
  let p = <usize> r;
  let b = p != 0 ? itemValue(p) : 0;
  let add: u32 = 0;
  let bytes: u64 = 0;
  let logical: i64 = b != 0 ? <i64> blobLogical(b) : 0;
  for (let q = pay; q < end;) {
    const flen = load<u32>(q);
    const vlen = load<u32>(q, 4);
    const e = b != 0 ? dictEntry(b, q + 8, flen) : 0;
    if (e != 0) logical += <i64> vlen - <i64> entryVlen(b, e);
    else {
      add++;
      logical += <i64> (flen + vlen);
    }
    bytes += <u64> (8 + flen + vlen);
    q += 8 + <usize> flen + <usize> vlen;
  }
  const count = (b != 0 ? blobCount(b) : 0) + add;
  const st = checkLimits(<u64> count, <u64> logical);
  if (st != ST_OK) return st;
  let created = false;
  if (p == 0) {
    if (count == 0) return ST_OK; // nothing is created empty
    const slots = slotsFor(count);
    const c = create(k, klen, h, t, DICT_HEADER + slots * 8 + bytes, slots);
    if (c < 0) return <i32> c;
    p = <usize> c;
    created = true;
  } else if (!dictHasRoom(b, add, <u32> bytes)) {
    const c = relocate(p, k, klen, h, bytes, slotsFor(count));
    if (c < 0) return <i32> c;
    p = <usize> c;
  }
  b = itemValue(p);
  for (let q = pay; q < end;) {
    const flen = load<u32>(q);
    const vlen = load<u32>(q, 4);
    dictSet(b, q + 8, flen, q + 8 + flen, vlen);
    q += 8 + <usize> flen + <usize> vlen;
  }
  wrote(p, created);
  return ST_OK;
}

/** Reads fields: a result per field, in order; ST_MISS when absent. */
export function dictGet(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
  t: u32,
): i32 {
  const r = findExisting(k, klen, h, t);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  let size: usize = 0;
  let n: u32 = 0;
  for (let q = pay; q < end;) {
    const flen = load<u32>(q);
    const e = dictEntry(b, q + 4, flen);
    size += 4 + (e != 0 ? <usize> entryVlen(b, e) : 0);
    q += 4 + <usize> flen;
    n++;
  }
  let o = result(size, n);
  if (o == 0) return ST_NO_MEMORY;
  for (let q = pay; q < end;) {
    const flen = load<u32>(q);
    const e = dictEntry(b, q + 4, flen);
    if (e == 0) store<u32>(o, MISS);
    else {
      const vlen = entryVlen(b, e);
      store<u32>(o, vlen);
      memory.copy(o + 4, entryValue(b, e), vlen);
      o += vlen;
    }
    o += 4;
    q += 4 + <usize> flen;
  }
  return ST_OK;
}

/** Every field and value; ST_MISS when absent. */
export function dictFetch(k: usize, klen: u32, h: u64, t: u32): i32 {
  const r = findExisting(k, klen, h, t);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  const count = blobCount(b);
  let o = result(<usize> count * 8 + <usize> blobLogical(b), count);
  if (o == 0) return ST_NO_MEMORY;
  const slots = dictSlots(b);
  for (let i: u32 = 0; i < slots; i++) {
    const e = dictSlotEntry(b, i);
    if (e == 0) continue;
    const size = entrySize(b, e);
    memory.copy(o, b + e, size);
    o += size;
  }
  return ST_OK;
}

/** Removes fields; the last one removes the item. ST_MISS when absent. */
export function dictDelete(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
  t: u32,
): i32 {
  const r = findExisting(k, klen, h, t);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  const b = itemValue(p);
  for (let q = pay; q < end;) {
    const flen = load<u32>(q);
    dictRemove(b, q + 4, flen);
    q += 4 + <usize> flen;
  }
  if (!dropIfEmpty(p)) shrink(p, k, klen, h);
  return ST_OK;
}

/**
 * Up to `limit` distinct elements at random (`seed` drives the choice);
 * `pop` removes them (the last one removes the item). ST_MISS when absent.
 */
export function dictTake(
  k: usize,
  klen: u32,
  h: u64,
  t: u32,
  limit: u32,
  seed: u32,
  pop: bool,
): i32 {
  const r = findExisting(k, klen, h, t);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  const b = itemValue(p);
  const want = limit < blobCount(b) ? limit : blobCount(b);
  const picks = tmpAlloc(<usize> want << 2);
  if (picks == 0) return ST_NO_MEMORY;
  const n = dictSample(b, want, seed, picks);
  let size: usize = 0;
  for (let i: u32 = 0; i < n; i++) {
    const e = dictSlotEntry(b, load<u32>(picks + (<usize> i << 2)));
    size += 4 + <usize> entryFlen(b, e);
  }
  let o = result(size, n);
  if (o == 0) return ST_NO_MEMORY;
  for (let i: u32 = 0; i < n; i++) {
    const e = dictSlotEntry(b, load<u32>(picks + (<usize> i << 2)));
    const flen = entryFlen(b, e);
    store<u32>(o, flen);
    memory.copy(o + 4, entryField(b, e), flen);
    o += 4 + <usize> flen;
  }
  if (pop) {
    for (let i: u32 = 0; i < n; i++) {
      dictRemoveSlot(b, load<u32>(picks + (<usize> i << 2)));
    }
    if (!dropIfEmpty(p)) shrink(p, k, klen, h);
  }
  return ST_OK;
}
