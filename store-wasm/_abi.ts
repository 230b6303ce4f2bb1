/**
 * Offsets and status codes shared with the AssemblyScript core
 * (assembly/layout.ts). Only `shard.ts` uses them. The assembly constants are
 * the source: `abi_test.ts` reads them and fails when a value here differs.
 *
 * @module
 */

/** Size of the scratch region where keys, values and batches cross the boundary. */
export const SCRATCH_SIZE = 65536;

/** Header field offsets (bytes from the header address). */
export const H = {
  SCRATCH: 12,
  IDX_COUNT: 72,
  RESULT_LEN: 80,
  LIVE_ITEMS: 88,
  LIVE_BYTES: 96,
  EVICTIONS: 104,
  EXPIRED: 112,
  HITS: 120,
  MISSES: 128,
  REBUILDS: 172,
  ARG_TTL: 176,
  ARG_FLAGS: 184,
  ARG_MAX_LOGICAL: 188,
  ARG_MAX_COUNT: 192,
  ARG_A: 196,
  ARG_B: 200,
  RES_TYPE: 204,
  ARG_X: 208,
  ARG_Y: 216,
  RES_PTR: 224,
  RES_COUNT: 228,
  RES_F64: 232,
} as const;

/** Status codes the core returns (negative). */
export const Status = {
  OK: 0,
  TOO_LARGE: -1,
  BAD_ARG: -2,
  NO_MEMORY: -3,
  WRONG_TYPE: -4,
  LIMIT_SIZE: -5,
  LIMIT_COUNT: -6,
  MISS: -7,
  NOT_FINITE: -8,
} as const;

/** Item types as the core numbers them (flags bits 4-6), by Momento's names. */
export const ITEM_TYPES = [
  "SCALAR",
  "DICTIONARY",
  "SET",
  "LIST",
  "SORTED_SET",
] as const;

/** Collection operations of the core's `coll` export (collection_exports.ts). */
export const Op = {
  DICT_PUT: 1,
  DICT_GET: 2,
  DICT_FETCH: 3,
  DICT_REMOVE: 4,
  LENGTH: 5,
  SET_PUT: 6,
  SET_GET: 7,
  SET_FETCH: 8,
  SET_REMOVE: 9,
  SET_TAKE: 10,
  LIST_PUSH: 11,
  LIST_POP: 12,
  LIST_FETCH: 13,
  LIST_RETAIN: 14,
  LIST_REMOVE: 15,
  ZSET_PUT: 16,
  ZSET_INCREMENT: 17,
  ZSET_REMOVE: 18,
  ZSET_SCORES: 19,
  ZSET_RANK: 20,
  ZSET_BY_RANK: 21,
  ZSET_BY_SCORE: 22,
  ZSET_COUNT_BY_SCORE: 23,
} as const;

/** Op flags of a collection call (collection.ts F_*). */
export const Flag = {
  REFRESH: 1,
  /** List: the front. Sorted set: descending. Set take: pop. */
  FRONT: 2,
  MIN_EXCLUSIVE: 4,
  MAX_EXCLUSIVE: 8,
} as const;

/** `get`'s answer for a key that holds a collection (its type at RES_TYPE). */
export const WRONG_TYPE_ADDRESS = 2;

/** Bytes of item header: short form for small keys and values, else long. */
export function itemHeaderSize(klen: number, vlen: number): number {
  return klen < 256 && vlen < 65536 ? 9 : 12;
}

/** Longest key the core accepts. */
export const MAX_KEY_BYTES = 65535;

/** Bytes of the slot bitmap at `slotMap()` (one bit per slot of 16384). */
export const SLOT_MAP_BYTES = 2048;

/** The exports of one core instance. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  init(budget: number, epoch: number): number;
  clear(): void;
  get(klen: number, now: number): number;
  set(klen: number, vlen: number, ttl: number, now: number): number;
  del(klen: number, now: number): number;
  getBatch(count: number, data: number, out: number, now: number): void;
  setBatch(count: number, out: number, ttl: number, now: number): void;
  removePrefix(plen: number, now: number): number;
  nextKey(from: number, now: number): number;
  sweep(buckets: number, now: number): number;
  maxItemBytes(): number;
  usedBytes(): number;
  header(): number;
  slotMap(): number;
  extBuf(n: number): number;
  coll(
    op: number,
    args: number,
    argLen: number,
    klen: number,
    now: number,
  ): number;
  itemInfo(klen: number, now: number): number;
  itemTtl(klen: number, ttl: number, mode: number, now: number): number;
}
