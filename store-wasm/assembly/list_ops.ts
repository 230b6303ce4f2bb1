// List operations. `k, klen, h`: the item's key and hash; the payload is
// [pay, end). Payload of pushes: n x [u32 len][value], in the order the
// values end up in. Results (stream): n x [u32 len][value].

import { H_RES_COUNT, setH32, ST_NO_MEMORY, ST_OK } from "./layout";
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
  sliceFrom,
  sliceTo,
  wrote,
} from "./collection";
import { itemValue, T_LIST } from "./item";
import { unlink } from "./shard";
import { tmpAlloc } from "./ext";
import {
  itemBytes,
  itemLen,
  LIST_HEADER,
  listAt,
  listHasRoom,
  listPopBack,
  listPopFront,
  listPushBack,
  listPushFront,
  listRemoveValue,
  listRetain,
  listSlotsFor,
} from "./list";

/**
 * Pushes the payload's values at the front or the back, then truncates the
 * other end to `truncate` elements (negative: no truncation). Limits are
 * checked on the final list; all or nothing. Returns the new length.
 */
export function listPush(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
  front: bool,
  truncate: i32,
): i32 {
  const r = findColl(k, klen, h, T_LIST);
  if (r < 0) return <i32> r;
  let p = <usize> r;
  let b = p != 0 ? itemValue(p) : 0;
  const c: u32 = b != 0 ? blobCount(b) : 0;
  let n: u32 = 0;
  for (let q = pay; q < end; q += 4 + <usize> load<u32>(q)) n++;
  // where each value starts, so both directions are O(n)
  const at = tmpAlloc(<usize> n << 2);
  if (at == 0) return ST_NO_MEMORY;
  let q = pay;
  for (let i: u32 = 0; i < n; i++) {
    store<u32>(at + (<usize> i << 2), <u32> (q - pay));
    q += 4 + <usize> load<u32>(q);
  }
  const total = <u64> c + <u64> n;
  const fin = truncate >= 0 && <u64> truncate < total ? <u64> truncate : total;
  const drop = <u32> (total - fin);
  const oldDrop = drop < c ? drop : c;
  // New values that survive: [first, last) of the payload.
  const first: u32 = front ? 0 : drop - oldDrop;
  const last: u32 = front ? n - (drop - oldDrop) : n;
  let logical: u64 = b != 0 ? <u64> blobLogical(b) : 0;
  for (let i: u32 = 0; i < oldDrop; i++) {
    logical -= <u64> itemLen(b, listAt(b, front ? c - 1 - i : i));
  }
  let bytes: u64 = 0;
  for (let i = first; i < last; i++) {
    const len = load<u32>(pay + <usize> load<u32>(at + (<usize> i << 2)));
    logical += <u64> len;
    bytes += 4 + <u64> len;
  }
  const st = checkLimits(fin, logical);
  if (st != ST_OK) return st;
  if (fin == 0) {
    if (p != 0) unlink(p);
    return 0;
  }
  let created = false;
  const want = c + (last - first);
  if (p == 0) {
    const slots = listSlotsFor(want);
    const cr = create(
      k,
      klen,
      h,
      T_LIST,
      LIST_HEADER + slots * 4 + bytes,
      slots,
    );
    if (cr < 0) return <i32> cr;
    p = <usize> cr;
    created = true;
  } else if (!listHasRoom(b, last - first, <u32> bytes)) {
    const cr = relocate(p, k, klen, h, bytes, listSlotsFor(want));
    if (cr < 0) return <i32> cr;
    p = <usize> cr;
  }
  b = itemValue(p);
  for (let i: u32 = 0; i < oldDrop; i++) {
    if (front) listPopBack(b);
    else listPopFront(b);
  }
  // at the front, the last surviving value first, so the first ends up in front
  for (let j = first; j < last; j++) {
    const i = front ? last - 1 - (j - first) : j;
    const v = pay + <usize> load<u32>(at + (<usize> i << 2));
    if (front) listPushFront(b, v + 4, load<u32>(v));
    else listPushBack(b, v + 4, load<u32>(v));
  }
  wrote(p, created);
  return <i32> blobCount(b);
}

/** Pops the front or back value into the result; ST_MISS when absent. */
export function listPop(k: usize, klen: u32, h: u64, front: bool): i32 {
  const r = findExisting(k, klen, h, T_LIST);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  const b = itemValue(p);
  const e = front ? listPopFront(b) : listPopBack(b);
  const len = itemLen(b, e);
  const o = result(len, 1);
  if (o == 0) return ST_NO_MEMORY;
  memory.copy(o, itemBytes(b, e), len);
  if (!dropIfEmpty(p)) shrink(p, k, klen, h);
  return ST_OK;
}

/** The values of the slice; ST_MISS when absent. */
export function listFetch(k: usize, klen: u32, h: u64): i32 {
  const r = findExisting(k, klen, h, T_LIST);
  if (r < 0) return <i32> r;
  const b = itemValue(<usize> r);
  const n = blobCount(b);
  const from = sliceFrom(n);
  const to = sliceTo(n, from);
  let size: usize = 0;
  for (let i = from; i < to; i++) size += 4 + <usize> itemLen(b, listAt(b, i));
  let o = result(size, to - from);
  if (o == 0) return ST_NO_MEMORY;
  for (let i = from; i < to; i++) {
    const e = listAt(b, i);
    const len = itemLen(b, e);
    memory.copy(o, b + e, 4 + len);
    o += 4 + <usize> len;
  }
  return ST_OK;
}

/** Keeps the slice only (an empty one removes the list); ST_MISS when absent. */
export function listKeep(k: usize, klen: u32, h: u64): i32 {
  const r = findExisting(k, klen, h, T_LIST);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  const b = itemValue(p);
  const n = blobCount(b);
  const from = sliceFrom(n);
  const to = sliceTo(n, from);
  listRetain(b, from, to);
  if (dropIfEmpty(p)) return ST_OK;
  wrote(p, false);
  shrink(p, k, klen, h);
  return ST_OK;
}

/** Removes every element equal to the payload; ST_MISS when absent. */
export function listRemove(
  k: usize,
  klen: u32,
  h: u64,
  pay: usize,
  end: usize,
): i32 {
  const r = findExisting(k, klen, h, T_LIST);
  if (r < 0) return <i32> r;
  const p = <usize> r;
  listRemoveValue(itemValue(p), pay, <u32> (end - pay));
  if (!dropIfEmpty(p)) shrink(p, k, klen, h);
  return ST_OK;
}

/** The count of the collection of type t; ST_MISS when absent. */
export function collLength(k: usize, klen: u32, h: u64, t: u32): i32 {
  const r = findExisting(k, klen, h, t);
  if (r < 0) return <i32> r;
  setH32(H_RES_COUNT, blobCount(itemValue(<usize> r)));
  return ST_OK;
}
