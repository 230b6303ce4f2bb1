// The Wasm exports for collections and for what works on items of every type
// (existence, type, TTL). Re-exported by index.ts.
//
// A collection call: the host asks `extBuf` where to write the arguments
// ([key][payload]: scratch when they fit, else the extension region), fills
// the request block in the header (H_ARG_*, layout.ts), and calls `coll`. It
// returns a status (ST_*) or a count; results are in the header (H_RES_*) and
// in the result stream at H_RES_PTR (H_RESULT_LEN bytes), valid until the
// next call.

import {
  h32,
  H_ARG_A,
  H_ARG_B,
  H_NOW,
  H_RES_COUNT,
  H_RES_F64,
  H_RESULT_LEN,
  H_SCRATCH,
  hdr,
  SCRATCH_SIZE,
  setH32,
  ST_BAD_ARG,
} from "./layout";
import { hashKey } from "./hash";
import {
  itemExpiry,
  itemType,
  NEVER,
  setItemExpiry,
  T_DICTIONARY,
  T_SET,
} from "./item";
import { expiryFor, tick } from "./write";
import { extEnsure, extStart, tmpReset } from "./ext";
import { F_FRONT, flag } from "./collection";
import { findItem } from "./shard";
import { dictDelete, dictFetch, dictGet, dictPut, dictTake } from "./dict_ops";
import {
  collLength,
  listFetch,
  listKeep,
  listPop,
  listPush,
  listRemove,
} from "./list_ops";
import {
  zsetAdd,
  zsetByRank,
  zsetByScore,
  zsetCountByScore,
  zsetDelete,
  zsetPutAll,
  zsetRankOf,
  zsetScores,
} from "./zset_ops";

/** Where the host writes n bytes of arguments: scratch, or the extension region (0: no memory). */
export function extBuf(n: u32): usize {
  if (<usize> n <= SCRATCH_SIZE) return <usize> h32(H_SCRATCH);
  const e = extStart();
  return extEnsure(e + <usize> n) ? e : 0;
}

/** Runs collection operation `op` (OP_* in ../_abi.ts) on the arguments at `args`. */
export function coll(
  op: u32,
  args: usize,
  argLen: u32,
  klen: u32,
  now: f64,
): i32 {
  tick(now);
  tmpReset(args == extStart() ? args + <usize> argLen : extStart());
  setH32(H_RESULT_LEN, 0);
  setH32(H_RES_COUNT, 0);
  const k = args;
  const h = hashKey(k, klen);
  const pay = args + <usize> klen;
  const end = args + <usize> argLen;
  const a = h32(H_ARG_A);
  switch (op) {
    case 1:
      return dictPut(k, klen, h, pay, end, T_DICTIONARY);
    case 2:
      return dictGet(k, klen, h, pay, end, T_DICTIONARY);
    case 3:
      return dictFetch(k, klen, h, T_DICTIONARY);
    case 4:
      return dictDelete(k, klen, h, pay, end, T_DICTIONARY);
    case 5:
      return collLength(k, klen, h, a);
    case 6:
      return dictPut(k, klen, h, pay, end, T_SET);
    case 7:
      return dictGet(k, klen, h, pay, end, T_SET);
    case 8:
      return dictFetch(k, klen, h, T_SET);
    case 9:
      return dictDelete(k, klen, h, pay, end, T_SET);
    case 10:
      return dictTake(k, klen, h, T_SET, a, h32(H_ARG_B), flag(F_FRONT));
    case 11:
      return listPush(k, klen, h, pay, end, flag(F_FRONT), <i32> a);
    case 12:
      return listPop(k, klen, h, flag(F_FRONT));
    case 13:
      return listFetch(k, klen, h);
    case 14:
      return listKeep(k, klen, h);
    case 15:
      return listRemove(k, klen, h, pay, end);
    case 16:
      return zsetPutAll(k, klen, h, pay, end);
    case 17:
      return zsetAdd(k, klen, h, pay, end);
    case 18:
      return zsetDelete(k, klen, h, pay, end);
    case 19:
      return zsetScores(k, klen, h, pay, end);
    case 20:
      return zsetRankOf(k, klen, h, pay, end);
    case 21:
      return zsetByRank(k, klen, h);
    case 22:
      return zsetByScore(k, klen, h);
    case 23:
      return zsetCountByScore(k, klen, h);
  }
  return ST_BAD_ARG;
}

/**
 * Type of the live item whose key is the `klen` scratch bytes (T_* in
 * item.ts), or -1 when absent; its remaining TTL in ms at H_RES_F64 (-1:
 * never expires).
 */
export function itemInfo(klen: u32, now: f64): i32 {
  tick(now);
  const k = <usize> h32(H_SCRATCH);
  const p = findItem(k, klen, hashKey(k, klen));
  if (p == 0) return -1;
  const e = itemExpiry(p);
  const rel = load<f64>(hdr() + H_NOW);
  store<f64>(hdr() + H_RES_F64, e == NEVER ? -1 : <f64> e - rel);
  return <i32> itemType(p);
}

/**
 * Sets the TTL of the item whose key is the `klen` scratch bytes to `ttl`
 * ms from now: always (mode 0), only when longer than the remaining TTL
 * (mode 1), or only when shorter (mode 2). Returns 1 set, 0 not set, -1
 * absent.
 */
export function itemTtl(klen: u32, ttl: f64, mode: u32, now: f64): i32 {
  tick(now);
  const k = <usize> h32(H_SCRATCH);
  const p = findItem(k, klen, hashKey(k, klen));
  if (p == 0) return -1;
  const next = expiryFor(ttl);
  const cur = itemExpiry(p);
  if ((mode == 1 && next <= cur) || (mode == 2 && next >= cur)) return 0;
  setItemExpiry(p, next);
  return 1;
}
